"""Tests of backcourse.progress: the learner's pain and session log."""

from __future__ import annotations

import io
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcourse.errors import BackcourseError, ProgressLogError
from backcourse.model import EARLIEST_DAY, LATEST_DAY
from backcourse.progress import (
    APPLICATION_ID,
    CSV_COLUMNS,
    EntryError,
    EntryNotFoundError,
    LogEntry,
    ProgressLog,
    advice,
    default_log_path,
    example_log,
    psfs_series,
    weekly_sessions,
)

REPO = Path(__file__).resolve().parents[1]
# The numbers of course_data/guidelines.yaml, progression section (tests may name them).
PROGRESSION = {"step_back_pain_rise": 2, "review_after_weeks": 2, "expected_weeks": 12}
D0 = date(2024, 1, 1)  # a Monday


@pytest.fixture
def log(tmp_path: Path):
    with ProgressLog(tmp_path / "log.sqlite3") as log:
        yield log


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in a folder and its bytes."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


# --- record, list, edit, delete ----------------------------------------------------------


def test_record_list_update_delete_round_trip(log: ProgressLog) -> None:
    a = log.record(
        D0 + timedelta(days=1),
        pain=6,
        exercised=True,
        minutes=20,
        effort=4,
        psfs=[("Putting on socks", 3)],
        note="stiff in the morning",
    )
    b = log.record("2024-01-01", pain=7)
    c = log.record(D0 + timedelta(days=1), pain=5, psfs={"Sitting": 4, "Walking": 6})
    assert a.id is not None and b.id is not None and c.id is not None
    assert len({a.id, b.id, c.id}) == 3
    assert len(log) == 3
    # Ordered by day, then by id.
    assert [e.id for e in log.entries()] == [b.id, a.id, c.id]
    assert log.get(a.id) == a
    assert log.get(c.id).psfs == (("Sitting", 4), ("Walking", 6))
    assert log.get(b.id) == LogEntry(b.id, D0, 7, False, 0, None, (), "")

    changed = log.update(a.id, pain=4, note="better")
    assert changed == LogEntry(a.id, a.day, 4, True, 20, 4, a.psfs, "better")
    assert log.get(a.id) == changed

    log.delete(b.id)
    assert len(log) == 2
    with pytest.raises(EntryNotFoundError):
        log.get(b.id)
    with pytest.raises(EntryNotFoundError):
        log.delete(b.id)
    with pytest.raises(EntryNotFoundError):
        log.update(b.id, pain=1)
    # Ids are never reused: a new entry does not take the deleted one's id.
    assert log.record(D0, pain=1).id not in {a.id, b.id, c.id}


def test_entries_between_dates(log: ProgressLog) -> None:
    for i in range(10):
        log.record(D0 + timedelta(days=i), pain=i)
    got = log.entries(start=D0 + timedelta(days=3), end="2024-01-05")
    assert [e.pain for e in got] == [3, 4]


def test_update_rejects_bad_values_and_keeps_the_entry(log: ProgressLog) -> None:
    e = log.record(D0, pain=5)
    with pytest.raises(EntryError) as err:
        log.update(e.id, pain=11)
    assert err.value.field == "pain"
    with pytest.raises(EntryError) as err:
        log.update(e.id, colour="red")
    assert err.value.field == "colour"
    assert log.get(e.id) == e


def test_the_log_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    with ProgressLog(path) as log:
        e = log.record(D0, pain=3, exercised=True, minutes=15)
    with ProgressLog(path) as log:
        assert log.entries() == [e]
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_a_closed_log_says_so(tmp_path: Path) -> None:
    log = ProgressLog(tmp_path / "log.sqlite3")
    log.close()
    with pytest.raises(ProgressLogError, match="closed"):
        log.entries()


