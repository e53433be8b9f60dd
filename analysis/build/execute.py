"""One brief's notebook run by papermill on a started kernel, and the checks on the executed notebook."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from analysis.briefs import Brief
from analysis.build.exitcodes import EXIT_BRIEF, EXIT_TEMP, BriefFailure
from analysis.build.kernels import stop_kernel
from analysis.build.plan import Job, Options


def load_notebook(brief: Brief):
    """The brief's notebook (jupytext percent script) as a NotebookNode."""
    import jupytext

    nb = jupytext.read(brief.notebook_path)
    # jupytext gives cells random ids; stable ids keep the HTML byte-identical between builds.
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
    return nb


def inputs_cell(brief: Brief):
    """A first cell, removed from the HTML, that lets the brief read only what it declares."""
    import nbformat

    source = f"import analysis.dataset.tables\nanalysis.dataset.tables.declare_inputs({tuple(brief.tables)!r}, releases={brief.releases!r})"
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["remove", "injected-inputs"]})
    cell["id"] = "injected-inputs"
    return cell


def execute(job: Job, km, opts: Options, scratch: Path | None = None):
    """Run the notebook with papermill on a started kernel; return the executed notebook.

    papermill saves the notebook after every cell to `scratch` (inside the staging folder, never the
    published one), so a failed run leaves its partial notebook there for `_failed/`. A brief that
    runs longer than the brief timeout has its kernel stopped.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    nb = load_notebook(job.brief)
    nb.cells.insert(0, inputs_cell(job.brief))
    timer = threading.Timer(opts.brief_timeout, lambda: stop_kernel(km))
    timer.daemon = True
    timer.start()
    started = time.monotonic()
    # papermill formats output paths with str.format: escape braces.
    out_path = str(scratch).replace("{", "{{").replace("}", "}}") if scratch else None
    try:
        return papermill.execute_notebook(
            nb,
            out_path,
            parameters=job.values,
            kernel_name="python3",
            progress_bar=False,
            request_save_on_cell_execute=scratch is not None,
            execution_timeout=opts.cell_timeout,
            km=km,
            log_output=False,
        )
    except PapermillExecutionError as exc:
        raise BriefFailure(f"cell {exc.exec_count} raised {exc.ename}: {str(exc.evalue)[:300]}", EXIT_BRIEF) from None
    except Exception as exc:  # noqa: BLE001 - any kernel-level failure is reported by name
        name = type(exc).__name__
        if time.monotonic() - started >= opts.brief_timeout - 0.5:
            raise BriefFailure(f"timed out after {opts.brief_timeout} s (the kernel was stopped)", EXIT_TEMP) from None
        if name == "DeadKernelError":
            raise BriefFailure(f"the kernel died while running: {exc}", EXIT_BRIEF) from None
        if "Timeout" in name or "timed out" in str(exc).lower():
            raise BriefFailure(f"a cell ran longer than the {opts.cell_timeout} s cell timeout: {str(exc)[:200]}", EXIT_TEMP) from None
        raise BriefFailure(f"{name}: {str(exc)[:300]}", EXIT_BRIEF) from None
    finally:
        timer.cancel()


PLOTLY_MIME = "application/vnd.plotly.v1+json"


MAX_STDOUT = 10_000


def check_notebook(nb) -> int:
    """Every code cell ran, none failed or leaked warnings, no output flood. Returns the chart count."""
    charts = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        label = f"cell {i + 1}"
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
            if out.output_type in ("display_data", "execute_result") and PLOTLY_MIME in out.get("data", {}):
                charts += 1
        if stdout > MAX_STDOUT:
            raise BriefFailure(f"{label} printed {stdout} characters (output flood)")
    return charts
