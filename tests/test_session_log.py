"""Guided sessions in the progress log: one write per session, Undo by deleting the entry,
and logs from before the sessions table are upgraded in place."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from backcourse.progress import APPLICATION_ID, EntryError, ProgressLog

DAY = date(2026, 11, 29)


def test_a_session_lands_as_an_entry_and_its_details(tmp_path):
    with ProgressLog(tmp_path / "log.sqlite") as log:
        rec = log.record_session(
            DAY, 4, 3, 754, effort=6, skipped=["bird_dog"], swapped=[("plank", "knee_plank")]
        )
        entry = log.get(rec.entry.id)
        assert (entry.day, entry.pain, entry.exercised, entry.minutes, entry.effort) == (
            DAY, 3, True, 13, 6,
        )  # fmt: skip
        got = log.session(rec.entry.id)
        assert got == rec
        assert (got.pain_before, got.pain_after, got.seconds_done, got.stopped) == (
            4,
            3,
            754,
            False,
        )
        assert got.skipped == ("bird_dog",) and got.swapped == (("plank", "knee_plank"),)


def test_a_stopped_session_keeps_pain_before_until_told(tmp_path):
    with ProgressLog(tmp_path / "log.sqlite") as log:
        rec = log.record_session(DAY, 5, None, 20, stopped=True)
        assert log.get(rec.entry.id).pain == 5 and log.get(rec.entry.id).minutes == 1
        assert log.session(rec.entry.id).pain_after is None
        after = log.update_session_pain(rec.entry.id, 7)
        assert after.pain_after == 7 and after.stopped
        assert log.get(rec.entry.id).pain == 7


def test_undo_deletes_the_entry_and_its_session(tmp_path):
    with ProgressLog(tmp_path / "log.sqlite") as log:
        keep = log.record(DAY, 2)
        rec = log.record_session(DAY, 4, 3, 600)
        log.delete(rec.entry.id)
        assert [e.id for e in log.entries()] == [keep.id]
        assert log.sessions() == [] and log.session(rec.entry.id) is None


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("pain_before", {"pain_before": 11}),
        ("pain_after", {"pain_after": -1}),
        ("seconds_done", {"seconds_done": -5}),
        ("effort", {"effort": 12}),
    ],
)
def test_bad_values_name_the_field_and_write_nothing(tmp_path, field, kwargs):
    args = {"pain_before": 3, "pain_after": 3, "seconds_done": 60} | kwargs
    effort = args.pop("effort", None)
    with ProgressLog(tmp_path / "log.sqlite") as log:
        with pytest.raises(EntryError) as err:
            log.record_session(DAY, effort=effort, **args)
        assert err.value.field == field
        assert len(log) == 0 and log.sessions() == []


def test_a_version_1_log_is_upgraded_and_keeps_its_entries(tmp_path):
    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    con.executescript(
        """CREATE TABLE entries (id INTEGER PRIMARY KEY AUTOINCREMENT, day TEXT NOT NULL,
        pain INTEGER NOT NULL, exercised INTEGER NOT NULL, minutes INTEGER NOT NULL,
        effort INTEGER, psfs TEXT NOT NULL DEFAULT '[]', note TEXT NOT NULL DEFAULT '');
        INSERT INTO entries (day, pain, exercised, minutes) VALUES ('2026-11-01', 4, 1, 15);"""
    )
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    with ProgressLog(path) as log:
        assert [(e.pain, e.minutes) for e in log.entries()] == [(4, 15)]
        rec = log.record_session(DAY, 4, 2, 300)
        assert log.session(rec.entry.id).pain_after == 2
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 2
    con.close()
