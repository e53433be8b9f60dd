"""Benchmark: the naive papermill + nbconvert CLI loop against `python -m analysis build`.

Run from the repository root:

    .venv/bin/python benchmarks/bench_build.py            # every brief of the fixture data (12)
    .venv/bin/python benchmarks/bench_build.py --quick    # the 4 single-variant briefs, smaller scale test

Prints one markdown table and writes it, with the raw numbers and machine info, to
benchmarks/results/latest.md and benchmarks/results/latest.json. Every number of a row is measured
side by side in the same run; compare ratios, not absolute seconds (the machines are shared).

Nothing is written outside a temporary folder and benchmarks/results/: the fixture data is copied
before it is changed, and synthetic claims are only ever written into such a copy.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PY = BIN / "python"
FIXTURE = ROOT / "tests" / "fixtures" / "data"
DATA = ROOT / "data"
#: Ploomber runs in its own virtual environment (the package's pinned requirements plus ploomber),
#: so the package's environment stays exactly as users get it.
PEERS_VENV = ROOT / "build" / "bench-peers"
PLOOMBER = "ploomber==0.23.3"
RESULTS = ROOT / "benchmarks" / "results"
CHROMIUM = "/usr/bin/chromium"
QUICK_BRIEFS = ("overview", "exchanges", "territory", "positions")  # one variant each
UKRAINE_BBOX = (44.4, 52.3, 22.2, 40.2)  # lat min, lat max, lon min, lon max
STATUSES = ("claimed", "confirmed", "disputed", "denied", "retaken")
SUMMARY = re.compile(r"summary: (\d+) built .*?(\d+) up to date, (\d+) failed")
BUILT_LINE = re.compile(r"^\[\s*\d+/\d+\] built\s+(\S+)", re.M)
OVER_LIMIT = re.compile(r"the HTML is ([0-9,]+) bytes, over its ([0-9,]+)-byte limit")
#: What the size check names as taking the most room (analysis/build/checks.py, over_budget).
OVER_PARTS = re.compile(r"largest parts: (.*?); (?:(?:plotly\.js|the basemap) .*?; )?everything else ([0-9,]+ KB)")
SYNTH_ID = "cl-{date}-synth-{n:06d}"
#: Scale runs: the table grown, the brief built from it, the factors (full run; --quick drops 100x claims).
SCALES = (("claims", "territory", (1, 10, 100)), ("positions", "positions", (1, 4, 10)))

sys.path.insert(0, str(ROOT))


# --- helpers --------------------------------------------------------------------------------------


def env_for(data_dir: Path | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("ANALYSIS_REPORTS_DIR", "ANALYSIS_DATA_DIR")}
    if data_dir is not None:
        env["ANALYSIS_DATA_DIR"] = str(data_dir)
    return env


class CommandFailed(RuntimeError):
    pass


def timed(cmd: list, env: dict | None = None, check: bool = True) -> tuple[float, subprocess.CompletedProcess]:
    """Wall time of one command (interpreter start included)."""
    t = time.perf_counter()
    proc = subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env or env_for(), capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if check and proc.returncode != 0:
        shown = " ".join(str(c) for c in cmd)
        raise CommandFailed(f"`{shown}` exited {proc.returncode}\n--- stdout (tail)\n{proc.stdout[-3000:]}\n--- stderr (tail)\n{proc.stderr[-3000:]}")
    return seconds, proc


def ours(data_dir: Path, out_dir: Path, *extra: str, briefs: tuple[str, ...] = (), check: bool = True) -> dict:
    """`python -m analysis build` as a user runs it; wall time and what it did."""
    cmd = [PY, "-m", "analysis", "build", *briefs, "--data", data_dir, "--out", out_dir, *extra]
    seconds, proc = timed(cmd, check=check)
    m = SUMMARY.search(proc.stdout)
    return {
        "command": " ".join(str(c) for c in cmd),
        "seconds": seconds,
        "exit_code": proc.returncode,
        "errors": [line for line in proc.stderr.splitlines() if "FAILED" in line or "error" in line.lower()][:5],
        "stderr_tail": proc.stderr[-3000:],
        "built": int(m.group(1)) if m else None,
        "up_to_date": int(m.group(2)) if m else None,
        "failed": int(m.group(3)) if m else None,
        "built_stems": BUILT_LINE.findall(proc.stdout),
        "summary": m.group(0) if m else proc.stdout.strip().splitlines()[-1:],
    }


def planned_jobs(data_dir: Path, names: tuple[str, ...]) -> list[dict]:
    """The briefs a default build makes (same planner as the build: names, parameter values, file stems)."""
    from analysis import build
    from analysis.build.plan import plan_jobs

    jobs = plan_jobs(build.Options(briefs=list(names), data_dir=data_dir), data_dir)
    return [
        {"brief": j.brief.name, "notebook": j.brief.notebook_path, "values": j.values, "stem": j.stem, "tables": list(j.brief.tables)} for j in jobs
    ]


def naive_build(jobs: list[dict], data_dir: Path, work: Path) -> dict:
    """The naive loop of RENDERING.md: per brief, serially, the papermill CLI then the nbconvert CLI."""
    work.mkdir(parents=True)
    conv = {}
    t = time.perf_counter()
    for nb in sorted({j["notebook"] for j in jobs}):
        target = work / (nb.stem + ".ipynb")
        timed([BIN / "jupytext", "--to", "ipynb", "-o", target, nb])
        conv[nb] = target
    convert_seconds = time.perf_counter() - t
    env = env_for(data_dir)
    per = {}
    t0 = time.perf_counter()
    for j in jobs:
        t = time.perf_counter()
        out_nb = work / f"{j['stem']}.ipynb"
        params = [x for k, v in j["values"].items() for x in ("-p", k, str(v))]
        timed([BIN / "papermill", "-k", "python3", "--no-progress-bar", conv[j["notebook"]], out_nb, *params], env=env)
        timed([BIN / "jupyter", "nbconvert", "--to", "html", "--no-input", out_nb], env=env)
        per[j["stem"]] = time.perf_counter() - t
    return {
        "seconds": time.perf_counter() - t0,
        "convert_seconds": convert_seconds,
        "per_brief_seconds": per,
        "html": {j["stem"]: str(work / f"{j['stem']}.html") for j in jobs},
    }


def peers_python(log) -> Path | None:
    """The Python of the peers' environment, created on first use; None (and a log line) if it cannot be."""
    py = PEERS_VENV / "bin" / "python"
    stamp = PEERS_VENV / ".installed"
    want = hashlib.sha256((ROOT / "requirements.lock").read_bytes() + PLOOMBER.encode()).hexdigest()
    if py.exists() and stamp.is_file() and stamp.read_text() == want:
        return py
    log(f"setting up {PEERS_VENV.relative_to(ROOT)} with {PLOOMBER} (first run only) ...")
    try:
        subprocess.run([sys.executable, "-m", "venv", "--clear", PEERS_VENV], check=True, capture_output=True)
        subprocess.run(
            [py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-c", ROOT / "requirements.lock", "-e", ROOT, PLOOMBER],
            check=True,
            capture_output=True,
            text=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        log(f"Ploomber not measured: cannot set up its environment ({getattr(exc, 'stderr', '') or exc})"[:400])
        return None
    stamp.write_text(want)
    return py


def ploomber_build(py: Path, jobs: list[dict], data_dir: Path, work: Path, workers: int) -> dict:
    """The same briefs as a Ploomber DAG (NotebookRunner per brief, HTML product) on its parallel executor."""
    work.mkdir(parents=True)
    spec = work / "jobs.json"
    spec.write_text(json.dumps([{"stem": j["stem"], "notebook": str(j["notebook"]), "values": j["values"], "data_dir": str(data_dir)} for j in jobs]))
    seconds, proc = timed([py, ROOT / "benchmarks" / "ploomber_dag.py", spec, work / "html", workers], env=env_for(data_dir))
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"seconds": seconds, "dag_seconds": result["seconds"], "ok": result["ok"], "workers": workers, "html": str(work / "html")}


def same_bytes(a: Path, b: Path) -> dict:
    """Whether two output folders hold byte-identical briefs."""
    names = sorted(p.name for p in a.glob("*.html") if p.name != "index.html")
    differ = [n for n in names if (a / n).read_bytes() != (b / n).read_bytes()]
    return {"compared": len(names), "differ": differ}


def phase_profile(out_dir: Path) -> dict:
    """Seconds per phase, summed over the briefs of a build and per brief (from status.json)."""
    status = json.loads((out_dir / "status.json").read_text(encoding="utf-8"))
    totals: dict[str, float] = {}
    n = 0
    for rec in status["briefs"].values():
        phases = rec.get("last_build_phases") or {}
        if phases:
            n += 1
        for k, v in phases.items():
            totals[k] = totals.get(k, 0.0) + v
    return {"briefs": n, "total": totals, "per_brief": {k: v / n for k, v in totals.items()} if n else {}}


def tree_hash() -> str:
    """Hash of the package and notebooks: another engineer editing them mid-run invalidates the build cache."""
    h = hashlib.sha256()
    for base in (ROOT / "analysis", ROOT / "notebooks"):
        for p in sorted(base.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(str(p.relative_to(ROOT)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def brief_files(out_dir: Path, stems: list[str]) -> dict[str, Path]:
    return {s: out_dir / f"{s}.html" for s in stems}


def sizes(files: dict[str, Path]) -> dict:
    b = {s: p.stat().st_size for s, p in files.items()}
    return {"per_brief": b, "median": statistics.median(b.values()), "max": max(b.values()), "max_brief": max(b, key=b.get)}


def naive_refs(path: Path) -> dict:
    text = path.read_text(encoding="utf-8", errors="replace")
    return {
        "script_src_http": len(re.findall(r"<script[^>]*\ssrc=\"https?://", text)),
        "link_href_http": len(re.findall(r"<link[^>]*\shref=\"https?://", text)),
        "script_src_urls": sorted(set(re.findall(r"<script[^>]*\ssrc=\"(https?://[^\"]+)\"", text))),
        "plotly_mime_outputs_dropped": text.count("application/vnd.plotly.v1+json"),
    }


def fmt_s(x: float) -> str:
    return f"{x:.2f} s" if x < 10 else f"{x:.1f} s"


def fmt_b(x: float) -> str:
    return f"{x / 1024 / 1024:.2f} MB" if x >= 1024 * 1024 else f"{x / 1024:.0f} KB"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}×" if b else "n/a"


# --- browser --------------------------------------------------------------------------------------

DRAWN = """() => { const p = document.querySelectorAll('.brief-plot');
  return p.length > 0 && Array.from(p).every(e => e.getAttribute('data-drawn') === 'yes'); }"""
COUNTS = """() => ({brief_plot: document.querySelectorAll('.brief-plot').length,
  drawn: document.querySelectorAll('.brief-plot[data-drawn="yes"]').length,
  main_svg: document.querySelectorAll('.main-svg').length,
  plotly_graph_div: document.querySelectorAll('.plotly-graph-div').length,
  geo_points: document.querySelectorAll('g.geo path.point, g.geo .scattergeo path').length})"""


class Browser:
    def __init__(self):
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        self.version = self.browser.version

    def render(self, path: Path, wait_drawn: bool, timeout_ms: int = 180_000) -> dict:
        """Seconds from goto to every .brief-plot drawn (ours) or to the load event (naive)."""
        ctx = self.browser.new_context()
        page = ctx.new_page()
        blocked: list[str] = []
        errors: list[str] = []

        def route(r):
            if r.request.url.startswith("file:"):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("pageerror", lambda e: errors.append(str(e)[:200]))
        t = time.perf_counter()
        page.goto(path.as_uri(), wait_until="load", timeout=timeout_ms)
        ok = True
        if wait_drawn:
            try:
                page.wait_for_function(DRAWN, timeout=timeout_ms, polling=50)
            except Exception as exc:  # noqa: BLE001 - reported, not raised
                ok = False
                errors.append(f"not drawn: {type(exc).__name__}")
        seconds = time.perf_counter() - t
        counts = page.evaluate(COUNTS)
        ctx.close()
        return {
            "seconds": seconds,
            "all_drawn": ok if wait_drawn else None,
            "blocked_requests": len(blocked),
            "blocked_hosts": sorted({u.split("/")[2] for u in blocked if "://" in u}),
            "page_errors": errors[:5],
            **counts,
        }

    def close(self) -> None:
        self.browser.close()
        self._pw.stop()


def render_all(browser: Browser, files: dict[str, Path], wait_drawn: bool) -> dict:
    per = {s: browser.render(p, wait_drawn) for s, p in files.items()}
    secs = [r["seconds"] for r in per.values()]
    return {"per_brief": per, "median": statistics.median(secs), "max": max(secs), "max_brief": max(per, key=lambda s: per[s]["seconds"])}


# --- data copies ----------------------------------------------------------------------------------


def copy_fixture(target: Path) -> Path:
    shutil.copytree(FIXTURE, target)
    return target


def edit_one_exchange(data_dir: Path) -> str:
    """Change the notes cell of the first row of exchanges.csv (in a copy); return the row's id."""
    path = data_dir / "exchanges.csv"
    raw = path.read_bytes().decode("utf-8")
    newline = "\r\n" if "\r\n" in raw else "\n"
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    header = rows[0]
    col = header.index("notes")
    rows[1][col] = (rows[1][col] + " (benchmark edit)").strip()
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    return rows[1][header.index("exchange_id")]


def add_synthetic_claims(data_dir: Path, factor: int, seed: int = 20250701) -> dict:
    """Grow claims.csv (a temporary copy only) to `factor` times its rows with clearly synthetic claims.

    Each synthetic row copies a real settlement claim (its date, claimant, type and sources, so every
    foreign key and date bound holds), gets an id `cl-<date>-synth-NNNNNN`, place "Synthetic N",
    coordinates jittered uniformly inside Ukraine's bounding box (precision approximate, its point
    credited to the template's first source so the links hold), a cycled status, no GeoNames id and
    no related claim.
    """
    assert ROOT.resolve() not in data_dir.resolve().parents, "synthetic rows go into a temporary copy only, never into the repository"
    path = data_dir / "claims.csv"
    raw = path.read_bytes().decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in raw else "\n"
    rows = list(csv.DictReader(io.StringIO(raw, newline="")))
    fields = list(rows[0].keys())
    templates = [r for r in rows if r["claim_type"] in ("captured", "liberated")]
    extra = len(rows) * (factor - 1)
    rnd = random.Random(seed)
    lat0, lat1, lon0, lon1 = UKRAINE_BBOX
    new = []
    for n in range(1, extra + 1):
        t = dict(templates[(n - 1) % len(templates)])
        t.update(
            {
                "claim_id": SYNTH_ID.format(date=t["claim_date"], n=n),
                "place": f"Synthetic {n}",
                "place_alias": f"Synthetic {n}",
                "latitude": f"{rnd.uniform(lat0, lat1):.4f}",
                "longitude": f"{rnd.uniform(lon0, lon1):.4f}",
                "geonames_id": "",
                "location_precision": "approximate",
                "location_source": "wikipedia",
                "location_source_ids": t["source_ids"].split(";")[0],
                "status": STATUSES[(n - 1) % len(STATUSES)],
                "related_claim_id": "",
                "notes": "SYNTHETIC benchmark row (benchmarks/bench_build.py), not real data",
            }
        )
        new.append(t)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator=newline)
    w.writeheader()
    w.writerows(rows + new)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    return {"rows": len(rows) + len(new), "synthetic_rows": len(new), "real_rows": len(rows)}


def add_synthetic_positions(data_dir: Path, factor: int) -> dict:
    """Grow positions.csv (a temporary copy only) to `factor` times its rows with clearly synthetic positions.

    Each synthetic row copies a real position (date, actor, topic, stance type, round and sources, so
    every foreign key and date bound holds), gets an id `pos-<date>-<actor>-<topic>-1NNNNN` and a stance
    that starts with "SYNTHETIC benchmark row".
    """
    assert ROOT.resolve() not in data_dir.resolve().parents, "synthetic rows go into a temporary copy only, never into the repository"
    path = data_dir / "positions.csv"
    raw = path.read_bytes().decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in raw else "\n"
    rows = list(csv.DictReader(io.StringIO(raw, newline="")))
    fields = list(rows[0].keys())
    new = []
    for n in range(1, len(rows) * (factor - 1) + 1):
        t = dict(rows[(n - 1) % len(rows)])
        t["position_id"] = f"pos-{t['stated_date']}-{t['actor'].lower()}-{t['topic']}-{100000 + n}"
        t["stance"] = f"SYNTHETIC benchmark row {n} (benchmarks/bench_build.py), not real data: {t['stance']}"[:1000]
        new.append(t)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator=newline)
    w.writeheader()
    w.writerows(rows + new)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    return {"rows": len(rows) + len(new), "synthetic_rows": len(new), "real_rows": len(rows)}


def grow_table(data_dir: Path, table: str, factor: int) -> dict:
    """`table` of the copy at `data_dir` grown `factor` times (1: as it is)."""
    if factor > 1:
        return add_synthetic_claims(data_dir, factor) if table == "claims" else add_synthetic_positions(data_dir, factor)
    with (data_dir / f"{table}.csv").open(encoding="utf-8") as fh:
        return {"rows": len(list(csv.DictReader(fh))), "synthetic_rows": 0, "real_rows": None}


def scale_run(browser: Browser, tmp: Path, table: str, brief: str, factor: int, log) -> dict:
    """One brief built from a copy of the fixture data whose `table` is `factor` times its size: build
    time, size and render time, or, if the build refuses it, why (the size check names the largest
    charts and tables)."""
    d = copy_fixture(tmp / f"data-{table}-x{factor}")
    rows = grow_table(d, table, factor)
    out = tmp / f"out-{table}-x{factor}"
    b = ours(d, out, briefs=(brief,), check=False)
    html = out / f"{brief}.html"
    if b["exit_code"] == 0 and html.is_file():
        r = browser.render(html, wait_drawn=True)
        result = {"table": table, "brief": brief, "rows": rows, "build": b, "published": True, "html_bytes": html.stat().st_size, "render": r}
    else:
        text = " ".join(b["errors"])
        over, parts = OVER_LIMIT.search(text), OVER_PARTS.search(text)
        result = {
            "table": table,
            "brief": brief,
            "rows": rows,
            "build": b,
            "published": False,
            "render": None,
            "html_bytes": int(over.group(1).replace(",", "")) if over else None,
            "limit_bytes": int(over.group(2).replace(",", "")) if over else None,
            "largest_parts": parts.group(1) if parts else None,
            "rest": parts.group(2) if parts else None,
        }
    log(
        f"scale {table} x{factor}: {rows['rows']} rows, {brief} exit {b['exit_code']}, build {b['seconds']:.1f} s, "
        f"{result['html_bytes']} bytes"
        + (f", render {result['render']['seconds']:.2f} s" if result["published"] else f"; {result.get('largest_parts')}")
    )
    return result


# --- the benchmark --------------------------------------------------------------------------------


def machine_info(browser_version: str) -> dict:
    from importlib.metadata import version

    libs = {}
    for lib in ("papermill", "nbconvert", "nbclient", "ipykernel", "jupytext", "plotly", "pandas", "playwright"):
        try:
            libs[lib] = version(lib)
        except Exception:  # noqa: BLE001
            libs[lib] = "missing"
    return {
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "machine": platform.machine(),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "chromium": browser_version,
        "libraries": libs,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help=f"only the briefs {', '.join(QUICK_BRIEFS)}; claims scaled 1x and 10x only")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    ap.add_argument("--no-real", action="store_true", help="skip the full build of the real briefs in data/ (naive, Ploomber, ours)")
    ap.add_argument("--no-ploomber", action="store_true", help="skip Ploomber (it needs its own environment, set up on first use)")
    args = ap.parse_args(argv)
    t_start = time.perf_counter()
    names = QUICK_BRIEFS if args.quick else ()
    tmp = Path(tempfile.mkdtemp(prefix="bench-build-"))
    raw: dict = {"quick": args.quick, "errors": [], "loadavg_start": os.getloadavg()}
    log = lambda msg: print(f"[bench {time.perf_counter() - t_start:6.1f} s] {msg}", file=sys.stderr, flush=True)  # noqa: E731
    browser = None
    try:
        listing = subprocess.run([PY, "-m", "analysis", "list"], cwd=ROOT, env=env_for(FIXTURE), capture_output=True, text=True)
        raw["analysis_list"] = listing.stdout
        jobs = planned_jobs(FIXTURE, names)
        stems = [j["stem"] for j in jobs]
        n = len(jobs)
        raw["briefs"] = [{k: (str(v) if k == "notebook" else v) for k, v in j.items()} for j in jobs]
        log(f"{n} briefs: {', '.join(stems)}")

        # 1. full build
        log("naive CLI loop ...")
        naive = naive_build(jobs, FIXTURE, tmp / "naive")
        log(f"naive {naive['seconds']:.1f} s")
        raw["naive_full"] = naive
        log("ours --no-pool ...")
        nopool = ours(FIXTURE, tmp / "ours-nopool", "--force", "--no-pool", briefs=names)
        log(f"ours --no-pool {nopool['seconds']:.1f} s")
        log("ours (pool) ...")
        pool = ours(FIXTURE, tmp / "ours", "--force", briefs=names)
        log(f"ours {pool['seconds']:.1f} s")
        raw["ours_full_nopool"], raw["ours_full"] = nopool, pool
        raw["pool_vs_nopool_fixture"] = same_bytes(tmp / "ours", tmp / "ours-nopool")
        peers = None if args.no_ploomber else peers_python(log)
        cores = os.cpu_count() or 1
        if peers:
            log("Ploomber (fixture) ...")
            raw["ploomber_full"] = ploomber_build(peers, jobs, FIXTURE, tmp / "ploomber", cores)
            log(f"Ploomber {raw['ploomber_full']['seconds']:.1f} s")
        raw["tree_hash_after_full"] = tree_hash()

        # 2. no-op rebuild
        before = tree_hash()
        noop = ours(FIXTURE, tmp / "ours", briefs=names)
        if noop["built"] and tree_hash() != raw["tree_hash_after_full"]:
            # analysis/ or notebooks/ changed under us (a concurrent edit): that is a real input change, not a no-op.
            log(f"no-op rebuilt {noop['built']} briefs after analysis/ or notebooks/ changed during the run; measuring the no-op again")
            raw["ours_noop_after_code_change"] = noop
            noop = ours(FIXTURE, tmp / "ours", briefs=names)
        raw["ours_noop"] = noop
        raw["code_changed_before_noop"] = before != raw["tree_hash_after_full"]
        log(f"no-op {noop['seconds']:.2f} s ({noop['summary']})")

        # 3. one-table change
        data_edit = copy_fixture(tmp / "data-edit")
        first = ours(data_edit, tmp / "edit-out", briefs=names)
        code_before_edit = tree_hash()
        row_id = edit_one_exchange(data_edit)
        edited = ours(data_edit, tmp / "edit-out", briefs=names)
        expected = sorted(j["stem"] for j in jobs if "exchanges" in j["tables"])
        raw["one_table_change"] = {
            "first_build": first,
            "edited_row": row_id,
            "rebuild": edited,
            "expected_rebuilt": expected,
            "rebuilt_matches_expected": sorted(edited["built_stems"]) == expected,
            "code_changed_mid_measure": tree_hash() != code_before_edit,
        }
        log(f"one-table change: {edited['built']} rebuilt in {edited['seconds']:.1f} s (expected {len(expected)})")

        # 4. size
        site = ours(FIXTURE, tmp / "site", "--force", "--site", briefs=names)
        raw["ours_site_build"] = site
        std_files = brief_files(tmp / "ours", stems)
        site_files = brief_files(tmp / "site", stems)
        naive_files = {s: Path(p) for s, p in naive["html"].items()}
        size = {
            "standalone": sizes(std_files),
            "site": sizes(site_files),
            "naive": sizes(naive_files),
            "site_shared_js": (tmp / "site" / "plotly-briefs.min.js").stat().st_size,
            "naive_refs": {s: naive_refs(p) for s, p in naive_files.items()},
        }
        raw["size"] = size
        log("sizes done")

        # 5. browser render
        browser = Browser()
        rend_ours = render_all(browser, std_files, wait_drawn=True)
        rend_site = render_all(browser, site_files, wait_drawn=True)
        rend_naive = render_all(browser, naive_files, wait_drawn=False)
        raw["render"] = {"ours_standalone": rend_ours, "ours_site": rend_site, "naive": rend_naive}
        log(f"render: ours median {rend_ours['median']:.2f} s, naive median {rend_naive['median']:.2f} s")

        # 7. the real briefs (data/): ours against the naive loop and Ploomber, and the per-phase profile
        if not (args.quick or args.no_real):
            real_jobs = planned_jobs(DATA, ())
            raw["real"] = {"briefs": len(real_jobs)}
            log(f"real data: {len(real_jobs)} briefs; ours --no-pool ...")
            raw["real"]["ours_nopool"] = ours(DATA, tmp / "real-nopool", "--force", "--no-pool")
            log("real: ours (pool) ...")
            raw["real"]["ours"] = ours(DATA, tmp / "real-ours", "--force")
            log(f"real: ours {raw['real']['ours']['seconds']:.1f} s")
            raw["real"]["pool_vs_nopool"] = same_bytes(tmp / "real-ours", tmp / "real-nopool")
            raw["real"]["profile"] = phase_profile(tmp / "real-ours")
            if peers:
                log("real: Ploomber ...")
                raw["real"]["ploomber"] = ploomber_build(peers, real_jobs, DATA, tmp / "real-ploomber", cores)
                log(f"real: Ploomber {raw['real']['ploomber']['seconds']:.1f} s")
            log("real: naive CLI loop (several minutes) ...")
            raw["real"]["naive"] = naive_build(real_jobs, DATA, tmp / "real-naive")
            log(f"real: naive {raw['real']['naive']['seconds']:.1f} s")

        # 6. scale: claims (territory brief) and positions (positions brief)
        raw["scale"] = {}
        for table, brief, factors in SCALES:
            if args.quick and table == "claims":
                factors = tuple(f for f in factors if f <= 10)
            raw["scale"][table] = {f: scale_run(browser, tmp, table, brief, f, log) for f in factors}

        raw["machine"] = machine_info(browser.version)
        raw["loadavg_end"] = os.getloadavg()
        raw["benchmark_seconds"] = time.perf_counter() - t_start
        # The measurements are kept even if the table cannot be made from them.
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "latest.json").write_text(json.dumps(raw, indent=2, default=str), encoding="utf-8")
        table = make_table(raw, n)
    except CommandFailed as exc:
        log(f"FAILED: {exc}")
        raw["errors"].append(str(exc))
        raw["benchmark_seconds"] = time.perf_counter() - t_start
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "latest.json").write_text(json.dumps(raw, indent=2, default=str), encoding="utf-8")
        return 1
    finally:
        if browser is not None:
            browser.close()
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    m = raw["machine"]
    footer = (
        f"Machine: {m['cores']} cores, Python {m['python']}, {m['platform']}, Chromium {m['chromium']}, {m['date']}. "
        f"Benchmark wall time: {raw['benchmark_seconds']:.0f} s{' (--quick)' if args.quick else ''}. "
        f"Load average (1 min) at start {raw['loadavg_start'][0]:.2f}, at end {raw['loadavg_end'][0]:.2f}."
    )
    profile = ""
    if raw.get("real", {}).get("profile", {}).get("briefs"):
        profile = f"\n\nPer-phase profile of ours on the {raw['real']['profile']['briefs']} real briefs:\n\n" + profile_table(raw["real"]["profile"])
    print(table + profile)
    print()
    print(footer)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.md").write_text(
        f"# Build benchmark\n\n{table}{profile}\n\n{footer}\n\nRaw numbers: latest.json. "
        "Ratio = naive ÷ ours (above 1: ours is faster or smaller), except row 6 (growth against 1×).\n",
        encoding="utf-8",
    )
    (RESULTS / "latest.json").write_text(json.dumps(raw, indent=2, default=str), encoding="utf-8")
    return 0


