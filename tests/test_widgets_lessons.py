"""The lesson widgets (red flags, muscles, exercises, quiz, sitting) and the lesson helpers.

Widgets are driven the way a learner drives them: set a value, click a button, then read
what the view shows. Mistakes must appear as a message beside the field, never as an
exception. How fast cached views answer is measured in benchmarks/bench_lesson_widgets.py.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import ipywidgets as widgets
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcourse import BackcourseError, CourseDataError, ProfileError, lesson, screen
from backcourse.sitting import clock, parse_clock, plan_breaks, sitting_rules
from backcourse.widgets import (
    build_exercise_browser,
    build_muscle_explorer,
    build_quiz,
    build_red_flag_check,
    build_sitting_planner,
)
from backcourse.widgets.exercise_browser import NO_EQUIPMENT, matching

PNG = b"\x89PNG\r\n\x1a\n"
LESSONS = ("00_start_here", "01_anatomy", "02_causes_and_risks", "03_exercise_technique")


def classes(w: widgets.Widget) -> set[str]:
    return set(w._dom_classes)


def all_classes(w: widgets.Widget) -> set[str]:
    """CSS classes of a widget and everything inside it."""
    found = set(getattr(w, "_dom_classes", ()))
    for child in getattr(w, "children", ()):
        found |= all_classes(child)
    return found


def text(html_value: str) -> str:
    """Visible text of an HTML value: tags dropped, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", html_value))).strip()


def is_alert(area: widgets.HTML) -> bool:
    return 'role="alert"' in area.value and area.value.strip() != ""


# --------------------------------------------------------------------------- red flags


@pytest.fixture
def check(course):
    return build_red_flag_check(course)


def test_red_flag_check_has_a_toggle_per_flag_in_three_tiers(course, check):
    for fid in course.red_flags:
        toggle = check.parts[f"q_{fid}"]
        assert toggle.value is None and list(toggle.options) == ["Yes", "No"]
        assert "bc-redflags-answer" in classes(toggle)
    found = all_classes(check)
    assert {"bc-app", "bc-redflags", "bc-redflags-status", "bc-redflags-result"} <= found
    assert {
        "bc-redflags-tier-emergency",
        "bc-redflags-tier-see_doctor",
        "bc-redflags-tier-if_not_better",
    } <= found
    assert {f"bc-redflags-q-{fid}" for fid in course.red_flags} <= found
    assert not check.clear and check.result is None
    assert f"0 of {len(course.red_flags)} answered" in text(check.parts["status"].value)


def test_emergency_yes_shows_what_to_do_now(course, check):
    check.parts["q_bladder_or_bowel_change"].value = "Yes"
    assert not check.clear
    assert check.result.tier == "emergency"
    shown = text(check.parts["result"].value)
    tier = course.red_flag_tiers["emergency"]
    assert tier["title"] in shown and "999" in shown
    assert course.red_flags["bladder_or_bowel_change"].action in shown
    assert 'role="alert"' in check.parts["result"].value
    # ... and right under the emergency questions, where it was answered
    assert check.parts["urgent"].value == check.parts["result"].value
    assert "closed" in text(check.parts["status"].value)
    # answering everything else No does not open it
    check.parts["none_apply"].click()
    assert not check.clear and check.result.tier == "emergency"


def test_see_doctor_yes_keeps_routine_building_closed(course, check):
    check.parts["none_apply"].click()
    assert check.clear
    check.parts["q_fever"].value = "Yes"
    assert not check.clear
    assert check.result.tier == "see_doctor"
    assert course.red_flag_tiers["see_doctor"]["title"] in text(check.parts["result"].value)
    assert check.parts["urgent"].value == ""
    assert "You can go on" not in check.parts["result"].value


