"""The build: plan, lock, validate, execute the briefs that changed on warm kernels, render, check,
publish atomically, then status, index and PDFs."""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from analysis import __version__, paths
from analysis.briefs import ParameterError
from analysis.build.checks import check_html
from analysis.build.execute import Run, check_notebook, execute
from analysis.build.exitcodes import (
    EXIT_BRIEF,
    EXIT_DATA,
    EXIT_NO_INPUT,
    EXIT_OK,
    EXIT_TEMP,
    EXIT_USAGE,
    BriefFailure,
    BuildError,
    write_error_code,
)
from analysis.build.feed import FEED_FILE
from analysis.build.front import publish_front
from analysis.build.kernels import KernelPool, clean_stale_private_folders
from analysis.build.pdf import export_pdfs
from analysis.build.plan import Job, Options, PlanConflict, check_options, code_fingerprint, job_key, plan_jobs
from analysis.build.publish import (
    FAILED_DIR,
    LOCK_FILE,
    build_lock,
    clean_leftovers,
    entry_kind,
    keep_failed,
    make_staging,
    preflight,
    read_regular,
    remove_file,
    write_atomic,
)
from analysis.build.render import PLOTLY_BUNDLE, load_assets, render_html
from analysis.build.status import STATUS_FILE, brief_meta, brief_title, load_status, update_status
from analysis.build.stop import Interrupted, Stopper
from analysis.dataset.csvread import DataError
from analysis.dataset.fingerprint import input_hashes, sha
from analysis.present import words

INDEX_FILE = "index.html"


VALIDATION_FILE = "validation.json"


@dataclass
class Result:
    """What a build did."""

    code: int
    jobs: list[Job]
    seconds: float
    messages: list[str] = field(default_factory=list)
    interrupted: str = ""  # the signal that stopped the build ("SIGTERM"), if one did


class Reporter:
    """Progress: a live line per brief on a terminal; plain log lines otherwise."""

    def __init__(self, total: int, log: Callable[[str], None], tty: bool):
        self.total, self.log, self.tty, self.done = total, log, tty, 0
        self.lock = threading.Lock()
        self.t0 = time.monotonic()

    def finished(self, job: Job) -> None:
        with self.lock:
            self.done += 1
            mark = {"built": "built ", "skipped": "up to date", "failed": "FAILED", "stopped": "stopped"}.get(job.state, job.state)
            size = f" {job.size / 1024:,.0f} KB" if job.size else ""
            extra = f": {job.message}" if job.state == "failed" else ""
            line = f"[{self.done:>3}/{self.total}] {mark:<10} {job.stem} {job.seconds:5.1f} s{size}{extra}"
            if self.tty:
                line += f"  (elapsed {time.monotonic() - self.t0:.0f} s)"
            self.log(line)


def run(opts: Options) -> Result:
    """Build the requested briefs; never raises for a brief's failure (see Result.code).

    Raises BuildError for a fault that stops the whole build (exit codes in exitcodes.py), and
    stop.Interrupted for SIGINT or SIGTERM before any brief ran. A signal while briefs run stops
    their kernels; the briefs already published are recorded and Result.code is 130 or 143.
    """
    with Stopper() as stop:
        return _run(opts, stop)


def _run(opts: Options, stop: Stopper) -> Result:
    t0 = time.monotonic()
    try:
        check_options(opts)
    except ParameterError as exc:
        raise BuildError(EXIT_USAGE, str(exc)) from None
    data_dir = (opts.data_dir or paths.data_dir()).resolve()
    out_dir = (opts.out_dir or paths.reports_dir()).resolve()
    package = data_dir / "datapackage.json"
    if not package.is_file():
        what = "is missing" if not os.path.lexists(package) else "is not a file"
        raise BuildError(EXIT_NO_INPUT, f"no dataset at {data_dir} (datapackage.json {what})")
    # The plan reads rounds.csv and the dataset date: a fault there is reported by the validation below.
    plan_error: Exception | None = None
    try:
        jobs = plan_jobs(opts, data_dir)
    except ParameterError as exc:
        raise BuildError(EXIT_USAGE, str(exc)) from None
    except (DataError, PlanConflict) as exc:
        jobs, plan_error = [], exc
    written = [STATUS_FILE, INDEX_FILE, VALIDATION_FILE, LOCK_FILE, *(j.file_name for j in jobs)] + ([PLOTLY_BUNDLE] if opts.site else [])
    preflight(out_dir, written, [FAILED_DIR] + (["pdf"] if opts.pdf else []))
    with build_lock(out_dir, opts.lock_wait):
        removed = clean_leftovers(out_dir) + clean_stale_private_folders()
        if removed:
            opts.log(f"cleaned {words.count(len(removed), 'leftover temporary file')} from an interrupted build")
        tables = read_inputs(data_dir)
        status = load_status(out_dir, opts.log)
        data_key = sha(json.dumps(tables, sort_keys=True).encode())
        if plan_error is not None or status.get("validated_data") != data_key:
            validate_data(data_dir, out_dir, opts.log, plan_error)
            status["validated_data"] = data_key
        stop.check()
        code = code_fingerprint()
        for j in jobs:
            j.key = job_key(j, tables, code, opts.site)
        todo = []
        for j in jobs:
            prev = status.get("briefs", {}).get(j.stem, {})
            target = out_dir / j.file_name
            if not opts.force and prev.get("key") == j.key and entry_kind(target) == "file" and os.lstat(target).st_size == prev.get("size"):
                j.state, j.size, j.headline, j.html_sha = "skipped", prev["size"], prev.get("headline", ""), prev.get("sha", "")
            else:
                todo.append(j)
        reporter = Reporter(len(jobs), opts.log, sys.stdout.isatty())
        for j in jobs:
            if j.state == "skipped":
                reporter.finished(j)
        if todo:
            build_jobs(todo, opts, data_dir, out_dir, tables, reporter, stop)
        with stop.deferred():
            record(out_dir, status, jobs, data_dir, opts)
        if stop.stopping:
            return Result(128 + stop.signum, jobs, time.monotonic() - t0, interrupted=stop.name)
        if opts.pdf:
            try:
                export_pdfs([j for j in jobs if j.state in ("built", "skipped")], out_dir, opts.log)
            except Interrupted as exc:
                return Result(exc.code, jobs, time.monotonic() - t0, interrupted=exc.name)
    failed = [j for j in jobs if j.state == "failed"]
    code_ = EXIT_OK if not failed else max(j.code or EXIT_BRIEF for j in failed)
    return Result(code_, jobs, time.monotonic() - t0)


