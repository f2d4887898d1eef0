"""The session player driven from pytest: the messages its JavaScript sends, a whole session
through, with Too hard, Stop – it hurts and Undo, each leaving the right entry in the log."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from backcourse import Profile, build_routine
from backcourse.progress import ProgressLog
from backcourse.widgets import build_session_player
from backcourse.widgets.session_player import STATIC, SessionPlayer

ROOT = Path(__file__).resolve().parent.parent
SAM = Profile(pain_now=3, weeks_since_onset=20, minutes_per_session=20, sessions_per_week=3,
              equipment=frozenset({"mat"}), experience="intermediate")  # fmt: skip


@pytest.fixture
def routine(course):
    return build_routine(SAM, course)


@pytest.fixture
def log(tmp_path):
    with ProgressLog(tmp_path / "log.sqlite") as log:
        yield log


def send(app, **content):
    """What the browser does: a custom message to the widget's comm handler."""
    app.player._handle_custom_msg(content, [])


def sent(app, monkeypatch) -> list:
    out: list = []
    monkeypatch.setattr(app.player, "send", lambda msg, buffers=None: out.append(msg))
    return out


def play_through(app) -> int:
    """Walk the steps as the player does, announcing each exercise; return the seconds."""
    for s in app.player.steps:
        if s["kind"] in ("ready", "next"):
            send(app, event="at", item=s["item"])
    return sum(s["seconds"] for s in app.player.steps)


def test_a_whole_session_is_recorded(routine, log, course):
    app = build_session_player(routine, log=log, speed=50)
    assert app.player.speed == 50
    seconds = play_through(app)
    # every exercise's picture reached the browser before its turn
    assert set(app.player.frames) == {p.exercise.id for p in routine.items}
    assert all(
        f.startswith("data:image/png;base64,") for fs in app.player.frames.values() for f in fs
    )
    send(app, event="finish", pain_before=4, pain_after=3, effort=5, seconds_done=seconds,
         skipped=[])  # fmt: skip
    assert app.player.error == ""
    [entry] = log.entries()
    assert (entry.day, entry.exercised, entry.pain, entry.effort) == (date.today(), True, 3, 5)
    assert entry.minutes == round(seconds / 60)
    [rec] = log.sessions()
    assert (rec.pain_before, rec.pain_after, rec.stopped, rec.skipped, rec.swapped) == (
        4, 3, False, (), (),
    )  # fmt: skip
    assert app.player.record["entry_id"] == entry.id
    assert f"{entry.minutes} minutes" in app.player.record["text"]
    # a second Save (a double click) does not log the session twice
    send(app, event="finish", pain_before=4, pain_after=3, effort=5, seconds_done=seconds,
         skipped=[])  # fmt: skip
    assert len(log) == 1


def test_skipped_exercises_are_named_in_the_log(routine, log):
    app = build_session_player(routine, log=log)
    send(app, event="finish", pain_before=2, pain_after=2, effort=3, seconds_done=300,
         skipped=[1])  # fmt: skip
    [rec] = log.sessions()
    assert rec.skipped == (routine.items[1].exercise.id,)
    assert routine.items[1].exercise.name in app.player.record["text"]
    assert log.entries()[0].minutes == 5


def test_too_hard_swaps_to_the_easier_rung_for_the_rest_of_the_session(routine, log, course,
                                                                      monkeypatch):  # fmt: skip
    app = build_session_player(routine, log=log)
    out = sent(app, monkeypatch)
    i, p = next((i, p) for i, p in enumerate(routine.items) if p.exercise.regression)
    easier = course.exercises[p.exercise.regression]
    index = next(k for k, s in enumerate(app.player.steps)
                 if s["item"] == i and s["kind"] in ("rep", "hold"))  # fmt: skip
    before = [s for s in app.player.steps if s["item"] != i]
    send(app, event="too_hard", index=index)
    assert app.player.error == ""
    mine = [s for s in app.player.steps if s["item"] == i and s["kind"] != "next"]
    assert {s["exercise_id"] for s in mine} == {easier.id}
    assert [s for s in app.player.steps if s["item"] != i] == before  # nothing else changes
    assert easier.id in app.player.frames
    assert easier.name in app.player.message
    # the player is sent back to the start of that exercise, now the easier one
    [jump] = out
    assert jump["type"] == "jump" and app.player.steps[jump["index"]]["item"] == i
    assert app.player.steps[jump["index"]]["kind"] in ("ready", "next")
    send(app, event="finish", pain_before=5, pain_after=4, effort=6, seconds_done=600,
         skipped=[])  # fmt: skip
    [rec] = log.sessions()
    assert rec.swapped == ((p.exercise.id, easier.id),)
    assert easier.name in app.player.record["text"]


def test_too_hard_on_the_gentlest_version_says_so_and_changes_nothing(routine, log, course):
    app = build_session_player(routine, log=log)
    i = next(i for i, p in enumerate(routine.items) if p.exercise.regression is None)
    index = next(k for k, s in enumerate(app.player.steps) if s["item"] == i)
    steps = list(app.player.steps)
    send(app, event="too_hard", index=index)
    assert app.player.steps == steps
    assert routine.items[i].exercise.name in app.player.message
    assert app.player.error == ""