def test_clear_only_when_every_answer_is_no(course, check):
    ids = list(course.red_flags)
    for fid in ids[:-1]:
        check.parts[f"q_{fid}"].value = "No"
    assert not check.clear
    assert "You can go on" not in check.parts["result"].value
    assert "1 to go" in text(check.parts["status"].value)
    check.parts[f"q_{ids[-1]}"].value = "No"
    assert check.clear
    assert "You can go on to build a routine" in text(check.parts["result"].value)
    assert check.result.clear
    check.parts["reset"].click()
    assert not check.clear and all(check.parts[f"q_{f}"].value is None for f in ids)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_widget_agrees_with_screen(course, data):
    ids = sorted(course.red_flags)
    yes = data.draw(st.sets(st.sampled_from(ids)))
    unanswered = data.draw(st.sets(st.sampled_from(ids)))
    w = build_red_flag_check(course)
    for fid in ids:
        w.parts[f"q_{fid}"].value = (
            None if fid in unanswered - yes else ("Yes" if fid in yes else "No")
        )
    expected = screen({f: True for f in yes}, course)
    complete = not (unanswered - yes)
    # Clear once every question is answered and no emergency or see-a-doctor sign is a yes;
    # a yes only in the third tier opens a gentle routine.
    assert w.clear == (complete and not expected.stops)
    assert w.gentle == (complete and expected.gentle_only)
    if expected.stops or (yes and complete):
        assert w.result.tier == expected.tier
    if yes:
        assert w.answers() == {f: (f in yes) for f in ids if f not in unanswered - yes}


def test_screening_failure_is_a_message_not_a_traceback(course, monkeypatch):
    import backcourse.safety

    def broken(answers, course):
        raise ProfileError("red_flags", "the screen could not run")

    monkeypatch.setattr(backcourse.safety, "screen", broken)
    w = build_red_flag_check(course)
    w.parts["q_chest_pain"].value = "No"
    assert is_alert(w.parts["error"])
    assert "could not run" in text(w.parts["error"].value)
    assert not w.clear


# --------------------------------------------------------------------------- muscle explorer


@pytest.fixture(scope="module")
def explorer():
    return build_muscle_explorer()


def fake_png(monkeypatch, module, name):
    """Replace a widget's renderer with a stub naming what it was asked for (fast)."""

    def stub(course, item_id):
        return PNG + item_id.encode(), f"picture of {item_id}"

    monkeypatch.setattr(module, name, stub)


def test_muscle_explorer_shows_muscle_figure_and_exercises(course, explorer, monkeypatch):
    from backcourse.widgets import muscle_explorer

    fake_png(monkeypatch, muscle_explorer, "muscle_png")
    select = explorer.parts["select"]
    assert {"bc-muscles", "bc-muscles-select", "bc-muscles-figure", "bc-muscles-info"} <= (
        all_classes(explorer)
    )
    for mid, m in course.muscles.items():
        select.value = mid
        info = text(explorer.parts["info"].value)
        assert m.name in info and m.action.split()[0] in info
        listed = text(explorer.parts["exercises"].value)
        for ex in course.exercises_for_muscle(mid):
            assert ex.name in listed
        assert bytes(explorer.parts["figure"].value) == PNG + mid.encode()
        assert f"picture of {mid}" in explorer.parts["caption"].value  # alt text as caption
        assert explorer.parts["error"].value == ""


def test_muscle_explorer_shows_the_same_picture_when_coming_back(course, explorer):
    # How fast a cached view answers is measured in benchmarks/bench_lesson_widgets.py.
    select = explorer.parts["select"]
    ids = list(course.muscles)[:4]
    seen = {}
    for mid in ids:  # render for real
        select.value = mid
        assert bytes(explorer.parts["figure"].value).startswith(PNG)
        assert explorer.parts["caption"].value and explorer.parts["error"].value == ""
        seen[mid] = (bytes(explorer.parts["figure"].value), explorer.parts["caption"].value)
    assert len({png for png, _ in seen.values()}) == len(ids)  # each muscle its own picture
    for mid in reversed(ids):
        select.value = mid
        shown = (bytes(explorer.parts["figure"].value), explorer.parts["caption"].value)
        assert shown == seen[mid]


def test_muscle_group_filter(course, explorer):
    explorer.parts["group"].value = "glutes"
    values = [v for _, v in explorer.parts["select"].options]
    assert values == [m.id for m in course.muscles.values() if m.group == "glutes"]
    assert explorer.parts["select"].value in values
    explorer.parts["group"].value = "any"
    assert len(explorer.parts["select"].options) == len(course.muscles)


