"""Where map points come from: the claims map says so, per origin, from the data it draws."""

from __future__ import annotations

import pandas as pd

from analysis import present
from analysis.present.charts.base import META_KEY
from tests.helpers import dataset, source


def claim(cid: str, lat, lon, origin, precision: str, ids: str | None = None) -> dict:
    return {
        "claim_id": cid,
        "claim_date": "2025-07-01",
        "claimant": "RU",
        "claim_type": "captured",
        "place": cid,
        "oblast": "Donetsk",
        "latitude": lat,
        "longitude": lon,
        "location_precision": precision,
        "location_source": origin,
        "location_source_ids": ids,
        "status": "claimed",
        "source_ids": "s1",
    }


def test_point_origins_counts_each_origin():
    located = pd.DataFrame({"location_source": ["geonames", "wikipedia", "geonames"]})
    assert present.charts.territory.point_origins(located) == "2 from GeoNames (cities500) and 1 from Wikipedia"
    assert present.charts.territory.point_origins(located.iloc[:1]) == "1 from GeoNames (cities500)"
    assert present.charts.territory.point_origins(located.iloc[:0]) == "none"


def test_claims_map_names_point_origins_and_lists_the_article_among_sources():
    ds = dataset(
        "2025-12-31",
        sources=[source("s1", "2025-07-01"), {**source("wiki1", ""), "outlet": "Ukrainian Wikipedia"}],
        claims=[
            claim("a", 48.28, 37.17, "geonames", "approximate"),
            claim("b", 48.52, 37.23, "wikipedia", "exact", "wiki1"),
            claim("c", None, None, None, "none"),
        ],
    )
    fig = present.charts.territory.plot_claims_map(ds.claims, ds, pd.Timestamp("2025-12-31"))
    meta = fig.layout.meta[META_KEY]
    assert "points: 1 from GeoNames (cities500) and 1 from Wikipedia." in meta["about"]
    assert "1 claim without a location is not drawn." in meta["about"]
    assert "Ukrainian Wikipedia" in meta["source"]
    header = meta["csv"].splitlines()[0].split(",")
    assert "location_source" in header and "location_source_ids" in header


def test_territory_lead_counts_claims_with_singular_and_plural():
    from tests.helpers import frame

    rows = [
        {**claim("a", 48.28, 37.17, "geonames", "exact"), "status": "confirmed"},
        {**claim("b", None, None, None, "none"), "status": "retaken"},
        {**claim("c", None, None, None, "none"), "status": "retaken"},
        {**claim("d", 48.5, 37.2, "wikipedia", "exact", "wiki1"), "claimant": "UA", "claim_type": "liberated"},
    ]
    from analysis.metrics.asof import Period
    from analysis.present.prose.territory import territory_lead

    period = Period(pd.Timestamp("2025-07-01"), pd.Timestamp("2025-12-31"))
    html = str(territory_lead(frame("claims", rows), frame("control", []), period))
    assert "Russia claimed to have captured 3 settlements from 1 July 2025 to 31 December 2025; of these, 1 confirmed and 2 retaken." in html
    assert "Ukraine claimed to have liberated 1 settlement from 1 July 2025 to 31 December 2025." in html
    assert "50% of these claims have a point on the map." in html
    assert "under Russian control" not in html  # no control reading, no sentence about it
