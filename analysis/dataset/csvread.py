"""Strict CSV reading: bytes -> records with the line each starts on, every problem located by
file, line and column.

Only an empty cell is missing (`NA`, `N/A`, `NULL`, `nan` are text); a BOM and CRLF/CR line endings
parse like the clean file; NUL, invisible and control characters, over-long cells, swallowed rows and
header faults are reported as `Issue`s."""

from __future__ import annotations

import csv
import functools
import io
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from analysis import paths
from analysis.dataset.schema import table_schema

MAX_FILE_BYTES = 20 * 1024 * 1024


MAX_ROWS = 100_000


MAX_CELL_CHARS = 5_000


#: Blank lines listed one by one; beyond MAX_BLANK_LINES the file is refused as damaged (bounded cost).
MAX_BLANK_LISTED = 20


MAX_BLANK_LINES = 10_000


#: Kinds of issue that mean the input is missing or cannot be read (exit 66 rather than 65).
MISSING_KINDS = frozenset({"missing-file", "not-a-file", "unreadable"})


# Characters that hide or reorder text, or break JavaScript/JSON embedding: rejected in data.
FORBIDDEN_CHARS = {
    **{chr(c): f"U+{c:04X}" for c in range(0x20) if chr(c) not in "\t\n\r"},
    "\x7f": "U+007F",
    **{chr(c): f"U+{c:04X}" for c in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x2028, 0x2029)},
    **{chr(c): f"U+{c:04X}" for c in range(0x202A, 0x202F)},
    **{chr(c): f"U+{c:04X}" for c in range(0x2066, 0x206A)},
}


_FORBIDDEN_RE = re.compile("[" + re.escape("".join(FORBIDDEN_CHARS)) + "]")


@dataclass(frozen=True)
class Issue:
    """One problem found in a data file, located by 1-based line and column."""

    file: str
    line: int
    column: int
    message: str
    value: str = ""
    kind: str = "error"
    severity: str = "error"

    def format(self) -> str:
        value = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        value = value.encode("unicode_escape").decode("ascii").replace("'", "\\'")
        loc = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{self.severity.upper()} {loc}: {self.message}, got '{value}' [{self.kind}]"

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "value": self.value[:200],
            "kind": self.kind,
            "severity": self.severity,
        }