def test_muscle_figure_failure_is_a_message(course, monkeypatch):
    from backcourse.illustrate import anatomy_figures as anatomy
    from backcourse.widgets import muscle_explorer

    def broken(course, highlight=None):
        raise ValueError("the schematic could not be drawn")

    monkeypatch.setattr(anatomy, "muscle_figure", broken)
    muscle_explorer._muscle_png.cache_clear()
    try:
        w = build_muscle_explorer(course, muscle="hamstrings")
        assert is_alert(w.parts["error"])
        assert "could not be drawn" in w.parts["error"].value
    finally:
        muscle_explorer._muscle_png.cache_clear()


# --------------------------------------------------------------------------- exercise browser


@pytest.fixture(scope="module")
def browser_widget():
    return build_exercise_browser()


def shown_ids(w) -> list[str]:
    return [v for _, v in w.parts["results"].options]


FILTER_VALUES = {
    "muscle": lambda c: list(c.muscles),
    "category": lambda c: ["stretch", "activation", "strength", "aerobic"],
    "position": lambda c: [
        "supine",
        "prone",
        "side_lying",
        "all_fours",
        "kneeling",
        "standing",
        "seated",
    ],
    "difficulty": lambda c: [1, 2, 3],
    "equipment": lambda c: [NO_EQUIPMENT, "chair", "weights"],
}


def test_browser_parts_and_classes(browser_widget):
    found = all_classes(browser_widget)
    for name in ("muscle", "category", "position", "difficulty", "equipment", "cards", "results"):
        assert f"bc-browser-{name}" in found
    assert "bc-browser" in found


@pytest.mark.parametrize("name", sorted(FILTER_VALUES))
def test_each_filter_narrows_to_the_right_exercises(course, browser_widget, name):
    w = browser_widget
    w.parts["clear"].click()
    for value in FILTER_VALUES[name](course):
        if value not in [v for _, v in w.parts[name].options]:
            continue  # nothing in the course uses it, so it is not offered
        w.parts[name].value = value
        expected = [e.id for e in matching(course, **{name: value})]
        assert shown_ids(w) == expected
        for eid in expected:
            ex = course.exercises[eid]
            if name == "muscle":
                assert value in ex.all_muscles
            elif name == "category":
                assert ex.category == value
            elif name == "position":
                assert value in ex.positions
            elif name == "difficulty":
                assert ex.difficulty == value
            elif value == NO_EQUIPMENT:
                assert not ex.equipment
            else:
                assert value in ex.equipment
        assert f"{len(expected)} of {len(course.exercises)}" in text(w.parts["count"].value) or (
            not expected
        )
    w.parts["clear"].click()
    assert len(shown_ids(w)) == len(course.exercises)


def test_combined_filters_can_match_nothing_and_say_so(course, browser_widget):
    w = browser_widget
    w.parts["clear"].click()
    w.parts["category"].value = "stretch"
    w.parts["equipment"].value = "weights"
    assert shown_ids(w) == [] and w.parts["results"].value is None
    assert "No exercise matches" in text(w.parts["count"].value)
    assert "Clear filters" in text(w.parts["card"].value)
    assert w.parts["easier"].disabled and w.parts["harder"].disabled
    assert w.parts["error"].value == ""
    w.parts["clear"].click()
    assert w.parts["results"].value is not None


def test_card_shows_everything_a_learner_needs(course, browser_widget, monkeypatch):
    from backcourse.widgets import exercise_browser

    fake_png(monkeypatch, exercise_browser, "exercise_png")
    w = browser_widget
    w.parts["clear"].click()
    for eid, ex in course.exercises.items():
        w.parts["results"].value = eid
        card = text(w.parts["card"].value)
        assert ex.name in card
        for part in (*ex.steps, *ex.cues, *ex.mistakes):
            assert " ".join(part.split()) in card
        assert lesson.dose_text(ex.dose) in card
        for sid in ex.sources:  # each source under its short label, never its id
            assert course.sources[sid].label() in card
            assert not re.search(rf"\b{re.escape(sid)}\b", w.parts["card"].value)
        if ex.regression:
            assert course.exercises[ex.regression].name in card
        if ex.progression:
            assert course.exercises[ex.progression].name in card
        assert bytes(w.parts["figure"].value) == PNG + eid.encode()
        assert f"picture of {eid}" in w.parts["caption"].value


