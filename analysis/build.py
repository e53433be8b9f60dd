"""papermill -> nbconvert -> checks -> atomic publish. The only writer of reports/.

A build plans every requested brief, skips those whose inputs are unchanged (content hash over the
notebook, parameters, the tables it reads, the package's code and the library versions), executes
the rest in-process on a pool of pre-started kernels, renders each to offline HTML, checks the
result and only then replaces the published file (write, fsync, rename). Nothing already published
is touched by a failed brief; the failed notebook is kept under `_failed/` for debugging.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import functools
import hashlib
import html
import json
import os
import queue
import re
import shutil
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from analysis import __version__, paths
from analysis.params import BRIEFS, Brief, ParameterError

# Exit codes (see README, "When things go wrong").
EXIT_OK = 0
EXIT_USAGE = 64
EXIT_DATA = 65
EXIT_NO_INPUT = 66
EXIT_KERNEL = 69
EXIT_BRIEF = 70
EXIT_CANT_CREATE = 73
EXIT_IO = 74
EXIT_TEMP = 75

LIBRARIES = ("pandas", "plotly", "papermill", "nbconvert", "nbclient", "ipykernel", "jupytext", "frictionless")
SITE_BUDGET = 500 * 1024
STATUS_FILE = "status.json"
FAILED_DIR = "_failed"
WARM_CODE = "import pandas, plotly.graph_objects, plotly.io\nimport analysis.charts, analysis.load, analysis.metrics, analysis.text"
_PLOT_ID = re.compile(r"plot-[0-9]+-[0-9a-f]{10}")


class BuildError(Exception):
    """A failure that ends the build with `code`."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code


class BriefFailure(Exception):
    """One brief failed; the build goes on with the others and exits 70 (or `code`)."""

    def __init__(self, message: str, code: int = EXIT_BRIEF):
        super().__init__(message)
        self.code = code


@dataclass
class Job:
    """One brief with one set of parameter values."""

    brief: Brief
    values: dict
    stem: str
    key: str = ""
    state: str = "planned"  # planned, skipped, built, failed
    seconds: float = 0.0
    size: int = 0
    message: str = ""
    headline: str = ""
    html_sha: str = ""

    @property
    def file_name(self) -> str:
        return f"{self.stem}.html"


@dataclass
class Options:
    """Everything a build needs to know."""

    briefs: list[str] = field(default_factory=list)
    params: dict = field(default_factory=dict)
    data_dir: Path | None = None
    out_dir: Path | None = None
    as_of: str = ""
    jobs: int = 0
    force: bool = False
    pdf: bool = False
    site: bool = False
    cell_timeout: int = 120
    brief_timeout: int = 600
    lock_wait: float = 0.0
    pool: bool = True
    log: Callable[[str], None] = print


@dataclass
class Result:
    """What a build did."""

    code: int
    jobs: list[Job]
    seconds: float
    messages: list[str] = field(default_factory=list)


# --- hashing ------------------------------------------------------------------------------------


def _sha(*chunks: bytes) -> str:
    h = hashlib.sha256()
    for c in chunks:
        h.update(len(c).to_bytes(8, "little"))
        h.update(c)
    return h.hexdigest()