class DataError(Exception):
    """Raised when a data file cannot be loaded; carries every issue found."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        shown = "\n".join(i.format() for i in issues[:20])
        more = f"\n... and {len(issues) - 20} more" if len(issues) > 20 else ""
        super().__init__(f"{len(issues)} {'problem' if len(issues) == 1 else 'problems'} in the data:\n{shown}{more}")

    @property
    def missing_file(self) -> bool:
        return any(i.kind in MISSING_KINDS for i in self.issues)


@dataclass
class RawTable:
    """A parsed CSV: header, records (lists of str) and the line each record starts on."""

    name: str
    path: Path
    header: list[str] = field(default_factory=list)
    records: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @functools.cached_property
    def label(self) -> str:
        try:
            return str(self.path.relative_to(paths.ROOT))
        except ValueError:
            return str(self.path)

    def issue(self, line: int, column: int, message: str, value: str, kind: str, severity: str = "error"):
        self.issues.append(Issue(self.label, line, column, message, value, kind, severity))

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    def column_index(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.header)}


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def read_raw(name: str, data_dir: Path | None = None) -> RawTable:
    """Read `<data_dir>/<name>.csv` into a RawTable, recording every parsing issue found."""
    schema = table_schema(name)
    path = (data_dir or paths.data_dir()) / f"{name}.csv"
    raw = RawTable(name, path)
    data = _read_file(raw)
    if data is None:
        return raw
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = _one_newline(data[: exc.start].decode("utf-8", errors="replace").removeprefix("\ufeff"))
        line, col = _line_col(good, len(good))
        raw.issue(line, col, f"not valid UTF-8 (byte offset {exc.start})", data[exc.start : exc.start + 4].hex(" "), "encoding")
        return raw
    if text.startswith("\ufeff"):
        text = text[1:]
    # CRLF, CR and mixed endings (also inside quoted cells) read like LF, so line numbers agree too.
    text = _one_newline(text)
    if not text.strip():
        raw.issue(1, 1, "file is empty: expected a header row and data rows", "", "empty-file")
        return raw
    nul = text.find("\x00")
    if nul >= 0:
        line, col = _line_col(text, nul)
        raw.issue(line, col, "NUL byte in file", "\\x00", "forbidden-character")
        return raw

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    rows: list[tuple[int, list[str]]] = []
    blank, listed, last_blank = 0, 0, 0
    try:
        for row in reader:
            if len(rows) > MAX_ROWS:
                raw.issue(start, 1, f"more than {MAX_ROWS} rows; split the table or raise the limit", "", "too-many-rows")
                return raw
            if row:
                rows.append((start, row))
            else:
                blank += 1
                if blank > MAX_BLANK_LINES:
                    raw.issue(start, 1, f"more than {MAX_BLANK_LINES:,} blank lines: the file looks damaged; remove them", "", "too-many-blank-lines")
                    return raw
                if rows:
                    last_blank = start
                    listed += 1
                    if listed <= MAX_BLANK_LISTED:
                        raw.issue(start, 1, "blank line ignored", "", "blank-line", "warning")
            start = reader.line_num + 1
    except csv.Error as exc:
        _csv_error(raw, text, start, str(exc))
        return raw
    if listed > MAX_BLANK_LISTED:
        raw.issue(
            last_blank,
            1,
            f"{listed - MAX_BLANK_LISTED:,} more blank lines ignored (not listed one by one; the last is this one)",
            "",
            "blank-line",
            "warning",
        )

    if not rows:
        raw.issue(1, 1, "no header row", "", "empty-file")
        return raw
    header_line, header = rows[0]
    expected = schema.field_names
    _check_header(raw, header_line, header, expected)
    raw.header = [h.strip() for h in header]
    if not rows[1:]:
        raw.issue(header_line, 1, "header only: the table has no data rows", ",".join(header)[:60], "no-data")
    width = len(header)
    for line, row in rows[1:]:
        if len(row) != width:
            if len(row) > width:
                raw.issue(line, width + 1, f"{len(row)} fields where the header has {width} (an unquoted comma?)", row[width], "extra-cell")
            else:
                raw.issue(line, len(row) + 1, f"{len(row)} fields where the header has {width}", row[-1] if row else "", "missing-cell")
            continue
        _check_swallowed(raw, line, row, width)
        for col, value in enumerate(row, start=1):
            if len(value) > MAX_CELL_CHARS:
                raw.issue(line, col, f"cell longer than {MAX_CELL_CHARS} characters", value, "too-long")
            m = _FORBIDDEN_RE.search(value)
            if m:
                raw.issue(line, col, f"forbidden invisible or control character {FORBIDDEN_CHARS[m.group()]}", value, "forbidden-character")
        raw.records.append(row)
        raw.lines.append(line)
    return raw


def _open_file(raw: RawTable) -> int | None:
    """A descriptor of the table's file, or None after recording why it cannot be read: missing, a
    folder or a device named like a CSV, or unreadable."""
    path = raw.path
    try:
        # O_NONBLOCK: a named pipe in the file's place must not block the open.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raw.issue(0, 0, "file not found", str(path), "missing-file")
        return None
    except OSError as exc:
        raw.issue(0, 0, f"cannot read the file: {exc.strerror}", str(path), "unreadable")
        return None
    st = os.fstat(fd)
    if stat.S_ISREG(st.st_mode):
        return fd
    os.close(fd)
    if stat.S_ISDIR(st.st_mode):
        raw.issue(0, 0, "is a folder, not a CSV file", str(path), "not-a-file")
    else:
        raw.issue(0, 0, "is not a regular file (a device, pipe or socket), not a CSV file", str(path), "not-a-file")
    return None


def check_file(name: str, data_dir: Path | None = None) -> list[Issue]:
    """Why `<data_dir>/<name>.csv` cannot be read as a table (missing, not a regular file, unreadable), without reading it."""
    raw = RawTable(name, (data_dir or paths.data_dir()) / f"{name}.csv")
    fd = _open_file(raw)
    if fd is not None:
        os.close(fd)
    return raw.issues


def read_at_most(fd: int, limit: int) -> bytes:
    """At most `limit` + 1 bytes from an open file: one byte more than allowed tells the caller the
    file is over its limit (a file growing while it is read included), without reading the rest."""
    chunks, size = [], 0
    while size <= limit:
        chunk = os.read(fd, min(1 << 20, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _read_file(raw: RawTable) -> bytes | None:
    """The file's bytes, or None after recording why it cannot be read (see `_open_file`) or that it is
    over the size limit (never more than the limit is read)."""
    fd = _open_file(raw)
    if fd is None:
        return None
    try:
        limit = f"file is larger than the {MAX_FILE_BYTES // 2**20} MiB limit"
        size = os.fstat(fd).st_size
        if size > MAX_FILE_BYTES:
            raw.issue(0, 0, limit, f"{size} bytes", "too-large")
            return None
        data = read_at_most(fd, MAX_FILE_BYTES)
        if len(data) > MAX_FILE_BYTES:
            raw.issue(0, 0, limit, f"more than {MAX_FILE_BYTES} bytes", "too-large")
            return None
        return data
    except OSError as exc:
        raw.issue(0, 0, f"cannot read the file: {exc.strerror}", str(raw.path), "unreadable")
        return None
    finally:
        os.close(fd)


def _one_newline(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _csv_error(raw: RawTable, text: str, start: int, msg: str) -> None:
    """Report a csv.Error for the record starting on line `start`, at the quote that caused it."""
    offset = 0
    for _ in range(start - 1):
        offset = text.find("\n", offset) + 1
        if offset == 0:
            break
    if "field larger than field limit" in msg:
        raw.issue(
            start,
            1,
            f"a cell in this record is longer than the CSV parser limit of {csv.field_size_limit()} characters "
            f"(cells may hold at most {MAX_CELL_CHARS})",
            text[offset : offset + 60].split("\n")[0],
            "too-long",
        )
        return
    found = _quote_problem(text, offset)
    if found is None:
        raw.issue(start, 1, f"malformed CSV ({msg})", text[offset : offset + 60].split("\n")[0], "csv-syntax")
        return
    opened, closed = found
    line, col = _line_col(text, opened)
    value = text[opened : opened + 60].split("\n")[0]
    if closed is None:
        raw.issue(line, col, "a quote opened here is never closed; it would swallow the rest of the file", value, "unterminated-quote")
    else:
        where = _line_col(text, closed)
        raw.issue(
            line,
            col,
            f"a quote opened here is closed at line {where[0]}, column {where[1]} by a quote followed by text "
            "(a stray quote, or a quote inside a quoted cell that is not doubled)",
            value,
            "bad-quote",
        )


def _quote_problem(text: str, offset: int) -> tuple[int, int | None] | None:
    """Scan the CSV record starting at `offset`: (opening quote, offending closing quote or None if never closed)."""
    i, n, field_start = offset, len(text), True
    while i < n:
        c = text[i]
        if field_start and c == '"':
            opened, i = i, i + 1
            while True:
                j = text.find('"', i)
                if j < 0:
                    return opened, None
                if j + 1 < n and text[j + 1] == '"':
                    i = j + 2
                    continue
                if j + 1 < n and text[j + 1] not in ",\n":
                    return opened, j
                i = j + 1
                break
            field_start = False
            continue
        if c == "\n":
            return None
        field_start = c == ","
        i += 1
    return None


def _check_header(raw: RawTable, line: int, header: list[str], expected: list[str]) -> None:
    labels = [h.strip() for h in header]
    if not set(labels) & set(expected):
        raw.issue(line, 1, f"first row is not a header (expected columns {', '.join(expected)})", ",".join(header)[:60], "header-missing")
        return
    seen: dict[str, int] = {}
    for col, label in enumerate(labels, start=1):
        if label == "":
            raw.issue(line, col, "blank column name", "", "header-blank")
        elif label in seen:
            raw.issue(line, col, f"duplicate column name (also column {seen[label]})", label, "header-duplicate")
        elif label not in expected:
            close = _did_you_mean(label, expected)
            hint = f"; did you mean '{close}'?" if close else ""
            raw.issue(line, col, f"unknown column{hint}", label, "header-unknown")
        seen.setdefault(label, col)
    for name in expected:
        if name not in seen:
            raw.issue(line, 1, f"missing column '{name}'", ",".join(labels)[:60], "header-missing-column")


def _did_you_mean(word: str, choices: list[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return found[0] if found else None


def _check_swallowed(raw: RawTable, line: int, row: list[str], width: int) -> None:
    """A quoted cell holding whole CSV records means a stray quote swallowed rows."""
    for col, value in enumerate(row, start=1):
        if "\n" not in value:
            continue
        inner = value.split("\n")[1:]
        swallowed = sum(1 for piece in inner if len(next(csv.reader([piece]), [])) >= width)
        if swallowed:
            raw.issue(
                line,
                col,
                f"a quote opened here swallows {swallowed} following {'row' if swallowed == 1 else 'rows'}; close the quote",
                value.split("\n")[0],
                "unterminated-quote",
            )