def test_easier_and_harder_buttons_walk_the_chain(course, browser_widget):
    w = browser_widget
    w.parts["clear"].click()
    w.parts["category"].value = "activation"
    w.parts["results"].value = "pelvic_tilt"
    w.parts["harder"].click()  # glute bridge is strengthening: the filter is cleared
    assert w.parts["results"].value == "glute_bridge"
    assert w.parts["category"].value == "any"
    w.parts["harder"].click()
    assert w.parts["results"].value == "single_leg_bridge"
    assert w.parts["harder"].disabled
    w.parts["easier"].click()
    assert w.parts["results"].value == "glute_bridge"


def test_browser_shows_the_same_card_and_picture_when_coming_back(course, browser_widget):
    # How fast a cached view answers is measured in benchmarks/bench_lesson_widgets.py.
    w = browser_widget
    w.parts["clear"].click()
    ids = list(course.exercises)[:5]
    seen = {}
    for eid in ids:  # render for real
        w.parts["results"].value = eid
        assert bytes(w.parts["figure"].value).startswith(PNG)
        assert course.exercises[eid].name in w.parts["caption"].value
        seen[eid] = (bytes(w.parts["figure"].value), w.parts["card"].value)
    for eid in reversed(ids):
        w.parts["results"].value = eid
        assert (bytes(w.parts["figure"].value), w.parts["card"].value) == seen[eid]
    w.parts["category"].value = "stretch"
    listed = [v for _, v in w.parts["results"].options]
    assert listed and all(course.exercises[e].category == "stretch" for e in listed)


def test_unknown_first_exercise_is_a_message(course):
    w = build_exercise_browser(course, exercise="toe_touch_marathon")
    assert is_alert(w.parts["error"]) and "toe_touch_marathon" in w.parts["error"].value


# --------------------------------------------------------------------------- quiz


@pytest.mark.parametrize("stem", LESSONS)
def test_quiz_gives_feedback_for_every_answer(course, stem):
    w = build_quiz(course, lesson=stem)
    questions = tuple(q for q in course.quizzes_for(stem) if not q.quick_check)
    assert w.questions == questions and len(questions) >= 4
    assert {"bc-quiz", "bc-quiz-feedback", "bc-quiz-choice", "bc-quiz-check"} <= all_classes(w)
    for qi, quiz in enumerate(questions):
        w.go(qi)
        assert f"question {qi + 1} of {len(questions)}" in text(w.parts["progress"].value)
        assert " ".join(quiz.question.split()) in text(w.parts["question"].value)
        for n, choice in enumerate(quiz.choices):
            w.parts["choice"].value = "ABCDEFGH"[n]
            assert w.parts["feedback"].value == ""  # a new pick hides the old feedback
            w.parts["check"].click()
            shown = text(w.parts["feedback"].value)
            assert " ".join(choice.feedback.removeprefix("Right.").split()) in shown
            assert shown[0] in "✔✘"
            assert (f"{'ABCDEFGH'[n]} is right." in shown) == choice.correct
            for sid in quiz.sources:  # the short label ("NICE 2016"), never the raw id
                assert course.sources[sid].label() in shown
                assert not re.search(rf"\b{re.escape(sid)}\b", w.parts["feedback"].value)
    # every question was first answered with choice A
    right = sum(q.choices[0].correct for q in questions)
    assert f"{right} of {len(questions)}" in text(w.parts["score"].value)


@pytest.mark.parametrize("stem", [s for s in LESSONS if s != "00_start_here"])
def test_quick_check_asks_only_the_mid_lesson_questions(course, stem):
    quick = build_quiz(course, lesson=stem, quick_check=True)
    end = build_quiz(course, lesson=stem)
    assert quick.questions and all(q.quick_check for q in quick.questions)
    assert not set(quick.questions) & set(end.questions)  # never asked twice
    assert "Quick check" in text(quick.parts["progress"].value)
    quick.parts["choice"].value = "A"
    quick.parts["check"].click()
    assert quick.parts["feedback"].value
    if len(quick.questions) == 1:  # one question: a plain score, not "All 1 answered"
        right = int(quick.questions[0].choices[0].correct)
        assert f"Score: {right} of 1" in text(quick.parts["score"].value)
        assert "All 1" not in text(quick.parts["score"].value)


