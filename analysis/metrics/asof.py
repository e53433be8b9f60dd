"""What was knowable on a day: the cut-off, each row's first publication, and the dataset as of then."""

from __future__ import annotations

from dataclasses import dataclass, replace

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


#: Columns that list sources: in a brief as of a day, each keeps only the sources published by then.
SOURCE_LISTS = ("source_ids", "status_source_ids", "location_source_ids", "announcement_source_ids")


def _keep_known(value: object, known: set[str]) -> object:
    ids = [s for s in split_ids(value) if s in known]
    return ";".join(ids) if ids else pd.NA


def known_as_of(ds: Dataset, as_of: str | pd.Timestamp | None) -> Dataset:
    """The dataset as it could have been known on `as_of`.

    A row is kept when its event happened by `as_of` and at least one of its sources was published
    by then; its lists of sources keep only those published by then, so nothing later is cited.
    Later status changes of claims and later outcomes of deadlines are rolled back. Announced rounds
    (status `announced`) are kept before their start date.
    """
    cut = resolve_as_of(ds, as_of)
    sources = ds.tables["sources"].copy()
    # A page without a visible date counts as published on the dataset date (it is not known earlier).
    sources["published_date"] = sources["published_date"].fillna(ds.info.dataset_date)
    known_sources = sources[sources["published_date"] <= cut].copy()
    known_ids = set(known_sources["source_id"])
    tables: dict[str, pd.DataFrame] = {"sources": known_sources}
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
        for col in SOURCE_LISTS:
            if col in kept:
                kept[col] = kept[col].map(lambda v: _keep_known(v, known_ids)).astype(kept[col].dtype)
        tables[name] = kept.reset_index(drop=True)
    return replace(ds, tables=tables)


@dataclass(frozen=True)
class Period:
    """A span of days, both ends included: the one boundary rule of every window in the briefs.

    `start` None means "from the first row"; "the 4 weeks before 23 July" is 26 June to 23 July.
    """

    start: pd.Timestamp | None
    end: pd.Timestamp

    @classmethod
    def ending(cls, end: pd.Timestamp, *, days: int) -> Period:
        """The `days` days up to and including `end`."""
        end = pd.Timestamp(end).normalize()
        return cls(end - pd.Timedelta(days=days - 1), end)

    @classmethod
    def from_params(cls, start_date: str, end_date: str, cut: pd.Timestamp) -> Period:
        """A brief's period from its parameters: empty start means from the first row, empty end
        means the brief's as-of day (never later)."""
        end = min(pd.Timestamp(end_date), cut) if end_date else cut
        return cls(pd.Timestamp(start_date) if start_date else None, end)

    def contains(self, dates: pd.Series) -> pd.Series:
        """True for the dates inside the period."""
        inside = dates <= self.end
        return inside & (dates >= self.start) if self.start is not None else inside

    def select(self, frame: pd.DataFrame, column: str) -> pd.DataFrame:
        """The rows of `frame` whose `column` lies inside the period."""
        return frame[self.contains(frame[column])].reset_index(drop=True)
