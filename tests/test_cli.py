"""The command line on bad files, bad parameters and closed pipes (docs/bad-inputs.md rows 28-34 and 36):
every fault ends in one clear line and an exit code of the README's table, never a traceback, and
parameters are refused before any kernel starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.build import kernels, publish
from analysis.build.plan import Options, PlanConflict, plan_jobs
from analysis.cli import main
from tests.build.sandbox import cli as sandboxed_cli
from tests.build.sandbox import no_traceback, sandbox_env
from tests.conftest import FIXTURE_DATA, ROOT
from tests.dataset.badfiles import label, read_rows, set_cell, write_rows


@pytest.fixture
def no_kernels(monkeypatch):
    monkeypatch.setattr(kernels, "start_kernel", lambda *a, **k: pytest.fail("a kernel was started"))


def run_main(capsys, *args) -> tuple[int, str, str]:
    """main(ARGS) in this process: an exception escaping it would be a traceback for the user."""
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:  # argparse's way out, as for the user: no traceback
        code = exc.code
    cap = capsys.readouterr()
    assert "Traceback" not in cap.err and "Traceback" not in cap.out
    return code, cap.out, cap.err


def last(err: str) -> str:
    return err.strip().splitlines()[-1]


# --- bad data files: each makes the fault happen in a copy of the fixture data ---------------------


def _non_iso_date(d: Path) -> str:
    set_cell(d, "rounds", 2, "start_date", "22/07/2025")
    return f"ERROR {label(d, 'rounds')}:2:2: start_date must be an ISO date YYYY-MM-DD, got '22/07/2025' [type-error]"


def _bad_utf8(d: Path) -> str:
    p = d / "rounds.csv"
    data = p.read_bytes()
    second = data.index(b"\n") + 1
    p.write_bytes(data[:second] + b"\xff" + data[second:])
    return f"ERROR {label(d, 'rounds')}:2:1: not valid UTF-8 (byte offset {second}), got 'ff 32 30 32' [encoding]"


def _renamed_header(d: Path) -> str:
    rows = read_rows(d, "rounds")
    rows[0][rows[0].index("start_date")] = "start_dt"
    write_rows(d, "rounds", rows)
    return f"ERROR {label(d, 'rounds')}:1:2: unknown column; did you mean 'start_date'?, got 'start_dt' [header-unknown]"


def _huge_cell(d: Path) -> str:
    set_cell(d, "rounds", 3, "notes", "n" * 200_000)
    return f"ERROR {label(d, 'rounds')}:3:"  # the column and message depend on the csv module's field limit in force


def _broken_datapackage(d: Path) -> str:
    (d / "datapackage.json").write_text('{"version": "1.1.0", "dataset_date": ', encoding="utf-8")
    return f"ERROR {d.resolve() / 'datapackage.json'}: cannot read the dataset version and date, got 'Expecting value: line 1 column 38 (char 37)' [metadata]"


def _folder_csv(d: Path) -> str:
    (d / "deadlines.csv").unlink()
    (d / "deadlines.csv").mkdir()
    return f"ERROR {label(d, 'deadlines')}: is a folder, not a CSV file"


def _device_csv(d: Path) -> str:
    (d / "deadlines.csv").unlink()
    (d / "deadlines.csv").symlink_to("/dev/zero")
    return f"ERROR {d.resolve() / 'deadlines.csv'}: is not a regular file (a device, pipe or socket), not a CSV file"


def _blank_flood(d: Path) -> str:
    with (d / "deadlines.csv").open("a", encoding="utf-8") as fh:
        fh.write("\n" * 1_000_000)
    return "more than 10,000 blank lines: the file looks damaged; remove them"


def _long_round_id(d: Path) -> str:
    rows = read_rows(d, "rounds")
    rows.append(["2025-07-23-" + "a" * 250, *rows[1][1:]])
    write_rows(d, "rounds", rows)
    return "round_id is 261 bytes long; at most 200, so that its briefs' file names fit"


def _eve_collision(d: Path) -> str:
    rows = read_rows(d, "rounds")
    rows.append(["2025-07-23-istanbul-as-of-2025-07-22", *rows[1][1:]])
    write_rows(d, "rounds", rows)
    return "round_id must not end in -as-of-YYYY-MM-DD"


#: fault -> (make it, exit code of build/validate/codebook/release, of list, of consistency)
BAD_DATA = {
    "rounds-non-iso-date": (_non_iso_date, 65, 65, 65),
    "rounds-bad-utf8": (_bad_utf8, 65, 65, 65),
    "rounds-renamed-header": (_renamed_header, 65, 65, 65),
    "rounds-200000-character-cell": (_huge_cell, 65, 65, 65),
    "broken-datapackage": (_broken_datapackage, 65, 0, 65),
    "folder-named-like-a-csv": (_folder_csv, 66, 0, 66),
    "device-named-like-a-csv": (_device_csv, 66, 0, 66),
    "a-million-blank-lines": (_blank_flood, 65, 0, 65),
    "round-id-too-long": (_long_round_id, 65, 0, 0),
    "round-id-like-an-eve-brief": (_eve_collision, 65, 0, 0),
}


@pytest.mark.parametrize("fault", [k for k in BAD_DATA if k.startswith("rounds-")])
def test_row28_a_typo_in_rounds_csv_is_reported_by_build_and_list_not_raised(data_copy, tmp_path, capsys, monkeypatch, no_kernels, fault):
    make, code, list_code, _ = BAD_DATA[fault]
    expected = make(data_copy)
    out = tmp_path / "out"
    got, stdout, err = run_main(capsys, "build", "--data", data_copy, "--out", out)
    assert got == code
    assert expected in err
    assert (
        last(err)
        == f"error: the data is invalid ({err.count('ERROR ')} {'error' if err.count('ERROR ') == 1 else 'errors'}); nothing was built; every problem is listed in {out / 'validation.json'}"
    )
    assert (out / "validation.json").is_file() and not list(out.glob("*.html"))
    monkeypatch.setenv("ANALYSIS_DATA_DIR", str(data_copy))
    got, stdout, err = run_main(capsys, "list")
    assert got == list_code and stdout == ""
    assert expected in err
    assert last(err).startswith("error: the data cannot be read: ") and last(err).endswith("; python -m analysis validate lists them all")


def test_row29_a_broken_datapackage_with_a_date_parameter(data_copy, tmp_path, capsys, no_kernels):
    expected = _broken_datapackage(data_copy)
    code, _, err = run_main(capsys, "build", "exchanges", "-p", "as_of=2025-06-01", "--data", data_copy, "--out", tmp_path / "out")
    assert code == 65
    assert err.splitlines()[0] == expected
    assert last(err).startswith("error: the data is invalid (1 error); nothing was built")


@pytest.mark.slow
@pytest.mark.parametrize("table", ["rounds", "deadlines"])
def test_row29_an_unreadable_csv_ends_in_a_message_for_every_command(data_copy, tmp_path, table):
    """Permission denied for real (the subprocess is held to file permissions even as root)."""
    (data_copy / f"{table}.csv").chmod(0)
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    env = sandbox_env(home, tmp, ANALYSIS_DATA_DIR=str(data_copy))
    path = data_copy.resolve() / f"{table}.csv"
    commands = {
        ("build", "--data", data_copy, "--out", tmp_path / "out"): 66,
        ("list",): 66 if table == "rounds" else 0,
        ("params", "round"): 0,
        ("validate", "--data", data_copy): 66,
        ("codebook", "--data", data_copy, "--check"): 66,
        ("consistency", "--data", data_copy): 66,
        ("release", "--data", data_copy): 66,
    }
    for args, code in commands.items():
        proc = sandboxed_cli(list(args), env=env)
        line = no_traceback(proc)
        assert proc.returncode == code, (args, proc.stderr)
        if code:
            assert "Permission denied" in proc.stderr, (args, proc.stderr)
        if args[0] == "build":
            assert line == f"error: cannot read {path}: Permission denied"
        elif args[0] == "validate":
            assert f"ERROR {path}: cannot read the file: Permission denied, got " in proc.stderr
        elif code:
            assert line.startswith("error: "), (args, line)


# --- --params files ------------------------------------------------------------------------------

BILLION_LAUGHS = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
note: *i
"""


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        ("/dev/zero", 64, "error: /dev/zero is not a regular file (a device or a pipe); --params takes a YAML file of NAME: VALUE lines"),
        (b"note: caf\xe9\n", 64, "error: {path}: not valid UTF-8 at byte 9; save it as UTF-8"),
        ("folder", 64, "error: {path} is a folder; --params takes a YAML file of NAME: VALUE lines"),
        (BILLION_LAUGHS, 64, "error: {path}:1: YAML anchors and aliases (& and *) are not accepted in a parameters file"),
        ("note: [a, b]\n", 64, "error: {path}:1: expected NAME: VALUE with a plain value, got a nested list or mapping"),
        ("note: a\nnote: b\n", 64, "error: {path}:2: 'note' is given twice"),
        ("note: " + "x" * 70_000 + "\n", 64, "error: {path} is larger than 64 KiB; a parameters file holds a few NAME: VALUE lines"),
        ("note: a: b\n", 64, "error: {path}: not valid YAML: mapping values are not allowed here"),
        ("missing", 66, "error: cannot read {path}: No such file or directory"),
    ],
    ids=["dev-zero", "not-utf8", "folder", "billion-laughs", "nested", "duplicate", "too-big", "not-yaml", "missing"],
)
def test_row30_a_bad_params_file_is_refused_before_anything_is_read_into_memory(tmp_path, capsys, no_kernels, content, code, message):
    path = tmp_path / "params.yaml"
    if content == "/dev/zero":
        path = Path("/dev/zero")
    elif content == "folder":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content != "missing":
        path.write_text(content, encoding="utf-8")
    got, _, err = run_main(capsys, "build", "exchanges", "--params", path, "--data", FIXTURE_DATA, "--out", tmp_path / "out")
    assert got == code
    assert last(err).startswith(message.format(path=path))
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_row30_a_params_file_gives_each_value_as_written(tmp_path):
    from analysis.build.params_file import load_params_file

    path = tmp_path / "p.yaml"
    path.write_text("note: yes\nas_of: 2025-07-22\nclaims_weeks: 04\nround_id: '2025-07-23-istanbul'\nempty:\n", encoding="utf-8")
    assert load_params_file(path) == {"note": "yes", "as_of": "2025-07-22", "claims_weeks": "04", "round_id": "2025-07-23-istanbul", "empty": ""}


