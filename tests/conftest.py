"""Shared test fixtures: the fixture dataset, a Chromium finder, and a built-briefs cache."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture dataset (a small slice of data/, see tests/fixtures/README.md)."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    return target


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path to Chromium; under CI a missing browser fails, locally it skips with a hint."""
    from analysis.build.related import chromium_path  # the one the build uses for PDFs and cards

    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required under CI (the .ci/run script installs it with apt)")
        pytest.skip("Chromium not installed: run `make browser` (apt-get install chromium) to enable browser tests")
    return path


#: Briefs built at once by the tests' builds: one per pytest-xdist worker (`make test` runs a worker per
#: core, so two kernels each would only fight over the cores and start twice the kernels), two alone.
TEST_JOBS = 1 if os.environ.get("PYTEST_XDIST_WORKER") else 2

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="session")
def browser(chromium):
    """One headless Chromium (the system one, driven by Playwright) for the browser tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def built_fixture_briefs(tmp_path_factory) -> Path:
    """Every brief built once from the fixture data (shared by integration and browser tests)."""
    from analysis import build

    out = tmp_path_factory.mktemp("reports")
    logs: list[str] = []
    result = build.run(build.Options(data_dir=FIXTURE_DATA, out_dir=out, log=logs.append, jobs=TEST_JOBS))
    assert result.code == 0, "\n".join(logs)
    return out


#: The mark by which test modules that share one reading of every brief (`readings`) ask to run in
#: one worker under pytest-xdist (`make test`), so the briefs are read in Chromium once.
READINGS_GROUP = 'pytest.mark.xdist_group("readings")'


def modules_reading_together(root: Path = ROOT) -> set[str]:
    """The test modules (as node id paths) that carry READINGS_GROUP."""
    return {p.relative_to(root).as_posix() for p in (root / "tests").rglob("test_*.py") if READINGS_GROUP in p.read_text(encoding="utf-8")}


def pytest_collection_modifyitems(items) -> None:
    """The tests that read every brief in Chromium run first: under pytest-xdist they are one long
    unit of work, and started first it does not hold up the end of the run (the sort is stable and
    the same in every worker)."""
    together = modules_reading_together()
    items.sort(key=lambda item: item.nodeid.split("::")[0] not in together)


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup`, with the groups read from the modules' marks.

    pytest-xdist 3.8 marks a group by renaming the test's node id, which pytest 9.2 ignores (node
    ids no longer come from `Node._nodeid`), so its own grouping has no effect: here the controller
    groups the modules that carry the mark and leaves every other test on its own.
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    together = modules_reading_together()

    class Scheduling(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "readings" if nodeid.split("::")[0] in together else super()._split_scope(nodeid)

    return Scheduling(config, log)