def code_fingerprint() -> str:
    """Hash of the package's code, templates and assets, plus the versions of the libraries used."""
    from importlib.metadata import version

    chunks = []
    for base in (paths.PACKAGE_DIR,):
        for p in sorted(base.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts and p.suffix in {".py", ".j2", ".json", ".css", ".js", ".geojson"}:
                chunks.append(str(p.relative_to(base)).encode())
                chunks.append(p.read_bytes())
    for lib in LIBRARIES:
        try:
            chunks.append(f"{lib}=={version(lib)}".encode())
        except Exception:  # noqa: BLE001 - a missing library is a different fingerprint, not an error
            chunks.append(f"{lib}==missing".encode())
    chunks.append(sys.version.encode())
    return _sha(*chunks)


def table_hashes(data_dir: Path) -> dict[str, str]:
    """Hash of each CSV file, of datapackage.json and of the release manifests (data/releases/)."""
    out = {}
    for p in sorted(data_dir.glob("*.csv")) + [data_dir / "datapackage.json"]:
        out[p.stem if p.suffix == ".csv" else "datapackage"] = _sha(p.read_bytes()) if p.is_file() else "missing"
    releases = sorted((data_dir / "releases").glob("*.json"))
    out["releases"] = _sha(*[c for p in releases for c in (p.name.encode(), p.read_bytes())])
    return out


def job_key(job: Job, tables: dict[str, str], code: str, site: bool) -> str:
    """The content hash that decides whether a brief must be rebuilt."""
    nb = job.brief.notebook_path.read_bytes()
    read = [f"{t}={tables.get(t, 'missing')}" for t in sorted(job.brief.tables)] + [f"datapackage={tables.get('datapackage')}"]
    if job.brief.releases:
        read.append(f"releases={tables.get('releases')}")
    return _sha(
        nb,
        json.dumps(job.values, sort_keys=True).encode(),
        "\n".join(read).encode(),
        code.encode(),
        job.brief.name.encode(),
        b"site" if site else b"standalone",
    )


# --- planning -----------------------------------------------------------------------------------


def plan(opts: Options, data_dir: Path) -> list[Job]:
    """The jobs of this build, with parameters checked (ParameterError on any bad value)."""
    names = opts.briefs or list(BRIEFS)
    for n in names:
        if n not in BRIEFS:
            import difflib

            close = difflib.get_close_matches(n, list(BRIEFS), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ParameterError(f"no brief named {n!r}.{hint} Briefs: {', '.join(BRIEFS)}")
    jobs = []
    for n in names:
        brief = BRIEFS[n]
        if opts.params or (opts.briefs and opts.as_of):
            variants = [dict(opts.params)]
        else:
            variants = brief.variants(data_dir)
        for given in variants:
            given = dict(given)
            if opts.as_of and "as_of" not in given:
                given["as_of"] = opts.as_of
            values = brief.resolve(given, data_dir)
            jobs.append(Job(brief, values, brief.output_stem(values)))
    seen: dict[str, Job] = {}
    unique = []
    for j in jobs:
        if j.stem not in seen:
            seen[j.stem] = j
            unique.append(j)
    return unique


# --- locking and publishing ---------------------------------------------------------------------


@contextlib.contextmanager
def build_lock(out_dir: Path, wait: float):
    """One build per output folder: an flock the OS releases if the process dies."""
    path = out_dir / ".build.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BuildError(EXIT_TEMP, f"another build holds the lock on {out_dir} (try again, or pass --wait SECONDS)") from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def clean_leftovers(out_dir: Path) -> list[str]:
    """Remove temporary files a crashed build left behind (only called while holding the lock)."""
    removed = []
    for p in out_dir.glob(".staging-*"):
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
        removed.append(p.name)
    for p in out_dir.glob(".*.tmp"):
        p.unlink(missing_ok=True)
        removed.append(p.name)
    return removed


def write_atomic(target: Path, data: bytes, staging: Path | None = None) -> None:
    """Write `data` to a temporary file beside `target`, fsync it, then rename it over `target`."""
    tmp_dir = staging or target.parent
    tmp = tmp_dir / f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):
        dfd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def preflight(out_dir: Path) -> None:
    """Fail before any kernel starts if the output folder cannot be written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(EXIT_CANT_CREATE, f"cannot create the output folder {out_dir}: {exc.strerror}") from None
    probe = out_dir / f".probe-{os.getpid()}.tmp"
    try:
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        raise BuildError(EXIT_CANT_CREATE, f"cannot write in the output folder {out_dir}: {exc.strerror}") from None


# --- kernels ------------------------------------------------------------------------------------

_START_LOCK = threading.Lock()


_SOCKETS = {"n": 0}


def start_kernel(env: dict, cwd: Path, timeout: float = 60, socket_dir: Path | None = None):
    """A started, warmed-up kernel (libraries imported) with its own connection file.

    An *async* kernel manager, as nbclient expects: with a blocking one, nbclient's cell timeouts
    never fire because its event loop is blocked on the kernel's sockets.
    """
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    with _START_LOCK:
        _SOCKETS["n"] += 1
        n = _SOCKETS["n"]
    socket_dir = socket_dir or cwd
    # IPC transport: no TCP ports to race for (papermill #511), nothing listening on the network.
    km = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=str(socket_dir / f"k{n}"))
    try:
        with _START_LOCK:
            run_sync(km.start_kernel)(cwd=str(cwd), env=env)
        kc = km.blocking_client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=timeout)
            reply = kc.execute_interactive(WARM_CODE, store_history=False, silent=True, timeout=timeout)
            if reply["content"].get("status") != "ok":
                raise RuntimeError(f"warm-up failed: {reply['content'].get('ename')}: {reply['content'].get('evalue')}")
        finally:
            kc.stop_channels()
    except Exception as exc:
        stop_kernel(km)
        raise BriefFailure(f"the kernel could not start: {exc}", EXIT_KERNEL) from exc
    return km


def stop_kernel(km) -> None:
    """Shut a kernel down at once (safe from any thread; never raises)."""
    from jupyter_core.utils import run_sync

    with contextlib.suppress(Exception):
        run_sync(km.shutdown_kernel)(now=True)


RESET_CODE = """\
get_ipython().run_line_magic("reset", "-f")
import sys
for _name in [m for m in sys.modules if m == "analysis" or m.startswith("analysis.")]:
    del sys.modules[_name]
del _name, sys
import analysis.charts, analysis.load, analysis.metrics, analysis.text
"""
MAX_USES = 8


class KernelPool:
    """Warm kernels for a batch: started ahead of need and recycled between briefs.

    A kernel is started in the background with pandas, plotly and the package imported. After a
    brief succeeds its kernel is reset (user namespace cleared, the package re-imported, so the
    next brief starts from the same state as on a fresh warm kernel) and reused, up to MAX_USES
    briefs; after a failure it is discarded. A test checks that pooled and fresh kernels give
    byte-identical HTML.
    """

    def __init__(self, size: int, env: dict, cwd: Path, total: int, enabled: bool = True):
        import tempfile

        self.env, self.cwd, self.enabled = env, cwd, enabled
        # Unix socket paths are limited to ~100 bytes: keep the kernels' sockets in a short private folder.
        self.socket_dir = Path(tempfile.mkdtemp(prefix="brief-k-"))
        self.ready: queue.Queue = queue.Queue()
        self.threads: list[threading.Thread] = []
        self.closed = False
        self.lock = threading.Lock()
        self.remaining = total  # briefs still to hand a kernel to
        self.live = 0  # kernels started or starting, not yet retired
        self.uses: dict[int, int] = {}
        if enabled:
            for _ in range(min(size, total)):
                self._spawn()

    def _spawn(self) -> None:
        with self.lock:
            self.live += 1

        def run():
            try:
                km = start_kernel(self.env, self.cwd, socket_dir=self.socket_dir)
            except BriefFailure as exc:
                self.ready.put(exc)
                return
            except BaseException as exc:  # noqa: BLE001 - whoever waits for a kernel must hear of it
                self.ready.put(BriefFailure(f"the kernel could not start: {exc}", EXIT_KERNEL))
                return
            if self.closed:
                stop_kernel(km)
            else:
                self.ready.put(km)

        t = threading.Thread(target=run, daemon=True)
        t.start()
        self.threads.append(t)

    def get(self):
        """A warm kernel for the next brief."""
        with self.lock:
            self.remaining -= 1
        if not self.enabled:
            return start_kernel(self.env, self.cwd, socket_dir=self.socket_dir)
        try:
            item = self.ready.get(timeout=180)
        except queue.Empty:
            raise BriefFailure("no kernel became ready within 180 s", EXIT_KERNEL) from None
        if isinstance(item, BaseException):
            self._retired()
            raise item
        return item

    def _retired(self) -> None:
        """A kernel left the pool: start another if briefs are still waiting for one."""
        with self.lock:
            self.live -= 1
            need = self.remaining > self.live and not self.closed
        if need:
            self._spawn()

    def release(self, km, ok: bool) -> None:
        """Return a kernel after a brief: reset and reuse it, or stop it."""
        if not self.enabled:
            stop_kernel(km)
            return
        uses = self.uses.get(id(km), 0) + 1
        self.uses[id(km)] = uses
        with self.lock:
            wanted = self.remaining > 0 and not self.closed
        if ok and wanted and uses < MAX_USES and reset_kernel(km):
            self.ready.put(km)
            return
        stop_kernel(km)
        self._retired()

    def close(self) -> None:
        self.closed = True
        for t in self.threads:
            t.join(timeout=90)
        while not self.ready.empty():
            item = self.ready.get()
            if not isinstance(item, BaseException):
                stop_kernel(item)
        shutil.rmtree(self.socket_dir, ignore_errors=True)


def reset_kernel(km, timeout: float = 30) -> bool:
    """Clear a kernel's state after a brief (see RESET_CODE); False if that failed."""
    try:
        kc = km.blocking_client()
        kc.start_channels()
        try:
            reply = kc.execute_interactive(RESET_CODE, store_history=False, silent=True, timeout=timeout)
            return reply["content"].get("status") == "ok"
        finally:
            kc.stop_channels()
    except Exception:  # noqa: BLE001 - a kernel that cannot be reset is simply not reused
        return False


# --- one brief ----------------------------------------------------------------------------------


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

    source = f"import analysis.load\nanalysis.load.declare_inputs({tuple(brief.tables)!r}, releases={brief.releases!r})"
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


@dataclass(frozen=True)
class Assets:
    """Scripts and styles inlined in every brief."""

    plotly_js: str
    css: str
    render_js: str

    @property
    def geo_js(self) -> str:
        """The basemap for geo charts, handed to plotly.js so it never fetches one from a CDN."""
        return _geo_js()


@functools.cache
def _geo_js() -> str:
    topo = (paths.ASSETS_DIR / "europe_50m.topojson.json").read_text(encoding="utf-8")
    return "window.PlotlyGeoAssets={topojson:{europe_50m:" + topo + "}};"


#: A partial plotly.js holding only the trace types the briefs draw (scripts/build_plotly_bundle.py).
PLOTLY_BUNDLE = "plotly-briefs.min.js"


def load_assets() -> Assets:
    plotly_js = (paths.ASSETS_DIR / PLOTLY_BUNDLE).read_text(encoding="utf-8")
    css = (paths.TEMPLATES_DIR / "brief" / "static" / "brief.css").read_text(encoding="utf-8")
    render_js = (paths.TEMPLATES_DIR / "brief" / "static" / "render.js").read_text(encoding="utf-8")
    return Assets(plotly_js, css, render_js)


def render_html(nb, job: Job, assets: Assets, info: dict, site: bool) -> str:
    """nbconvert with the brief template: no code, no prompts, no parameters cells."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = {"parameters", "injected-parameters", "remove"}
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.extra_template_basedirs = [str(paths.TEMPLATES_DIR)]
    c.HTMLExporter.template_name = "brief"
    exporter = HTMLExporter(config=c)
    exporter.register_preprocessor("nbconvert.preprocessors.TagRemovePreprocessor", enabled=True)
    has_geo = any(
        '"type":"scattergeo"' in json.dumps(o.get("data", {}).get(PLOTLY_MIME, {}), separators=(",", ":"))
        or '"type":"choropleth"' in json.dumps(o.get("data", {}).get(PLOTLY_MIME, {}), separators=(",", ":"))
        for cell in nb.cells
        if cell.cell_type == "code"
        for o in cell.get("outputs", [])
    )
    nb.metadata["title"] = info["title"]
    resources = {
        "brief": {
            **info,
            "plotly_js": None if site else assets.plotly_js,
            "site": site,
            "geo_js": assets.geo_js if has_geo else None,
            "css": assets.css,
            "render_js": assets.render_js,
        }
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return add_toc(body)


_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)(<a class="anchor-link"[^>]*>.*?</a>)?</h2>', re.S)


def add_toc(body: str) -> str:
    """Fill the table of contents from the brief's section headings."""
    items = [f'<li><a href="#{m.group(1)}">{re.sub(r"<[^>]+>", "", m.group(2)).strip()}</a></li>' for m in _H2.finditer(body)]
    return body.replace("<!--brief-toc-->", "<ol>" + "".join(items) + "</ol>", 1)


#: Elements a brief may contain: what the template, nbconvert and the package emit. Anything else
#: (svg, math, iframe, object, embed, form, base, link, img, ...) fails the check.
ALLOWED_TAGS = frozenset(
    "html head body meta title style script header main aside nav footer section article h1 h2 h3 h4 h5 h6 p a div span "
    "strong em b i u s small sub sup code pre kbd blockquote q cite abbr time mark br hr wbr ul ol li dl dt dd table caption "
    "colgroup col thead tbody tfoot tr th td figure figcaption details summary".split()
)
#: Attributes that hold a URL (or a list of them) in HTML, SVG or MathML.
URL_ATTRIBUTES = frozenset("href src action formaction xlink:href data poster srcset background ping lowsrc dynsrc cite codebase longdesc".split())
_EXTERNAL_TAGS = frozenset("script link img iframe source video audio embed object track input".split())
_CSS_EXTERNAL = re.compile(r"url\(\s*[\"']?\s*(?:https?:|//)|@import", re.I)
_CSS_SCRIPT = re.compile(r"expression\s*\(|javascript:|vbscript:|url\(\s*[\"']?\s*(?!data:image/)", re.I)
_RAW_HANDLER = re.compile(r"[\s/\"']on[a-z]+\s*=", re.I)
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]")