def test_quick_check_for_a_lesson_without_one_is_a_clear_error(course):
    with pytest.raises(BackcourseError, match="quick-check"):
        build_quiz(course, lesson="00_start_here", quick_check=True)


def test_quiz_check_without_an_answer_is_a_message(course):
    w = build_quiz(course, lesson="01_anatomy")
    w.parts["check"].click()
    assert is_alert(w.parts["error"]) and "Pick an answer" in w.parts["error"].value
    assert w.parts["feedback"].value == ""
    w.parts["choice"].value = "A"
    assert w.parts["error"].value == ""


def test_quiz_navigation_and_memory(course):
    w = build_quiz(course, lesson="02_causes_and_risks")
    assert w.parts["previous"].disabled and not w.parts["next"].disabled
    w.parts["choice"].value = "B"
    w.parts["check"].click()
    w.parts["next"].click()
    assert w.index == 1 and w.parts["choice"].value is None
    w.parts["previous"].click()
    assert w.parts["choice"].value == "B" and w.parts["feedback"].value
    for _ in range(20):
        w.parts["next"].click()
    assert w.index == len(w.questions) - 1 and w.parts["next"].disabled


def test_quiz_for_an_unknown_lesson_names_the_known_ones(course):
    with pytest.raises(BackcourseError, match="01_anatomy"):
        build_quiz(course, lesson="99_nothing")


# --------------------------------------------------------------------------- sitting


def test_sitting_rules_come_from_the_facts(course):
    rules = sitting_rules(course)
    fact = course.fact("guidance", "sitting_breaks")
    assert rules.every == fact.data["break_every_minutes"]
    assert rules.length == fact.data["break_minutes"]
    assert [m.id for m in rules.moves] == list(fact.data["moves"])
    assert set(fact.sources) <= set(course.sources)


@pytest.mark.parametrize(
    ("given", "minutes"),
    [
        ("9", 540),
        ("09:00", 540),
        ("9.30", 570),
        ("17:45", 1065),
        ("5pm", 1020),
        ("12am", 0),
        ("12:30 pm", 750),
        (" 7h15 ", 435),
    ],
)
def test_parse_clock(given, minutes):
    assert parse_clock(given) == minutes


@pytest.mark.parametrize("bad", ["", "noon", "25:00", "9:75", "13pm", None, "9:5"])
def test_parse_clock_refuses_with_the_field_name(bad):
    with pytest.raises(ProfileError, match=r"^start: "):
        parse_clock(bad, "start")


@settings(max_examples=200, deadline=None)
@given(
    start=st.integers(0, 24 * 60 - 1),
    span=st.integers(1, 24 * 60 - 1),
    every=st.integers(10, 120),
    length=st.integers(1, 15),
)
def test_plan_covers_the_day_with_short_sits(start, span, every, length):
    plan = plan_breaks(clock(start), clock(start + span), every, length)
    assert plan.spells[0].start == plan.start and plan.spells[-1].end == plan.end
    assert plan.span == span
    for a, b in zip(plan.spells, plan.spells[1:], strict=False):
        assert a.end == b.start and a.kind != b.kind
    assert plan.longest_sit <= every
    assert all(b.minutes <= length and b.move is not None for b in plan.breaks)
    assert plan.sitting_minutes + plan.moving_minutes == span


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("start", "lunchtime", "time of day"),
        ("end", "9:00", "later than"),
        ("every", 0, "10 to 120"),
        ("length", 99, "1 to 15"),
    ],
)
def test_sitting_planner_shows_mistakes_beside_the_field(course, field, value, words):
    w = build_sitting_planner(course, start="09:00", end="17:00")
    good = w.parts["timeline"].value
    if field == "end":
        w.parts["start"].value = "09:00"
        w.parts["end"].value = "09:00"
    else:
        w.parts[field].value = value
    area = w.parts[f"{field}_error"]
    assert is_alert(area) and words in text(area.value)
    assert w.parts["timeline"].value == good  # the last good plan stays on show
    others = [f for f in ("start", "end", "every", "length") if f != field]
    assert all(w.parts[f"{f}_error"].value == "" for f in others)