def make_table(raw: dict, n: int) -> str:
    nv, pool, nopool, noop = raw["naive_full"], raw["ours_full"], raw["ours_full_nopool"], raw["ours_noop"]
    ch = raw["one_table_change"]
    size, rend = raw["size"], raw["render"]
    rows = [("#", "Measure", "Naive (papermill + nbconvert CLIs)", "Ours (`python -m analysis build`)", "Ratio naive÷ours", "Notes")]
    rows.append(
        (
            "1",
            f"Full build, {n} briefs (wall)",
            fmt_s(nv["seconds"]),
            fmt_s(pool["seconds"]),
            ratio(nv["seconds"], pool["seconds"]),
            f"ours: pool of pre-started kernels, default jobs = {raw['machine']['cores']} cores; naive excludes jupytext "
            f"conversion ({fmt_s(nv['convert_seconds'])})",
        )
    )
    rows.append(
        (
            "1b",
            f"Full build, {n} briefs, ours `--no-pool`",
            fmt_s(nv["seconds"]),
            fmt_s(nopool["seconds"]),
            ratio(nv["seconds"], nopool["seconds"]),
            f"in-process, fresh kernel per brief; pool share: --no-pool ÷ pool = {ratio(nopool['seconds'], pool['seconds'])}",
        )
    )
    if "ploomber_full" in raw:
        pl = raw["ploomber_full"]
        rows.append(
            (
                "1c",
                f"Full build, {n} briefs: Ploomber (parallel executor, {pl['workers']} workers)",
                fmt_s(nv["seconds"]),
                f"Ploomber {fmt_s(pl['seconds'])}; ours {fmt_s(pool['seconds'])}",
                f"naive÷Ploomber {ratio(nv['seconds'], pl['seconds'])}; Ploomber÷ours {ratio(pl['seconds'], pool['seconds'])}",
                "Ploomber: a NotebookRunner task per brief, same notebooks and parameters, HTML product (benchmarks/ploomber_dag.py)",
            )
        )
    same = raw.get("pool_vs_nopool_fixture")
    if same:
        row_1b = rows[2]
        verdict = "byte-identical" if not same["differ"] else f"{len(same['differ'])} of {same['compared']} differ"
        rows[2] = row_1b[:5] + (row_1b[5] + f"; pooled and `--no-pool` HTML: {verdict}",)
    rows.append(
        (
            "2",
            "No-op rebuild (unchanged inputs)",
            f"{fmt_s(nv['seconds'])} (no cache: a full build again)",
            fmt_s(noop["seconds"]),
            ratio(nv["seconds"], noop["seconds"]),
            f"ours: {noop['built']} built, {noop['up_to_date']} up to date; target < 1 s: "
            f"{'met' if noop['seconds'] < 1 else 'NOT met'}"
            + (
                f" (first attempt rebuilt {raw['ours_noop_after_code_change']['built']} in "
                f"{fmt_s(raw['ours_noop_after_code_change']['seconds'])}: analysis/ or notebooks/ changed mid-run)"
                if "ours_noop_after_code_change" in raw
                else ""
            ),
        )
    )
    e = ch["rebuild"]
    rows.append(
        (
            "3",
            "One row of exchanges.csv changed",
            f"{fmt_s(nv['seconds'])} ({n} rebuilt)",
            f"{fmt_s(e['seconds'])} ({e['built']} rebuilt)",
            ratio(nv["seconds"], e["seconds"]),
            f"rebuilt = the {len(ch['expected_rebuilt'])} briefs reading `exchanges`: "
            f"{'yes' if ch['rebuilt_matches_expected'] else 'NO, got ' + ', '.join(e['built_stems'])}"
            + (" (analysis/ or notebooks/ changed during this measurement)" if ch["code_changed_mid_measure"] else ""),
        )
    )
    refs = size["naive_refs"]
    cdn = statistics.median(r["script_src_http"] for r in refs.values())
    nvb = size["naive"]
    for label, s in (("standalone", size["standalone"]), ("`--site`", size["site"])):
        rows.append(
            (
                "4",
                f"Size per brief, {label}: median / max",
                f"{fmt_b(nvb['median'])} / {fmt_b(nvb['max'])}",
                f"{fmt_b(s['median'])} / {fmt_b(s['max'])}",
                f"{nvb['median'] / s['median']:.2f}× (median)",
                "ours: plotly.js (partial bundle) inlined once, offline-safe"
                if label == "standalone"
                else f"plus one shared plotly-briefs.min.js of {fmt_b(size['site_shared_js'])} for the whole site",
            )
        )
    rows[-1] = rows[-1][:5] + (
        rows[-1][5] + f'; naive HTML has {cdn:g} `<script src="http…">` per brief (require.js, MathJax CDN) '
        f"and no chart drawing code: the charts are not in it",
    )
    ro, rs, rn = rend["ours_standalone"], rend["ours_site"], rend["naive"]
    charts_ours = sum(r["drawn"] for r in ro["per_brief"].values())
    plots_ours = sum(r["brief_plot"] for r in ro["per_brief"].values())
    naive_svg = sum(r["main_svg"] for r in rn["per_brief"].values())
    naive_div = sum(r["plotly_graph_div"] for r in rn["per_brief"].values())
    naive_drawn = sum(r["drawn"] for r in rn["per_brief"].values())
    naive_plots = sum(r["brief_plot"] for r in rn["per_brief"].values())
    blocked = sum(r["blocked_requests"] for r in rn["per_brief"].values())
    rows.append(
        (
            "5",
            "Render in headless Chromium: median / max",
            f"{fmt_s(rn['median'])} / {fmt_s(rn['max'])} (to `load`)",
            f"{fmt_s(ro['median'])} / {fmt_s(ro['max'])} (all charts drawn)",
            f"{rn['median'] / ro['median']:.2f}× (median)",
            f"ours: {charts_ours}/{plots_ours} charts drawn (site mode: median {fmt_s(rs['median'])}); naive offline: "
            f"{naive_svg} `.main-svg`, {naive_div} `.plotly-graph-div`, {naive_drawn} drawn charts over {len(rn['per_brief'])} "
            f"briefs ({naive_plots} chart divs with their JSON but no plotly.js), {blocked} CDN requests blocked",
        )
    )
    for table, runs in raw["scale"].items():
        rows.extend(scale_rows(table, runs))
    if "real" in raw:
        rows.extend(real_rows(raw["real"]))
    out = []
    for i, r in enumerate(rows):
        out.append("| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |")
        if i == 0:
            out.append("|" + "|".join("---" for _ in r) + "|")
    return "\n".join(out)