def _scheme(value: str) -> str:
    """A URL's scheme as a browser reads it: tabs, newlines and controls ignored, lower case."""
    v = _URL_NOISE.sub("", value).lower()
    return v.split(":", 1)[0] + ":" if ":" in v.split("/", 1)[0] else ""


class _Scan(HTMLParser):
    """Every start tag with its parsed attributes (quotes and entities resolved as a browser does),
    the text of each script and style element, and anything html.parser and a browser could read
    differently (comments holding markup, CDATA, processing instructions)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str], str]] = []
        self.raw: list[tuple[str, dict[str, str], str]] = []  # (tag, attrs, text) of script/style elements
        self.odd: list[str] = []
        self._open: tuple[str, dict[str, str]] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a: dict[str, str] = {}
        for k, v in attrs:
            if k in a:
                self.odd.append(f"duplicate attribute {k!r} in <{tag}>")
            a[k] = v or ""
        self.tags.append((tag, a, self.get_starttag_text() or ""))
        if tag in ("script", "style"):
            self._open, self._text = (tag, a), []

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self.odd.append(f"self-closing <{tag}/>")
            self._open = None

    def handle_data(self, data):
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            self.raw.append((tag, self._open[1], "".join(self._text)))
            self._open = None

    def handle_comment(self, data):
        # Browsers close a comment at "-->", "--!>", or at once for "<!-->": text html.parser keeps
        # inside a comment may be live markup in a browser, so a comment may hold no markup at all.
        if "<" in data or ">" in data or data.startswith("-"):
            self.odd.append(f"comment holding markup: <!--{data[:60]}")

    def handle_decl(self, decl):
        if decl.lower() != "doctype html":
            self.odd.append(f"declaration <!{decl[:60]}>")

    def unknown_decl(self, data):
        self.odd.append(f"declaration <![{data[:60]}")

    def handle_pi(self, data):
        self.odd.append(f"processing instruction <?{data[:60]}")


def scan_html(body: str) -> _Scan:
    """Parse a page with html.parser (see `_Scan`)."""
    scan = _Scan()
    scan.feed(body)
    scan.close()
    if scan._open:
        scan.odd.append(f"unclosed <{scan._open[0]}>")
    return scan


def _script_allowed(attrs: dict[str, str], text: str, assets: Assets) -> bool:
    """Only the scripts this package emits: chart data blocks and our own scripts, byte for byte."""
    if attrs.get("type") == "application/json" and attrs.get("class") == "brief-figure" and _PLOT_ID.fullmatch(attrs.get("data-plot", "")):
        return len(attrs) == 3
    own = {"plotly": assets.plotly_js, "geo": assets.geo_js, "render": assets.render_js}
    if len(attrs) == 1 and attrs.get("data-brief") in own:
        return text == own[attrs["data-brief"]]
    return attrs == {"data-brief": "plotly-site", "src": PLOTLY_BUNDLE} and text == ""


def check_html(body: str, assets: Assets, expected_charts: int, site: bool) -> None:
    """Post-build checks on the final HTML, read by a real HTML parser; BriefFailure on the first problem."""
    if expected_charts == 0:
        raise BriefFailure("the notebook produced no chart")
    scan = scan_html(body)
    if scan.odd:
        raise BriefFailure(f"markup a browser may read differently: {scan.odd[0]}")
    drawn = sum(1 for tag, a, _ in scan.tags if tag == "div" and a.get("class") == "brief-plot")
    if drawn != expected_charts:
        raise BriefFailure(f"the HTML has {drawn} chart(s) where the notebook produced {expected_charts}")
    figure_json = sum(1 for tag, a, _ in scan.raw if tag == "script" and a.get("class") == "brief-figure")
    if figure_json != expected_charts:
        raise BriefFailure(f"the HTML has {figure_json} chart data block(s) for {expected_charts} chart(s)")
    for tag, attrs, text in scan.raw:
        # A browser ends a script or style at "</script" or "</style" followed by any delimiter.
        if f"</{tag}" in text.lower() or (tag == "script" and "<!--" in text):
            raise BriefFailure(f"a <{tag}> element holds text that could end it early: {text[:80]!r}")
        if tag == "script" and not _script_allowed(attrs, text, assets):
            raise BriefFailure(f"unexpected script in the HTML: <script {' '.join(f'{k}={v!r}' for k, v in attrs.items())[:100]}>")
        if tag == "style" and _CSS_EXTERNAL.search(text):
            raise BriefFailure(f"external reference in a stylesheet: {_CSS_EXTERNAL.search(text).group(0)!r}")
    for tag, attrs, raw in scan.tags:
        if tag not in ALLOWED_TAGS:
            raise BriefFailure(f"element <{tag}> is not allowed in a brief: {raw[:120]!r}")
        handler = next((k for k in attrs if k.startswith("on")), None)
        if handler or _RAW_HANDLER.search(raw):
            raise BriefFailure(f"event-handler attribute {handler or 'on*'!r} in the HTML: {raw[:120]!r}")
        if tag == "meta" and ("http-equiv" in attrs or "charset" in attrs and len(attrs) > 1):
            raise BriefFailure(f"meta element not allowed: {raw[:120]!r}")
        for key, value in attrs.items():
            if key in URL_ATTRIBUTES or key.endswith(":href"):
                scheme = _scheme(value)
                if scheme in ("javascript:", "vbscript:", "file:") or (
                    scheme == "data:" and not _URL_NOISE.sub("", value).lower().startswith("data:text/csv;")
                ):
                    raise BriefFailure(f"script or data URL in the HTML: {raw[:120]!r}")
                if tag in _EXTERNAL_TAGS and (scheme in ("http:", "https:") or _URL_NOISE.sub("", value).startswith("//")):
                    raise BriefFailure(f"external reference in the HTML: {raw[:120]!r}")
        if "style" in attrs and _CSS_SCRIPT.search(attrs["style"]):
            raise BriefFailure(f"style attribute with a URL or script: {raw[:120]!r}")
        if "srcdoc" in attrs:
            raise BriefFailure(f"srcdoc attribute in the HTML: {raw[:120]!r}")
    text_outside = body.replace(assets.plotly_js, "")
    if "MathJax" in text_outside or "require.js" in text_outside or "requirejs" in text_outside:
        raise BriefFailure("the HTML references MathJax or require.js")
    size = len(body.encode("utf-8"))
    limit = SITE_BUDGET + (0 if site else len(assets.plotly_js.encode("utf-8")))
    if size > limit:
        raise BriefFailure(f"the HTML is {size:,} bytes, over its {limit:,}-byte limit")


def headline_of(body: str) -> str:
    """The brief's lead (or first chart title) as plain text, for the index."""
    m = re.search(r'<p class="brief-lead">(.*?)</p>', body, re.S)
    if m:
        return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip()
    m = re.search(r'<div class="brief-headlines">(.*?)</div>\s*</div>\s*<p>', body, re.S)
    if m:
        parts = re.findall(r'<span class="brief-number">(.*?)</span>\s*<span>(.*?)</span>', m.group(1), re.S)
        return "; ".join(html.unescape(f"{n.strip()} {label.strip()}") for n, label in parts)
    m = re.search(r'"title":\{"text":"((?:[^"\\]|\\.)*)"', body)
    return html.unescape(json.loads(f'"{m.group(1)}"')) if m else ""


