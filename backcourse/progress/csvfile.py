"""The log as a CSV file: export that opens safely in a spreadsheet, and forgiving import.

Text a spreadsheet would run as a formula is written with an apostrophe in front, and
import takes exactly one such apostrophe off. Import reads comma, semicolon or tab
separated UTF-8 and reports each line it cannot use by its line number.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..errors import ProgressLogError
from .entry import (
    EFFORT_RANGE,
    MINUTES_RANGE,
    PAIN_RANGE,
    PSFS_MAX_ACTIVITIES,
    PSFS_SCORE_RANGE,
    EntryError,
    LogEntry,
    check_day,
    short,
)

CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "day",
    "pain",
    "exercised",
    "minutes",
    "effort",
    *(
        f"psfs{i}_{part}"
        for i in range(1, PSFS_MAX_ACTIVITIES + 1)
        for part in ("activity", "score")
    ),
    "note",
)
_CSV_REQUIRED = ("day", "pain")
# Learner text a spreadsheet would run as a formula (OWASP "CSV injection") starts with one
# of these. On export such a cell gets a leading apostrophe, the mark spreadsheets use for
# "this is text"; text that itself starts with an apostrophe gets one more, so import can
# take exactly one off and every note comes back as the learner wrote it.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TEXT_MARK = "'"
_TEXT_COLUMNS = ("note", *(f"psfs{i}_activity" for i in range(1, PSFS_MAX_ACTIVITIES + 1)))
# Separators a spreadsheet may save with: a comma, or a semicolon where the comma is the
# decimal mark, or a tab. The header line decides which one a file uses.
_SEPARATORS = (",", ";", "\t")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_YES = {"yes", "y", "true", "t", "1"}
_NO = {"no", "n", "false", "f", "0", ""}


@dataclass(frozen=True)
class ImportReport:
    """What ``import_csv`` did.

    Attributes
    ----------
    imported : int
        Rows added to the log.
    errors : list of (int, str)
        Rows not imported: the CSV line number (the header is line 1) and the reason.
    duplicates : int
        Rows skipped because the same entry was already in the log (importing twice is safe).
    """

    imported: int
    errors: list[tuple[int, str]] = field(default_factory=list)
    duplicates: int = 0

    def __str__(self) -> str:
        text = f"Imported {self.imported} entr{'y' if self.imported == 1 else 'ies'}."
        if self.duplicates:
            text += f" {self.duplicates} already in the log were skipped."
        if self.errors:
            text += f" {len(self.errors)} row(s) were not imported:"
            text += "".join(f"\n  line {line}: {reason}" for line, reason in self.errors)
        return text


def protect_cell(text: str) -> str:
    """Learner text as a CSV cell a spreadsheet shows as text and never runs as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    apostrophe; so does text that starts with an apostrophe, so ``unprotect_cell`` can take
    exactly one off again.

    >>> protect_cell("=SUM(A1:A9)"), protect_cell("'quoted'"), protect_cell("fine")
    ("'=SUM(A1:A9)", "''quoted'", 'fine')
    """
    if text.startswith((*_FORMULA_STARTS, _TEXT_MARK)):
        return _TEXT_MARK + text
    return text


def unprotect_cell(text: str) -> str:
    """The learner's text back from a cell written by ``protect_cell``.

    >>> unprotect_cell("'=SUM(A1:A9)"), unprotect_cell("''quoted'"), unprotect_cell("'tis")
    ('=SUM(A1:A9)', "'quoted'", "'tis")
    """
    if text.startswith(_TEXT_MARK) and text[1:].startswith((*_FORMULA_STARTS, _TEXT_MARK)):
        return text[1:]
    return text


def write_csv(f: IO[str], entries: Iterable[LogEntry]) -> None:
    writer = csv.writer(f)
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        psfs: list[Any] = []
        for i in range(PSFS_MAX_ACTIVITIES):
            name, score = e.psfs[i] if i < len(e.psfs) else ("", "")
            psfs.extend((protect_cell(name), score))
        effort = "" if e.effort is None else e.effort
        exercised = "yes" if e.exercised else "no"
        writer.writerow(
            [
                e.id,
                e.day.isoformat(),
                e.pain,
                exercised,
                e.minutes,
                effort,
                *psfs,
                protect_cell(e.note),
            ]
        )


# One physical line with its line break (\r\n, \r or \n), as the csv module counts lines.
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+\Z")


class _Lines:
    """Physical lines fed to csv.reader one at a time, so a reader can restart anywhere."""

    def __init__(self, lines: list[str], pos: int = 0) -> None:
        self.lines = lines
        self.pos = pos

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.lines):
            raise StopIteration
        self.pos += 1
        return self.lines[self.pos - 1]


def _one_line(line: str, separator: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=separator), [])
    except csv.Error:
        return []


def _find_header(name: str, lines: list[str]) -> tuple[int, str, list[str]]:
    """The header's index among the lines, the separator it uses, and its column names."""
    for index, line in enumerate(lines):
        if not line.strip():
            continue  # blank lines before the header hold nothing
        for separator in _SEPARATORS:
            header = [c.strip().lower() for c in _one_line(line, separator)]
            if all(c in header for c in _CSV_REQUIRED):
                break
        else:
            header = [c.strip().lower() for c in _one_line(line, ",")]
            separator = ","
        _check_header(name, header, index + 1)
        return index, separator, header
    raise ProgressLogError(f"{name} is empty: expected a header line {','.join(CSV_COLUMNS)}")


