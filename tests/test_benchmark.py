"""The benchmark's synthetic scale data is valid, so it measures briefs, not refused builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import build
from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def _run(data: Path, out: Path, **kw) -> build.Result:
    return build.run(build.Options(data_dir=data, out_dir=out, log=lambda s: None, **kw))


def test_benchmark_synthetic_claims_are_valid_data(data_copy):
    """The scale benchmark grows claims.csv with synthetic rows; they must pass validation, or the
    benchmark would measure a refused build instead of a brief."""
    import importlib.util

    from analysis.dataset.validate import validate_tables

    spec = importlib.util.spec_from_file_location("bench_build", ROOT / "benchmarks" / "bench_build.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    info = bench.add_synthetic_claims(data_copy, 3)
    assert info["synthetic_rows"] == 2 * info["real_rows"]
    report = validate_tables(data_copy)
    assert report.ok, report.lines(5)
    assert report.row_counts["claims"] == info["rows"]
