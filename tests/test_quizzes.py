"""The quizzes in course_data/quizzes.yaml test understanding rather than test-taking.

A learner who always picks the longest answer, or always the same letter, must not do
well; every lesson from 01 to 05 asks a quick check part-way through; every choice
carries its own feedback; and questions cite sources that exist.
"""

from __future__ import annotations

from collections import Counter

import pytest

from backcourse import load_course
from backcourse.model import Quiz


@pytest.fixture(scope="module")
def course():
    return load_course()


def right_is_longest(quiz: Quiz) -> bool:
    """True when the right answer is the longest choice (or ties for longest)."""
    lengths = [len(c.text) for c in quiz.choices]
    return len(quiz.answer.text) == max(lengths)


def test_right_answer_is_the_longest_in_at_most_a_third_of_questions(course):
    longest = [q.id for q in course.quizzes if right_is_longest(q)]
    assert len(longest) * 3 <= len(course.quizzes), (
        f"{len(longest)} of {len(course.quizzes)} questions give the answer away by length: "
        f"{longest}"
    )


def test_picking_the_longest_answer_would_fail_the_course(course):
    """A learner who always picks the longest choice gets at most half right."""
    score = sum(max(q.choices, key=lambda c: len(c.text)).correct for q in course.quizzes)
    assert score * 2 <= len(course.quizzes)


def test_the_right_letter_is_spread_out(course):
    """No letter holds the right answer in more than 40% of questions."""
    letters = Counter(q.choices.index(q.answer) for q in course.quizzes)
    assert max(letters.values()) * 5 <= len(course.quizzes) * 2, letters


def test_the_longest_check_would_catch_a_giveaway():
    from backcourse.model import Choice

    quiz = Quiz(
        id="q",
        lesson="x",
        question="?",
        choices=(Choice("No.", False, "f"), Choice("Yes, because of a long reason.", True, "f")),
        sources=("nice_ng59",),
    )
    assert right_is_longest(quiz)


@pytest.mark.parametrize(
    "stem",
    [
        "01_anatomy",
        "02_causes_and_risks",
        "03_exercise_technique",
        "04_program_design",
        "05_tracking_progress",
    ],
)
def test_each_lesson_has_a_quick_check_and_an_end_quiz(course, stem):
    questions = course.quizzes_for(stem)
    assert any(q.quick_check for q in questions), f"{stem}: no quick check"
    assert sum(not q.quick_check for q in questions) >= 4, f"{stem}: end quiz too short"


def test_every_choice_teaches_and_every_source_exists(course):
    for q in course.quizzes:
        assert len(q.choices) >= 3, q.id
        assert sum(c.correct for c in q.choices) == 1, q.id
        for c in q.choices:
            assert len(c.feedback.split()) >= 8, f"{q.id}: feedback too thin for {c.text!r}"
        assert q.sources and set(q.sources) <= set(course.sources), q.id


def test_no_two_choices_are_the_same(course):
    for q in course.quizzes:
        texts = [" ".join(c.text.lower().split()) for c in q.choices]
        assert len(set(texts)) == len(texts), q.id


def test_the_trivia_questions_are_gone(course):
    """Recall of a list (major/minor core) or of licence terms is not understanding."""
    ids = {q.id for q in course.quizzes}
    assert "q01_core_major_minor" not in ids and "q05_licensed_questionnaires" not in ids
