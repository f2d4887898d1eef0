"""Learner and trainer text is safe by construction, and HTML lives in templates only.

Hostile text (a ``<script>`` in a roster name, a quiz answer, a class's file name, a fact's
title) goes through the lesson blocks, the quiz, the class planner and the trainer's report;
an HTML parser then finds no script element and reads the text back as typed. A second test
reads the Python source of the lesson, trainer and small-widget rooms and finds no HTML tag
in any string literal: their HTML comes from ``backcourse/render/templates/``.
"""

from __future__ import annotations

import ast
import csv
import dataclasses
import datetime
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from types import MappingProxyType

import pytest

from backcourse import lesson, load_course, trainer
from backcourse.model import Choice
from backcourse.widgets import build_class_planner, build_quiz

COURSE = load_course()
PACKAGE = Path(__file__).resolve().parents[1] / "backcourse"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & Co'


class Elements(HTMLParser):
    """Every start tag, its attributes, and the text, as a browser's parser reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parsed(markup: str) -> Elements:
    p = Elements()
    p.feed(markup)
    p.close()
    return p


def assert_safe(markup: str, *, shows: str = HOSTILE) -> None:
    """No script or image element, no event-handler attribute, and the text shown as typed."""
    p = parsed(markup)
    names = [t for t, _ in p.tags]
    assert "script" not in names and "img" not in names, names
    assert not any(a.startswith("on") for _, attrs in p.tags for a in attrs)
    assert shows in "".join(p.text)


def roster(*names: str) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(trainer.ROSTER_COLUMNS)
    for n in names:
        w.writerow([n, 3, 10, 20, 3, "supine;standing;seated", "mat;chair", "beginner", ""])
    return out.getvalue()


# --------------------------------------------------------------------------- trainer


def test_a_script_in_a_roster_name_stays_text_in_the_report():
    plan = trainer.plan_class(trainer.parse_roster(roster(HOSTILE, "Ana"), COURSE), COURSE)
    assert [m.name for m in plan.members] == [HOSTILE, "Ana"]
    assert_safe(plan.report_html())


def test_a_script_in_a_skipped_row_and_a_referral_stays_text():
    text = roster(HOSTILE) + f'"{HOSTILE.replace(chr(34), chr(34) * 2)} 2",eleven,10,20,3,,,,\n'
    text += f'"{HOSTILE.replace(chr(34), chr(34) * 2)} 3",3,10,20,3,supine,mat,beginner,fever\n'
    plan = trainer.plan_class(trainer.parse_roster(text, COURSE), COURSE)
    assert plan.roster.problems and plan.roster.referrals  # the oracle's cases happened
    report = plan.report_html()
    assert_safe(report, shows=f"{HOSTILE} 2")
    assert_safe(report, shows=f"{HOSTILE} 3")


def test_the_class_planner_widget_escapes_names_and_the_file_name(tmp_path: Path):
    top = build_class_planner(COURSE, folder=str(tmp_path / "out"))
    data = (
        roster(HOSTILE, "Ana") + f'"{HOSTILE.replace(chr(34), chr(34) * 2)}!",x,,,,,,,\n'
    ).encode()
    top.parts["upload"].value = (
        {
            "name": f"{HOSTILE}.csv",
            "type": "text/csv",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc),
        },
    )
    top.parts["plan"].click()
    assert top.parts["error"].value == "" and len(top.files) == 2
    assert_safe(top.parts["report"].value)
    assert_safe(top.parts["status"].value, shows=f"{HOSTILE}.csv")
    assert_safe(top.parts["problems"].value, shows=f"{HOSTILE}!")


# --------------------------------------------------------------------------- quiz and lessons


def hostile_course():
    """The course with a trainer's edits that carry markup: a quiz and a fact."""
    q = COURSE.quizzes_for("00_start_here")[0]
    choices = tuple(
        Choice(f"{HOSTILE} {c.text}", c.correct, f"{HOSTILE} because") for c in q.choices
    )
    bad_quiz = dataclasses.replace(q, question=f"{HOSTILE}?", choices=choices)
    quizzes = tuple(bad_quiz if x.id == q.id else x for x in COURSE.quizzes)
    facts = dict(COURSE.facts)
    first = facts["symptoms"][0]
    facts["symptoms"] = (dataclasses.replace(first, title=HOSTILE), *facts["symptoms"][1:])
    return dataclasses.replace(COURSE, quizzes=quizzes, facts=MappingProxyType(facts)), bad_quiz


def test_a_script_in_a_quiz_answer_stays_text_in_the_quiz_and_the_answer_key():
    course, quiz = hostile_course()
    top = build_quiz(course, "00_start_here")
    assert top.questions[0] == quiz
    assert_safe(top.parts["question"].value, shows=f"{HOSTILE}?")
    for letter in top.parts["choice"].options:  # every choice's feedback, right or wrong
        top.parts["choice"].value = letter
        top.parts["check"].click()
        assert_safe(top.parts["feedback"].value, shows=f"{HOSTILE} because")
    key = trainer.answer_key_html(course, ["00_start_here"])
    assert_safe(key, shows=f"{HOSTILE}?")
    assert_safe(key, shows=f"{HOSTILE} because")


def test_a_script_in_a_fact_title_stays_text_in_the_fact_cards():
    course, _ = hostile_course()
    assert_safe(lesson.facts(course, "symptoms").html)


# --------------------------------------------------------------------------- no HTML in Python

# The rooms whose HTML must all come from templates (issue 12, one rendering layer).
ROOMS = [
    *sorted((PACKAGE / "lesson").glob("*.py")),
    *sorted((PACKAGE / "trainer").glob("*.py")),
    *(
        PACKAGE / "widgets" / f"{name}.py"
        for name in (
            "red_flags",
            "quiz",
            "sitting",
            "class_planner",
            "common",
            "exercise_browser",
            "muscle_explorer",
        )
    ),
    PACKAGE / "figures" / "gallery.py",
]
# An HTML tag: "<p>", "<div style=...", "</li>", "<br/>" (not "a < b" or "<= 3").
TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")


def html_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string literal in the module that holds an HTML tag, f-string
    pieces included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and TAG.search(node.value)
    ]


def test_the_oracle_finds_html_in_a_string_literal(tmp_path: Path):
    sample = tmp_path / "sample.py"
    sample.write_text('x = 3\nhtml = f"<p>{x}</p>"\nok = "a < b and c > d"\n', encoding="utf-8")
    assert {line for line, _ in html_literals(sample)} == {2}


@pytest.mark.parametrize("path", ROOMS, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_html_in_python_string_literals(path: Path):
    assert path.exists(), path
    assert html_literals(path) == []