def test_sitting_planner_draws_the_day_and_breaks(course):
    w = build_sitting_planner(course)
    assert {"bc-sitting", "bc-sitting-timeline", "bc-sitting-plan", "bc-sitting-start"} <= (
        all_classes(w)
    )
    plan = w.plan
    assert plan.breaks and "Without breaks" in w.parts["timeline"].value
    assert w.parts["timeline"].value.count("flex:0 0") == 1 + len(plan.spells)
    listed = text(w.parts["plan"].value)
    assert clock(plan.breaks[0].start) in listed and plan.breaks[0].move.name in listed
    w.parts["every"].value = 60
    assert w.plan.every == 60 and w.plan.longest_sit <= 60
    w.parts["start"].value = "lunchtime"
    w.parts["start"].value = "13:00"
    assert w.parts["start_error"].value == "" and w.plan.start == 13 * 60
    w.parts["every"].value = 45
    assert w.plan.every == 45 and w.plan.longest_sit <= 45


# --------------------------------------------------------------------------- shared behaviour


@pytest.mark.parametrize(
    "build",
    [
        build_red_flag_check,
        build_muscle_explorer,
        build_exercise_browser,
        build_quiz,
        build_sitting_planner,
    ],
)
def test_widgets_build_without_printing_and_describe_themselves(course, capsys, build):
    w = build(course)
    assert isinstance(w, widgets.Widget) and isinstance(w.parts, dict)
    assert all(isinstance(p, widgets.Widget) for p in w.parts.values())
    assert "bc-app" in classes(w)
    bundle = w._repr_mimebundle_()
    assert "run this notebook in Jupyter" in bundle["text/plain"]
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


# --------------------------------------------------------------------------- lesson helpers


def shown_text(markup: str) -> str:
    """HTML with its character references resolved: what a reader's browser shows as text."""
    return html.unescape(markup)


def test_references_by_lesson_and_by_ids(course):
    block = lesson.references(course, "01_anatomy")
    for quiz in course.quizzes_for("01_anatomy"):
        for sid in quiz.sources:
            assert f"<strong>{course.sources[sid].label()}</strong>" in shown_text(block.html)
            assert course.sources[sid].citation() in block.text
            assert sid not in block.html and sid not in block.text
    by_ids = lesson.references(course, ["nice_ng59", "art_klarity", "nice_ng59"])
    shown = re.findall(r"<strong>([^<]+)</strong>", by_ids.html)
    assert shown == ["Klarity", "NICE 2016"]  # each once, alphabetical by label
    with pytest.raises(CourseDataError, match="no_such_source"):
        lesson.references(course, ["no_such_source"])


def test_safety_line_says_stop_and_get_advice(course):
    block = lesson.safety_line(course)
    stop = course.fact("guidance", "stop_rule")
    assert 'class="bc-safety"' in block.html
    assert stop.text in block.text and "stop" in block.text.lower()
    # its sources as short labels linked to the reference list, never as ids
    for sid in stop.sources:
        label = course.sources[sid].label()
        assert 'href="#References"' in block.html and f">{label}</a>" in shown_text(block.html)
        assert sid not in block.html and sid not in block.text


def test_citations_use_short_labels(course):
    assert lesson.cite(course, ["nice_ng59", "art_klarity"]) == "NICE 2016; Klarity"
    assert lesson.cite_markdown(course, ["nice_ng59"]) == "([NICE 2016](#References))"
    with pytest.raises(CourseDataError, match="no_such_source"):
        lesson.cite(course, ["no_such_source"])


def test_every_source_has_a_unique_short_label(course):
    labels = [src.label() for src in course.sources.values()]
    assert all(src.short for src in course.sources.values())
    assert len(labels) == len(set(labels))
    for src in course.sources.values():  # the label is for people: never the id itself
        assert src.short != src.id


