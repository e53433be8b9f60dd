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
from analysis.dataset.schema import TABLES, table_schema
from analysis.params import BRIEFS

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
def test_notebook_has_one_typed_parameters_cell_matching_params_py(nb):
    brief = next(b for b in BRIEFS.values() if b.notebook == nb.name)
    param_cells = [src for kind, head, src in _cells(nb) if 'tags=["parameters"]' in head]
    assert len(param_cells) == 1, "exactly one parameters cell"
    declared = []
    for line in param_cells[0].strip().splitlines():
        m = re.fullmatch(r'(\w+): (str|int) = (".*?"|\d+)  # (.+)', line)
        assert m, f"parameter line must read `name: type = default  # help`, got {line!r}"
        declared.append((m.group(1), m.group(2), ast.literal_eval(m.group(3)), m.group(4)))
    expected = [(p.name, p.python_type, p.default, p.help) for p in brief.params]
    assert declared == expected


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
    assert conda_side == pip_side
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section == ["-e ."]


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


def test_imports_flow_one_way():
    order = {
        "paths": 0,
        "schema": 1,
        "geo": 1,
        "load": 2,
        "validate": 3,
        "metrics": 3,
        "theme": 3,
        "charts": 4,
        "text": 5,
        "params": 1,
        "index": 1,
        "consistency": 5,
        "build": 6,
        "cli": 7,
        "__main__": 8,
        "__init__": -1,
    }
    for py in sorted(paths.PACKAGE_DIR.glob("*.py")):
        mod = py.stem
        tree = ast.parse(py.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analysis"):
                names = [a.name for a in node.names] if node.module == "analysis" else [node.module.split(".")[1]]
                for n in names:
                    if n in order and n != "__version__":
                        assert n != "build" or mod in {"cli"}, f"{mod} must not import build"
                        assert order[n] <= order[mod], f"{mod} imports {n}: imports must flow one way"


def test_notebooks_ignore_ipynb_copies():
    assert "notebooks/*.ipynb" in (ROOT / ".gitignore").read_text()