def read_inputs(data_dir: Path) -> dict[str, str]:
    """The data files' hashes; exit 66 when one cannot be read."""
    try:
        return input_hashes(data_dir)
    except OSError as exc:
        raise BuildError(EXIT_NO_INPUT, f"cannot read {exc.filename}: {exc.strerror}") from None


def validate_data(data_dir: Path, out_dir: Path, log: Callable[[str], None], plan_error: Exception | None) -> None:
    """Validate the data; on errors write validation.json, log them and stop the build (65, or 66 for missing input)."""
    from analysis.dataset.validate import validate_tables

    report = validate_tables(data_dir)
    if not report.ok:
        target = out_dir / VALIDATION_FILE
        try:
            write_atomic(target, report.to_json().encode())
        except OSError as exc:
            raise BuildError(write_error_code(exc), f"the data is invalid and the report cannot be written to {target}: {exc.strerror}") from None
        for line in report.lines(more=f"all are in {target}"):
            log(line)
        raise BuildError(
            EXIT_NO_INPUT if report.missing_input else EXIT_DATA,
            f"the data is invalid ({words.count(len(report.errors), 'error')}); nothing was built; every problem is listed in {target}",
        )
    if plan_error is not None:
        raise BuildError(EXIT_DATA, f"cannot plan the briefs: {plan_error}")


def record(out_dir: Path, status: dict, jobs: list[Job], data_dir: Path, opts: Options) -> None:
    """After the briefs: the shared script (--site), status.json, and the front page, feed and cards
    (written again only when a brief was built or one of them is missing)."""
    built_any = any(j.state == "built" for j in jobs)
    try:
        if opts.site:
            publish_site_js(out_dir)
        update_status(out_dir, status, jobs, data_dir)
        if built_any or entry_kind(out_dir / INDEX_FILE) != "file" or entry_kind(out_dir / FEED_FILE) != "file":
            publish_front(out_dir, status, jobs, data_dir, opts)  # cards, index.html, feed.xml
    except OSError as exc:
        published = "; the briefs built are published but not all are recorded" if built_any else ""
        raise BuildError(write_error_code(exc), f"cannot write {exc.filename}: {exc.strerror}{published}") from None


@dataclass
class BatchContext:
    """What every brief of one batch shares: options, folders, assets, data fingerprints, kernels."""

    opts: Options
    data_dir: Path
    out_dir: Path
    staging: Path
    tables: dict
    assets: object
    dataset_info: object
    pool: KernelPool
    stop: Stopper


