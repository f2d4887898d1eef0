"""Class planning: a roster in, one session everyone in the group can do, a handout each."""

from __future__ import annotations

import csv
import datetime
import html
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from backcourse import Profile, ProfileError, load_course
from backcourse.model import EXPERIENCE, MINUTES_RANGE, POSITIONS
from backcourse.planner import why_not
from backcourse.trainer import (
    ROSTER_COLUMNS,
    answer_key_html,
    handout_names,
    parse_roster,
    plan_class,
    read_roster,
    report_html,
    roster_template,
    strictest,
    write_handouts,
)

COURSE = load_course()
EQUIPMENT = sorted(COURSE.guidelines.labels["equipment"])
FLAGS = sorted(COURSE.red_flags)
HEADER = ",".join(ROSTER_COLUMNS)


def row(
    name: str,
    pain=3,
    weeks=10,
    minutes=20,
    sessions=3,
    positions="supine;standing;seated",
    equipment="mat;chair",
    experience="beginner",
    red_flags="",
) -> str:
    cells = [name, pain, weeks, minutes, sessions, positions, equipment, experience, red_flags]
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def roster_text(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


# --------------------------------------------------------------------------- the promises


def test_a_roster_of_thirty_gives_thirty_handouts(tmp_path: Path):
    rows = [
        row(
            f"P{i:02d}",
            pain=i % 7,
            weeks=6 + i,
            minutes=15 + i % 20,
            sessions=1 + i % 7,
            experience=EXPERIENCE[i % 3],
        )
        for i in range(30)
    ]
    (tmp_path / "roster.csv").write_text(roster_text(*rows), encoding="utf-8")
    roster = read_roster(tmp_path / "roster.csv", COURSE)
    assert roster.problems == () and roster.referrals == ()
    plan = plan_class(roster, COURSE)
    calls = []
    files = write_handouts(plan, tmp_path / "handouts", progress=lambda d, t: calls.append((d, t)))
    assert len(files) == 30
    assert sorted(p.name for p in (tmp_path / "handouts").iterdir()) == sorted(
        f.name for f in files
    )
    assert calls == [(i, 30) for i in range(31)]
    for i, path in enumerate(files):
        page = path.read_text(encoding="utf-8")
        assert f"P{i:02d}" in page
        for item in plan.group.items:
            assert item.exercise.name in html.unescape(page)


def test_broken_rows_are_reported_by_line_and_the_rest_planned(tmp_path: Path):
    text = roster_text(
        row("Ana"),  # line 2
        row("Ben", pain=11),  # line 3: pain out of range
        row("Cy", pain="four"),  # line 4: not a number
        row("Dee", positions="supine;floating"),  # line 5: unknown position
        "Eve,3,10",  # line 6: missing columns
        "",  # line 7: blank, skipped quietly
        row("Fay Q", red_flags="fever"),  # line 8: a red flag
        row("Gus", equipment="trampoline"),  # line 9: unknown equipment
        row("Hal", red_flags="feverish"),  # line 10: an unknown flag is never ignored
        row("ana"),  # line 11: the same name again
        row("Ivy", minutes=30),  # line 12
    )
    roster = parse_roster(text, COURSE)
    bad = {p.line: p for p in roster.problems}
    assert sorted(bad) == [3, 4, 5, 6, 9, 10, 11]
    assert "pain_now" in bad[3].reason and "0 to 10" in bad[3].reason
    assert "pain_now" in bad[4].reason
    assert "floating" in bad[5].reason
    assert "minutes_per_session" in bad[6].reason and "9 columns" in bad[6].reason
    assert "trampoline" in bad[9].reason
    assert "feverish" in bad[10].reason
    assert "line 2" in bad[11].reason
    assert str(bad[3]).startswith("line 3 (Ben): ")
    assert [(r.line, r.name) for r in roster.referrals] == [(8, "Fay Q")]
    assert [f.id for f in roster.referrals[0].flags] == ["fever"]
    assert COURSE.red_flag_tiers["see_doctor"]["advice"] in roster.referrals[0].advice
    assert [(p.line, p.name) for p in roster.participants] == [(2, "Ana"), (12, "Ivy")]

    plan = plan_class(roster, COURSE)
    files = write_handouts(plan, tmp_path)
    assert [f.name for f in files] == ["01-ana.html", "02-ivy.html"]
    report = plan.report_html()
    for line in bad:
        assert f"line {line}" in report
    assert "Fay Q" in report and COURSE.red_flag_tiers["see_doctor"]["title"] in report
    assert "line" not in report_html(plan, problems=False).split("See a doctor")[0]
    # Fay's answers shape nothing and she gets no exercises.
    assert all("Fay Q" not in f.read_text(encoding="utf-8") for f in files)
    assert all("Fay Q" not in note for note in plan.notes)


def test_a_red_flag_wins_over_a_bad_cell():
    roster = parse_roster(roster_text(row("Jo", pain=99, red_flags="chest_pain")), COURSE)
    assert roster.problems == () and roster.participants == ()
    assert roster.referrals[0].urgent
    assert COURSE.red_flag_tiers["emergency"]["advice"] in roster.referrals[0].advice


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "empty"),
        ("name_or_code,pain_now\nAna,3\n", "weeks_since_onset"),
        (HEADER.replace("red_flags", "flags") + "\n" + row("Ana") + "\n", "red_flags"),
    ],
)
def test_a_header_that_cannot_work_is_line_one(text, reason):
    roster = parse_roster(text, COURSE)
    assert roster.participants == ()
    assert [p.line for p in roster.problems] == [1]
    assert reason in roster.problems[0].reason


