"""Parameters are checked before any kernel starts (BAD-INPUTS row 17)."""

from __future__ import annotations

import pytest

from analysis import build
from analysis.briefs import BRIEFS, ParameterError, parse_assignments
from analysis.build import kernels
from tests.conftest import FIXTURE_DATA


@pytest.fixture(autouse=True)
def no_kernels(monkeypatch):
    def forbidden(*a, **k):
        raise AssertionError("a kernel was started for a rejected build")

    monkeypatch.setattr(kernels, "start_kernel", forbidden)


def _run(tmp_path, briefs, params):
    return build.run(build.Options(briefs=briefs, params=params, data_dir=FIXTURE_DATA, out_dir=tmp_path / "out", log=lambda s: None))


def test_row17_unknown_parameter_name_gets_did_you_mean(tmp_path):
    with pytest.raises(build.BuildError) as exc:
        _run(tmp_path, ["round"], {"round_idd": "x"})
    assert exc.value.code == 64
    assert "Did you mean 'round_id'" in str(exc.value)


def test_row17_misspelled_brief_name(tmp_path):
    with pytest.raises(build.BuildError) as exc:
        _run(tmp_path, ["exchange"], {})
    assert exc.value.code == 64 and "Did you mean 'exchanges'" in str(exc.value)


@pytest.mark.parametrize(
    ("brief", "name", "value", "expect"),
    [
        ("round", "claims_weeks", "three", "expected a whole number"),
        ("round", "claims_weeks", "3.5", "expected a whole number"),
        ("round", "claims_weeks", "0", "out of range; allowed 1..52"),
        ("round", "claims_weeks", "999", "out of range"),
        ("round", "as_of", "2023-13-45", "expected an ISO date"),
        ("round", "as_of", "03/04/2021", "expected an ISO date"),
        ("round", "as_of", "2099-01-01", "out of range"),
        ("round", "round_id", "2025-07-23-istanbl", "Did you mean '2025-07-23-istanbul'"),
        ("round", "round_id", "../../etc/passwd", "looks like a file path"),
        ("territory", "oblast", "/tmp/x", "looks like a file path"),
        ("positions", "topics", "ceasefire,teritory", "Did you mean 'territory'"),
    ],
)
def test_row17_bad_values_are_rejected_with_allowed_values(tmp_path, brief, name, value, expect):
    with pytest.raises(build.BuildError) as exc:
        _run(tmp_path, [brief], {name: value})
    assert exc.value.code == 64
    assert expect in str(exc.value)
    assert not (tmp_path / "out" / "status.json").exists()


def test_row17_malformed_assignment():
    with pytest.raises(ParameterError):
        parse_assignments(["round_id"])
    assert parse_assignments(["note=a=b"]) == {"note": "a=b"}


def test_row18_hostile_text_is_accepted_unchanged():
    value = 'He said "stop"; it\'s C:\\path\\n and\nnew line {{7*7}} $x$ <script>'
    assert BRIEFS["round"].param("note").check(value, FIXTURE_DATA) == value


def test_cli_exit_code_for_bad_parameters(capsys):
    from analysis.cli import main

    assert main(["build", "round", "-p", "claims_weekz=2", "--data", str(FIXTURE_DATA)]) == 64
    assert "Did you mean 'claims_weeks'" in capsys.readouterr().err


def test_the_parameters_cell_reads_as_papermill_reads_it():
    """briefs reads each notebook's parameters cell with ast (fast); papermill and jupytext must agree."""
    import jupytext
    from papermill.translators import PythonTranslator

    from analysis.briefs import BRIEFS, notebook_parameters

    for brief in BRIEFS.values():
        nb = jupytext.read(brief.notebook_path)
        (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        theirs = tuple((p.name, p.inferred_type_name, p.default, p.help) for p in PythonTranslator.inspect(cell))
        assert notebook_parameters(brief.notebook_path) == theirs, brief.notebook
        assert theirs, brief.notebook