def build_one(job: Job, ctx: BatchContext) -> None:
    """Execute, check, render and publish one brief; record the outcome on `job` (never raises)."""
    t0 = time.monotonic()
    run = Run()
    phases = job.phases
    if ctx.stop.stopping:
        job.state, job.message = "stopped", f"not started: the build was stopped by {ctx.stop.name}"
        return
    try:
        t = time.monotonic()
        km = ctx.pool.get()
        phases["wait for kernel"] = time.monotonic() - t
        ok = False
        try:
            nb = execute(job, km, ctx.opts, run)
            t = time.monotonic()
            charts, job.headline = check_notebook(nb)
            phases["check notebook"] = time.monotonic() - t
            ok = True
        finally:
            phases.update(run.seconds)
            ctx.pool.release(km, ok)
        if ctx.stop.stopping:
            raise BriefFailure("not published: the build was stopped")
        info = {
            "title": brief_title(job),
            "brief": job.brief.name,
            "dataset_version": ctx.dataset_info.version,
            "dataset_date": ctx.dataset_info.dataset_date.strftime("%Y-%m-%d"),
            "dataset_day": f"{ctx.dataset_info.dataset_date:%-d %B %Y}",
            "data_hash": sha(*[ctx.tables.get(t, "").encode() for t in sorted(job.brief.tables)])[:12],
            "package_version": __version__,
        }
        # Machine-readable metadata in the page: status.json can be rebuilt from the published briefs.
        info["meta_json"] = brief_meta(job, ctx.dataset_info.version)
        t = time.monotonic()
        body = render_html(nb, job, ctx.assets, info, ctx.opts.site)
        phases["render"] = time.monotonic() - t
        t = time.monotonic()
        check_html(body, ctx.assets, charts, ctx.opts.site, meta=info["meta_json"])
        phases["check HTML"] = time.monotonic() - t
        t = time.monotonic()
        try:
            changed = input_hashes(ctx.data_dir) != ctx.tables
        except OSError as exc:
            raise BriefFailure(f"cannot read {exc.filename} to check that the data did not change: {exc.strerror}", EXIT_NO_INPUT) from None
        if changed:
            raise BriefFailure("the data changed while the build ran; run the build again", EXIT_TEMP)
        data = body.encode("utf-8")
        write_atomic(ctx.out_dir / job.file_name, data, ctx.staging)
        phases["write"] = time.monotonic() - t
        job.state, job.size, job.html_sha = "built", len(data), sha(data)[:16]
        remove_file(ctx.out_dir / FAILED_DIR, f"{job.stem}.ipynb")
    except BriefFailure as exc:
        if ctx.stop.stopping:
            job.state, job.message = "stopped", f"stopped by {ctx.stop.name}"
        else:
            job.state, job.message, job.code = "failed", str(exc), exc.code
            job.kept = keep_failed(run.notebook, job, ctx.out_dir / FAILED_DIR)
    except OSError as exc:
        job.state, job.message = "failed", f"cannot write the brief {exc.filename}: {exc.strerror or exc}"
        job.code = write_error_code(exc)
    except Exception as exc:  # noqa: BLE001 - one brief's bug must not stop the others
        job.state, job.message, job.code = "failed", f"{type(exc).__name__}: {str(exc)[:300]}", EXIT_BRIEF
    job.seconds = time.monotonic() - t0


def build_jobs(todo: list[Job], opts: Options, data_dir: Path, out_dir: Path, tables: dict, reporter: Reporter, stop: Stopper) -> None:
    """Build `todo` on a pool of warm kernels, `opts.jobs` briefs at a time.

    A signal meanwhile stops every kernel; the briefs that were running or waiting end as "stopped".
    """
    from analysis.dataset.tables import load_dataset_info

    # ANALYSIS_BUILD_PID marks this build's kernels, so a leftover kernel can be traced to its build.
    env = {**os.environ, "ANALYSIS_DATA_DIR": str(data_dir), "PYTHONHASHSEED": "0", "MPLBACKEND": "agg", "ANALYSIS_BUILD_PID": str(os.getpid())}
    env.pop("ANALYSIS_REPORTS_DIR", None)
    workers = max(1, min(opts.jobs or os.cpu_count() or 1, len(todo)))
    pools: list[KernelPool] = []

    def on_signal() -> None:
        for pool in pools:
            pool.interrupt()

    with stop.deferred(on_signal):
        try:
            staging = make_staging(out_dir)
        except OSError as exc:
            raise BuildError(write_error_code(exc), f"cannot create a staging folder in {out_dir}: {exc.strerror}") from None
        try:
            pool = KernelPool(workers, env, total=len(todo), enabled=opts.pool)
            pools.append(pool)
            if stop.stopping:
                pool.interrupt()
            # Once a signal stopped the kernels, nbclient's "kernel died" log lines are noise: the summary says it.
            quiet_after_signal = logging.Filter()
            quiet_after_signal.filter = lambda record: not stop.stopping
            papermill_log = logging.getLogger("papermill")
            papermill_log.addFilter(quiet_after_signal)
            try:
                ctx = BatchContext(opts, data_dir, out_dir, staging, tables, load_assets(), load_dataset_info(data_dir), pool, stop)
                with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="brief") as executor:
                    futures = [executor.submit(build_one, j, ctx) for j in todo]
                    for future in as_completed(futures):
                        reporter.finished(todo[futures.index(future)])
            finally:
                stop.wait()
                papermill_log.removeFilter(quiet_after_signal)
                pool.close()
        finally:
            # The staging folder is ours; if something else took its name meanwhile, only that name goes.
            if entry_kind(staging) == "folder":
                shutil.rmtree(staging, ignore_errors=True)
            elif entry_kind(staging) is not None:
                os.unlink(staging)


def publish_site_js(out_dir: Path) -> None:
    data = (paths.ASSETS_DIR / PLOTLY_BUNDLE).read_bytes()
    target = out_dir / PLOTLY_BUNDLE
    if entry_kind(target) != "file" or read_regular(target, len(data)) != data:
        write_atomic(target, data)