# --- validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "kwargs", "words"),
    [
        ("pain", {"pain": 11}, "0 to 10"),
        ("pain", {"pain": -1}, "0 to 10"),
        ("pain", {"pain": "five"}, "0 to 10"),
        ("pain", {"pain": 4.5}, "0 to 10"),
        ("pain", {"pain": True}, "0 to 10"),
        ("minutes", {"minutes": 301}, "0 to 300"),
        ("effort", {"effort": 11}, "0 to 10"),
        ("exercised", {"exercised": "yes"}, "True or False"),
        ("day", {"day": "2024-02-30"}, "YYYY-MM-DD"),
        ("day", {"day": 20240101}, "YYYY-MM-DD"),
        ("note", {"note": "x" * 1001}, "1000 characters"),
        ("note", {"note": "a\x00b"}, "NUL"),
        ("psfs", {"psfs": [("a", 1), ("b", 2), ("c", 3), ("d", 4)]}, "at most 3"),
        ("psfs", {"psfs": [("Sitting", 11)]}, "0 to 10"),
        ("psfs", {"psfs": [("  ", 5)]}, "name"),
        ("psfs", {"psfs": [("Sitting", 5), ("sitting ", 6)]}, "twice"),
        ("psfs", {"psfs": ["Sitting"]}, "pair"),
    ],
)
def test_validation_names_the_field_and_range(
    log: ProgressLog, field: str, kwargs: dict, words: str
) -> None:
    args = {"day": D0, "pain": 3, **kwargs}
    with pytest.raises(EntryError) as err:
        log.record(**args)
    assert err.value.field == field
    assert str(err.value).startswith(f"{field}:")
    assert words in str(err.value)
    assert isinstance(err.value, ValueError) and isinstance(err.value, BackcourseError)
    assert len(log) == 0


def test_limits_themselves_are_allowed(log: ProgressLog) -> None:
    e = log.record(
        D0,
        pain=10,
        exercised=True,
        minutes=300,
        effort=0,
        psfs=[("a", 0), ("b", 10), ("c", 5)],
        note="n" * 1000,
    )
    assert log.get(e.id) == e
    assert log.record(D0, pain=0).pain == 0


# --- rows damaged by hand are reported, not fatal ----------------------------------------


def test_bad_stored_rows_are_reported_and_do_not_hide_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    with ProgressLog(path) as log:
        good = log.record(D0, pain=3)
        bad_pain = log.record(D0 + timedelta(days=1), pain=4)
        bad_psfs = log.record(D0 + timedelta(days=2), pain=5)
        bad_day = log.record(D0 + timedelta(days=3), pain=5)
    con = sqlite3.connect(path)
    con.execute("UPDATE entries SET pain = 42 WHERE id = ?", (bad_pain.id,))
    con.execute("UPDATE entries SET psfs = 'not json' WHERE id = ?", (bad_psfs.id,))
    con.execute("UPDATE entries SET day = '2024-13-45' WHERE id = ?", (bad_day.id,))
    con.commit()
    con.close()
    with ProgressLog(path) as log:
        assert log.entries() == [good]
        problems = dict(log.problems)
        assert set(problems) == {bad_pain.id, bad_psfs.id, bad_day.id}
        assert problems[bad_pain.id].startswith("pain:")
        assert problems[bad_psfs.id].startswith("psfs:")
        assert problems[bad_day.id].startswith("day:")
        assert len(log) == 4  # still stored: nothing is dropped
        with pytest.raises(EntryError, match=f"entry {bad_pain.id}"):
            log.get(bad_pain.id)
        # A bad row can be repaired in place.
        assert log.update(bad_pain.id, pain=4).pain == 4
        assert log.update(bad_psfs.id, psfs=()).psfs == ()
        assert {e.id for e in log.entries()} == {good.id, bad_pain.id, bad_psfs.id}
        assert [pid for pid, _ in log.problems] == [bad_day.id]


# --- CSV ---------------------------------------------------------------------------------


