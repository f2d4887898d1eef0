"""The progress log against hostile or accidental input: spreadsheet formulas, open quotes,
odd dates, odd encodings, read-only folders, newer files and killed writes (issue 13)."""

from __future__ import annotations

import csv
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from backcourse.progress import (
    CSV_COLUMNS,
    EntryError,
    EntryNotFoundError,
    ProgressLog,
    summarise,
    weekly_sessions,
)

REPO = Path(__file__).resolve().parents[1]
D0 = date(2024, 1, 1)
# What a spreadsheet runs as a formula when a cell starts with it (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def log(tmp_path: Path):
    with ProgressLog(tmp_path / "log.sqlite3") as log:
        yield log


def csv_cells(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


# --- 1. spreadsheet formulas ------------------------------------------------------------

NASTY_NOTES = [
    '=HYPERLINK("http://example.com","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "'already quoted",
    "''two apostrophes",
    "'=1",
    "'",
    "plain words, with a comma",
]


def test_export_neutralises_cells_a_spreadsheet_would_run(log: ProgressLog, tmp_path: Path) -> None:
    for n, note in enumerate(NASTY_NOTES):
        log.record(D0 + timedelta(days=n), pain=3, note=note, psfs=[("=cmd|' /C calc'!A0", 4)])
    path = tmp_path / "out.csv"
    log.export_csv(path)
    for row in csv_cells(path):
        for column in ("note", "psfs1_activity"):
            assert not row[column].startswith(FORMULA_STARTS), row[column]


def test_neutralised_cells_come_back_unchanged(log: ProgressLog, tmp_path: Path) -> None:
    for n, note in enumerate(NASTY_NOTES):
        log.record(D0 + timedelta(days=n), pain=3, note=note, psfs=[("-lifting", 4)])
    path = tmp_path / "out.csv"
    log.export_csv(path)
    with ProgressLog(tmp_path / "other.sqlite3") as other:
        report = other.import_csv(path)
        assert report.errors == [] and report.imported == len(NASTY_NOTES)
        assert [e.note for e in other.entries()] == NASTY_NOTES
        assert {e.psfs for e in other.entries()} == {(("-lifting", 4),)}


def test_a_hand_written_apostrophe_stays(log: ProgressLog, tmp_path: Path) -> None:
    path = tmp_path / "hand.csv"
    path.write_text("day,pain,note\n2024-01-01,3,'tis better\n2024-01-02,3,'=1\n")
    assert log.import_csv(path).imported == 2
    assert [e.note for e in log.entries()] == ["'tis better", "=1"]


# --- 2. an open quote -------------------------------------------------------------------


def test_an_unterminated_quote_is_reported_and_later_rows_land(
    log: ProgressLog, tmp_path: Path
) -> None:
    path = tmp_path / "open-quote.csv"
    path.write_text(
        "day,pain,exercised,note\n"
        "2024-01-01,3,no,fine\n"
        '2024-01-02,4,no,"never closed\n'
        "2024-01-03,5,no,after\n"
        "2024-01-04,6,no,later\n"
    )
    report = log.import_csv(path)
    assert [line for line, _ in report.errors] == [3]
    assert "quote" in report.errors[0][1] and "line 4" in report.errors[0][1]
    assert [(e.day.day, e.note) for e in log.entries()] == [(1, "fine"), (3, "after"), (4, "later")]


def test_a_quote_closed_rows_later_is_reported(log: ProgressLog, tmp_path: Path) -> None:
    path = tmp_path / "late-close.csv"
    path.write_text('day,pain,note\n2024-01-01,3,"opened\n2024-01-02,4,x\n2024-01-03,5,"closed"\n')
    report = log.import_csv(path)
    assert [line for line, _ in report.errors] == [2]
    assert sorted(e.day.day for e in log.entries()) == [2, 3]


def test_an_open_quote_on_the_last_row_is_reported(log: ProgressLog, tmp_path: Path) -> None:
    path = tmp_path / "end.csv"
    path.write_text('day,pain,note\n2024-01-01,3,ok\n2024-01-02,4,"no end\nmore words\n')
    report = log.import_csv(path)
    assert report.errors[0][0] == 3
    assert "never closed" in report.errors[0][1]
    assert [e.note for e in log.entries()] == ["ok"]


def test_a_note_with_line_breaks_still_imports(log: ProgressLog, tmp_path: Path) -> None:
    log.record(D0, pain=3, note="first line\nsecond, line\r\nthird")
    path = tmp_path / "out.csv"
    log.export_csv(path)
    with ProgressLog(tmp_path / "b.sqlite3") as other:
        assert other.import_csv(path).errors == []
        assert other.entries()[0].note == "first line\nsecond, line\r\nthird"


def test_semicolon_and_tab_separated_files_import(log: ProgressLog, tmp_path: Path) -> None:
    (tmp_path / "semi.csv").write_text("day;pain;note\n2024-01-01;3;a, b\n")
    (tmp_path / "tab.csv").write_text("day\tpain\tnote\n2024-01-02\t4\tc\n")
    assert log.import_csv(tmp_path / "semi.csv").imported == 1
    assert log.import_csv(tmp_path / "tab.csv").imported == 1
    assert [e.note for e in log.entries()] == ["a, b", "c"]


# --- 3. odd dates -----------------------------------------------------------------------


@pytest.mark.parametrize("day", [date(25, 1, 1), date(9999, 12, 31), "1899-12-31", "2101-01-01"])
def test_implausible_days_are_refused_naming_the_field(log: ProgressLog, day: object) -> None:
    with pytest.raises(EntryError) as err:
        log.record(day, pain=3)
    assert err.value.field == "day"
    assert "1900" in str(err.value) and "2100" in str(err.value)
    assert len(log) == 0


def test_limits_of_the_day_range_are_allowed(log: ProgressLog) -> None:
    log.record(date(1900, 1, 1), pain=1)
    log.record(date(2100, 12, 31), pain=2)
    assert len(log.entries()) == 2
    assert weekly_sessions(log.entries())[0][0] == date(1900, 1, 1)


def test_import_reports_implausible_days_by_line(log: ProgressLog, tmp_path: Path) -> None:
    path = tmp_path / "days.csv"
    path.write_text("day,pain\n0025-01-01,3\n9999-01-01,3\n2025-01-01,3\n")
    report = log.import_csv(path)
    assert [line for line, _ in report.errors] == [2, 3]
    assert all(why.startswith("day:") for _, why in report.errors)
    assert report.imported == 1


def plant_days(path: Path, days: list[str]) -> None:
    """Rows written by another program (or an older version) with days outside the range."""
    con = sqlite3.connect(path)
    with con:
        for day in days:
            con.execute("INSERT INTO entries (day, pain, exercised, minutes) VALUES (?, 3, 1, 10)",
                        (day,))  # fmt: skip
    con.close()


def test_stored_rows_outside_the_range_are_problems_not_crashes(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    with ProgressLog(path) as log:
        good = log.record(D0, pain=4)
    plant_days(path, ["0025-03-04", "9999-12-31"])
    with ProgressLog(path) as log:
        assert log.entries() == [good]
        assert len(log.problems) == 2
        assert all("day" in why for _, why in log.problems)
        assert summarise(log.entries()).entries == 1
        log.weekly_sessions()
        log.summary()


def test_delete_and_get_of_an_impossible_id_say_not_found(log: ProgressLog) -> None:
    for bad in (10**30, -(10**30), 0, 2**63):
        with pytest.raises(EntryNotFoundError):
            log.delete(bad)
        with pytest.raises(EntryNotFoundError):
            log.get(bad)
        with pytest.raises(EntryNotFoundError):
            log.update(bad, pain=2)
    with pytest.raises(EntryNotFoundError):
        log.delete("1; DROP TABLE entries")  # type: ignore[arg-type]


# --- 8. encodings and long values in messages -------------------------------------------


def test_messages_show_bounded_values(log: ProgressLog) -> None:
    with pytest.raises(EntryError) as err:
        log.record(D0, pain="9" * 100_000)  # type: ignore[arg-type]
    assert len(str(err.value)) < 200


def test_a_latin1_file_is_reported_row_by_row(log: ProgressLog, tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("day,pain,note\n2024-01-01,3,caf\xe9\n2024-01-02,4,ok\n".encode("latin-1"))
    report = log.import_csv(path)
    assert [line for line, _ in report.errors] == [2]
    assert "UTF-8" in report.errors[0][1]
    assert report.imported == 1


# --- 5. read-only folders and files -----------------------------------------------------

_READER = """
import os, sys
from backcourse.errors import ProgressLogError
from backcourse.progress import ProgressLog
path = sys.argv[1]
log = ProgressLog(path)
print("read_only", log.read_only)
print("entries", len(log.entries()))
print("sessions", len(log.sessions()))
try:
    log.record("2024-02-01", pain=2)
    print("saved")
except ProgressLogError as exc:
    print("refused", exc)
log.close()
print("files", sorted(os.listdir(os.path.dirname(path))))
"""


def run_as_other_user(path: Path) -> str:
    """Run _READER on ``path`` as a user who may read but not write the folder.

    As root, file permissions do not bind, so the reader runs as nobody; otherwise the
    folder's write bits are taken away for the duration.
    """
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-c", _READER, str(path)]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot act as another user")
        command = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env, cwd="/")
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def shared_folder():
    """A folder others can enter (pytest's tmp_path is private to its owner)."""
    folder = Path(tempfile.mkdtemp(prefix="bc-ro-"))
    folder.chmod(0o755)
    yield folder
    folder.chmod(0o755)
    for p in folder.iterdir():
        p.chmod(0o644)
        p.unlink()
    folder.rmdir()


def make_readable_log(folder: Path, version: int = 2) -> Path:
    path = folder / "log.sqlite3"
    with ProgressLog(path) as log:
        log.record(D0, pain=3)
        log.record(D0 + timedelta(days=1), pain=4)
    if version == 1:  # a log from before guided sessions: no sessions table
        con = sqlite3.connect(path)
        con.execute("DROP TRIGGER sessions_follow_entries")
        con.execute("DROP TABLE sessions")
        con.execute("PRAGMA user_version = 1")
        con.commit()
        con.close()
    path.chmod(0o644)  # others may read it
    return path


@pytest.mark.parametrize("version", [1, 2])
def test_a_healthy_log_in_a_read_only_folder_opens_read_only(
    shared_folder: Path, version: int
) -> None:
    path = make_readable_log(shared_folder, version)
    before = path.read_bytes()
    if os.geteuid() != 0:
        shared_folder.chmod(0o555)
    else:
        shared_folder.chmod(0o755)  # root owns it: nobody cannot write into it
    out = run_as_other_user(path)
    shared_folder.chmod(0o755)
    assert "read_only True" in out
    assert "entries 2" in out and "sessions 0" in out
    assert "refused" in out and "you can read it but not save" in out
    assert "damaged" not in out
    assert "files ['log.sqlite3']" in out
    assert path.read_bytes() == before


def test_a_read_only_file_in_a_writable_folder_opens_read_only(shared_folder: Path) -> None:
    path = make_readable_log(shared_folder)
    path.chmod(0o444)
    if os.geteuid() == 0:
        os.chown(shared_folder, 65534, 65534)  # nobody may write the folder, not the file
    out = run_as_other_user(path)
    assert "read_only True" in out and "entries 2" in out and "refused" in out
    assert "files ['log.sqlite3']" in out  # no -wal or -shm left behind


def test_a_killed_export_leaves_no_temporary_file_for_long(
    log: ProgressLog, tmp_path: Path
) -> None:
    log.record(D0, pain=3)
    target = tmp_path / "out" / "log.csv"
    code = (
        "import os, sys\n"
        "from backcourse.progress import ProgressLog\n"
        "import backcourse.progress.csvfile as p\n"
        "def die(*a, **k):\n"
        "    os._exit(9)\n"
        "p.write_csv = die\n"
        f"ProgressLog({str(log.path)!r}).export_csv({str(target)!r})\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-c", code], env=env, timeout=60)
    assert result.returncode == 9
    left = [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]
    assert left, "the killed write should have left its temporary file"
    old = time.time() - 3600
    for p in left:
        os.utime(p, (old, old))
    log.export_csv(target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["log.csv"]


def test_a_fresh_temporary_file_of_another_writer_is_left_alone(
    log: ProgressLog, tmp_path: Path
) -> None:
    target = tmp_path / "log.csv"
    busy = tmp_path / ".log.csv.abc123.tmp"
    busy.write_text("someone is writing")
    log.export_csv(target)
    assert busy.exists()


def test_csv_header_is_the_documented_one(log: ProgressLog) -> None:
    out = io.StringIO()
    log.export_csv(out)
    assert out.getvalue().splitlines()[0] == ",".join(CSV_COLUMNS)
