#!/usr/bin/env python3
"""Build a partial plotly.js bundle holding only the trace types the briefs use.

Run from anywhere:  python scripts/build_plotly_bundle.py

Writes ``analysis/assets/plotly-briefs.min.js``: plotly.js core (which always
contains ``scatter``) plus the trace modules in ``TRACE_MODULES``, minified by
esbuild as an IIFE and wrapped exactly like the official ``plotly.min.js``
(a UMD-style factory ending in ``window.Plotly = Plotly``), so a page uses it
the same way: ``Plotly.newPlot(...)``, ``window.PlotlyGeoAssets`` for the
basemap.  About 1.4 MB instead of about 4.8 MB for the full bundle.

What it does (stdlib only; needs ``npm`` on PATH and the npm registry):

1. In a temporary directory, ``npm install --no-audit --no-fund
   --ignore-scripts --before=<date> plotly.js@<version> esbuild@<pinned>``.
   <version> is the plotly.js bundled with the installed Python ``plotly``
   (override: --plotlyjs-version); esbuild is pinned below.  ``--before`` is
   the UTC midnight after the later of the two packages' publish times, so the
   transitive dependencies (plotly.js declares most with ``^`` ranges) resolve
   to what existed then, and a rebuild next year gives the same bytes.
2. esbuild an entry that registers the trace modules on ``plotly.js/lib/core``,
   with the options plotly.js's own ``esbuild-config.js`` uses that matter for
   these traces (IIFE, global name ``Plotly``, ``global`` -> ``window``,
   ``define.amd`` -> ``false``, target es2016), minified.
3. Prepend a one-line header comment (plotly.js version, trace modules,
   esbuild version, MIT licence), wrap, check, write; add the keys
   ``plotly-briefs`` and ``esbuild`` to ``analysis/assets/versions.json``
   (other keys untouched); copy plotly.js's LICENSE to
   ``analysis/assets/LICENSES/plotly.js-LICENSE.txt`` if it is not there.

Deterministic: two runs give byte-identical output (``--check`` rebuilds and
compares with the file on disk without writing anything).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Run as a script: scripts/ is on sys.path, so the sibling vendoring script can share its helper.
from vendor_assets import bundled_plotlyjs_version, record_versions

REPO = Path(__file__).resolve().parent.parent
ASSETS = REPO / "analysis" / "assets"
OUT_NAME = "plotly-briefs.min.js"

# esbuild is pinned so that a rebuild is reproducible; bump deliberately.
# (plotly.js 4.1.1 itself declares devDependency esbuild ^0.28.1.)
ESBUILD_VERSION = "0.28.2"

# Trace modules registered on top of plotly.js/lib/core.  Keep in step with the
# go.<Trace> types used in analysis/charts.py.  "scatter" is part of core anyway;
# it is listed so the bundle keeps it should core ever stop including it.
TRACE_MODULES = ("scatter", "bar", "heatmap", "scattergeo", "choropleth")

# The wrapper of the official dist/plotly.min.js (plotly.js 3.x/4.x), verbatim,
# so that the global ``Plotly`` is exposed exactly as the full bundle does it.
WRAP_HEAD = """(
 function(root, factory) {
  if (typeof module === "object" && module.exports) {
   module.exports = factory();
  } else {
   root.moduleName = factory();
  }
} (typeof self !== "undefined" ? self : this, () => {
"""
WRAP_TAIL = """
window.Plotly = Plotly;
return Plotly;
}));
"""


def run(cmd, cwd: Path) -> str:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        sys.exit(f"command failed ({proc.returncode}): {' '.join(map(str, cmd))}")
    return proc.stdout + proc.stderr


def publish_time(npm: str, name: str, version: str, cwd: Path) -> dt.datetime:
    times = json.loads(run([npm, "view", name, "time", "--json"], cwd))
    if version not in times:
        sys.exit(f"{name}@{version} is not on the npm registry")
    return dt.datetime.fromisoformat(times[version].replace("Z", "+00:00"))


def before_date(npm: str, pjs_version: str, esbuild_version: str, cwd: Path) -> str:
    latest = max(publish_time(npm, "plotly.js", pjs_version, cwd), publish_time(npm, "esbuild", esbuild_version, cwd))
    day = latest.astimezone(dt.UTC).date() + dt.timedelta(days=1)
    return f"{day.isoformat()}T00:00:00Z"


def entry_source() -> str:
    lines = ["'use strict';", "var Plotly = require('plotly.js/lib/core');", "Plotly.register(["]
    lines.append(",\n".join(f"    require('plotly.js/lib/{m}')" for m in TRACE_MODULES))
    lines += ["]);", "module.exports = Plotly;", ""]
    return "\n".join(lines)


def header_line(pjs_version: str, esbuild_version: str, copyright_line: str) -> str:
    mods = ", ".join(TRACE_MODULES)
    text = (
        f"/*! {OUT_NAME}: partial bundle of plotly.js v{pjs_version} (lib/core + trace modules: {mods}); "
        f"minified with esbuild {esbuild_version} by scripts/build_plotly_bundle.py. "
        f"plotly.js is licensed under the MIT License, {copyright_line} "
        f"(analysis/assets/LICENSES/plotly.js-LICENSE.txt); bundled third-party notices at the end. */"
    )
    assert "\n" not in text and "*/" not in text[:-2]
    return text + "\n"


def build(pjs_version: str, esbuild_version: str, before: str | None):
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm not found on PATH; it is needed to fetch plotly.js and esbuild")
    with tempfile.TemporaryDirectory(prefix="plotly_bundle_") as tmp:
        tmp = Path(tmp)
        (tmp / "package.json").write_text('{"name": "plotly-briefs-build", "private": true}\n', encoding="utf-8")
        if before is None:
            before = before_date(npm, pjs_version, esbuild_version, tmp)
        print(f"npm install plotly.js@{pjs_version} esbuild@{esbuild_version} (--before={before}) ...", flush=True)
        run(
            [
                npm,
                "install",
                "--no-audit",
                "--no-fund",
                "--ignore-scripts",
                "--loglevel=error",
                f"--before={before}",
                f"plotly.js@{pjs_version}",
                f"esbuild@{esbuild_version}",
            ],
            tmp,
        )
        nm = tmp / "node_modules"
        got_pjs = json.loads((nm / "plotly.js" / "package.json").read_text(encoding="utf-8"))["version"]
        got_esb = json.loads((nm / "esbuild" / "package.json").read_text(encoding="utf-8"))["version"]
        if (got_pjs, got_esb) != (pjs_version, esbuild_version):
            sys.exit(f"npm installed plotly.js@{got_pjs} esbuild@{got_esb}, expected {pjs_version} / {esbuild_version}")
        for m in TRACE_MODULES:
            if not (nm / "plotly.js" / "lib" / f"{m}.js").is_file():
                sys.exit(f"plotly.js@{pjs_version} has no lib/{m}.js")
        n_packages = len(json.loads((tmp / "package-lock.json").read_text(encoding="utf-8"))["packages"]) - 1

        (tmp / "entry.js").write_text(entry_source(), encoding="utf-8")
        log = run(
            [
                str(nm / ".bin" / "esbuild"),
                "entry.js",
                "--bundle",
                "--format=iife",
                "--global-name=Plotly",
                "--minify",
                "--target=es2016",
                "--define:global=window",
                "--define:define.amd=false",
                "--legal-comments=eof",
                "--log-level=warning",
                "--outfile=out.js",
            ],
            tmp,
        )
        if log.strip():
            print(log.rstrip())
        body = (tmp / "out.js").read_text(encoding="utf-8")

        license_text = (nm / "plotly.js" / "LICENSE").read_text(encoding="utf-8")
        m = re.search(r"^Copyright .*$", license_text, re.M)
        copyright_line = m.group(0).strip() if m else "Copyright Plotly, Inc."
        if not license_text.lstrip().startswith("MIT License"):
            sys.exit("plotly.js LICENSE is not the MIT License any more; review before bundling")

    # The esbuild IIFE must define the top-level `var Plotly` the wrapper returns.
    if not body.startswith('"use strict";var Plotly=(()=>{'):
        sys.exit(f"unexpected esbuild output start: {body[:80]!r}")
    if re.search(r"</script|<!--", body, re.I):
        sys.exit("bundle contains '</script' or '<!--', which would break inlining it in HTML")
    text = header_line(pjs_version, esbuild_version, copyright_line) + WRAP_HEAD + body.rstrip("\n") + "\n" + WRAP_TAIL
    return text.encode("utf-8"), license_text, n_packages, before


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plotlyjs-version", help="default: version bundled with Python plotly")
    ap.add_argument("--esbuild-version", default=ESBUILD_VERSION)
    ap.add_argument("--before", help="npm --before date for dependency resolution (default: day after the later publish time)")
    ap.add_argument("--check", action="store_true", help="rebuild and compare with the file on disk; write nothing")
    args = ap.parse_args(argv)
    pjs_version = args.plotlyjs_version or bundled_plotlyjs_version()

    data, license_text, n_packages, before = build(pjs_version, args.esbuild_version, args.before)
    out = ASSETS / OUT_NAME
    digest = hashlib.sha256(data).hexdigest()
    if args.check:
        current = out.read_bytes() if out.is_file() else b""
        ok = current == data
        print(f"{out.relative_to(REPO)}: {'up to date' if ok else 'DIFFERS from a fresh build'} (fresh sha256 {digest})")
        return 0 if ok else 1

    out.write_bytes(data)

    lic = ASSETS / "LICENSES" / "plotly.js-LICENSE.txt"
    if not lic.is_file():
        lic.parent.mkdir(parents=True, exist_ok=True)
        lic.write_text(license_text, encoding="utf-8")
        print(f"wrote {lic.relative_to(REPO)}")
    elif lic.read_text(encoding="utf-8") != license_text:
        print(f"note: {lic.relative_to(REPO)} differs from plotly.js@{pjs_version}'s LICENSE; left as is")

    record_versions({"plotly-briefs": pjs_version, "esbuild": args.esbuild_version})

    print(f"{out.relative_to(REPO)}: {len(data):,} bytes, sha256 {digest}")
    print(f"plotly.js {pjs_version} + esbuild {args.esbuild_version}, {n_packages} npm packages resolved --before={before}")
    print(f"trace modules: {', '.join(TRACE_MODULES)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
