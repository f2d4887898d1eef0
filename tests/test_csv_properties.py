"""Property tests of the progress log's CSV (issue 13): Hypothesis writes whole files, with
good rows, bad rows and rows whose quote never closes, in several separators, line endings
and encodings. Every good row lands or is reported by its line; nothing lands that was not
a good row; export then import gives back exactly what was logged.

The oracles are written here from the documented rules, not taken from the code:
- a cell whose text starts with ``= + - @``, a tab, a CR or an apostrophe is written with
  one more apostrophe in front, and read back without it;
- physical lines end in CRLF, CR or LF; the header is line 1.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcourse.errors import ProgressLogError
from backcourse.model import EARLIEST_DAY, LATEST_DAY
from backcourse.progress import LogEntry, ProgressLog

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HEADER = ("day", "pain", "exercised", "minutes", "note")
SPREADSHEET_RUNS = ("=", "+", "-", "@", "\t", "\r", "'")


def as_cell(note: str) -> str:
    """The documented convention, restated: one apostrophe in front of risky text."""
    return "'" + note if note.startswith(SPREADSHEET_RUNS) else note


def physical_line(text_before: str) -> int:
    return len(re.findall(r"\r\n|\r|\n", text_before)) + 1


letters = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
notes = st.one_of(
    st.text(letters, max_size=60),
    st.tuples(st.sampled_from((*SPREADSHEET_RUNS, "''", "'=")), st.text(letters, max_size=20)).map(
        "".join
    ),
    st.sampled_from(['=HYPERLINK("http://x","y")', '"quoted"', "a,b;c\td", "line\nbreak", "'"]),
)
good_days = st.dates(EARLIEST_DAY, LATEST_DAY)


@dataclass(frozen=True)
class Good:
    day: date
    pain: int
    exercised: bool
    minutes: int
    note: str

    def cells(self) -> list[str]:
        flag = "yes" if self.exercised else "no"
        return [self.day.isoformat(), str(self.pain), flag, str(self.minutes), as_cell(self.note)]

    def content(self) -> tuple:
        return (self.day, self.pain, self.exercised, self.minutes, self.note)


goods = st.builds(
    Good,
    day=good_days,
    pain=st.integers(0, 10),
    exercised=st.booleans(),
    minutes=st.integers(0, 300),
    note=notes,
)


@dataclass(frozen=True)
class Bad:
    """A row that must be reported: an impossible day or pain."""

    cells_: tuple[str, ...]

    def cells(self) -> list[str]:
        return list(self.cells_)


bads = st.builds(
    Bad,
    st.one_of(
        st.tuples(
            st.sampled_from(["0025-01-01", "9999-12-31", "2024-02-30", "25/12/2024", "1899-12-31"]),
            st.just("3"),
            st.just("no"),
            st.just("0"),
            st.just("bad day"),
        ),
        st.tuples(
            good_days.map(date.isoformat),
            st.sampled_from(["11", "-1", "x", ""]),
            st.just("no"),
            st.just("0"),
            st.just("bad pain"),
        ),
    ),
)


@dataclass(frozen=True)
class OpenQuote:
    """A row whose note opens a quote and never closes it."""

    day: date

    def raw(self, sep: str, eol: str) -> str:
        return sep.join([self.day.isoformat(), "3", "no", "0", '"never closed']) + eol


rows = st.lists(st.one_of(goods, goods, goods, bads, good_days.map(OpenQuote)), max_size=12)


def write_file(items: list, sep: str, eol: str) -> tuple[str, dict[int, object]]:
    """The CSV text and, for each row, the physical line it starts on."""
    out = io.StringIO(newline="")

    def write_row(cells: list[str] | tuple[str, ...]) -> None:
        # Written with CRLF so that any CR or LF inside a value gets quoted (a writer quotes
        # only the characters of its own line ending), then ended with ``eol``.
        one = io.StringIO(newline="")
        csv.writer(one, delimiter=sep, lineterminator="\r\n").writerow(cells)
        out.write(one.getvalue()[:-2] + eol)

    write_row(HEADER)
    lines: dict[int, object] = {}
    for item in items:
        lines[physical_line(out.getvalue())] = item
        if isinstance(item, OpenQuote):
            out.write(item.raw(sep, eol))
        else:
            write_row(item.cells())
    return out.getvalue(), lines


def contents(log: ProgressLog) -> Counter:
    return Counter((e.day, e.pain, e.exercised, e.minutes, e.note) for e in log.entries())


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path


@SETTINGS
@given(
    items=rows,
    sep=st.sampled_from([",", ";", "\t"]),
    eol=st.sampled_from(["\n", "\r\n"]),
    bom=st.booleans(),
)
def test_every_good_row_lands_or_is_reported(folder: Path, items, sep, eol, bom) -> None:
    text, lines = write_file(items, sep, eol)
    path = folder / "in.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    with ProgressLog(folder / f"log-{len(list(folder.iterdir()))}.sqlite3") as log:
        report = log.import_csv(path)
        landed = contents(log)
    reported = {line for line, _ in report.errors}
    unclaimed = Counter(landed)
    for line, item in lines.items():
        if isinstance(item, Good):
            key = item.content()
            if unclaimed[key] > 0:
                unclaimed[key] -= 1
            else:
                assert line in reported, (line, item, report)
        else:
            assert line in reported, (line, item, report)  # bad rows never land
    assert +unclaimed == Counter(), f"entries that were not good rows landed: {+unclaimed}"
    assert report.imported == sum(landed.values())


@SETTINGS
@given(items=st.lists(goods, min_size=1, max_size=5))
def test_a_utf16_file_is_refused_as_a_whole(folder: Path, items) -> None:
    text, _ = write_file(items, ",", "\r\n")
    path = folder / "in.csv"
    path.write_bytes(text.encode("utf-16"))
    with ProgressLog(folder / "log.sqlite3") as log:
        with pytest.raises(ProgressLogError, match="UTF-8"):
            log.import_csv(path)
        assert len(log) == 0


entries = st.builds(
    LogEntry,
    id=st.none(),
    day=good_days,
    pain=st.integers(0, 10),
    exercised=st.booleans(),
    minutes=st.integers(0, 300),
    effort=st.one_of(st.none(), st.integers(0, 10)),
    psfs=st.lists(
        st.tuples(
            notes.map(str.strip).filter(lambda s: 0 < len(s) <= 100 and "\x00" not in s),
            st.integers(0, 10),
        ),
        max_size=3,
        unique_by=lambda p: p[0].casefold(),
    ).map(tuple),
    note=notes.filter(lambda s: len(s) <= 1000),
)


@SETTINGS
@given(logged=st.lists(entries, max_size=8))
def test_export_then_import_gives_back_every_entry(folder: Path, logged) -> None:
    n = len(list(folder.iterdir()))
    with ProgressLog(folder / f"a-{n}.sqlite3") as a, ProgressLog(folder / f"b-{n}.sqlite3") as b:
        for e in logged:
            a.record(e.day, e.pain, e.exercised, e.minutes, e.effort, e.psfs, e.note)
        path = folder / f"out-{n}.csv"
        a.export_csv(path)
        with open(path, encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                for column in ("note", "psfs1_activity", "psfs2_activity", "psfs3_activity"):
                    assert not row[column].startswith(SPREADSHEET_RUNS[:-1]), row[column]
        report = b.import_csv(path)
        assert report.errors == [] and report.imported == len(logged)
        assert Counter(e._content() for e in b.entries()) == Counter(
            e._content() for e in a.entries()
        )