def test_cells_are_read_the_way_spreadsheets_write_them():
    # Column order is free, extra columns are ignored, a BOM and CRLF are fine, lists may
    # use plain words and commas inside quotes, and empty cells mean none / beginner.
    cols = ["notes", *reversed(ROSTER_COLUMNS)]
    values = {
        "name_or_code": "Zoë",
        "pain_now": "4.0",
        "weeks_since_onset": "12",
        "minutes_per_session": "25",
        "sessions_per_week": "3",
        "positions": "Side lying, STANDING",
        "equipment": "",
        "experience": "",
        "red_flags": "none",
        "notes": "knee op 2019",
    }
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(cols)
    w.writerow([values[c] for c in cols])
    roster = parse_roster(("\ufeff" + out.getvalue()).encode("utf-8"), COURSE)
    assert roster.problems == ()
    (person,) = roster.participants
    assert person.name == "Zoë"
    assert person.profile == Profile(
        pain_now=4,
        weeks_since_onset=12,
        minutes_per_session=25,
        sessions_per_week=3,
        positions={"side_lying", "standing"},
        equipment=set(),
        experience="beginner",
    )


def test_line_numbers_count_physical_lines():
    text = roster_text(row("A"), row('B "the bee"\nsecond line', pain=-1), "", row("C", pain=12))
    roster = parse_roster(text, COURSE)
    assert [p.line for p in roster.problems] == [3, 6]


def test_windows_encoded_roster_still_reads():
    data = roster_text(row("José")).encode("cp1252")
    (person,) = parse_roster(data, COURSE).participants
    assert person.name == "José"


def test_the_template_is_the_header():
    assert parse_roster(roster_template(), COURSE).problems == ()
    assert roster_template().strip().split(",") == list(ROSTER_COLUMNS)


# --------------------------------------------------------------------------- the group


def test_strictest_takes_the_strictest_answer_of_every_field():
    a = Profile(
        pain_now=2,
        weeks_since_onset=30,
        minutes_per_session=30,
        sessions_per_week=5,
        positions={"supine", "standing", "prone"},
        equipment={"mat", "chair"},
        experience="advanced",
    )
    b = Profile(
        pain_now=6,
        weeks_since_onset=8,
        minutes_per_session=15,
        sessions_per_week=2,
        positions={"standing", "prone", "seated"},
        equipment={"mat"},
        experience="intermediate",
    )
    s = strictest([a, b])
    assert (s.pain_now, s.weeks_since_onset, s.minutes_per_session, s.sessions_per_week) == (
        6,
        8,
        15,
        2,
    )
    assert s.positions == {"standing", "prone"} and s.equipment == {"mat"}
    assert s.experience == "intermediate" and s.red_flags == frozenset()
    with pytest.raises(ProfileError, match="positions"):
        strictest(
            [
                a,
                Profile(
                    pain_now=1,
                    weeks_since_onset=9,
                    minutes_per_session=20,
                    sessions_per_week=3,
                    positions={"seated"},
                ),
            ]
        )
    with pytest.raises(ProfileError):
        strictest([])


def test_who_sets_each_limit_is_named():
    text = roster_text(
        row("Ana", pain=2, minutes=30, positions="supine;prone;standing"),
        row("Ben", pain=6, minutes=15, positions="supine;standing", experience="advanced"),
    )
    plan = plan_class(parse_roster(text, COURSE), COURSE)
    notes = " ".join(plan.notes)
    assert "6/10" in notes and "(Ben)" in notes
    assert "15 minutes" in notes
    assert f"nothing {COURSE.guidelines.label('positions', 'prone')}, because of Ben" in notes
    assert "beginners, because of Ana" in notes


