"""The build: plan, lock, validate, execute the briefs that changed on warm kernels, render, check,
publish atomically, then status, index and PDFs."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import queue
import shutil
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analysis import __version__, paths
from analysis.briefs import ParameterError
from analysis.build.checks import check_html
from analysis.build.execute import check_notebook, execute
from analysis.build.exitcodes import (
    EXIT_BRIEF,
    EXIT_CANT_CREATE,
    EXIT_DATA,
    EXIT_IO,
    EXIT_NO_INPUT,
    EXIT_OK,
    EXIT_TEMP,
    EXIT_USAGE,
    BriefFailure,
    BuildError,
)
from analysis.build.index import write_index
from analysis.build.kernels import KernelPool
from analysis.build.pdf import export_pdfs
from analysis.build.plan import Job, Options, code_fingerprint, job_key, plan_jobs
from analysis.build.publish import FAILED_DIR, build_lock, clean_leftovers, keep_failed, preflight, write_atomic
from analysis.build.render import PLOTLY_BUNDLE, load_assets, render_html
from analysis.build.status import brief_settings, brief_title, headline_of, read_status, update_status
from analysis.dataset.fingerprint import input_hashes, sha


@dataclass
class Result:
    """What a build did."""

    code: int
    jobs: list[Job]
    seconds: float
    messages: list[str] = field(default_factory=list)


class Reporter:
    """Progress: a live line per brief on a terminal; plain log lines otherwise."""

    def __init__(self, total: int, log: Callable[[str], None], tty: bool):
        self.total, self.log, self.tty, self.done = total, log, tty, 0
        self.lock = threading.Lock()
        self.t0 = time.monotonic()

    def finished(self, job: Job) -> None:
        with self.lock:
            self.done += 1
            mark = {"built": "built ", "skipped": "up to date", "failed": "FAILED"}[job.state]
            size = f" {job.size / 1024:,.0f} KB" if job.size else ""
            extra = f": {job.message}" if job.state == "failed" else ""
            line = f"[{self.done:>3}/{self.total}] {mark:<10} {job.stem} {job.seconds:5.1f} s{size}{extra}"
            if self.tty:
                line += f"  (elapsed {time.monotonic() - self.t0:.0f} s)"
            self.log(line)


def run(opts: Options) -> Result:
    """Build the requested briefs; never raises for a brief's failure (see Result.code)."""
    t0 = time.monotonic()
    data_dir = (opts.data_dir or paths.data_dir()).resolve()
    out_dir = (opts.out_dir or paths.reports_dir()).resolve()
    if not (data_dir / "datapackage.json").is_file():
        raise BuildError(EXIT_NO_INPUT, f"no dataset at {data_dir} (datapackage.json is missing)")
    try:
        jobs = plan_jobs(opts, data_dir)
    except ParameterError as exc:
        raise BuildError(EXIT_USAGE, str(exc)) from None
    preflight(out_dir)
    with build_lock(out_dir, opts.lock_wait):
        removed = clean_leftovers(out_dir)
        if removed:
            opts.log(f"cleaned {len(removed)} leftover temporary file(s) from an interrupted build")
        status = read_status(out_dir)
        tables = input_hashes(data_dir)
        data_key = sha(json.dumps(tables, sort_keys=True).encode())
        if status.get("validated_data") != data_key:
            from analysis.dataset.validate import validate_tables

            report = validate_tables(data_dir)
            if not report.ok:
                for line in report.lines():
                    opts.log(line)
                write_atomic(out_dir / "validation.json", report.to_json().encode())
                raise BuildError(
                    EXIT_NO_INPUT if report.missing_input else EXIT_DATA, f"the data is invalid ({len(report.errors)} error(s)); nothing was built"
                )
            status["validated_data"] = data_key
        code = code_fingerprint()
        for j in jobs:
            j.key = job_key(j, tables, code, opts.site)
        todo = []
        for j in jobs:
            prev = status.get("briefs", {}).get(j.stem, {})
            target = out_dir / j.file_name
            if not opts.force and prev.get("key") == j.key and target.is_file() and target.stat().st_size == prev.get("size"):
                j.state, j.size, j.headline, j.html_sha = "skipped", prev["size"], prev.get("headline", ""), prev.get("sha", "")
            else:
                todo.append(j)
        reporter = Reporter(len(jobs), opts.log, sys.stdout.isatty())
        for j in jobs:
            if j.state == "skipped":
                reporter.finished(j)
        if todo:
            build_jobs(todo, opts, data_dir, out_dir, tables, reporter)
        built_any = any(j.state == "built" for j in jobs)
        if opts.site:
            publish_site_js(out_dir)
        update_status(out_dir, status, jobs, data_dir)
        if built_any or not (out_dir / "index.html").is_file():
            write_index(out_dir, status)
        if opts.pdf:
            export_pdfs([j for j in jobs if j.state in ("built", "skipped")], out_dir, opts.log)
    failed = [j for j in jobs if j.state == "failed"]
    code_ = EXIT_OK if not failed else max(j_code for j_code in [getattr(j, "code", EXIT_BRIEF) for j in failed])
    return Result(code_, jobs, time.monotonic() - t0)