def _runs_on(lines: list[str], header: list[str], separator: str) -> int | None:
    """The index of the first line that reads as an entry of its own, or None.

    Used on the lines a quoted value took in after its first line: a note may hold line
    breaks, but not whole rows; when it does, a quote was left open.
    """
    day = header.index("day")
    for index, line in enumerate(lines):
        cells = _one_line(line, separator)
        if len(cells) == len(header) or (
            len(cells) > day and _ISO_DAY.fullmatch(cells[day].strip())
        ):
            return index
    return None


def _ends_inside_quotes(record: str, separator: str) -> bool:
    """True when a record's text ends inside a quoted value (its quote never closed)."""
    try:
        for _ in csv.reader(io.StringIO(record, newline=""), delimiter=separator, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def read_csv(
    name: str, text: str
) -> tuple[list[str], list[tuple[int, str]], list[tuple[int, list[str]]]]:
    """Split a CSV into its header, the lines it cannot read, and the rows it can.

    Rows are (line number, cells) with the header on its own line number; each problem is
    (line number, reason). A quoted value that never closes, or that runs on over lines
    that look like rows, is reported on the line where it opens; reading then starts again
    on the next line, so the rows it swallowed are read as rows.
    """
    lines = _LINE.findall(text)
    header_at, separator, header = _find_header(name, lines)
    errors: list[tuple[int, str]] = []
    rows: list[tuple[int, list[str]]] = []
    source = _Lines(lines, header_at + 1)
    while source.pos < len(lines):
        start = source.pos
        reader = csv.reader(source, delimiter=separator)  # fresh: no state from a bad row
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append((start + 1, f"cannot be read as CSV: {exc}"))
            source.pos = start + 1
            continue
        taken = lines[start : source.pos]
        if len(taken) > 1:
            later = _runs_on(taken[1:], header, separator)
            if later is not None:
                errors.append(
                    (
                        start + 1,
                        f'a quote (") opened on this line runs on into line {start + 2 + later},'
                        " which looks like an entry of its own; this line was not imported."
                        " Close the quote (or remove it) and import the file again",
                    )
                )
                source.pos = start + 1
                continue
        if source.pos >= len(lines) and _ends_inside_quotes("".join(taken), separator):
            errors.append(
                (
                    start + 1,
                    'a quote (") opened on this line is never closed: the file ends inside'
                    " it, so this line was not imported. Close the quote (or remove it) and"
                    " import the file again",
                )
            )
            source.pos = start + 1
            continue
        if any(cell.strip() for cell in row):
            rows.append((start + 1, row))
    return header, errors, rows


def read_text(source: str | os.PathLike[str] | IO[str] | IO[bytes]) -> tuple[str, str]:
    """The CSV's name and text. Bytes that are not UTF-8 stay as surrogates, so the rows
    holding them can be reported one by one instead of failing the whole file."""
    if hasattr(source, "read"):
        name = str(getattr(source, "name", "the CSV file"))
        data = source.read()  # type: ignore[union-attr]
    else:
        name = str(source)
        try:
            data = Path(source).expanduser().read_bytes()  # type: ignore[arg-type]
        except OSError as exc:
            raise ProgressLogError(f"cannot read {name}: {exc}") from exc
    if isinstance(data, bytes):
        head = data[:200]
        # UTF-16 has a byte-order mark, or (without one) a NUL byte beside every ASCII letter.
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head.count(0) * 3 >= max(len(head), 3):
            raise ProgressLogError(
                f"{name} is saved as UTF-16 text, which backcourse does not read. Save it as "
                "UTF-8 (in a spreadsheet: 'CSV UTF-8') and import it again; nothing was imported."
            )
        data = data.decode("utf-8", errors="surrogateescape")
    return name, data.removeprefix("\ufeff")


def _check_header(name: str, header: list[str], line: int) -> None:
    expected = f"expected a header like {','.join(CSV_COLUMNS)}"
    bad = []
    missing = [c for c in _CSV_REQUIRED if c not in header]
    if missing:
        bad.append(f"missing column(s) {', '.join(missing)}")
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if unknown:
        bad.append(f"unknown column(s) {', '.join(short(c) for c in unknown[:5])}")
    twice = sorted({c for c in header if header.count(c) > 1})
    if twice:
        bad.append(f"column(s) given twice: {', '.join(twice)}")
    if bad:
        raise ProgressLogError(
            f"{name} is not a progress-log CSV: the header (line {line}) has {'; '.join(bad)}. "
            f"Nothing was imported; {expected}."
        )


def _csv_int(column: str, text: str, lo: int, hi: int, required: bool) -> int | None:
    text = text.strip()
    if not text:
        if required:
            raise EntryError(column, "is missing")
        return None
    try:
        return int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if number.is_integer():
            return int(number)
        raise EntryError(
            column, f"expected a whole number from {lo} to {hi}, got {short(text)}"
        ) from None


def entry_from_csv(header: list[str], row: list[str]) -> LogEntry:
    if len(row) < len(header):
        raise EntryError(
            header[len(row)],
            f"is missing: the row has {len(row)} values but the header has {len(header)} columns",
        )
    if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
        raise EntryError(
            "row", f"has {len(row)} values but the header has {len(header)} columns (extra values)"
        )
    cells = dict(zip(header, row[: len(header)], strict=True))
    for column, text in cells.items():
        if any("\udc80" <= ch <= "\udcff" for ch in text):
            raise EntryError(
                column, "contains bytes that are not UTF-8 text; save the file as UTF-8"
            )
    day_text = cells["day"].strip()
    if not day_text:
        raise EntryError("day", "is missing")
    day = check_day("day", day_text)
    pain = _csv_int("pain", cells["pain"], *PAIN_RANGE, required=True)
    flag = cells.get("exercised", "").strip().lower()
    if flag in _YES:
        exercised = True
    elif flag in _NO:
        exercised = False
    else:
        raise EntryError("exercised", f"expected yes or no, got {short(cells['exercised'])}")
    minutes = _csv_int("minutes", cells.get("minutes", ""), *MINUTES_RANGE, required=False) or 0
    effort = _csv_int("effort", cells.get("effort", ""), *EFFORT_RANGE, required=False)
    psfs = []
    for i in range(1, PSFS_MAX_ACTIVITIES + 1):
        activity = unprotect_cell(cells.get(f"psfs{i}_activity", "").strip())
        score_text = cells.get(f"psfs{i}_score", "")
        if not activity and not score_text.strip():
            continue
        if not activity:
            raise EntryError(f"psfs{i}_activity", "is missing (a score needs its activity)")
        score = _csv_int(f"psfs{i}_score", score_text, *PSFS_SCORE_RANGE, required=True)
        psfs.append((activity, score))
    note = unprotect_cell(cells.get("note", ""))
    return LogEntry(None, day, pain, exercised, minutes, effort, tuple(psfs), note)  # type: ignore[arg-type]
