"""Shared test data and helpers."""

from __future__ import annotations

import pandas as pd

from tests.helpers import frame

T = pd.Timestamp


def _round(rid, start, series="istanbul-2025", fmt="direct", status="held", end=None, sources="s1"):
    return {
        "round_id": rid,
        "start_date": start,
        "end_date": end or start,
        "status": status,
        "series": series,
        "format": fmt,
        "city": rid.split("-")[-1].title(),
        "country": "Turkey",
        "source_ids": sources,
    }


ROUNDS = frame(
    "rounds",
    [
        _round("2025-05-16-istanbul", "2025-05-16"),
        _round("2025-06-02-istanbul", "2025-06-02"),
        _round("2025-07-10-rome", "2025-07-10", series="us-ua-2025", fmt="us_ua"),
        _round("2025-07-23-istanbul", "2025-07-23"),
    ],
)


DEADLINES = frame(
    "deadlines",
    [
        {
            "deadline_id": "dl-2025-07-14-us",
            "issued_date": "2025-07-14",
            "issuer": "US",
            "target": "RU",
            "deadline_date": "2025-09-02",
            "demand": "deal",
            "outcome": "superseded",
            "outcome_date": "2025-07-28",
            "superseded_by": "dl-2025-07-28-us",
            "source_ids": "s1",
        },
        {
            "deadline_id": "dl-2025-07-28-us",
            "issued_date": "2025-07-28",
            "issuer": "US",
            "target": "RU",
            "deadline_date": "2025-08-08",
            "demand": "deal",
            "outcome": "missed",
            "outcome_date": "2025-08-08",
            "source_ids": "s1",
        },
        {
            "deadline_id": "dl-2025-11-01-us",
            "issued_date": "2025-11-01",
            "issuer": "US",
            "target": "UA",
            "deadline_date": "2025-11-27",
            "demand": "plan",
            "outcome": "pending",
            "source_ids": "s1",
        },
    ],
)


EXCHANGES = frame(
    "exchanges",
    [
        {
            "exchange_id": "ex-2025-05-23",
            "exchange_date": "2025-05-23",
            "date_precision": "day",
            "kind": "prisoners",
            "returned_to_ukraine": 390,
            "returned_to_russia": 390,
            "mediator": "AE",
            "round_id": "2025-05-16-istanbul",
            "ua_running_total": 5000,
            "source_ids": "s1",
        },
        {
            "exchange_id": "ex-2025-05-25",
            "exchange_date": "2025-05-25",
            "date_precision": "day",
            "kind": "prisoners",
            "returned_to_ukraine": 303,
            "returned_to_russia": None,
            "mediator": "AE;TR",
            "round_id": "2025-05-16-istanbul",
            "source_ids": "s1",
        },
        {
            "exchange_id": "bo-2025-06-11",
            "exchange_date": "2025-06-11",
            "date_precision": "day",
            "kind": "bodies",
            "returned_to_ukraine": 1212,
            "returned_to_russia": 27,
            "round_id": "2025-06-02-istanbul",
            "source_ids": "s2",
        },
        {
            "exchange_id": "ex-2024-12-30",
            "exchange_date": "2024-12-30",
            "date_precision": "day",
            "kind": "prisoners",
            "returned_to_ukraine": 189,
            "returned_to_russia": 150,
            "mediator": "AE",
            "ua_running_total": 3956,
            "source_ids": "s3",
        },
    ],
)


CLAIMS = frame(
    "claims",
    [
        {
            "claim_id": "cl-2025-07-01-a",
            "claim_date": "2025-07-01",
            "claimant": "RU",
            "claim_type": "captured",
            "place": "A",
            "oblast": "Sumy",
            "latitude": 51.0,
            "longitude": 34.0,
            "location_precision": "exact",
            "status": "confirmed",
            "source_ids": "s1",
        },
        {
            "claim_id": "cl-2025-07-02-b",
            "claim_date": "2025-07-02",
            "claimant": "RU",
            "claim_type": "captured",
            "place": "B",
            "oblast": "Donetsk",
            "location_precision": "none",
            "status": "denied",
            "source_ids": "s1",
        },
        {
            "claim_id": "cl-2025-07-09-c",
            "claim_date": "2025-07-09",
            "claimant": "RU",
            "claim_type": "captured",
            "place": "C",
            "oblast": "Donetsk",
            "latitude": 48.0,
            "longitude": 37.0,
            "location_precision": "approximate",
            "status": "retaken",
            "source_ids": "s1",
        },
        {
            "claim_id": "cl-2025-07-20-c",
            "claim_date": "2025-07-20",
            "claimant": "UA",
            "claim_type": "liberated",
            "place": "C",
            "oblast": "Donetsk",
            "latitude": 48.0,
            "longitude": 37.0,
            "location_precision": "approximate",
            "status": "claimed",
            "related_claim_id": "cl-2025-07-09-c",
            "source_ids": "s1",
        },
        {
            "claim_id": "cl-2022-09-30-donetsk",
            "claim_date": "2022-09-30",
            "claimant": "RU",
            "claim_type": "annexed",
            "place": "Donetsk oblast",
            "oblast": "Donetsk",
            "location_precision": "none",
            "status": "denied",
            "source_ids": "s1",
        },
    ],
)
