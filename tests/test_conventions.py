"""Conventions: schemas cover the data, notebooks stay thin and match their declared parameters,
the conda and pip routes agree, generated files are current, vendored assets match the library."""

from __future__ import annotations

import ast
import csv
import json
import re
from pathlib import Path

import pytest
import yaml

from analysis import paths
from analysis.briefs import BRIEFS
from analysis.dataset.schema import TABLES, table_schema

ROOT = paths.ROOT
NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob("*.py"))
ALLOWED_IMPORTS = {"dataset", "metrics", "present"}


@pytest.mark.parametrize("table", TABLES)
def test_every_csv_column_is_in_its_schema_and_back(table):
    with (ROOT / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == table_schema(table).field_names


def test_every_csv_in_data_has_a_schema():
    assert {p.stem for p in (ROOT / "data").glob("*.csv")} == set(TABLES)


def test_every_brief_has_its_notebook_and_every_notebook_a_brief():
    assert {b.notebook for b in BRIEFS.values()} == {p.name for p in NOTEBOOKS}


def _cells(path: Path) -> list[tuple[str, str, str]]:
    """(kind, header line, source) per cell of a percent-format notebook."""
    text = path.read_text(encoding="utf-8")
    parts = re.split(r"^(# %%.*)$", text, flags=re.M)
    return [(("markdown" if "[markdown]" in parts[i] else "code"), parts[i], parts[i + 1]) for i in range(1, len(parts), 2)]


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_declares_each_parameter_once_typed_with_help_and_every_parameter_has_a_rule(nb):
    """Names, types, defaults and help live in the notebook; analysis/briefs.py adds only rules."""
    brief = next(b for b in BRIEFS.values() if b.notebook == nb.name)
    param_cells = [src for kind, head, src in _cells(nb) if 'tags=["parameters"]' in head]
    assert len(param_cells) == 1, "exactly one parameters cell"
    lines = param_cells[0].strip().splitlines()
    for line in lines:
        assert re.fullmatch(r'(\w+): (str|int) = (".*?"|\d+)  # (.+)', line), f"parameter line must read `name: type = default  # help`, got {line!r}"
    params = brief.params  # raises DeclarationError when a parameter lacks a rule or a rule names no parameter
    assert [p.name for p in params] == [line.split(":")[0] for line in lines]
    assert [p.help for p in params] == [line.split("  # ", 1)[1] for line in lines]
    assert set(brief.rules) == {p.name for p in params}


def test_a_rule_without_a_parameter_is_refused():
    from analysis.briefs import TEXT, DeclarationError

    brief = BRIEFS["exchanges"]
    broken = type(brief)(**{**brief.__dict__, "rules": {**brief.rules, "colour": TEXT}})
    with pytest.raises(DeclarationError, match="colour"):
        _ = broken.params


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_code_is_thin(nb):
    for kind, head, src in _cells(nb):
        if kind != "code":
            continue
        tree = ast.parse(src)
        for node in ast.walk(tree):
            assert not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)), (
                f"{nb.name}: no def/class/lambda in notebooks"
            )
            if isinstance(node, ast.ImportFrom):
                assert node.module == "analysis" and {a.name for a in node.names} <= ALLOWED_IMPORTS, f"{nb.name}: imports only {ALLOWED_IMPORTS}"
            assert not isinstance(node, ast.Import), f"{nb.name}: import only from analysis"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"open", "print", "exec", "eval"}, f"{nb.name}: no {node.func.id}() in notebooks"
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not re.search(r"(^|/)(data|reports)/|\.csv$|\.html$", node.value), f"{nb.name}: no file paths in notebooks: {node.value!r}"
            if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
                assert node.value in (0, 1) or head.strip().endswith('tags=["parameters"]'), f"{nb.name}: hard-coded number {node.value}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_header_names_the_kernel(nb):
    head = nb.read_text(encoding="utf-8").split("# ---", 2)[1]
    meta = yaml.safe_load("\n".join(line[2:] for line in head.strip().splitlines()))
    assert meta["jupyter"]["kernelspec"]["name"] == "python3"
    assert meta["jupyter"]["jupytext"]["text_representation"]["format_name"] == "percent"


