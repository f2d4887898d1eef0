"""The guided session's timeline: every prescription played as prescribed, in the time the
routine says. The oracle reads guidelines.yaml itself and counts from the doses, without
using backcourse.session."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcourse import CourseDataError, Profile, build_routine, load_course
from backcourse.model import EXPERIENCE, MINUTES_RANGE, POSITIONS
from backcourse.session import KINDS, session_text, timeline, total_seconds

ROOT = Path(__file__).resolve().parent.parent
COURSE = load_course()
TIMING = yaml.safe_load((ROOT / "course_data" / "guidelines.yaml").read_text())["timing"]
SOME = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

profiles = st.builds(
    Profile,
    pain_now=st.integers(0, 10),
    weeks_since_onset=st.integers(0, 520),
    minutes_per_session=st.integers(*MINUTES_RANGE),
    sessions_per_week=st.integers(1, 7),
    positions=st.frozensets(st.sampled_from(POSITIONS), min_size=1),
    equipment=st.frozensets(st.sampled_from(sorted(COURSE.guidelines.labels["equipment"]))),
    experience=st.sampled_from(EXPERIENCE),
)


def expected_seconds(items) -> int:
    """The session length from the doses and guidelines.yaml, counted by hand."""
    total, where = 0, "standing"
    for p in items:
        ex = p.exercise
        total += TIMING["between_exercises_s"]
        if ex.position != where:
            total += TIMING["change_of_position_s"]
            where = ex.position
        if p.duration_min is not None:
            total += p.duration_min * 60
            continue
        sides = 2 if p.per_side else 1
        moves = p.reps or 1
        rep_s = ex.rep_s or TIMING["rep_s"]
        total += p.sets * sides * moves * (rep_s + (p.hold_s or 0))
        total += p.sets * TIMING["change_of_side_s"] if p.per_side else 0
        total += (p.sets - 1) * p.rest_s
    return total


def check_plays_every_prescription(items, steps) -> None:
    assert steps[-1].kind == "done"
    assert steps[0].kind == ("ready" if items else "done")
    assert {s.kind for s in steps} <= set(KINDS)
    for i, p in enumerate(items):
        mine = [s for s in steps if s.item == i and s.kind != "next"]
        ex = p.exercise
        assert {s.exercise_id for s in mine} == {ex.id}, f"item {i} steps name another exercise"
        assert {s.phase for s in steps if s.item == i} == {p.phase}
        kinds = Counter(s.kind for s in mine)
        if p.duration_min is not None:
            assert [(s.kind, s.seconds) for s in mine if s.kind != "ready"] == [
                ("hold", p.duration_min * 60)
            ]
            continue
        sides = 2 if p.per_side else 1
        moves = p.reps or 1
        assert kinds["rep"] == p.sets * sides * moves
        holds = [s for s in mine if s.kind == "hold"]
        assert len(holds) == (p.sets * sides * moves if p.hold_s else 0)
        assert all(h.seconds == p.hold_s for h in holds)
        assert kinds["switch"] == (p.sets if p.per_side else 0)
        rests = [s for s in mine if s.kind == "rest"]
        assert len(rests) == (p.sets - 1 if p.rest_s else 0)
        assert all(r.seconds == p.rest_s for r in rests)
        # every set, every side, every repetition, in order
        seen = [(s.set, s.side, s.rep) for s in mine if s.kind == "rep"]
        sides_seen = ["left", "right"] if p.per_side else [None]
        assert seen == [
            (k, side, r if p.reps else 1)
            for k in range(1, p.sets + 1)
            for side in sides_seen
            for r in range(1, moves + 1)
        ]
    # between exercises: no exercise named, and the next one previewed
    nexts = [s for s in steps if s.kind == "next"]
    assert len(nexts) == max(len(items) - 1, 0)
    assert all(s.exercise_id is None for s in nexts)
    assert [s.upcoming for s in nexts] == [p.exercise.id for p in items[1:]]


@SOME
@given(profiles)
def test_every_prescription_plays_with_its_sets_reps_holds_and_sides(profile):
    routine = build_routine(profile, COURSE)
    steps = timeline(routine)
    check_plays_every_prescription(routine.items, steps)
    assert total_seconds(steps) == expected_seconds(routine.items)


@SOME
@given(profiles)
def test_total_time_agrees_with_the_routine(profile):
    routine = build_routine(profile, COURSE)
    seconds = total_seconds(timeline(routine))
    assert seconds > 0 or not routine.items
    assert abs(seconds - routine.minutes * 60) <= 0.05 * routine.minutes * 60


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles, st.integers(2, 12))
def test_a_week_of_the_plan_plays_that_weeks_doses(profile, week):
    routine = build_routine(profile, COURSE)
    plan_week = routine.plan(weeks=12).weeks[week - 1]
    steps = timeline(plan_week, COURSE)
    check_plays_every_prescription(plan_week.items, steps)
    assert abs(total_seconds(steps) - plan_week.minutes * 60) <= 0.05 * plan_week.minutes * 60


def test_a_later_week_is_longer_where_the_plan_grew():
    profile = Profile(pain_now=2, weeks_since_onset=20, minutes_per_session=30,
                      sessions_per_week=3, experience="intermediate")  # fmt: skip
    routine = build_routine(profile, COURSE)
    weeks = routine.plan(weeks=12).weeks
    first, last = timeline(weeks[0], COURSE), timeline(weeks[-1], COURSE)
    holds_or_reps = lambda steps: sum(s.kind in ("rep", "hold") for s in steps)  # noqa: E731
    assert holds_or_reps(last) > holds_or_reps(first)


def test_swapping_to_the_easier_rung_keeps_the_dose(course):
    profile = Profile(pain_now=2, weeks_since_onset=20, minutes_per_session=30,
                      sessions_per_week=3, experience="advanced")  # fmt: skip
    routine = build_routine(profile, course)
    i, p = next((i, p) for i, p in enumerate(routine.items) if p.exercise.regression)
    easier = p.exercise.regression
    steps = timeline(routine, easier={i: easier})
    mine = [s for s in steps if s.item == i and s.kind not in ("next",)]
    assert {s.exercise_id for s in mine} == {easier}
    assert sum(s.kind == "hold" for s in mine) == (
        p.sets * (p.reps or 1) * (2 if course.exercises[easier].per_side else 1) if p.hold_s else 0
    )
    others = [s for s in steps if s.item != i]
    assert others == [s for s in timeline(routine) if s.item != i]


def test_deterministic_and_plain_data(course):
    profile = Profile(pain_now=3, weeks_since_onset=10, minutes_per_session=15,
                      sessions_per_week=3)  # fmt: skip
    routine = build_routine(profile, course)
    assert timeline(routine) == timeline(routine)
    d = timeline(routine)[1].to_dict()
    assert set(d) >= {"kind", "seconds", "exercise_id", "set", "sets", "side"}


def test_rejects_what_is_not_a_routine():
    with pytest.raises(TypeError, match="Routine or a PlanWeek"):
        timeline("glute_bridge")  # type: ignore[arg-type]


def test_session_words_errors_name_the_file_section_and_key(data_copy):
    path = data_copy / "session.yaml"
    data = yaml.safe_load(path.read_text())
    del data["controls"]["skip"]
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(CourseDataError) as err:
        session_text(load_course(data_copy))
    assert "session.yaml" in str(err.value) and "controls" in str(err.value)
    assert "skip" in str(err.value)


def test_session_words_refuse_an_unknown_placeholder(tmp_path):
    shutil.copytree(ROOT / "course_data", tmp_path / "cd")
    path = tmp_path / "cd" / "session.yaml"
    path.write_text(path.read_text().replace("Set {set} of {sets}", "Set {sett} of {sets}"))
    with pytest.raises(CourseDataError, match="sett"):
        session_text(load_course(tmp_path / "cd"))