# --- the build ----------------------------------------------------------------------------------


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
        jobs = plan(opts, data_dir)
    except ParameterError as exc:
        raise BuildError(EXIT_USAGE, str(exc)) from None
    preflight(out_dir)
    with build_lock(out_dir, opts.lock_wait):
        removed = clean_leftovers(out_dir)
        if removed:
            opts.log(f"cleaned {len(removed)} leftover temporary file(s) from an interrupted build")
        status = read_status(out_dir)
        tables = table_hashes(data_dir)
        data_key = _sha(json.dumps(tables, sort_keys=True).encode())
        if status.get("validated_data") != data_key:
            from analysis.validate import validate_tables

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
            _build_jobs(todo, opts, data_dir, out_dir, tables, reporter)
        built_any = any(j.state == "built" for j in jobs)
        if opts.site:
            _publish_site_js(out_dir)
        _update_status(out_dir, status, jobs, data_dir)
        if built_any or not (out_dir / "index.html").is_file():
            write_index(out_dir, status)
        if opts.pdf:
            export_pdfs([j for j in jobs if j.state in ("built", "skipped")], out_dir, opts.log)
    failed = [j for j in jobs if j.state == "failed"]
    code_ = EXIT_OK if not failed else max(j_code for j_code in [getattr(j, "code", EXIT_BRIEF) for j in failed])
    return Result(code_, jobs, time.monotonic() - t0)


