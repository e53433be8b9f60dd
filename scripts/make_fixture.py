"""Write tests/fixtures/data: a small slice of the real dataset for the integration tests.

The slice keeps real, sourced rows only (nothing is invented): the 2025 Istanbul rounds and the
first 2026 Abu Dhabi round, the truces, exchanges, claims and positions of May–August 2025 (so at
least one truce tied to an Istanbul round, UAE mediations with the mediator's own figures, and
positions with their statements), the truces and exchanges tied to those rounds, all control
readings and the deadlines issued by the fixture's date, and exactly the sources those rows cite.

The slice keeps the dataset date the tests were written against (FIXTURE_DATE): every row in it is
older, and the tests' future-date cases count from it.
Run: .venv/bin/python scripts/make_fixture.py
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "data"
DST = ROOT / "tests" / "fixtures" / "data"
ROUNDS = {"2025-05-16-istanbul", "2025-06-02-istanbul", "2025-07-23-istanbul", "2026-02-04-abu-dhabi"}
START, END = "2025-05-01", "2025-08-31"
FIXTURE_DATE = "2026-04-24"


def read(name: str) -> tuple[list[str], list[dict]]:
    with (SRC / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def write(name: str, cols: list[str], rows: list[dict]) -> None:
    with (DST / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, cols, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main() -> None:
    shutil.rmtree(DST, ignore_errors=True)
    DST.mkdir(parents=True)
    keep: dict[str, tuple[list[str], list[dict]]] = {}
    cols, rows = read("rounds")
    keep["rounds"] = (cols, [r for r in rows if r["round_id"] in ROUNDS])
    cols, rows = read("truces")
    keep["truces"] = (
        cols,
        [
            {**r, "round_id": r["round_id"] if r["round_id"] in ROUNDS else ""}
            for r in rows
            if START <= r["announced_date"] <= END or r["round_id"] in ROUNDS
        ],
    )
    cols, rows = read("exchanges")
    keep["exchanges"] = (
        cols,
        [
            {**r, "round_id": r["round_id"] if r["round_id"] in ROUNDS else ""}
            for r in rows
            if START <= r["exchange_date"] <= END or r["round_id"] in ROUNDS
        ],
    )
    cols, rows = read("running_totals")
    keep["running_totals"] = (cols, [r for r in rows if "2025-01-01" <= r["as_of_date"] <= END])
    cols, rows = read("claims")
    window = [r for r in rows if START <= r["claim_date"] <= END or r["claim_type"] == "annexed"]
    ids = {r["claim_id"] for r in window}
    keep["claims"] = (cols, [{**r, "related_claim_id": r["related_claim_id"] if r["related_claim_id"] in ids else ""} for r in window])
    keep["control"] = read("control")
    cols, rows = read("positions")
    keep["positions"] = (
        cols,
        [{**r, "round_id": r["round_id"] if r["round_id"] in ROUNDS else ""} for r in rows if START <= r["stated_date"] <= END],
    )
    cols, rows = read("deadlines")
    keep["deadlines"] = (cols, [r for r in rows if r["issued_date"] <= FIXTURE_DATE])
    cited = set()
    for _, rows in keep.values():
        for r in rows:
            for col, value in r.items():
                if col.endswith("source_ids"):
                    cited.update(x for x in (value or "").split(";") if x)
    cols, rows = read("sources")
    keep["sources"] = (cols, [r for r in rows if r["source_id"] in cited])
    for name, (cols, rows) in keep.items():
        write(name, cols, rows)
    meta = json.loads((SRC / "datapackage.json").read_text(encoding="utf-8"))
    meta["name"] += "-test-fixture"
    meta["description"] = "Test fixture: a slice of the real dataset (see scripts/make_fixture.py). Not for publication."
    meta["dataset_date"] = FIXTURE_DATE
    (DST / "datapackage.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    newest = max(d for _, rows in keep.values() for r in rows for k, d in r.items() if k.endswith("_date") and k != "deadline_date" and d)
    assert newest <= FIXTURE_DATE, f"the slice holds a date ({newest}) after its dataset date {FIXTURE_DATE}"
    print({k: len(v[1]) for k, v in keep.items()})


if __name__ == "__main__":
    main()