# --- parameter and option values ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["round", "-p", "as_of=2025-W30-2"], "error: as_of: expected an ISO date YYYY-MM-DD, got '2025-W30-2'"),
        (["round", "-p", "as_of=20250722"], "error: as_of: expected an ISO date YYYY-MM-DD, got '20250722'"),
        (["exchanges", "--as-of", "2025-W30"], "error: as_of: expected an ISO date YYYY-MM-DD, got '2025-W30'"),
        (
            ["exchanges", "--cell-timeout", "0"],
            "error: --cell-timeout must be a whole number of seconds from 1 to 604800 (timeouts cannot be switched off), got '0'",
        ),
        (
            ["exchanges", "--cell-timeout", "-5"],
            "error: --cell-timeout must be a whole number of seconds from 1 to 604800 (timeouts cannot be switched off), got '-5'",
        ),
        (
            ["exchanges", "--brief-timeout", "0"],
            "error: --brief-timeout must be a whole number of seconds from 1 to 604800 (timeouts cannot be switched off), got '0'",
        ),
        (["exchanges", "--brief-timeout", "99999999999"], "error: --brief-timeout must be a whole number of seconds from 1 to 604800"),
        (["exchanges", "--wait", "-1"], "error: --wait must be 0 or more seconds, got '-1.0'"),
        (["exchanges", "--wait", "nan"], "error: --wait must be 0 or more seconds, got 'nan'"),
        (["exchanges", "--jobs", "-1"], "error: --jobs must be 0 (number of cores) or more, got '-1'"),
        (["exchanges", "--jobs", "two"], "error: argument --jobs: invalid int value: 'two'"),
    ],
)
def test_row31_bad_dates_and_timeouts_are_refused_with_64_before_any_kernel(tmp_path, capsys, no_kernels, args, message):
    code, _, err = run_main(capsys, "build", *args, "--data", FIXTURE_DATA, "--out", tmp_path / "out")
    assert code == 64
    assert last(err).startswith(message)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["build", "exchanges", "-p", "as_of=" + "2" * 5_000_000], "error: as_of: expected an ISO date YYYY-MM-DD, got '2222"),
        (["build", "exchanges", "-p", "n" * 5_000_000 + "=1"], "error: brief 'exchanges' has no parameter 'nnnn"),
        (["build", "territory", "-p", "oblast=" + "D" * 5_000_000], "error: oblast: 'DDDD"),
        (["build", "exchanges", "-p", "x" * 5_000_000], "error: expected NAME=VALUE, got 'xxxx"),
        (["build", "b" * 5_000_000], "error: no brief named 'bbbb"),
        (["params", "b" * 5_000_000], "error: no brief named 'bbbb"),
        (["build", "--jobs", "j" * 5_000_000], "error: argument --jobs: invalid int value: 'jjjj"),
    ],
)
def test_row31_a_5_mb_value_is_not_echoed_whole(tmp_path, capsys, no_kernels, args, shown):
    code, _, err = run_main(
        capsys, *args, *(["--data", FIXTURE_DATA, "--out", tmp_path / "out"] if args[0] == "build" and "--jobs" not in args else [])
    )
    assert code == 64
    assert last(err).startswith(shown)
    assert len(err) < 1_000
    if "characters)" in err:
        assert "(5,000,000 characters)" in err