def test_a_group_with_no_shared_position_gets_own_routines(tmp_path: Path):
    text = roster_text(row("Ana", positions="supine"), row("Ben", positions="seated;standing"))
    plan = plan_class(parse_roster(text, COURSE), COURSE)
    assert plan.group is None and len(plan.members) == 2
    assert "no position" in plan.notes[0]
    for m in plan.members:
        assert m.routine.items
        assert all(
            why_not(i.exercise, m.participant.profile, COURSE) is None for i in m.routine.items
        )
    assert len(write_handouts(plan, tmp_path)) == 2


def test_the_trainer_can_ask_for_an_exercise_the_group_allows():
    text = roster_text(row("Ana", positions="supine;all_fours;standing"), row("Ben", pain=2))
    roster = parse_roster(text, COURSE)
    plain = plan_class(roster, COURSE)
    wanted = next(
        e.id
        for e in COURSE.exercises.values()
        if e.category == "stretch"
        and e.id not in {i.exercise.id for i in plain.group.items}
        and all(why_not(e, p.profile, COURSE) is None for p in roster.participants)
    )
    asked = plan_class(roster, COURSE, prefer=[wanted])
    assert wanted in {i.exercise.id for i in asked.group.items}


def test_nobody_to_plan_for():
    plan = plan_class(parse_roster(roster_text(row("Fay", red_flags="fever")), COURSE), COURSE)
    assert plan.group is None and plan.members == ()
    assert "Fay" in plan.report_html()


def test_swaps_suit_the_member_not_just_the_group():
    text = roster_text(
        row(
            "Ana",
            pain=1,
            weeks=30,
            positions=";".join(POSITIONS),
            equipment="mat;chair",
            experience="advanced",
        ),
        row("Ben", pain=5, weeks=8, positions="supine;standing", equipment=""),
    )
    plan = plan_class(parse_roster(text, COURSE), COURSE)
    group_ids = {i.exercise.id for i in plan.group.items}
    for m in plan.members:
        assert [i.exercise.id for i in m.routine.items] == [i.exercise.id for i in plan.group.items]
        for old, options in m.swaps.items():
            assert old in group_ids
            for ex in options:
                assert ex.id not in group_ids
                assert why_not(ex, m.participant.profile, COURSE) is None
    ana, ben = plan.members
    assert ana.swaps != ben.swaps  # Ana can get on all fours; Ben cannot
    assert any("swap it" in note for note in ana.routine.notes)


def test_names_are_escaped_everywhere(tmp_path: Path):
    name = '<script>alert("x")</script> & Co'
    plan = plan_class(parse_roster(roster_text(row(name), row("../../etc/passwd")), COURSE), COURSE)
    (page, _) = [p.read_text(encoding="utf-8") for p in write_handouts(plan, tmp_path)]
    assert "<script>" not in page and name in html.unescape(page)
    assert "<script>" not in plan.report_html()
    assert handout_names(plan) == ("01-script-alert-x-script-co.html", "02-etc-passwd.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == list(handout_names(plan))


def test_handouts_are_the_same_every_time(tmp_path: Path):
    text = roster_text(row("Ana"), row("Ben", pain=5))
    a = write_handouts(plan_class(parse_roster(text, COURSE), COURSE), tmp_path / "a")
    b = write_handouts(plan_class(parse_roster(text, COURSE), COURSE), tmp_path / "b")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


# --------------------------------------------------------------------------- property

cells = st.fixed_dictionaries(
    {
        "pain": st.integers(0, 10),
        "weeks": st.integers(0, 520),
        "minutes": st.integers(*MINUTES_RANGE),
        "sessions": st.integers(1, 7),
        "positions": st.frozensets(st.sampled_from(POSITIONS), min_size=1),
        "equipment": st.frozensets(st.sampled_from(EQUIPMENT)),
        "experience": st.sampled_from(EXPERIENCE),
        "red_flags": st.one_of(
            st.just(frozenset()),
            st.just(frozenset()),
            st.frozensets(st.sampled_from(FLAGS), max_size=2),
        ),
    }
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cells, min_size=1, max_size=30), st.booleans())
def test_every_group_exercise_suits_every_member(people, share_floor):
    if share_floor:  # most real classes share at least lying on the back
        for p in people:
            p["positions"] = p["positions"] | {"supine"}
    text = roster_text(
        *(
            row(
                f"M{i}",
                p["pain"],
                p["weeks"],
                p["minutes"],
                p["sessions"],
                ";".join(sorted(p["positions"])),
                ";".join(sorted(p["equipment"])),
                p["experience"],
                ";".join(sorted(p["red_flags"])),
            )
            for i, p in enumerate(people)
        )
    )
    roster = parse_roster(text, COURSE)
    assert roster.problems == ()
    event(f"shared position: {share_floor}")
    # Emergency and see-a-doctor signs are referred; the third tier (see a GP if it does not
    # get better) joins the class, whose session then stays gentle.
    flagged = {
        f"M{i}"
        for i, p in enumerate(people)
        if any(COURSE.red_flags[f].tier != "if_not_better" for f in p["red_flags"])
    }
    assert {r.name for r in roster.referrals} == flagged
    plan = plan_class(roster, COURSE)
    assert {m.name for m in plan.members} == {f"M{i}" for i in range(len(people))} - flagged
    event(f"group session: {plan.group is not None}")
    if plan.group is None:
        for m in plan.members:  # no shared position: each has their own safe routine
            profile = m.participant.profile
            assert m.routine.minutes <= profile.minutes_per_session
            assert all(why_not(i.exercise, profile, COURSE) is None for i in m.routine.items)
        return
    shortest = min(m.participant.profile.minutes_per_session for m in plan.members)
    assert plan.group.minutes <= shortest
    for m in plan.members:
        assert m.routine.items == plan.group.items
        for item in plan.group.items:
            assert why_not(item.exercise, m.participant.profile, COURSE) is None, (m.name, item)
        for options in m.swaps.values():
            assert all(why_not(e, m.participant.profile, COURSE) is None for e in options)


