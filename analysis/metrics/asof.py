"""What was knowable on a day: the cut-off, each row's first publication, and the dataset as of then."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from analysis.dataset.tables import Dataset, split_ids

#: The column holding each table's event date (what "happened by as_of" is measured on).
EVENT_DATE = {
    "sources": "published_date",
    "rounds": "start_date",
    "truces": "announced_date",
    "exchanges": "exchange_date",
    "running_totals": "as_of_date",
    "claims": "claim_date",
    "control": "as_of_date",
    "positions": "stated_date",
    "deadlines": "issued_date",
}


def resolve_as_of(ds: Dataset, as_of: str | pd.Timestamp | None) -> pd.Timestamp:
    """The cut-off day: `as_of` if given, else the dataset date (never the clock)."""
    if as_of is None or (isinstance(as_of, str) and not as_of.strip()):
        return ds.info.dataset_date.normalize()
    return pd.Timestamp(as_of).normalize()


def first_published(frame: pd.DataFrame, sources: pd.DataFrame, column: str = "source_ids") -> pd.Series:
    """Earliest publication date among each row's sources (NaT if none resolves)."""
    published = dict(zip(sources["source_id"], sources["published_date"]))
    dates = [min((published[s] for s in split_ids(v) if s in published), default=pd.NaT) for v in frame[column]]
    return pd.Series(pd.to_datetime(dates), index=frame.index)


def known_as_of(ds: Dataset, as_of: str | pd.Timestamp | None) -> Dataset:
    """The dataset as it could have been known on `as_of`.

    A row is kept when its event happened by `as_of` and at least one of its sources was published
    by then. Later status changes of claims and later outcomes of deadlines are rolled back.
    Announced rounds (status `announced`) are kept before their start date.
    """
    cut = resolve_as_of(ds, as_of)
    sources = ds.tables["sources"].copy()
    # A page without a visible date counts as published on the dataset date (it is not known earlier).
    sources["published_date"] = sources["published_date"].fillna(ds.info.dataset_date)
    tables: dict[str, pd.DataFrame] = {"sources": sources[sources["published_date"] <= cut].copy()}
    for name, frame in ds.tables.items():
        if name == "sources":
            continue
        known = first_published(frame, sources) <= cut
        happened = frame[EVENT_DATE[name]] <= cut
        if name == "rounds" and "status" in frame:
            happened = happened | (frame["status"] == "announced")
        kept = frame[known & happened].copy()
        if name == "claims" and len(kept):
            later = kept["status_date"].isna() | (kept["status_date"] > cut)
            status_known = (
                first_published(kept.assign(status_source_ids=kept["status_source_ids"].fillna(kept["source_ids"])), sources, "status_source_ids")
                <= cut
            )
            revert = (later | ~status_known) & (kept["status"] != "claimed")
            kept.loc[revert, "status"] = "claimed"
            kept.loc[revert, "status_date"] = pd.NaT
        if name == "deadlines" and len(kept):
            # An outcome without a date of its own is knowable once the deadline falls due.
            known_on = kept["outcome_date"].fillna(kept["deadline_date"])
            revert = (kept["outcome"] != "pending") & (known_on.isna() | (known_on > cut))
            kept.loc[revert, "outcome"] = "pending"
            kept.loc[revert, "outcome_date"] = pd.NaT
            kept.loc[revert, "superseded_by"] = pd.NA
        if name == "rounds" and len(kept):
            unfinished = kept["end_date"] > cut
            kept.loc[unfinished, "outcome"] = pd.NA
        tables[name] = kept.reset_index(drop=True)
    return replace(ds, tables=tables)


def optional_date(value: str) -> pd.Timestamp | None:
    """A parameter date: None when empty."""
    return pd.Timestamp(value) if value else None