def scale_rows(table: str, runs: dict) -> list[tuple]:
    """Row 6 of the table for one scaled table: growth against its 1x run."""
    base = runs[1]
    out = []

    def grow(s: dict, key: str) -> str:
        a, b = s.get(key), base.get(key)
        return f"{a / b:.2f}×" if a and b else "n/a"

    for f, s in runs.items():
        b = s["build"]
        label = f"Scale {f}× {table} ({s['rows']['rows']} rows, {s['rows']['synthetic_rows']} synthetic): {s['brief']} brief"
        if s["published"]:
            cell = f"build {fmt_s(b['seconds'])}, {fmt_b(s['html_bytes'])}, render {fmt_s(s['render']['seconds'])}"
            note = f"{s['render']['drawn']}/{s['render']['brief_plot']} charts drawn"
            if table == "claims":
                note += f", {s['render']['geo_points']} map points"
        else:
            size = f"would be {fmt_b(s['html_bytes'])} > limit {fmt_b(s['limit_bytes'])}" if s["html_bytes"] else "size unknown"
            cell = f"FAILED (exit {b['exit_code']}) after {fmt_s(b['seconds'])}; {size}; not published, no render"
            if s.get("largest_parts"):
                note = f"too big: {s['largest_parts']}; everything else {s['rest']}"
            else:
                note = "`" + b["command"].replace(str(ROOT) + "/", "") + "`: " + "; ".join(b["errors"])[:600]
        if f == 1:
            g = "1.0× (base)"
        else:
            base_r = base["render"]["seconds"] if base.get("render") else None
            r = s["render"]["seconds"] if s.get("render") else None
            g = (
                f"build {b['seconds'] / base['build']['seconds']:.2f}×, size {grow(s, 'html_bytes')}, "
                f"render {f'{r / base_r:.2f}×' if r and base_r else 'n/a'}"
            )
            note += "; ratio column = growth vs 1×"
        out.append(("6", label, "—", cell, g, note))
    return out