def _norm(req: str) -> str:
    name = re.split(r"[<>=!~ ]", req, maxsplit=1)[0].strip().lower().replace("_", "-")
    return name + req[len(re.split(r"[<>=!~ ]", req, maxsplit=1)[0]) :].replace(" ", "")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pip_side = {_norm(d) for d in project["dependencies"] + project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda_side = {_norm(d) for d in env["dependencies"] if isinstance(d, str) and not d.startswith(("python", "pip"))}
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section[-1] == "-e ."
    # Packages that conda-forge does not carry come from PyPI in the pip section.
    assert conda_side | {_norm(d) for d in pip_section[:-1]} == pip_side


def test_lock_file_pins_every_direct_dependency():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pinned = {line.split("==")[0].lower().replace("_", "-") for line in (ROOT / "requirements.lock").read_text().splitlines() if "==" in line}
    direct = {re.split(r"[<>=!~]", d)[0].lower().replace("_", "-") for d in project["dependencies"] + project["optional-dependencies"]["dev"]}
    assert direct <= pinned


def test_nbconvert_has_the_security_fixes():
    from importlib.metadata import version

    major, minor, patch = (int(x) for x in version("nbconvert").split(".")[:3])
    assert (major, minor, patch) >= (7, 17, 1)


def test_codebook_is_generated_from_the_current_schemas():
    from analysis.dataset.codebook import render_codebook
    from analysis.dataset.tables import load_dataset_info
    from analysis.dataset.validate import validate_tables

    info = load_dataset_info(ROOT / "data")
    expected = render_codebook(info.version, info.dataset_date.strftime("%Y-%m-%d"), validate_tables(ROOT / "data").row_counts)
    assert (ROOT / "data" / "README.md").read_text(encoding="utf-8") == expected, "run `make codebook`"


def test_vendored_geo_assets_match_the_installed_plotly_js():
    import plotly.offline

    versions = json.loads((paths.ASSETS_DIR / "versions.json").read_text(encoding="utf-8"))
    assert versions["plotly.js"] == plotly.offline.get_plotlyjs_version()
    assert versions["plotly-briefs"] == plotly.offline.get_plotlyjs_version()
    first_line = (paths.ASSETS_DIR / "plotly-briefs.min.js").read_text(encoding="utf-8").splitlines()[0]
    assert f"plotly.js v{plotly.offline.get_plotlyjs_version()}" in first_line


def test_charts_use_only_trace_types_in_the_partial_bundle():
    """A trace type missing from plotly-briefs.min.js would draw nothing, silently."""
    bundled = {"Scatter", "Bar", "Heatmap", "Scattergeo", "Choropleth"}
    used = set(
        re.findall(r"go\.([A-Z][a-zA-Z]+)\(", "".join(p.read_text(encoding="utf-8") for p in (paths.PACKAGE_DIR / "present" / "charts").glob("*.py")))
    )
    assert used - {"Figure"} <= bundled


#: The stages, bottom up: a module may import its own stage and the stages below it, never above.
LAYERS = {"paths": 0, "contract": 0, "dataset": 1, "metrics": 2, "present": 3, "briefs": 4, "curate": 4, "build": 5, "cli": 6, "__main__": 7}


def _package_imports() -> dict[str, set[str]]:
    """Module -> the package modules it imports (anywhere in the file, lazy imports included)."""
    graph: dict[str, set[str]] = {}
    for py in sorted(paths.PACKAGE_DIR.rglob("*.py")):
        rel = py.relative_to(paths.PACKAGE_DIR.parent).with_suffix("")
        mod = ".".join(rel.parts).removesuffix(".__init__")
        targets: set[str] = set()
        for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "analysis":
                for a in node.names:
                    full = f"{node.module}.{a.name}"
                    targets.add(full if (paths.PACKAGE_DIR.parent / full.replace(".", "/")).with_suffix(".py").exists() else node.module)
            elif isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name.split(".")[0] == "analysis"}
        graph[mod] = {t for t in targets if t != mod}
    return graph


