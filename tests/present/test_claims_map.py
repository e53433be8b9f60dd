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
    assert present.charts.territory.point_origins(located) == "GeoNames (2) and the settlements' Wikipedia articles (1)"
    assert present.charts.territory.point_origins(located.iloc[:1]) == "GeoNames (1)"
    assert present.charts.territory.point_origins(located.iloc[:0]) == "none"


def test_claims_map_names_point_origins_and_lists_the_article_among_sources():
    ds = dataset(
        "2025-12-31",
        sources=[source("s1", "2025-07-01"), {**source("wiki1", ""), "outlet": "Wikipedia (uk)"}],
        claims=[
            claim("a", 48.28, 37.17, "geonames", "approximate"),
            claim("b", 48.52, 37.23, "wikipedia", "exact", "wiki1"),
            claim("c", None, None, None, "none"),
        ],
    )
    fig = present.charts.territory.plot_claims_map(ds.claims, ds, pd.Timestamp("2025-12-31"))
    meta = fig.layout.meta[META_KEY]
    assert "points: GeoNames (1) and the settlements' Wikipedia articles (1)." in meta["about"]
    assert "1 claim(s) without a location are not drawn." in meta["about"]
    assert "Wikipedia (uk)" in meta["source"]
    header = meta["csv"].splitlines()[0].split(",")
    assert "location_source" in header and "location_source_ids" in header


def test_territory_lead_counts_claims_with_singular_and_plural():
    from analysis import present
    from tests.helpers import frame

    rows = [
        {**claim("a", 48.28, 37.17, "geonames", "exact"), "status": "confirmed"},
        {**claim("b", None, None, None, "none"), "status": "retaken"},
        {**claim("c", None, None, None, "none"), "status": "retaken"},
        {**claim("d", 48.5, 37.2, "wikipedia", "exact", "wiki1"), "claimant": "UA", "claim_type": "liberated"},
    ]
    html = present.prose.territory_summary(frame("claims", rows), frame("control", []), pd.Timestamp("2025-12-31")).markup
    assert "Russia claimed <strong>3</strong> settlements in this period, of which 1 is confirmed and 2 were later retaken;" in html
    assert "Ukraine claimed 1 named settlement." in html
    assert "50% of the claims are mapped." in html