def real_rows(real: dict) -> list[tuple]:
    """Row 7: the forced full build of the real briefs, against the naive loop and Ploomber."""
    o, np_ = real["ours"], real["ours_nopool"]
    same = real["pool_vs_nopool"]
    identical = "byte-identical" if not same["differ"] else f"{len(same['differ'])} of {same['compared']} differ"
    rows = []
    if "naive" in real:
        nv = real["naive"]
        rows.append(
            (
                "7",
                f"Full build of the real briefs (data/, {real['briefs']})",
                fmt_s(nv["seconds"]),
                fmt_s(o["seconds"]),
                ratio(nv["seconds"], o["seconds"]),
                f"target ≤ 45 s: {'met' if o['seconds'] <= 45 else 'NOT met'} ({o['seconds'] / real['briefs']:.2f} s per brief); "
                f"`--no-pool` {fmt_s(np_['seconds'])}, pooled and `--no-pool` HTML {identical} ({same['compared']} briefs)",
            )
        )
    if "ploomber" in real:
        pl = real["ploomber"]
        rows.append(
            (
                "7b",
                f"Full build of the real briefs: Ploomber ({pl['workers']} workers)",
                fmt_s(real["naive"]["seconds"]) if "naive" in real else "—",
                f"Ploomber {fmt_s(pl['seconds'])}; ours {fmt_s(o['seconds'])}",
                (f"naive÷Ploomber {ratio(real['naive']['seconds'], pl['seconds'])}; " if "naive" in real else "")
                + f"Ploomber÷ours {ratio(pl['seconds'], o['seconds'])}",
                "same notebooks and parameters as ours",
            )
        )
    return rows


def profile_table(profile: dict) -> str:
    """The per-phase profile of ours on the real briefs: seconds of work per brief and in total."""
    per, tot = profile["per_brief"], profile["total"]
    lines = ["| Phase | Per brief | All briefs (work, summed over threads) |", "|---|---|---|"]
    for k in sorted(per, key=per.get, reverse=True):
        lines.append(f"| {k} | {per[k] * 1000:.0f} ms | {tot[k]:.1f} s |")
    lines.append(f"| total | {sum(per.values()) * 1000:.0f} ms | {sum(tot.values()):.1f} s |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