def _layer(mod: str) -> int:
    parts = mod.split(".")
    return -1 if len(parts) == 1 else LAYERS[parts[1]]


def test_imports_flow_one_way():
    for mod, targets in _package_imports().items():
        for t in targets:
            if t == "analysis":  # `from analysis import __version__`
                continue
            assert _layer(t) <= _layer(mod), f"{mod} imports {t}: imports must flow paths -> dataset -> metrics -> present -> briefs -> build -> cli"


def test_the_package_has_no_import_circles():
    graph = _package_imports()
    state: dict[str, int] = {}

    def visit(mod: str, trail: list[str]) -> None:
        state[mod] = 1
        for t in sorted(graph.get(mod, ())):
            if t not in graph:
                continue
            assert state.get(t) != 1, "import circle: " + " -> ".join([*trail, mod, t])
            if t not in state:
                visit(t, [*trail, mod])
        state[mod] = 2

    for mod in graph:
        if mod not in state:
            visit(mod, [])


def test_importing_the_package_changes_no_global_state():
    """Plotly's default renderer and template registry are the same before and after every import."""
    code = (
        "import plotly.io as pio\n"
        "before = (pio.renderers.default, sorted(pio.templates), pio.templates.default)\n"
        "import analysis.dataset, analysis.metrics, analysis.present, analysis.briefs, analysis.build, analysis.cli\n"
        "after = (pio.renderers.default, sorted(pio.templates), pio.templates.default)\n"
        "assert before == after, (before, after)\n"
    )
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr


def test_no_module_is_over_about_400_lines():
    long = {str(p.relative_to(ROOT)): n for p in paths.PACKAGE_DIR.rglob("*.py") if (n := len(p.read_text(encoding="utf-8").splitlines())) > 420}
    assert not long, long


def test_notebooks_ignore_ipynb_copies():
    assert "notebooks/*.ipynb" in (ROOT / ".gitignore").read_text()


def test_the_bad_input_catalogue_names_real_tests_and_every_row_test_is_listed():
    doc = (ROOT / "docs" / "bad-inputs.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(tests/[\w/]+\.py)::(test_\w+)`", doc))
    assert named, "docs/bad-inputs.md names no tests"
    for path, name in named:
        assert re.search(rf"^def {name}\(", (ROOT / path).read_text(encoding="utf-8"), re.M), (
            f"docs/bad-inputs.md names {path}::{name}, which does not exist"
        )
    rows = {int(n): cell for n, cell in re.findall(r"^\| (\d+) \|.*\| ([^|]*) \|$", doc, re.M)}
    for py in sorted((ROOT / "tests").rglob("test_*.py")):
        rel = py.relative_to(ROOT).as_posix()
        for m in re.finditer(r"^def (test_row(\d+)(?:_(\d+))?_\w+)\(", py.read_text(encoding="utf-8"), re.M):
            for row in {int(m.group(2)), *([int(m.group(3))] if m.group(3) else [])}:
                assert row in rows, f"{rel}::{m.group(1)} refers to row {row}, which docs/bad-inputs.md does not have"
                assert f"`{rel}::{m.group(1)}`" in rows[row], f"row {row} of docs/bad-inputs.md does not list {rel}::{m.group(1)}"


def test_the_tests_that_share_one_reading_of_the_briefs_run_in_one_worker():
    from tests.conftest import modules_reading_together

    uses = re.compile(r"def test_\w+\([^)]*\breadings\b")
    using = {p.relative_to(ROOT).as_posix() for p in (ROOT / "tests").rglob("test_*.py") if uses.search(p.read_text(encoding="utf-8"))}
    assert len(using) >= 5
    assert modules_reading_together() == using
