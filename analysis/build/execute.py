"""One brief's notebook run by papermill on a started kernel, and the checks on the executed notebook.

papermill parameterizes the notebook and its NBClient engine runs it on a kernel from the pool. The
notebook stays in memory (`Run.notebook`), filled in cell by cell, so a failure still leaves what ran
for `_failed/` without papermill writing the notebook to disk after every cell.
"""

from __future__ import annotations

import copy
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from analysis import contract
from analysis.briefs import Brief
from analysis.build.exitcodes import EXIT_BRIEF, EXIT_TEMP, BriefFailure
from analysis.build.kernels import stop_kernel
from analysis.build.plan import Job, Options

PROLOGUE_TAG = "injected-prologue"
MAX_STDOUT = 10_000


@lru_cache(maxsize=32)
def _read_notebook(path: Path, stamp: tuple[int, int]):
    import jupytext

    nb = jupytext.read(path)
    # jupytext gives cells random ids; stable ids keep the HTML byte-identical between builds.
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
    return nb


def load_notebook(brief: Brief):
    """The brief's notebook (jupytext percent script) as a NotebookNode of its own."""
    st = brief.notebook_path.stat()
    return copy.deepcopy(_read_notebook(brief.notebook_path, (st.st_mtime_ns, st.st_size)))


def prologue_cell(brief: Brief):
    """A first cell, removed from the HTML: a clean namespace (a pooled kernel ran a brief before), the
    brief may read only what it declares, chart ids start at 1, and charts display as the static
    block only (the build needs no interactive copy)."""
    import nbformat

    source = (
        'get_ipython().run_line_magic("reset", "-f")\n'
        "import analysis.dataset.tables, analysis.present.charts.base\n"
        f"analysis.dataset.tables.declare_inputs({tuple(brief.tables)!r}, releases={brief.releases!r})\n"
        "analysis.present.charts.base.begin_brief(static=True)"
    )
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["remove", PROLOGUE_TAG]})
    cell["id"] = PROLOGUE_TAG
    return cell


@dataclass
class Run:
    """One execution: the notebook as it fills up, and how long each part took."""

    notebook: object = None
    seconds: dict[str, float] = field(default_factory=dict)


def execute(job: Job, km, opts: Options, run: Run):
    """Run the brief's notebook with papermill on the started kernel `km`; return the executed notebook.

    A brief that runs longer than the brief timeout has its kernel stopped. `run.notebook` holds the
    notebook throughout, so it can be kept when a cell fails.
    """
    from papermill.engines import NBClientEngine, NotebookExecutionManager
    from papermill.exceptions import PapermillExecutionError
    from papermill.execute import prepare_notebook_metadata, raise_for_execution_errors, remove_error_markers
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    t = time.monotonic()
    nb = load_notebook(job.brief)
    nb.cells.insert(0, prologue_cell(job.brief))
    # The steps of papermill.execute_notebook, without its writes of the notebook to disk.
    nb = load_notebook_node(nb)
    nb = parameterize_notebook(nb, job.values, kernel_name="python3", language="python")
    nb = remove_error_markers(prepare_notebook_metadata(nb, str(job.brief.notebook_path), None))
    manager = NotebookExecutionManager(nb, output_path=None, progress_bar=False, log_output=False)
    run.notebook = manager.nb
    run.seconds["prepare"] = time.monotonic() - t
    timed_out = threading.Event()

    def stop_on_timeout():
        timed_out.set()
        stop_kernel(km)

    timer = threading.Timer(opts.brief_timeout, stop_on_timeout)
    timer.daemon = True
    timer.start()
    started = time.monotonic()
    try:
        manager.notebook_start()
        try:
            NBClientEngine.execute_managed_notebook(manager, "python3", km=km, execution_timeout=opts.cell_timeout, log_output=False)
        finally:
            manager.cleanup_pbar()
            manager.notebook_complete()
        raise_for_execution_errors(manager.nb, None)
        return manager.nb
    except PapermillExecutionError as exc:
        raise BriefFailure(
            f"cell {notebook_cell_number(manager.nb, exc.cell_index)} raised {exc.ename}: {str(exc.evalue)[:300]}", EXIT_BRIEF
        ) from None
    except Exception as exc:  # noqa: BLE001 - any kernel-level failure is reported by name
        name = type(exc).__name__
        if timed_out.is_set():
            raise BriefFailure(f"timed out after {opts.brief_timeout} s (the kernel was stopped)", EXIT_TEMP) from None
        if name == "DeadKernelError":
            raise BriefFailure(f"the kernel died while running: {exc}", EXIT_BRIEF) from None
        if "Timeout" in name or "timed out" in str(exc).lower():
            raise BriefFailure(f"a cell ran longer than the {opts.cell_timeout} s cell timeout: {str(exc)[:200]}", EXIT_TEMP) from None
        raise BriefFailure(f"{name}: {str(exc)[:300]}", EXIT_BRIEF) from None
    finally:
        timer.cancel()
        run.seconds["execute"] = time.monotonic() - started


def _injected(cell) -> bool:
    tags = cell.get("metadata", {}).get("tags", [])
    return PROLOGUE_TAG in tags or "injected-parameters" in tags


def notebook_cell_number(nb, index: int) -> int:
    """The 1-based number of cell `index` as the notebook file counts its cells (injected ones left out)."""
    return sum(1 for cell in nb.cells[: index + 1] if not _injected(cell))


def check_notebook(nb) -> tuple[int, str]:
    """Every code cell ran, none failed or leaked warnings, no output flood.

    Returns the number of charts and the headline (plain text) that the outputs' metadata carry.
    """
    charts, headline = 0, ""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        label = f"cell {notebook_cell_number(nb, i)}"
        if cell.get("execution_count") is None:
            raise BriefFailure(f"{label} did not run (the notebook stopped early)")
        stdout = 0
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                raise BriefFailure(f"{label} raised {out.get('ename')}: {str(out.get('evalue'))[:200]}")
            if out.output_type == "stream":
                if out.name == "stderr":
                    raise BriefFailure(f"{label} wrote to stderr (a warning or error would reach readers): {out.text[:200]!r}")
                stdout += len(out.text)
            if out.output_type in ("display_data", "execute_result"):
                meta = out.get("metadata", {})
                charts += contract.CHART in meta
                headline = headline or meta.get(contract.HEADLINE, "")
        if stdout > MAX_STDOUT:
            raise BriefFailure(f"{label} printed {stdout} characters (output flood)")
    return charts, headline


def has_maps(nb) -> bool:
    """Whether any chart of the executed notebook is a map (it then needs the offline basemap)."""
    return any(
        out.get("metadata", {}).get(contract.CHART, {}).get("geo") for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])
    )