# --- round ids that name files ---------------------------------------------------------------------


def test_row32_two_briefs_with_one_file_name_are_refused_at_plan_time(data_copy):
    _eve_collision(data_copy)
    with pytest.raises(PlanConflict) as exc:
        plan_jobs(Options(briefs=["round"]), data_copy)
    assert str(exc.value) == (
        "two briefs would be written to round-2025-07-23-istanbul-as-of-2025-07-22.html: round "
        "round_id=2025-07-23-istanbul-as-of-2025-07-22 and round round_id=2025-07-23-istanbul as_of=2025-07-22; every brief "
        "needs its own file name (rename one of the ids in the data)"
    )


def test_row32_a_file_name_too_long_is_refused_at_plan_time(data_copy):
    _long_round_id(data_copy)
    with pytest.raises(PlanConflict) as exc:
        plan_jobs(Options(briefs=["round"]), data_copy)
    assert "is 272 bytes; file names may have at most 249 (shorten the id in the data)" in str(exc.value)


@pytest.mark.parametrize("fault", ["round-id-too-long", "round-id-like-an-eve-brief"])
def test_row32_the_build_refuses_round_ids_that_cannot_name_their_own_brief(data_copy, tmp_path, capsys, no_kernels, fault):
    make, code, _, _ = BAD_DATA[fault]
    expected = make(data_copy)
    out = tmp_path / "out"
    out.mkdir()
    (out / "round-2025-07-23-istanbul-as-of-2025-07-22.html").write_bytes(b"another round's brief")
    got, _, err = run_main(capsys, "build", "--data", data_copy, "--out", out)
    assert got == 65 and expected in err and "[file-name]" in err
    assert "File name too long" not in err and "kept" not in err
    assert (out / "round-2025-07-23-istanbul-as-of-2025-07-22.html").read_bytes() == b"another round's brief"


