"""Widgets never raise (issue 13): whatever a learner types, picks or uploads, every handler
turns a failure into a message beside the control. Driven through the real widgets.

ipywidgets swallows exceptions raised in click handlers (it logs them), so the fixture
``strict_callbacks`` makes them raise again: a handler that lets an error escape fails here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ipywidgets.widgets.widget import CallbackDispatcher

from backcourse import Profile, build_routine, export, load_course
from backcourse.errors import BackcourseError, ProfileError
from backcourse.progress import ProgressLog
from backcourse.widgets import build_class_planner, build_routine_builder, build_tracker

COURSE = load_course()
HEADER = "name_or_code,pain_now,weeks_since_onset,minutes_per_session,sessions_per_week,"
HEADER += "positions,equipment,experience,red_flags"
ROSTER = HEADER + "\nAna,3,10,20,3,supine;standing;seated,mat;chair,beginner,\n"
PROFILE = Profile(pain_now=3, weeks_since_onset=10, minutes_per_session=20, sessions_per_week=3)
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _raising_call(self, *args, **kwargs):
    value = None
    for callback in self.callbacks:
        local = callback(*args, **kwargs)
        value = local if local is not None else value
    return value


@pytest.fixture
def strict_callbacks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(CallbackDispatcher, "__call__", _raising_call)


def text_of(widget) -> str:
    return re.sub(r"<[^>]+>", "", widget.value).strip()


def upload_value(name: str, data: bytes, kind: str = "text/csv") -> tuple[dict, ...]:
    return (
        {
            "name": name,
            "type": kind,
            "size": len(data),
            "content": memoryview(data),
            "last_modified": dt.datetime(2025, 1, 1),
        },
    )


# --- class planner ----------------------------------------------------------------------


@pytest.mark.parametrize("where", ["an existing file", "under a file"])
def test_class_planner_saving_where_it_cannot_says_so(
    tmp_path: Path, strict_callbacks: None, where: str
) -> None:
    blocker = tmp_path / "handouts"
    blocker.write_text("a file, not a folder")
    folder = blocker if where == "an existing file" else blocker / "sub"
    top = build_class_planner(COURSE, folder=str(folder))
    top.parts["upload"].value = upload_value("class.csv", ROSTER.encode())
    top.parts["plan"].click()
    message = text_of(top.parts["error"])
    assert str(blocker) in message
    assert top.files == ()
    assert blocker.read_text() == "a file, not a folder"


def test_class_planner_survives_any_exception(
    tmp_path: Path, strict_callbacks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backcourse.widgets import class_planner

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(class_planner, "write_handouts", broken)
    top = build_class_planner(COURSE, folder=str(tmp_path / "out"))
    top.parts["upload"].value = upload_value("class.csv", ROSTER.encode())
    top.parts["plan"].click()
    assert "disk on fire" in text_of(top.parts["error"])
    assert "Traceback" not in top.parts["error"].value


# --- routine builder: loading an answers file -------------------------------------------


def saved_answers() -> dict:
    return json.loads(export.to_json(build_routine(PROFILE, COURSE)))


ODD_FILES = {
    "deeply nested": b"[" * 100_000 + b"]" * 100_000,
    "nested positions": json.dumps(
        {**saved_answers(), "profile": {**saved_answers()["profile"], "positions": [["supine"]]}}
    ).encode(),
    "swap ids that are lists": json.dumps(
        {**saved_answers(), "swaps": [{"replace": ["a"], "with": {"b": 1}}]}
    ).encode(),
    "not UTF-8": b"\xff\xfe{\x00}\x00",
    "profile a list": json.dumps({**saved_answers(), "profile": [1, 2]}).encode(),
}


@pytest.mark.parametrize("case", sorted(ODD_FILES))
def test_builder_loading_an_odd_answers_file_shows_a_message(
    tmp_path: Path, strict_callbacks: None, case: str
) -> None:
    b = build_routine_builder(COURSE, folder=tmp_path, start=dt.date(2025, 1, 6))
    before = b.routine
    b.parts["load"].value = upload_value("saved.json", ODD_FILES[case], "application/json")
    assert text_of(b.parts["error-load"]), case
    assert b.routine == before
    assert b.parts["load"].value == ()


@pytest.mark.parametrize("start", [dt.date(9999, 12, 25), dt.date(1, 1, 1), dt.date(2101, 1, 1)])
def test_a_calendar_start_out_of_range_is_a_message(
    tmp_path: Path, strict_callbacks: None, start: dt.date
) -> None:
    b = build_routine_builder(COURSE, folder=tmp_path, start=dt.date(2025, 1, 6))
    b.parts["start"].value = start
    b.parts["export-ics"].click()
    assert "2100" in text_of(b.parts["error-start"])
    assert not list(tmp_path.glob("*.ics"))


@pytest.mark.parametrize("start", [dt.date(9999, 12, 25), "0025-01-01", dt.date(1899, 12, 31)])
def test_to_ics_refuses_an_implausible_start(start: object) -> None:
    with pytest.raises(ProfileError) as err:
        export.to_ics(build_routine(PROFILE, COURSE), start=start)
    assert err.value.field == "start" and "1900" in str(err.value)


def test_an_empty_routine_has_no_calendar() -> None:
    routine = dataclasses.replace(build_routine(PROFILE, COURSE), items=())
    with pytest.raises(BackcourseError, match="no exercises"):
        export.to_ics(routine, start=dt.date(2025, 1, 6))


# --- tracker ----------------------------------------------------------------------------


@pytest.fixture
def tracker(tmp_path: Path, strict_callbacks: None):
    log = ProgressLog(tmp_path / "log.sqlite3")
    yield build_tracker(COURSE, log=log, export_dir=tmp_path / "exports")
    log.close()


@pytest.mark.parametrize("day", [dt.date(25, 3, 4), dt.date(9999, 12, 31)])
def test_saving_an_odd_date_is_a_message_and_the_tracker_keeps_working(
    tracker, day: dt.date
) -> None:
    p = tracker.parts
    p["day"].value = day
    p["pain"].value = 4
    p["exercised"].value = False
    p["save"].click()
    assert "1900" in text_of(p["error-day"])
    assert len(tracker.progress_log) == 0
    p["day"].value = dt.date(2025, 3, 4)
    p["save"].click()
    assert text_of(p["error-day"]) == ""
    assert len(tracker.progress_log) == 1
    p["download"].click()
    assert "Save progress-log" in text_of(p["download-link"])


def test_stored_odd_dates_never_stop_the_tracker(tmp_path: Path, strict_callbacks: None) -> None:
    path = tmp_path / "log.sqlite3"
    with ProgressLog(path) as log:
        log.record(dt.date(2025, 3, 4), pain=4, exercised=True, minutes=20)
    con = sqlite3.connect(path)
    with con:
        for day in ("0025-03-04", "9999-12-31"):
            con.execute(
                "INSERT INTO entries (day, pain, exercised, minutes) VALUES (?, 5, 1, 10)", (day,)
            )
    con.close()
    t = build_tracker(COURSE, path=path, export_dir=tmp_path / "exports")
    assert text_of(t.parts["error"]) == ""
    assert "2 stored row(s)" in text_of(t.parts["problems"])
    assert t.parts["chart"].value  # the chart of the good entry is drawn
    assert "Advice" in text_of(t.parts["advice"])
    t.parts["download"].click()
    t.progress_log.close()


def test_a_read_only_log_is_shown_read_only(
    tmp_path: Path, strict_callbacks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "log.sqlite3"
    with ProgressLog(path) as log:
        log.record(dt.date(2025, 3, 4), pain=4)
    real_access = os.access

    def no_writing(p, mode, *args, **kwargs):  # what a read-only folder looks like
        return False if mode & os.W_OK else real_access(p, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", no_writing)
    t = build_tracker(COURSE, path=path, export_dir=tmp_path / "exports")
    assert "read-only" in text_of(t.parts["error"])
    assert "damaged" not in text_of(t.parts["error"])
    assert len(t.entries) == 1
    assert t.parts["save"].disabled
    t.save()  # even called directly, saving says why and changes nothing
    t.parts["upload"].value = upload_value("x.csv", b"day,pain\n2025-03-05,3\n")
    assert "read-only" in t.parts["upload-report"].value
    t.progress_log.close()
    with ProgressLog(path) as log:
        assert len(log) == 1


def test_an_unexpected_error_in_a_handler_is_a_message(
    tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("something odd")

    monkeypatch.setattr(tracker.progress_log, "export_csv", broken)
    tracker.parts["download"].click()
    assert "something odd" in text_of(tracker.parts["error"])


# --- Hypothesis over the tracker's inputs -----------------------------------------------

text = st.text(max_size=1200)
odd_ints = st.one_of(st.integers(-(10**6), 10**6), st.sampled_from([0, 300, 301, -1, 2**31]))


@SETTINGS
@given(
    day=st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
    pain=st.one_of(st.none(), st.integers(0, 10)),
    exercised=st.one_of(st.none(), st.booleans()),
    minutes=odd_ints,
    note=text,
    activities=st.lists(st.text(max_size=120), max_size=3),
    select=st.one_of(st.none(), st.integers(-5, 50)),
)
def test_no_tracker_handler_raises(
    tracker, day, pain, exercised, minutes, note, activities, select
) -> None:
    p = tracker.parts
    p["day"].value = day
    p["pain"].value = pain
    p["exercised"].value = exercised
    p["minutes"].value = minutes
    p["note"].value = note
    p["psfs-on"].value = bool(activities)
    for i, name in enumerate(activities, 1):
        p[f"psfs{i}-activity"].value = name
        p[f"psfs{i}-score"].value = i
    p["save"].click()
    ids = [value for _, value in p["entries"].options]
    if select is not None and ids:
        p["entries"].value = ids[select % len(ids)]
        p["delete"].click()
        p["confirm-delete"].click()
    p["new-entry"].click()
    p["download"].click()
    for entry in tracker.progress_log.entries():
        assert dt.date(1900, 1, 1) <= entry.day <= dt.date(2100, 12, 31)


@SETTINGS
@given(data=st.binary(max_size=600) | text.map(lambda t: ("day,pain,note\n" + t).encode()))
def test_no_upload_makes_the_tracker_raise(tracker, data: bytes) -> None:
    tracker.parts["upload"].value = upload_value("any.csv", data)
    assert tracker.parts["upload"].value == ()
    assert tracker.parts["upload-report"].value or tracker.parts["error"].value