def build_jobs(todo: list[Job], opts: Options, data_dir: Path, out_dir: Path, tables: dict, reporter: Reporter) -> None:
    from analysis.dataset.tables import load_dataset_info

    assets = load_assets()
    info_ds = load_dataset_info(data_dir)
    # ANALYSIS_BUILD_PID marks this build's kernels, so a leftover kernel can be traced to its build.
    env = {**os.environ, "ANALYSIS_DATA_DIR": str(data_dir), "PYTHONHASHSEED": "0", "MPLBACKEND": "agg", "ANALYSIS_BUILD_PID": str(os.getpid())}
    env.pop("ANALYSIS_REPORTS_DIR", None)
    workers = max(1, min(opts.jobs or os.cpu_count() or 1, len(todo)))
    staging = out_dir / f".staging-{os.getpid()}"
    staging.mkdir(exist_ok=True)
    failed_dir = out_dir / FAILED_DIR
    pool = KernelPool(workers, env, staging, total=len(todo), enabled=opts.pool)
    work: queue.Queue = queue.Queue()
    for j in todo:
        work.put(j)

    def worker():
        while True:
            try:
                j = work.get_nowait()
            except queue.Empty:
                return
            t = time.monotonic()
            nb = None
            scratch = staging / f"{j.stem}.ipynb"
            km = None
            ok = False
            try:
                km = pool.get()
                try:
                    nb = execute(j, km, opts, scratch)
                    charts = check_notebook(nb)
                    ok = True
                finally:
                    pool.release(km, ok)
                info = {
                    "title": brief_title(j),
                    "brief": j.brief.name,
                    "settings": brief_settings(j),
                    "dataset_version": info_ds.version,
                    "dataset_date": info_ds.dataset_date.strftime("%Y-%m-%d"),
                    "data_hash": sha(*[tables.get(t, "").encode() for t in sorted(j.brief.tables)])[:12],
                    "package_version": __version__,
                }
                body = render_html(nb, j, assets, info, opts.site)
                check_html(body, assets, charts, opts.site)
                if input_hashes(data_dir) != tables:
                    raise BriefFailure("the data changed while the build ran; run the build again", EXIT_TEMP)
                data = body.encode("utf-8")
                write_atomic(out_dir / j.file_name, data, staging)
                j.state, j.size, j.headline, j.html_sha = "built", len(data), headline_of(body), sha(data)[:16]
                with contextlib.suppress(FileNotFoundError):
                    (failed_dir / f"{j.stem}.ipynb").unlink()
            except BriefFailure as exc:
                j.state, j.message = "failed", str(exc)
                j.code = exc.code  # type: ignore[attr-defined]
                keep_failed(nb, j, failed_dir, scratch)
            except OSError as exc:
                j.state, j.message = "failed", f"cannot write the brief: {exc.strerror or exc}"
                j.code = EXIT_CANT_CREATE if exc.errno in (errno.EACCES, errno.EROFS, errno.EPERM) else EXIT_IO  # type: ignore[attr-defined]
            except Exception as exc:  # noqa: BLE001 - one brief's bug must not stop the others
                j.state, j.message = "failed", f"{type(exc).__name__}: {exc}"
                j.code = EXIT_BRIEF  # type: ignore[attr-defined]
            j.seconds = time.monotonic() - t
            reporter.finished(j)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        pool.close()
        shutil.rmtree(staging, ignore_errors=True)


def publish_site_js(out_dir: Path) -> None:
    data = (paths.ASSETS_DIR / PLOTLY_BUNDLE).read_bytes()
    target = out_dir / PLOTLY_BUNDLE
    if not target.is_file() or target.read_bytes() != data:
        write_atomic(target, data)
