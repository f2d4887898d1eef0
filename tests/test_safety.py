"""The three outcomes of the warning signs, as a learner and a trainer meet them: the screen,
the red-flag check, the routine builder, the class planner and the handout."""

from __future__ import annotations

import html
import re

import pytest

from backcourse import Profile, RedFlagStop, build_routine, load_course, screen
from backcourse.trainer import parse_roster, plan_class, report_html
from backcourse.widgets import build_red_flag_check, build_routine_builder

COURSE = load_course()
TIERS = ("emergency", "see_doctor", "if_not_better")
GENTLE = sorted(f for f, flag in COURSE.red_flags.items() if flag.tier == "if_not_better")


def text(value: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", value)).replace("  ", " ")


def test_every_tier_has_flags_title_and_advice_and_cites_the_nhs():
    for tier in TIERS:
        info = COURSE.red_flag_tiers[tier]
        assert info["title"] and info["advice"]
        assert any(f.tier == tier for f in COURSE.red_flags.values()), tier
    for fid in GENTLE:
        assert {"nhs_sciatica", "nhs_back_pain"} & set(COURSE.red_flags[fid].sources)
    assert COURSE.sources["nhs_sciatica"].url.startswith("https://www.nhs.uk/")


def test_screen_names_the_most_urgent_tier_and_keeps_the_old_api():
    gentle = screen({"leg_radiating": True}, COURSE)
    assert gentle.tier == "if_not_better" and gentle.gentle_only and not gentle.stops
    assert not gentle.clear and gentle.urgent == () and gentle.see_doctor == ()
    both = screen({"leg_radiating": True, "fever": True}, COURSE)
    assert both.tier == "see_doctor" and both.stops and not both.gentle_only
    assert COURSE.red_flag_tiers["see_doctor"]["advice"] in both.advice
    worst = screen({"leg_radiating": True, "fever": True, "chest_pain": True}, COURSE)
    assert worst.tier == "emergency" and worst.flags[0].id == "chest_pain"
    assert screen({}, COURSE).tier is None and screen({}, COURSE).clear


@pytest.mark.parametrize("stop", ["fever", "both_legs_symptoms", "constant_pain"])
def test_a_stop_sign_stops_even_with_a_gentle_sign(stop):
    with pytest.raises(RedFlagStop) as info:
        build_routine(Profile(2, 30, 20, 3, red_flags={"leg_radiating", stop}), COURSE)
    assert {f.id for f in info.value.flags} == {"leg_radiating", stop}


def test_the_handout_carries_the_see_a_gp_advice():
    routine = build_routine(Profile(3, 30, 20, 3, red_flags={"leg_radiating"}), COURSE)
    advice = COURSE.red_flag_tiers["if_not_better"]["advice"]
    for page in (routine.to_markdown(), text(routine.to_html())):
        assert " ".join(advice.split()[:12]) in " ".join(page.split())


# --------------------------------------------------------------------------- the widgets


def test_red_flag_check_shows_three_tiers_and_opens_gently_for_the_third():
    check = build_red_flag_check(COURSE)
    classes = set()
    todo = [check]
    while todo:
        w = todo.pop()
        classes |= set(getattr(w, "_dom_classes", ()))
        todo += list(getattr(w, "children", ()))
    assert {f"bc-redflags-tier-{t}" for t in TIERS} <= classes
    check.parts["q_leg_radiating"].value = "Yes"
    assert not check.clear  # not every question answered yet
    check.parts["none_apply"].click()
    assert check.clear and check.gentle
    shown = text(check.parts["result"].value)
    assert COURSE.red_flag_tiers["if_not_better"]["title"] in shown
    assert "gentle" in shown and 'role="alert"' not in check.parts["result"].value
    check.parts["q_fever"].value = "Yes"  # a stopping sign closes it again
    assert not check.clear and not check.gentle and check.result.tier == "see_doctor"


def test_builder_builds_a_gentle_routine_under_the_third_tier_advice(tmp_path):
    b = build_routine_builder(COURSE, folder=tmp_path)
    b.parts["flag_leg_radiating"].value = True
    assert b.routine is not None and b.stop is None
    assert all(p.exercise.difficulty <= 2 for p in b.routine.items)
    assert all(p.exercise.category != "strength" for p in b.routine.items)
    advice = b.parts["advice"]
    assert advice.layout.display is None
    assert COURSE.red_flag_tiers["if_not_better"]["title"] in text(advice.value)
    assert "bc-builder-advice-if_not_better" in advice.value
    b.parts["flag_leg_radiating"].value = False
    assert advice.layout.display == "none"


def test_class_planner_keeps_the_third_tier_in_a_gentle_class():
    header = (
        "name_or_code,pain_now,weeks_since_onset,minutes_per_session,sessions_per_week,"
        "positions,equipment,experience,red_flags\n"
    )
    rows = (
        "Ann,2,30,30,3,supine;standing;seated,mat,advanced,\n"
        "Ben,2,30,30,3,supine;standing;seated,mat,advanced,leg_radiating\n"
        "Cat,2,30,30,3,supine;standing;seated,mat,advanced,fever\n"
    )
    roster = parse_roster(header + rows, COURSE)
    assert [r.name for r in roster.referrals] == ["Cat"]
    plan = plan_class(roster, COURSE)
    assert {m.name for m in plan.members} == {"Ann", "Ben"}
    assert all(i.exercise.category != "strength" for i in plan.group.items)
    page = text(report_html(plan))
    assert COURSE.red_flag_tiers["if_not_better"]["title"] in page and "Ben" in page
