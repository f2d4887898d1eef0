"""The rules the lessons teach, checked on routines and 12-week plans.

Every rule is worked out from course_data/*.yaml by tests/plan_oracle.py (exercise doses,
categories and chains, guidelines.yaml bounds and weekly limits, the warm-up list, red-flag
tiers), never through the planner's own helpers. Hypothesis tries random learners; a grid
covers every stage, 10-60 minutes, every experience level, floor and no floor, with and
without weights, and 2-5 sessions a week.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcourse import Profile, build_routine, load_course, screen
from backcourse.model import EXPERIENCE, POSITIONS

sys.path.insert(0, str(Path(__file__).resolve().parent))
import itertools

import plan_oracle as oracle

COURSE = load_course()
EQUIPMENT = sorted(COURSE.guidelines.labels["equipment"])
GENTLE_FLAGS = sorted(f for f, flag in oracle.FLAGS.items() if flag["tier"] == "if_not_better")
RUNS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])

learners = st.builds(
    Profile,
    pain_now=st.integers(0, 10),
    weeks_since_onset=st.integers(0, 520),
    minutes_per_session=st.integers(10, 60),
    sessions_per_week=st.integers(2, 5),
    positions=st.frozensets(st.sampled_from(POSITIONS), min_size=1),
    equipment=st.frozensets(st.sampled_from(EQUIPMENT)),
    experience=st.sampled_from(EXPERIENCE),
    red_flags=st.frozensets(st.sampled_from(GENTLE_FLAGS), max_size=2),
)


def weeks_for(profile: Profile, n: int = 12):
    plan = build_routine(profile, COURSE).plan(n)
    return plan, oracle.weeks_of(plan)


@RUNS
@given(learners)
def test_no_exercise_gains_more_than_two_reps_five_seconds_or_a_set_a_week(profile):
    _, weeks = weeks_for(profile)
    assert list(oracle.weekly_steps(weeks)) == []


@RUNS
@given(learners)
def test_stretches_hold_10_to_30_s_and_reach_15_s_by_week_12(profile):
    _, weeks = weeks_for(profile)
    assert list(oracle.stretch_holds(weeks, profile.minutes_per_session)) == []


@RUNS
@given(learners)
def test_a_hold_exercise_always_holds(profile):
    _, weeks = weeks_for(profile)
    assert list(oracle.holds_hold(weeks)) == []


@RUNS
@given(learners)
def test_one_rung_of_each_chain_per_session(profile):
    _, weeks = weeks_for(profile)
    assert list(oracle.one_rung(weeks)) == []


@RUNS
@given(learners)
def test_warm_ups_are_easy_aerobic_work(profile):
    _, weeks = weeks_for(profile)
    assert list(oracle.warm_ups(weeks)) == []
    for i in weeks[0]:
        if i.phase == "warm_up":
            assert oracle.category(i.id) in ("aerobic", "activation") and i.minutes


@RUNS
@given(learners, st.integers(0, 10), st.integers(0, 10))
def test_more_pain_never_means_more_work(profile, a, b):
    low, high = sorted((a, b))
    easy = build_routine(Profile(**{**profile.to_dict(), "pain_now": low}), COURSE)
    hard = build_routine(Profile(**{**profile.to_dict(), "pain_now": high}), COURSE)
    assert oracle.more_pain_more_work(easy, hard) == [], (low, high)


@RUNS
@given(learners.filter(lambda p: oracle.gentle(p.pain_now, p.weeks_since_onset, p.red_flags)))
def test_gentle_learners_get_gentle_work_all_twelve_weeks(profile):
    _, weeks = weeks_for(profile)
    assert list(oracle.gentle_stays_gentle(weeks, profile)) == []


def test_the_grid_every_rule_holds_and_the_plan_keeps_growing():
    first = grown = 0
    routines = {}
    for profile in oracle.grid(Profile):
        routine = build_routine(profile, COURSE)
        routines[profile] = routine
        plan = routine.plan(12)
        found = {rule: v for rule, v in oracle.violations(plan, profile).items() if v}
        assert not found, (profile, found)
        if profile.minutes_per_session >= 15:
            n, g = oracle.rises(plan)
            first, grown = first + n, grown + g
    # at least 90 % of main-block exercises rise or step up within 12 weeks (>= 15 min)
    assert first and grown / first >= 0.9, (grown, first)
    for profile, hard in routines.items():
        for pain in oracle.GRID_PAIN:
            if pain < profile.pain_now:
                easy = routines[Profile(**{**profile.to_dict(), "pain_now": pain})]
                assert oracle.more_pain_more_work(easy, hard) == [], profile


def test_the_person_in_more_pain_gets_the_gentler_session():
    calm = build_routine(Profile(3, 8, 20, 3, experience="intermediate"), COURSE)
    sore = build_routine(Profile(7, 8, 20, 3, experience="intermediate"), COURSE)

    def main_sets(r) -> int:
        return sum(p.sets for p in r.phase("main") if p.duration_min is None)

    assert main_sets(sore) <= main_sets(calm)
    assert max(p.exercise.difficulty for p in sore.items) <= max(
        p.exercise.difficulty for p in calm.items
    )
    assert not [p for p in sore.items if oracle.category(p.exercise.id) == "strength"]


def test_a_full_session_trades_volume_for_difficulty():
    """An intermediate learner with 20 minutes: exercises step up their chain (with no more
    sets than before) instead of standing still once the session is full."""
    plan = build_routine(Profile(2, 30, 20, 3, experience="intermediate"), COURSE).plan(12)
    steps = [c for w in plan.weeks for c in w.changes if c.startswith("Step up")]
    assert steps
    weeks = oracle.weeks_of(plan)
    for before, after in itertools.pairwise(weeks):
        old = {oracle.FAMILY[i.id]: i for i in before if i.minutes is None}
        for i in after:
            was = old.get(oracle.FAMILY[i.id])
            if was is not None and was.id != i.id:
                # a step up is to the next rung, and never with more sets
                assert oracle.EXERCISES[was.id]["progression"] == i.id
                assert i.sets <= was.sets


# --------------------------------------------------------------------------- three tiers


@pytest.mark.parametrize("flag", GENTLE_FLAGS)
def test_see_a_gp_if_not_better_gives_a_gentle_routine_with_that_advice(flag):
    profile = Profile(2, 30, 20, 3, experience="advanced", equipment={"mat", "weights"})
    flagged = Profile(**{**profile.to_dict(), "red_flags": {flag}})
    result = screen({flag: True}, COURSE)
    assert result.tier == "if_not_better" and not result.stops and not result.clear
    routine = build_routine(flagged, COURSE)
    assert routine.items
    for p in routine.items:
        assert oracle.EXERCISES[p.exercise.id]["difficulty"] <= 2
        assert oracle.category(p.exercise.id) != "strength"
    notes = " ".join(routine.notes)
    assert oracle.TIERS["if_not_better"]["advice"] in notes
    assert oracle.FLAGS[flag]["action"] in notes
    handout = routine.to_markdown()
    assert "GP or a physiotherapist" in handout or "GP or physiotherapist" in handout
    # the unflagged learner gets more than the gentle routine
    assert {p.exercise.id for p in build_routine(profile, COURSE).items} != {
        p.exercise.id for p in routine.items
    }


def test_serious_signs_stay_stops():
    """Constant or progressive pain not eased by rest, night pain and both legs still stop."""
    for flag in ("constant_pain", "night_or_rest_pain", "sleep_prevented", "both_legs_symptoms"):
        assert oracle.FLAGS[flag]["tier"] in ("emergency", "see_doctor"), flag
        assert screen({flag: True}, COURSE).stops
    assert oracle.FLAGS["leg_radiating"]["tier"] == "if_not_better"
    assert "nhs_sciatica" in oracle.FLAGS["leg_radiating"]["sources"]
