"""The routine builder's decisions without a widget: backcourse.builder.BuilderSession.

Oracles come from outside the session: red-flag tiers and titles from red_flags.yaml read
with yaml directly, ranges from the answers themselves, saved files written by export.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from backcourse import Profile, build_routine, export, load_course
from backcourse.builder import GENERAL, BuilderSession
from backcourse.errors import ProfileError
from backcourse.model import POSITIONS
from backcourse.render import render

COURSE = load_course()
RAW_FLAGS = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "course_data" / "red_flags.yaml").read_text()
)
TIER_OF = {f["id"]: f["tier"] for f in RAW_FLAGS["flags"]}
TITLE_OF = {tier: info["title"] for tier, info in RAW_FLAGS["tiers"].items()}
STOPPING = {"emergency", "see_doctor"}  # red_flags.yaml: these tiers replace the routine
ANSWERS = {
    "pain_now": 3,
    "weeks_since_onset": 10,
    "minutes_per_session": 20,
    "sessions_per_week": 3,
    "positions": frozenset(POSITIONS),
    "equipment": frozenset({"mat"}),
    "experience": "intermediate",
}


def answers(**changes: object) -> dict[str, object]:
    return {**ANSWERS, **changes}


def ids(routine) -> list[str]:
    return [p.exercise.id for p in routine.items]


@pytest.fixture
def session() -> BuilderSession:
    s = BuilderSession(COURSE)
    s.update(answers())
    return s


def first_swap(session: BuilderSession) -> tuple[int, str]:
    """The first swap that lands: its exercise fits in the time (a trial session tries)."""
    for i in range(len(session.routine.items)):
        for _words, new in session.choices(i):
            trial = BuilderSession(COURSE)
            trial.update(answers())
            if new in ids(trial.swap(i, new).routine):
                return i, new
    raise AssertionError("no exercise of the routine can be swapped")


# --------------------------------------------------------------------------- answers


def test_answers_give_the_planners_routine_within_the_time(session):
    view = session.view
    assert view.stop is None and view.advice is None and not view.errors
    assert view.routine.items == build_routine(Profile(**ANSWERS), COURSE).items
    assert view.routine.minutes <= ANSWERS["minutes_per_session"]
    shown = sum(minutes for _words, minutes in view.phases)
    assert shown == pytest.approx(view.routine.minutes, abs=0.05)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pain_now", 11),
        ("pain_now", -1),
        ("minutes_per_session", 0),
        ("sessions_per_week", 9),
        ("weeks_since_onset", -3),
        ("experience", "expert"),
        ("positions", frozenset({"upside_down"})),
    ],
)
def test_a_bad_answer_gives_a_message_for_its_field_and_no_routine(session, field, value):
    view = session.update(answers(**{field: value}))
    assert view.routine is None and view.stop is None
    assert list(view.errors) == [field]
    assert view.errors[field].strip()


def test_a_missing_answer_is_a_message_not_a_raise():
    view = BuilderSession(COURSE).update({"pain_now": 3})
    assert view.routine is None and view.errors
    assert set(view.errors) <= {*ANSWERS, "red_flags", GENERAL}


# --------------------------------------------------------------------------- red flags


@pytest.mark.parametrize("flag", sorted(TIER_OF))
def test_each_red_flag_gives_its_tier_from_the_yaml(session, flag):
    view = session.update(answers(red_flags=frozenset({flag})))
    tier = TIER_OF[flag]
    assert view.advice is not None
    assert view.advice.tier == tier and view.advice.title == TITLE_OF[tier]
    assert flag in {f.id for f in view.advice.flags}
    if tier in STOPPING:
        assert view.stop is not None and view.routine is None and view.advice.stops
    else:  # the third tier: a gentle routine, the advice above it and not in the notes
        assert view.stop is None and view.routine is not None and not view.advice.stops
        assert not any(f"{TITLE_OF[tier]}." in note for note in view.notes)
        assert all(p.sets == 1 for p in view.routine.items if p.minutes is None)


def test_the_most_urgent_tier_wins():
    by_tier = {}
    for flag, tier in TIER_OF.items():
        by_tier.setdefault(tier, flag)
    s = BuilderSession(COURSE)
    view = s.update(answers(red_flags=frozenset(by_tier.values())))
    assert view.advice.tier == "emergency" and view.routine is None
    view = s.update(answers(red_flags=frozenset({by_tier["see_doctor"], by_tier["if_not_better"]})))
    assert view.advice.tier == "see_doctor" and view.routine is None
    # The stop box lists every ticked sign's action, most urgent first.
    assert [f.tier for f in view.advice.flags] == ["see_doctor", "if_not_better"]


def test_unticking_the_flag_brings_the_routine_back(session):
    flag = next(f for f, t in TIER_OF.items() if t == "emergency")
    assert session.update(answers(red_flags=frozenset({flag}))).routine is None
    assert session.update(answers()).routine is not None


# --------------------------------------------------------------------------- swaps


def test_a_swap_puts_the_chosen_exercise_in_and_the_old_one_out(session):
    i, new = first_swap(session)
    old = session.routine.items[i].exercise.id
    view = session.swap(i, new)
    assert new in ids(view.routine) and old not in ids(view.routine)
    assert view.swaps == ((old, new),) and session.wanted == ((old, new),)
    assert view.routine.minutes <= ANSWERS["minutes_per_session"]
    assert view.swap_summary.made == ((COURSE.exercises[old].name, COURSE.exercises[new].name),)


def test_an_unsuitable_swap_is_refused(session):
    here = ids(session.routine)
    with pytest.raises(ProfileError, match="not a suitable"):
        session.swap(0, here[1])
    with pytest.raises(ProfileError, match="not a suitable"):
        session.swap(0, "no_such_exercise")
    assert session.wanted == ()


def test_a_swap_survives_an_answer_that_still_allows_it(session):
    i, new = first_swap(session)
    session.swap(i, new)
    view = session.update(answers(minutes_per_session=25, sessions_per_week=4))
    assert view.swaps == session.wanted and new in ids(view.routine)


def test_a_swap_the_answers_rule_out_is_paused_with_a_message_and_comes_back(session):
    i, new = first_swap(session)
    wanted = session.swap(i, new).swaps
    needs = set(COURSE.exercises[new].positions)
    other = frozenset(p for p in POSITIONS if p not in needs) or frozenset({"standing"})
    view = session.update(answers(positions=other))
    if view.routine is None:  # nothing suits those positions: a message instead
        assert view.errors
    else:
        assert view.swaps == () and new not in ids(view.routine)
        assert view.swap_summary.paused == 1 and view.swap_summary.wanted
        text = render("builder/swaps.html", summary=view.swap_summary)
        assert "paused" in text
    assert session.wanted == wanted  # kept, for when the answers allow it again
    view = session.update(answers())
    assert view.swaps == wanted and new in ids(view.routine)


def test_undo_takes_back_the_last_swap(session):
    before = ids(session.routine)
    i, new = first_swap(session)
    session.swap(i, new)
    view = session.undo()
    assert session.wanted == () and view.swaps == () and ids(view.routine) == before


# --------------------------------------------------------------------------- saved answers


def test_saved_answers_load_back_with_name_and_swaps(session):
    i, new = first_swap(session)
    view = session.swap(i, new)
    text = export.to_json(view.routine, swaps=view.swaps, name="  Sam <b>  ")
    other = BuilderSession(COURSE)
    loaded = other.load(text)
    assert loaded.profile == view.routine.profile and loaded.swaps == view.swaps
    assert loaded.name == export.clean_name("  Sam <b>  ")
    other.set_swaps(loaded.swaps)
    again = other.update(loaded.profile.to_dict())
    assert again.routine.items == view.routine.items


def test_a_saved_file_with_a_red_flag_loads_without_its_swaps(session):
    flag = next(f for f, t in TIER_OF.items() if t == "see_doctor")
    text = export.to_json(session.routine, name="Ann").replace(
        '"red_flags": []', f'"red_flags": ["{flag}"]'
    )
    assert flag in text
    loaded = BuilderSession(COURSE).load(text)
    assert flag in loaded.profile.red_flags and loaded.swaps == () and loaded.name == "Ann"


@pytest.mark.parametrize("text", ["", "{}", "not json", b"\xff\xfe", '{"format": "other"}'])
def test_anything_else_is_refused_with_a_profile_error(text):
    with pytest.raises(ProfileError):
        BuilderSession(COURSE).load(text)