# --- the caller sees the real outcome -----------------------------------------------------------


def test_row33_list_into_a_closed_pipe_exits_141_without_a_traceback():
    read, write = os.pipe()
    os.close(read)  # like `list | head` once head has exited
    try:
        proc = subprocess.run([sys.executable, "-m", "analysis", "list"], cwd=ROOT, stdout=write, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write)
    assert proc.returncode == 141
    assert proc.stderr == ""


@pytest.mark.slow
def test_row33_a_build_whose_log_reader_went_away_still_publishes(tmp_path):
    read, write = os.pipe()
    os.close(read)
    out = tmp_path / "out"
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "analysis", "build", "exchanges", "--data", str(FIXTURE_DATA), "--out", str(out)],
            cwd=ROOT,
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
        )
    finally:
        os.close(write)
    assert proc.returncode == 0 and proc.stderr == ""
    assert (out / "exchanges.html").is_file() and (out / "status.json").is_file()


def test_row33_make_reports_names_the_builds_exit_code(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    # As cron runs it: a top-level make (not one nested in `make test`, which would print "make[1]").
    env = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    env.update({"ANALYSIS_REPORTS_DIR": str(out), "ANALYSIS_DATA_DIR": str(FIXTURE_DATA)})
    with publish.build_lock(out, 0):
        proc = subprocess.run(["make", "-s", "reports"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2  # make's own code for any failed recipe (README, "When things go wrong")
    # The last three lines (make may first set up .venv, and pip may warn about this machine's indexes).
    lines = proc.stderr.strip().splitlines()[-3:]
    assert lines[0] == f"error: another build holds the lock on {out} (try again, or pass --wait SECONDS)"
    assert lines[1] == "make reports: the build exited 75 (make itself exits 2; see README, When things go wrong)"
    assert lines[2].startswith("make: *** [Makefile:") and lines[2].endswith("reports] Error 75")


# --- validation output ----------------------------------------------------------------------------


def test_row34_the_json_report_is_named_only_when_one_was_written(data_copy, tmp_path, capsys):
    rows = read_rows(data_copy, "running_totals")
    write_rows(data_copy, "running_totals", [rows[0], *[[f"tot-2025-01-01-bad{i}", "01/02/2025", *rows[1][2:]] for i in range(150)]])
    code, out, _ = run_main(capsys, "validate", "--data", data_copy)
    assert code == 65
    assert "... 50 more not listed (add --json FILE to write them all)" in out and "see the JSON report" not in out
    report = tmp_path / "r.json"
    code, out, _ = run_main(capsys, "validate", "--data", data_copy, "--json", report)
    assert code == 65 and f"... 50 more not listed (all are in {report})" in out and report.is_file()
    code, out, err = run_main(capsys, "build", "--data", data_copy, "--out", tmp_path / "out")
    assert code == 65 and f"... 50 more not listed (all are in {tmp_path / 'out' / 'validation.json'})" in out
    code, _, err = run_main(capsys, "validate", "--data", data_copy, "--json", tmp_path)
    assert code == 73 and last(err) == f"error: cannot write {tmp_path}: Is a directory"


# --- no command ends in a traceback on any of them ------------------------------------------------


COMMANDS = {
    "build": lambda d, o: ["build", "--data", d, "--out", o],
    "build-with-date": lambda d, o: ["build", "exchanges", "-p", "as_of=2025-06-01", "--data", d, "--out", o],
    "list": lambda d, o: ["list"],
    "params": lambda d, o: ["params", "round"],
    "validate": lambda d, o: ["validate", "--data", d],
    "codebook": lambda d, o: ["codebook", "--data", d],
    "consistency": lambda d, o: ["consistency", "--data", d],
    "release": lambda d, o: ["release", "--data", d],
}


@pytest.mark.slow
@pytest.mark.parametrize("fault", list(BAD_DATA))
def test_row36_no_command_ends_in_a_traceback_on_any_bad_file(data_copy, tmp_path, capsys, monkeypatch, no_kernels, fault):
    make, code, list_code, consistency_code = BAD_DATA[fault]
    make(data_copy)
    monkeypatch.setenv("ANALYSIS_DATA_DIR", str(data_copy))
    for name, args in COMMANDS.items():
        expected = {"list": list_code, "params": 0, "consistency": consistency_code}.get(name, code)
        got, out, err = run_main(capsys, *args(data_copy, tmp_path / "out"))
        assert got == expected, (name, err[-2000:])
        if got and name == "validate":
            assert out.strip().splitlines()[-1].startswith("INVALID: ")
        elif got:
            assert last(err).startswith("error: "), (name, err[-500:])


def test_every_exit_code_of_the_command_line_is_in_the_readme_table():
    import re

    from analysis import cli as cli_module
    from analysis.build import exitcodes

    codes = {v for k, v in vars(exitcodes).items() if k.startswith("EXIT_")} | {
        v for k, v in vars(cli_module).items() if k.startswith("EXIT_") and isinstance(v, int)
    }
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## When things go wrong", 1)[1].split("\n## ", 1)[0]
    documented = {int(n) for n in re.findall(r"^\| (\d+) \| ", section, re.M)}
    assert codes == documented
    assert {130, 141, 143} <= documented
    epilog = {int(n) for n in re.findall(r"\b(\d{1,3}) [A-Za-z]", cli_module.EPILOG)}
    assert codes == epilog