def _build_jobs(todo: list[Job], opts: Options, data_dir: Path, out_dir: Path, tables: dict, reporter: Reporter) -> None:
    from analysis.load import load_dataset_info

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
                    "title": _title(j),
                    "brief": j.brief.name,
                    "settings": _settings(j),
                    "dataset_version": info_ds.version,
                    "dataset_date": info_ds.dataset_date.strftime("%Y-%m-%d"),
                    "content_hash": j.key[:12],
                    "data_hash": _sha(*[tables.get(t, "").encode() for t in sorted(j.brief.tables)])[:12],
                    "package_version": __version__,
                }
                body = render_html(nb, j, assets, info, opts.site)
                check_html(body, assets, charts, opts.site)
                if table_hashes(data_dir) != tables:
                    raise BriefFailure("the data changed while the build ran; run the build again", EXIT_TEMP)
                data = body.encode("utf-8")
                write_atomic(out_dir / j.file_name, data, staging)
                j.state, j.size, j.headline, j.html_sha = "built", len(data), headline_of(body), _sha(data)[:16]
                with contextlib.suppress(FileNotFoundError):
                    (failed_dir / f"{j.stem}.ipynb").unlink()
            except BriefFailure as exc:
                j.state, j.message = "failed", str(exc)
                j.code = exc.code  # type: ignore[attr-defined]
                _keep_failed(nb, j, failed_dir, scratch)
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