def fill(log: ProgressLog) -> list[LogEntry]:
    log.record(
        D0,
        pain=6,
        exercised=True,
        minutes=20,
        effort=5,
        psfs=[("Putting on socks", 3), ("Sitting, at work", 4)],
        note='said "ouch", twice',
    )
    log.record(D0 + timedelta(days=1), pain=5, note="line one\nline two\r\nline three")
    log.record(
        D0 + timedelta(days=2),
        pain=5,
        exercised=True,
        minutes=300,
        effort=10,
        psfs=[("a", 0), ("b", 10), ("Café ☕", 7)],
        note="  spaces kept  ",
    )
    log.record(D0 + timedelta(days=2), pain=0, note="=1+1")
    return log.entries()


def contents(entries: list[LogEntry]) -> list[tuple]:
    return [e._content() for e in entries]


def test_csv_export_import_round_trip(tmp_path: Path) -> None:
    with ProgressLog(tmp_path / "a.sqlite3") as a, ProgressLog(tmp_path / "b.sqlite3") as b:
        original = fill(a)
        assert a.export_csv(tmp_path / "out" / "log.csv") == len(original)
        report = b.import_csv(tmp_path / "out" / "log.csv")
        assert (report.imported, report.errors, report.duplicates) == (4, [], 0)
        assert contents(b.entries()) == contents(original)
        # Importing the same file again adds nothing.
        again = b.import_csv(tmp_path / "out" / "log.csv")
        assert (again.imported, again.duplicates) == (0, 4)
        assert len(b) == 4
    # No temporary file is left next to the export.
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["log.csv"]


def test_csv_round_trip_through_open_files(log: ProgressLog, tmp_path: Path) -> None:
    original = fill(log)
    text = io.StringIO(newline="")
    assert log.export_csv(text) == 4
    assert text.getvalue().splitlines()[0] == ",".join(CSV_COLUMNS)
    with ProgressLog(tmp_path / "b.sqlite3") as b:
        assert b.import_csv(io.StringIO(text.getvalue(), newline="")).imported == 4
        assert contents(b.entries()) == contents(original)
    with ProgressLog(tmp_path / "c.sqlite3") as c:
        assert c.import_csv(io.BytesIO(text.getvalue().encode())).imported == 4
        assert contents(c.entries()) == contents(original)


def test_export_refuses_to_overwrite_the_log(log: ProgressLog) -> None:
    before = log.path.read_bytes()
    with pytest.raises(ProgressLogError, match="the log itself"):
        log.export_csv(log.path)
    assert log.path.read_bytes() == before


HEADER = ",".join(CSV_COLUMNS).encode()


def row(day: str, pain: str, note: bytes = b"ok", n_psfs: int = 6) -> bytes:
    return b",".join([b"", day.encode(), pain.encode(), b"yes", b"20", b"5", *[b""] * n_psfs, note])


