"""Rounds of talks: where a round sits among the others, the gaps between rounds, the next one."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.dataset.tables import Dataset, split_ids


@dataclass(frozen=True)
class RoundContext:
    """Where a round sits among the others."""

    round: pd.Series
    number_in_series: int
    series_count: int
    previous_in_series: pd.Series | None
    days_since_previous_in_series: int | None
    previous_any: pd.Series | None
    days_since_previous_any: int | None
    is_past: bool


def newest_round_id(rounds: pd.DataFrame) -> str:
    """The id of the latest round by start date (held rounds first)."""
    held = rounds[rounds.get("status", "held") == "held"] if "status" in rounds else rounds
    frame = held if len(held) else rounds
    return str(frame.sort_values(["start_date", "round_id"]).iloc[-1]["round_id"])


def days_since_previous_round(rounds: pd.DataFrame, round_id: str, *, same_series: bool = True) -> tuple[int | None, pd.Series | None]:
    """Days from the start of the previous round (of the same series, or any) to this round's start."""
    this = rounds.loc[rounds["round_id"] == round_id].iloc[0]
    pool = rounds[rounds["series"] == this["series"]] if same_series else rounds
    pool = pool[pool["status"] != "cancelled"] if "status" in pool else pool
    earlier = pool[(pool["start_date"] < this["start_date"])].sort_values(["start_date", "round_id"])
    if earlier.empty:
        return None, None
    prev = earlier.iloc[-1]
    return int((this["start_date"] - prev["start_date"]).days), prev


def round_context(rounds: pd.DataFrame, round_id: str, as_of: pd.Timestamp) -> RoundContext:
    """Number within its series, previous rounds and the gaps to them."""
    this = rounds.loc[rounds["round_id"] == round_id].iloc[0]
    series = rounds[(rounds["series"] == this["series"])]
    if "status" in series:
        series = series[series["status"] != "cancelled"]
    series = series.sort_values(["start_date", "round_id"])
    number = int((series["start_date"] < this["start_date"]).sum()) + 1
    d_series, prev_series = days_since_previous_round(rounds, round_id, same_series=True)
    d_any, prev_any = days_since_previous_round(rounds, round_id, same_series=False)
    return RoundContext(
        round=this,
        number_in_series=number,
        series_count=len(series),
        previous_in_series=prev_series,
        days_since_previous_in_series=d_series,
        previous_any=prev_any,
        days_since_previous_any=d_any,
        is_past=bool(this["end_date"] <= as_of),
    )


def held_or_announced(rounds: pd.DataFrame) -> pd.DataFrame:
    """Rounds that took place or are still planned (cancelled ones do not count in any number)."""
    return rounds[rounds["status"] != "cancelled"].reset_index(drop=True) if "status" in rounds else rounds


def round_gaps(rounds: pd.DataFrame) -> pd.DataFrame:
    """Rounds (cancelled ones left out) with the days since the previous round of the same series
    and of any series, and each round's number in its series."""
    out = held_or_announced(rounds).sort_values(["start_date", "round_id"]).copy()
    out["days_since_previous_any"] = out["start_date"].diff().dt.days.astype("Int64")
    out["days_since_previous_in_series"] = out.groupby("series")["start_date"].diff().dt.days.astype("Int64")
    out["number_in_series"] = out.groupby("series").cumcount() + 1
    return out.reset_index(drop=True)


def next_round(rounds: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series | None:
    """The earliest announced round starting after `as_of`, if any."""
    r = rounds[(rounds["start_date"] > as_of)]
    if "status" in r:
        r = r[r["status"] == "announced"]
    return None if r.empty else r.sort_values("start_date").iloc[0]


#: What is known of a round before it opens: its date, place, format and host as announced.
ANNOUNCED = ("round_id", "start_date", "status", "series", "format", "city", "country", "mediator")


def rounds_with(known_ds: Dataset, full_ds: Dataset, round_id: str) -> pd.DataFrame:
    """Rounds known by the cut-off, plus the brief's own round as it was announced when the round had
    not yet opened: date, place, format and host, cited to the announcement's sources (its venue,
    delegations, end and outcome came out later and are left out)."""
    known, full = known_ds.tables["rounds"], full_ds.tables["rounds"]
    if (known["round_id"] == round_id).any():
        return known
    extra = full[full["round_id"] == round_id]
    if extra.empty:
        raise KeyError(f"unknown round_id {round_id!r}")
    extra = extra.copy()
    for col in extra.columns:
        if col not in ANNOUNCED and col != "_line":
            extra[col] = pd.NaT if pd.api.types.is_datetime64_any_dtype(extra[col]) else pd.NA
    extra["end_date"] = extra["start_date"]
    extra["status"] = "announced"
    published = set(known_ds.tables["sources"]["source_id"])
    announced = full.loc[extra.index, "announcement_source_ids"] if "announcement_source_ids" in full else pd.Series(pd.NA, index=extra.index)
    extra["source_ids"] = announced.map(lambda v: ";".join(s for s in split_ids(v) if s in published) or pd.NA)
    return pd.concat([known, extra], ignore_index=True).sort_values(["start_date", "round_id"], ignore_index=True)