def _keep_failed(nb, job: Job, failed_dir: Path, scratch: Path) -> None:
    """Keep the executed (or partly executed) notebook of a failed brief under _failed/."""
    import nbformat

    with contextlib.suppress(OSError):
        failed_dir.mkdir(exist_ok=True)
        if nb is not None:
            write_atomic(failed_dir / f"{job.stem}.ipynb", nbformat.writes(nb).encode("utf-8"))
        elif scratch.is_file():
            os.replace(scratch, failed_dir / f"{job.stem}.ipynb")


def _title(job: Job) -> str:
    v = job.values
    if job.brief.name == "round":
        t = f"Round brief: {v.get('round_id') or 'newest round'}"
    else:
        t = job.brief.title
    if v.get("as_of"):
        t += f" (as of {v['as_of']})"
    return t


def _settings(job: Job) -> list[dict]:
    return [{"name": p.name, "value": job.values[p.name], "help": p.help} for p in job.brief.params]


def read_status(out_dir: Path) -> dict:
    try:
        return json.loads((out_dir / STATUS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _update_status(out_dir: Path, status: dict, jobs: list[Job], data_dir: Path) -> None:
    from analysis.params import dataset_date

    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    briefs = status.setdefault("briefs", {})
    meta = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    for j in jobs:
        rec = briefs.setdefault(j.stem, {})
        rec.update({"brief": j.brief.name, "params": j.values, "file": j.file_name, "title": _title(j)})
        if j.state == "built":
            rec["previous_sha"] = rec.get("sha", "")
            rec.update(
                {
                    "key": j.key,
                    "size": j.size,
                    "sha": j.html_sha,
                    "headline": j.headline,
                    "last_success": now,
                    "dataset_version": meta.get("version"),
                    "last_build_seconds": round(j.seconds, 2),
                }
            )
            rec.pop("last_error", None)
        elif j.state == "failed":
            rec.update({"last_failure": now, "last_error": j.message})
    status["last_build"] = now
    status["dataset_version"] = meta.get("version")
    status["dataset_date"] = str(dataset_date(data_dir))
    write_atomic(out_dir / STATUS_FILE, json.dumps(status, indent=2, sort_keys=True).encode("utf-8"))


def _publish_site_js(out_dir: Path) -> None:
    data = (paths.ASSETS_DIR / PLOTLY_BUNDLE).read_bytes()
    target = out_dir / PLOTLY_BUNDLE
    if not target.is_file() or target.read_bytes() != data:
        write_atomic(target, data)


def write_index(out_dir: Path, status: dict) -> None:
    """reports/index.html: every brief with its headline, dataset version and build date."""
    from analysis.index import render_index

    write_atomic(out_dir / "index.html", render_index(status).encode("utf-8"))


def export_pdfs(jobs: list[Job], out_dir: Path, log: Callable[[str], None]) -> None:
    """Print each brief to PDF with headless Chromium (charts drawn before printing)."""
    import subprocess

    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chromium:
        raise BuildError(EXIT_NO_INPUT, "--pdf needs Chromium (make browser, or apt-get install chromium)")
    pdf_dir = out_dir / "pdf"
    pdf_dir.mkdir(exist_ok=True)
    for j in jobs:
        target = pdf_dir / f"{j.stem}.pdf"
        tmp = pdf_dir / f".{j.stem}.pdf.tmp"
        t = time.monotonic()
        cmd = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--run-all-compositor-stages-before-draw",
            "--virtual-time-budget=10000",
            f"--user-data-dir={pdf_dir / '.chromium'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={tmp}",
            (out_dir / j.file_name).as_uri(),
        ]
        proc = subprocess.run(cmd, capture_output=True, timeout=120)
        if proc.returncode != 0 or not tmp.is_file():
            tmp.unlink(missing_ok=True)
            raise BuildError(EXIT_BRIEF, f"PDF export of {j.stem} failed: {proc.stderr.decode(errors='replace')[-300:]}")
        os.replace(tmp, target)
        log(f"pdf {target.relative_to(out_dir)} {target.stat().st_size / 1024:,.0f} KB {time.monotonic() - t:.1f} s")
    shutil.rmtree(pdf_dir / ".chromium", ignore_errors=True)