def test_import_reports_each_bad_row_and_keeps_the_good(log: ProgressLog, tmp_path: Path) -> None:
    lines = [
        HEADER,  # 1
        row("2024-01-01", "5"),  # 2 good
        row("2024-01-02", "11"),  # 3 pain out of range
        b",2024-01-03,4,yes,20",  # 4 values missing
        row("2024-02-30", "4"),  # 5 no such day
        row("2024-01-04", "4") + b",surplus",  # 6 extra values
        row("2024-01-05", "4", note=b"caf\xe9"),  # 7 Latin-1, not UTF-8
        row("2024-01-06", "3", note=b'"two\nlines"'),  # 8-9 good, a quoted newline
        row("2024-01-07", "2"),  # 10 good
        b"",  # 11 blank: no data, not an error
        b",2024-01-08,4,maybe,20,5,,,,,,,x",  # 12 exercised not yes/no
        b",,5,no,0,,,,,,,,",  # 13 no day
        b",2024-01-09,4,no,0,,,7,,,,,",  # 14 a PSFS score with no activity
        row("2024-01-10", "2") + b",,",  # 15 good: empty trailing cells hold no data
    ]
    path = tmp_path / "messy.csv"
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    report = log.import_csv(path)
    assert report.imported == 4
    assert [e.day.day for e in log.entries()] == [1, 6, 7, 10]
    assert log.entries()[1].note == "two\nlines"
    lines_reported = [line for line, _ in report.errors]
    assert lines_reported == [3, 4, 5, 6, 7, 12, 13, 14]
    reasons = dict(report.errors)
    assert reasons[3].startswith("pain:") and "0 to 10" in reasons[3]
    assert "missing" in reasons[4]
    assert reasons[5].startswith("day:")
    assert "extra" in reasons[6]
    assert "UTF-8" in reasons[7]
    assert reasons[12].startswith("exercised:")
    assert reasons[13].startswith("day:") and "missing" in reasons[13]
    assert reasons[14].startswith("psfs1_activity:")
    assert "line 3" in str(report) and "Imported 4" in str(report)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"date,score\n2024-01-01,5\n", "header"),
        (b"day,pain,mood\n2024-01-01,5,ok\n", "mood"),
        (b"day,pain,pain\n2024-01-01,5,5\n", "twice"),
        (b"", "empty"),
        (b"\n\n", "empty"),
        (b"\xff\xfed\x00a\x00y\x00", "Save it as UTF-8"),  # UTF-16: not our encoding
        ("day,pain\n2024-01-01,5\n".encode("utf-16-le"), "Save it as UTF-8"),  # no BOM
    ],
)
def test_import_refuses_a_file_that_is_not_a_log_csv(
    log: ProgressLog, tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "other.csv"
    path.write_bytes(content)
    with pytest.raises(ProgressLogError) as err:
        log.import_csv(path)
    assert words in str(err.value)
    assert len(log) == 0
    assert path.read_bytes() == content


def test_import_a_hand_made_csv_with_few_columns(log: ProgressLog, tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("Day, Pain ,exercised\n2024-01-01,4,y\n2024-01-02,3,\n", encoding="utf-8-sig")
    assert log.import_csv(path).imported == 2
    assert [(e.pain, e.exercised, e.minutes) for e in log.entries()] == [
        (4, True, 0),
        (3, False, 0),
    ]


def test_import_of_a_missing_file_is_a_clear_error(log: ProgressLog, tmp_path: Path) -> None:
    with pytest.raises(ProgressLogError, match="cannot read"):
        log.import_csv(tmp_path / "nope.csv")


# --- crashes and concurrent writers -------------------------------------------------------

WRITER = """
import sys
from datetime import date, timedelta
from backcourse.progress import ProgressLog

path, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
log = ProgressLog(path)
print("ready", flush=True)
if not tag.startswith("crash"):
    sys.stdin.readline()  # wait for "go", so both writers start together
i = 0
while count < 0 or i < count:
    e = log.record(date(2024, 1, 1) + timedelta(days=i % 365), pain=i % 11, exercised=True,
                   minutes=i % 300, psfs=[("Sitting", i % 11)], note=f"{tag} {i} " + "x" * 400)
    if tag.startswith("crash"):
        print(e.id, i, flush=True)  # only after the commit returned
    i += 1
print("done", flush=True)
"""


def start_writer(path: Path, tag: str, count: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), tag, str(count)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def integrity(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def test_a_killed_writer_loses_no_committed_entry(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    rng = random.Random(7)
    committed: dict[int, str] = {}  # id -> the note the writer saved under it
    for round_ in range(5):
        tag = f"crash{round_}"  # ids alone could be reused by the next writer: check notes too
        proc = start_writer(path, tag, -1)
        try:
            assert proc.stdout.readline() == "ready\n", proc.stderr.read()
            for _ in range(rng.randint(20, 120)):
                line = proc.stdout.readline()
                assert line, f"writer stopped early: {proc.stderr.read()}"
                entry_id, i = line.split()
                committed[int(entry_id)] = f"{tag} {i} "
            time.sleep(rng.random() * 0.02)  # land somewhere inside a later transaction
        finally:
            proc.kill()  # SIGKILL: no clean-up, no atexit, no checkpoint
        rest, _ = proc.communicate(timeout=30)
        for line in rest.split("\n")[:-1]:  # a line cut short by the kill is not a claim
            entry_id, i = line.split()
            committed[int(entry_id)] = f"{tag} {i} "
        assert proc.returncode != 0
        assert integrity(path) == "ok"
        with ProgressLog(path) as log:
            notes = {e.id: e.note for e in log.entries()}
            lost = [i for i, note in committed.items() if not notes.get(i, "").startswith(note)]
            assert lost == []
            assert log.problems == []
    assert len(committed) >= 100


def test_two_processes_writing_at_once_both_land(tmp_path: Path) -> None:
    path = tmp_path / "shared" / "log.sqlite3"  # neither writer finds it: both create it
    writers = [start_writer(path, tag, 200) for tag in ("alpha", "beta")]
    try:
        for w in writers:
            assert w.stdout.readline() == "ready\n", w.stderr.read()
        for w in writers:
            w.stdin.write("go\n")
            w.stdin.flush()
        for w in writers:
            out, err = w.communicate(timeout=120)
            assert w.returncode == 0, err
            assert out == "done\n"
    finally:
        for w in writers:
            w.kill()
    assert integrity(path) == "ok"
    with ProgressLog(path) as log:
        notes = [e.note.split()[:2] for e in log.entries()]
        assert len(log) == 400
        for tag in ("alpha", "beta"):
            assert sorted(int(n) for t, n in notes if t == tag) == list(range(200))


# --- files that are not our log are refused and left alone -------------------------------


def foreign_sqlite(path: Path, wal: bool = False, app_id: int = 0) -> None:
    con = sqlite3.connect(path)
    if wal:
        con.execute("PRAGMA journal_mode = WAL")
    if app_id:
        con.execute(f"PRAGMA application_id = {app_id}")
    else:
        con.execute("CREATE TABLE recipes (name TEXT, minutes INTEGER)")
        con.execute("INSERT INTO recipes VALUES ('soup', 30)")
    con.commit()
    con.close()


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda p: p.write_bytes(random.Random(1).randbytes(8192)), id="random"),
        pytest.param(lambda p: p.write_text("day,pain\n2024-01-01,4\n"), id="csv-text"),
        pytest.param(lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x01" * 40), id="cut"),
        pytest.param(lambda p: foreign_sqlite(p), id="other-app"),
        pytest.param(lambda p: foreign_sqlite(p, wal=True), id="other-app-wal"),
        pytest.param(lambda p: foreign_sqlite(p, app_id=0x12345678), id="other-app-id"),
    ],
)
def test_files_that_are_not_a_log_are_refused_unchanged(tmp_path: Path, make) -> None:
    path = tmp_path / "precious.db"
    make(path)
    before = snapshot(tmp_path)
    with pytest.raises(ProgressLogError) as err:
        ProgressLog(path)
    assert str(path) in str(err.value)
    assert "not changed" in str(err.value)
    assert snapshot(tmp_path) == before


def test_a_damaged_log_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    with ProgressLog(path) as log:
        for i in range(200):
            log.record(D0 + timedelta(days=i), pain=i % 11, note="n" * 500)
    assert not (tmp_path / "log.sqlite3-wal").exists()  # checkpointed on close
    data = bytearray(path.read_bytes())
    page = 4096
    data[3 * page : 5 * page] = random.Random(3).randbytes(2 * page)
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(ProgressLogError, match="damaged"):
        ProgressLog(path)
    assert path.read_bytes() == before


def test_a_log_from_a_newer_version_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    ProgressLog(path).close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 99")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(ProgressLogError, match="newer"):
        ProgressLog(path)
    assert path.read_bytes() == before
    # Refused before connecting: no -wal or -shm file is left beside it.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.sqlite3"]


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ProgressLogError, match="not a file"):
        ProgressLog(tmp_path)


# --- where the log lives -----------------------------------------------------------------


def test_env_var_sets_the_default_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "deep" / "er" / "mine.sqlite3"
    monkeypatch.setenv("BACKCOURSE_LOG", str(target))
    assert default_log_path() == target
    with ProgressLog() as log:
        assert log.path == target
        log.record(D0, pain=2)
    assert target.is_file()
    if os.name == "posix":
        assert target.stat().st_mode & 0o077 == 0  # health data: owner only


def test_default_path_without_env_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BACKCOURSE_LOG", raising=False)
    assert default_log_path() == Path.home() / ".backcourse" / "progress.sqlite3"
    monkeypatch.setenv("BACKCOURSE_LOG", "")
    assert default_log_path() == Path.home() / ".backcourse" / "progress.sqlite3"


# --- weekly sessions and PSFS -------------------------------------------------------------


def test_weekly_sessions_count_iso_weeks_and_fill_gaps(log: ProgressLog) -> None:
    log.record(D0 - timedelta(days=1), pain=4, exercised=True, minutes=10)  # Sunday, last week
    log.record(D0, pain=4, exercised=True, minutes=20)  # Monday
    log.record(D0 + timedelta(days=6), pain=4, exercised=True, minutes=25)  # Sunday
    log.record(D0 + timedelta(days=6), pain=4, minutes=0)  # a day without a session
    log.record(D0 + timedelta(days=15), pain=4, exercised=True, minutes=30)
    assert log.weekly_sessions() == [
        (D0 - timedelta(days=7), 1, 10),
        (D0, 2, 45),
        (D0 + timedelta(days=7), 0, 0),
        (D0 + timedelta(days=14), 1, 30),
    ]
    assert weekly_sessions([]) == []


def test_psfs_series_by_activity(log: ProgressLog) -> None:
    log.record(D0 + timedelta(days=7), pain=4, psfs=[("sitting", 5), ("Walking", 6)])
    log.record(D0, pain=4, psfs=[("Sitting", 3)])
    assert log.psfs_series() == {
        "Sitting": [(D0, 3), (D0 + timedelta(days=7), 5)],
        "Walking": [(D0 + timedelta(days=7), 6)],
    }
    assert psfs_series([]) == {}


# --- advice --------------------------------------------------------------------------------


def series(pains: list[int], sessions_every: int = 2) -> list[LogEntry]:
    """One entry a day from D0; a session every ``sessions_every`` days (0: none)."""
    return [
        LogEntry(
            i + 1,
            D0 + timedelta(days=i),
            p,
            exercised=bool(sessions_every) and i % sessions_every == 0,
            minutes=20 if sessions_every and i % sessions_every == 0 else 0,
        )
        for i, p in enumerate(pains)
    ]


@pytest.mark.parametrize(
    ("pains", "sessions_every", "kind"),
    [
        pytest.param([3] * 6, 2, "not_enough_data", id="six-days"),
        pytest.param([3] * 7 + [5] * 7, 2, "step_back", id="up-two"),
        pytest.param([3] * 14 + [6] * 10, 2, "step_back", id="flare-not-settled"),
        pytest.param([3] * 7 + [3] * 7 + [4] * 7 + [5] * 7, 2, "see_doctor", id="worse-4-weeks"),
        pytest.param([6] * 14, 2, "see_doctor", id="no-better-after-2-weeks"),
        pytest.param([6] * 7 + [3] * 7, 2, "progress", id="down-three"),
        pytest.param([2] * 14, 2, "progress", id="steady-and-mild"),
        pytest.param([3] * 14 + [6] * 7 + [3] * 7, 2, "progress", id="flare-settled"),
        pytest.param([2] * 14, 0, "hold", id="mild-but-not-exercising"),
        pytest.param([5] * 10, 2, "hold", id="moderate-too-soon-to-tell"),
        pytest.param([5, 4, 5, 4, 5, 4, 5] * 2 + [3] * 7, 5, "hold", id="one-session-a-week"),
    ],
)
def test_advice_kinds(pains: list[int], sessions_every: int, kind: str) -> None:
    result = advice(series(pains, sessions_every), PROGRESSION)
    assert result.kind == kind, result.message
    assert result.message
    if kind in ("see_doctor", "step_back"):
        assert "doctor or physiotherapist" in result.message


def test_advice_thresholds_come_from_the_guidelines() -> None:
    up_two = series([3] * 7 + [5] * 7)
    assert advice(up_two, PROGRESSION).kind == "step_back"
    assert advice(up_two, {**PROGRESSION, "step_back_pain_rise": 3}).kind != "step_back"
    down_three = series([6] * 7 + [3] * 7)
    assert advice(down_three, {**PROGRESSION, "step_back_pain_rise": 4}).kind == "hold"
    stuck = series([6] * 14)
    assert advice(stuck, {**PROGRESSION, "review_after_weeks": 3}).kind == "hold"
    assert (
        "up to 9 weeks"
        in advice(stuck, {**PROGRESSION, "expected_weeks": 9, "review_after_weeks": 3}).message
    )
    with pytest.raises(KeyError, match="step_back_pain_rise"):
        advice(up_two, {"review_after_weeks": 2, "expected_weeks": 12})


def test_advice_from_the_log(log: ProgressLog) -> None:
    for e in series([6] * 7 + [3] * 7):
        log.record(e.day, e.pain, e.exercised, e.minutes)
    assert log.advice(PROGRESSION).kind == "progress"
    assert log.summary().sessions_per_week == pytest.approx(3.5)


# --- example data ---------------------------------------------------------------------------


def test_example_log_is_deterministic_and_marked(tmp_path: Path) -> None:
    with example_log(tmp_path / "a.sqlite3") as a, example_log(tmp_path / "b.sqlite3") as b:
        assert a.entries() == b.entries()
        entries = a.entries()
    assert len(entries) == 84
    assert [e.day for e in entries] == [D0 + timedelta(days=i) for i in range(84)]
    assert all(e.note == "example data" for e in entries)
    first, last = entries[:7], entries[-7:]
    assert sum(e.pain for e in first) / 7 - sum(e.pain for e in last) / 7 >= 3  # it improves
    kinds = {advice(entries[:n], PROGRESSION).kind for n in range(7, 85)}
    assert {"step_back", "progress"} <= kinds  # the flare-up shows
    assert advice(entries, PROGRESSION).kind == "progress"
    assert all(len(s) >= 12 for s in psfs_series(entries).values())
    with example_log(tmp_path / "c.sqlite3", seed=1) as c:
        assert c.entries() != entries


def test_example_data_never_goes_into_a_log_with_entries(log: ProgressLog) -> None:
    log.record(D0, pain=5, note="real")
    with pytest.raises(ProgressLogError, match="already has entries"):
        example_log(log.path)
    assert [e.note for e in log.entries()] == ["real"]


# --- properties --------------------------------------------------------------------------

text_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
activities = st.text(text_chars, min_size=1, max_size=40).map(str.strip).filter(bool)
valid_entries = st.builds(
    LogEntry,
    id=st.none(),
    day=st.dates(EARLIEST_DAY, LATEST_DAY),
    pain=st.integers(0, 10),
    exercised=st.booleans(),
    minutes=st.integers(0, 300),
    effort=st.none() | st.integers(0, 10),
    psfs=st.lists(
        st.tuples(activities, st.integers(0, 10)), max_size=3, unique_by=lambda p: p[0].casefold()
    ).map(tuple),
    note=st.text(text_chars, max_size=300),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entry=valid_entries)
def test_any_valid_entry_round_trips(entry: LogEntry) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with ProgressLog(folder / "a.sqlite3") as a:
            recorded = a.record(
                entry.day,
                entry.pain,
                entry.exercised,
                entry.minutes,
                entry.effort,
                entry.psfs,
                entry.note,
            )
            assert recorded._content() == entry._content()
            assert a.get(recorded.id) == recorded
            a.export_csv(folder / "a.csv")
        with ProgressLog(folder / "b.sqlite3") as b:
            report = b.import_csv(folder / "a.csv")
            assert report.errors == []
            assert [e._content() for e in b.entries()] == [entry._content()]