def test_duplicate_short_label_names_file_entry_and_field(tmp_path):
    import shutil

    from backcourse.catalog import load_course

    root = tmp_path / "course_data"
    shutil.copytree(Path(__file__).resolve().parent.parent / "course_data", root)
    text = (root / "sources.yaml").read_text(encoding="utf-8")
    text = text.replace("short: Trifocus", "short: Klarity", 1)
    (root / "sources.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CourseDataError) as err:
        load_course(root)
    message = str(err.value)
    assert "sources.yaml" in message and "art_trifocus" in message and "short" in message


def test_myth_table_sets_each_myth_beside_its_fact(course):
    block = lesson.myth_table(course)
    myths = course.facts["myths"]
    assert len(myths) >= 4 and "<table" in block.html
    for f in myths:
        assert f.title in shown_text(block.html) and f.text in shown_text(block.html)
    assert any("csp_myth_busters" in f.sources for f in myths)
    assert "csp_myth_busters" not in block.html and "CSP 2016" in block.html


def test_example_learner_comes_from_the_course_data(course):
    sam = lesson.example_learner(course, "sam")
    data = course.fact("example_learners", "sam").data["profile"]
    assert sam.pain_now == data["pain_now"] and sam.equipment == frozenset(data["equipment"])
    with pytest.raises(CourseDataError):
        lesson.example_learner(course, "nobody")


def test_course_map_lists_every_notebook_with_times(course):
    block = lesson.course_map(course, here="01_anatomy")
    entries = course.facts["course_map"]
    assert [e.data["notebook"] for e in entries][:4] == [f"{s}.ipynb" for s in LESSONS]
    for e in entries:
        assert e.data["notebook"] in block.html and f"{e.data['minutes']} min" in block.text
    assert "you are here" in block.html
    total = sum(e.data["minutes"] for e in entries)
    assert f"{total // 60} h {total % 60} min" in block.text


def test_red_flag_table_renders_every_flag(course):
    block = lesson.red_flag_table(course)
    for flag in course.red_flags.values():
        assert flag.label in shown_text(block.html) and flag.why in shown_text(block.html)
        assert flag.action in block.text
    for info in course.red_flag_tiers.values():
        assert info["title"] in shown_text(block.html)


def test_prevalence_table_explains_each_figure(course):
    block = lesson.prevalence_table(course)
    for f in course.facts["prevalence"]:
        assert f.data["measure"] in shown_text(block.html)
        assert f.data["why_it_differs"] in shown_text(block.html)
    assert "15-20%" in block.text and "70%" in block.text and "80%" in block.text


def test_facts_cards_and_unknown_section(course):
    block = lesson.facts(course, "symptoms")
    for f in course.facts["symptoms"]:
        assert f.title in shown_text(block.html)
    with pytest.raises(CourseDataError):
        lesson.facts(course, "no_such_section")


def test_data_location_never_shows_a_home_folder(monkeypatch, tmp_path):

    monkeypatch.delenv("BACKCOURSE_LOG", raising=False)
    block = lesson.data_location()
    assert "~" in block.text and str(Path.home()) + "/" not in block.text
    assert "never leaves" in block.text


def test_picture_carries_png_and_alt_text(course):
    from backcourse.illustrate import exercise_pictures as poses

    pic = lesson.show(poses.exercise_figure(course.exercises["glute_bridge"], course))
    data, meta = pic._repr_mimebundle_()
    assert data["text/plain"] == pic.alt and pic.alt
    assert meta["image/png"]["alt"] == pic.alt
    assert base64.b64decode(data["image/png"]).startswith(PNG)


def test_tall_pictures_are_shown_at_a_readable_size(course):
    pic = lesson.exercise_picture(course, "walking")
    _, meta = pic._repr_mimebundle_()
    w, h = pic.size
    shown = meta["image/png"]["width"]
    assert shown <= w and shown * h / w <= lesson.MAX_SHOWN_HEIGHT + 1


# --------------------------------------------------------------------------- practice log


def test_practice_log_shows_its_views_and_cleans_up(course):
    from backcourse.widgets.practice_log import PracticeLog

    practice = PracticeLog(course)
    folder = practice.folder
    assert folder.exists() and len(practice.entries) == 84
    assert "<table" in practice.table(limit=8).html
    assert practice.trend_chart().png.startswith(PNG)
    advice = practice.advice_on_days([5, 30])
    assert "Days 1 to 5" in advice.text and "Days 1 to 30" in advice.text
    two = practice.two_more_learners().text
    assert two.count("See a doctor or physiotherapist") == 2  # both made-up learners
    assert practice.csv_preview(lines=3).text.startswith("id,day,pain")
    report = practice.import_typed_by_hand().text
    assert "imported 2 entries" in report and "line 3" in report and "line 4" in report
    practice.close()
    assert not folder.exists()  # practice data never lingers beside a real log