# --------------------------------------------------------------------------- trainer notes


def test_the_answer_key_has_every_quiz_with_its_answer_and_why():
    page = html.unescape(answer_key_html(COURSE))  # the text a reader sees
    for q in COURSE.quizzes:
        assert q.question in page
        assert q.answer.text in page and q.answer.feedback in page
    one = answer_key_html(COURSE, lessons=["01_anatomy"])
    assert "01_anatomy" in one and "00_start_here" not in one


# --------------------------------------------------------------------------- the widget


def _csv_upload(text: str, name: str = "class.csv") -> tuple[dict, ...]:
    data = text.encode("utf-8")
    when = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    return (
        {
            "name": name,
            "type": "text/csv",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": when,
        },
    )


def test_the_widget_plans_from_an_upload(tmp_path: Path):
    from backcourse.widgets import build_class_planner

    top = build_class_planner(COURSE, folder=str(tmp_path / "out"))
    parts = top.parts
    assert set(parts) >= {"upload", "path", "folder", "plan", "progress", "problems", "report"}
    assert {"bc-app", "bc-classes"} <= set(top._dom_classes)
    for name, widget in parts.items():
        assert f"bc-classes-{name}" in widget._dom_classes, name
    parts["upload"].value = _csv_upload(
        roster_text(row("Ana"), row("Ben", pain=42), row("Cy"), row("Dee", red_flags="fever"))
    )
    parts["plan"].click()
    assert parts["error"].value == ""
    assert len(top.files) == 2 and all(p.exists() for p in top.files)
    assert parts["progress"].value == parts["progress"].max == 2
    assert "line 3 (Ben)" in parts["problems"].value
    assert "Dee" in parts["report"].value and "line 3" not in parts["report"].value
    assert "2</strong> handouts" in parts["status"].value and "class.csv" in parts["status"].value


def test_the_widget_plans_from_a_path_and_explains_mistakes(tmp_path: Path):
    from backcourse.widgets import build_class_planner

    top = build_class_planner(COURSE, folder=str(tmp_path / "out"))
    parts = top.parts
    parts["plan"].click()
    assert "roster" in parts["error"].value and top.files == ()
    parts["path"].value = str(tmp_path / "missing.csv")
    parts["plan"].click()
    assert "no file" in parts["error"].value
    (tmp_path / "r.csv").write_text(roster_text(*(row(f"P{i}") for i in range(5))), "utf-8")
    parts["path"].value = str(tmp_path / "r.csv")
    parts["plan"].click()
    assert parts["error"].value == "" and parts["problems"].value == ""
    assert len(list((tmp_path / "out").glob("*.html"))) == 5
    parts["folder"].value = "  "
    parts["plan"].click()
    assert "folder" in parts["error"].value
    assert repr(top) == "Class planner (interactive: run this notebook in Jupyter to use it)"