def test_stop_it_hurts_records_at_once_then_takes_the_pain_score(routine, log, course):
    app = build_session_player(routine, log=log)
    # the advice is in the page before any kernel round trip
    stop = app.player.stop_html
    rise = course.guidelines.progression["step_back_pain_rise"]
    assert f"{rise} points" in stop and "doctor" in stop
    send(app, event="stop", pain_before=5, seconds_done=130, skipped=[])
    [entry] = log.entries()
    [rec] = log.sessions()
    assert rec.stopped and rec.pain_after is None and rec.seconds_done == 130
    assert (entry.pain, entry.minutes, entry.exercised) == (5, 2, True)
    assert "stopped" in entry.note
    assert app.player.record["stopped"] is True
    send(app, event="pain", pain=7)
    assert log.get(entry.id).pain == 7 and log.sessions()[0].pain_after == 7


def test_undo_takes_the_session_out_of_the_log(routine, log):
    keep = log.record(date.today() - timedelta(days=1), 3)
    app = build_session_player(routine, log=log)
    send(app, event="finish", pain_before=4, pain_after=3, effort=5, seconds_done=900,
         skipped=[])  # fmt: skip
    assert len(log) == 2
    send(app, event="undo")
    assert [e.id for e in log.entries()] == [keep.id]
    assert log.sessions() == []
    assert app.player.record == {} and app.player.message
    send(app, event="undo")  # nothing more to undo: no error, nothing deleted
    assert len(log) == 1 and app.player.error == ""


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (
            {
                "event": "finish",
                "pain_before": 11,
                "pain_after": 3,
                "effort": 2,
                "seconds_done": 60,
                "skipped": [],
            },
            "pain_before",
        ),
        (
            {
                "event": "finish",
                "pain_before": 3,
                "pain_after": "a lot",
                "effort": 2,
                "seconds_done": 60,
                "skipped": [],
            },
            "pain_after",
        ),
        (
            {
                "event": "finish",
                "pain_before": 3,
                "pain_after": 3,
                "effort": 2,
                "seconds_done": 60,
                "skipped": [99],
            },
            "0 to",
        ),
        ({"event": "too_hard", "index": -1}, "index"),
        (
            {
                "event": "finish",
                "pain_before": 3,
                "pain_after": 3,
                "effort": 2,
                "seconds_done": None,
                "skipped": None,
            },
            "could not be saved",
        ),
        ({"event": "pain", "pain": 4}, "no saved session"),
        ({"event": "launch"}, "unknown event"),
    ],
)
def test_bad_messages_give_a_message_never_an_exception(routine, log, content, words):
    app = build_session_player(routine, log=log)
    app.player._handle_custom_msg(content, [])
    assert words in app.player.error
    assert len(log) == 0


def test_a_log_that_cannot_be_used_is_a_message(routine, tmp_path):
    foreign = tmp_path / "notes.sqlite"
    foreign.write_text("my shopping list\n")
    app = build_session_player(routine, log=foreign)
    send(app, event="finish", pain_before=3, pain_after=3, effort=2, seconds_done=60,
         skipped=[])  # fmt: skip
    assert "could not be saved" in app.player.error
    assert foreign.read_text() == "my shopping list\n"


def test_a_plan_plays_this_weeks_doses(routine, log):
    plan = routine.plan(12)
    app = build_session_player(plan, log=log)
    assert "1" in app.player.title  # no guided session yet: week 1
    log.record_session(date.today() - timedelta(days=15), 3, 3, 600)
    app = build_session_player(plan, log=log)
    week3 = plan.weeks[2]
    holds = sum(s["kind"] == "hold" for s in app.player.steps)
    expected = sum(
        1 if p.duration_min else p.sets * (2 if p.per_side else 1) * (p.reps or 1) * bool(p.hold_s)
        for p in week3.items
    )
    assert holds == expected
    assert "3" in app.player.title


def test_javascript_and_css_are_package_files_that_fetch_nothing():
    js = (STATIC / "session_player.js").read_text()
    css = (STATIC / "session_player.css").read_text()
    assert str(SessionPlayer._esm) == js and str(SessionPlayer._css) == css
    coach_js = (STATIC / "coach.js").read_text()
    # One fetch only: in the browser-only site, the coach's files from the site itself (a
    # URL under the site's root, refused unless on the page's own origin)
    assert re.findall(r"\bfetch\((\w+)", js) == ["url"]
    assert "const url = new URL(name, base)" in js and "url.origin !== window.location.origin" in js
    for source in (js, css, coach_js):
        assert not re.search(r"https?://|@import", source)
        assert source is js or not re.search(r"\bfetch\(", source)
        # The only module imported at run time is the camera coach's, and only from bytes
        # the kernel sent (a blob: URL made on the page), never from an address.
        for m in re.finditer(r"\bimport\s*\(\s*(\w*)", source):
            assert m.group(1) == "url", source[m.start() : m.start() + 80]
            before = source[: m.start()]
            assert re.search(r"const url = (\(name, type\) => )?URL\.createObjectURL\(", before)
    assert "static/*.js" in (ROOT / "pyproject.toml").read_text()
    # no course words in the JavaScript: they come from session.yaml
    assert not re.search(r'"(Hold|Rest|Start|Pause|Skip|Too hard)"', js)


def test_builder_button_starts_todays_session(course, tmp_path, monkeypatch):
    monkeypatch.setenv("BACKCOURSE_LOG", str(tmp_path / "log.sqlite"))
    from backcourse.widgets import build_routine_builder

    builder = build_routine_builder(course, folder=tmp_path)
    launch = builder.parts["session"]
    assert launch.holder.children == ()
    launch.button.click()
    [player] = launch.holder.children
    first = player.player.steps[0]
    assert first["kind"] == "ready"
    assert first["exercise_id"] == builder.routine.items[0].exercise.id
