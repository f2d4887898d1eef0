"""The lesson quiz: multiple-choice questions from ``course_data/quizzes.yaml``, one at a time.

Pick a letter and press Check: the feedback for that answer appears (every choice has its
own), with the sources behind the question. A wrong answer can be changed and checked
again; the score counts questions answered right at the first try.

Parts (``top.parts``)
---------------------
``progress``   HTML: "Question 2 of 6" and the score
``question``   HTML: the question and its lettered choices
``choice``     ToggleButtons "A", "B", ... (None until picked)
``check``      Button: check the answer
``feedback``   HTML: feedback for the chosen answer, and the sources
``previous``, ``next``   Buttons: move between questions
``score``      HTML: the score so far, and a summary once every question is answered
``error``      HTML: a message beside the buttons (e.g. "Pick an answer first")

Attributes: ``top.lesson``, ``top.questions`` (tuple of Quiz), ``top.index`` (current,
0-based), ``top.first_try`` (quiz id -> right at first try), ``top.go(index)``.

CSS classes
-----------
``bc-quiz`` (top) · ``bc-quiz-progress`` · ``bc-quiz-question`` · ``bc-quiz-choice``
· ``bc-quiz-check`` · ``bc-quiz-feedback`` · ``bc-quiz-previous`` · ``bc-quiz-next``
· ``bc-quiz-score`` · ``bc-quiz-error``
"""

from __future__ import annotations

import string

import ipywidgets as widgets

from ..errors import BackcourseError
from ..model import Course, Quiz
from ..render import render
from .common import App, add_classes, error_area, get_course, guarded

LETTERS = string.ascii_uppercase


def _question_html(quiz: Quiz) -> str:
    choices = [(LETTERS[n], c.text) for n, c in enumerate(quiz.choices)]
    return render("widgets/quiz_question.html", question=quiz.question, choices=choices)


def _feedback_html(quiz: Quiz, index: int, course: Course) -> str:
    choice = quiz.choices[index]
    text = choice.feedback.removeprefix("Right.").strip() if choice.correct else choice.feedback
    sources = [
        (course.sources[s].label(), course.sources[s].citation())
        for s in quiz.sources
        if s in course.sources
    ]
    return render(
        "widgets/quiz_feedback.html",
        right=choice.correct,
        letter=LETTERS[index],
        text=text,
        sources=sources,
    )


def build_quiz(
    course: Course | None = None, lesson: str = "00_start_here", quick_check: bool = False
) -> App:
    """The multiple-choice quiz of one lesson, or its quick check.

    Parameters
    ----------
    course
        The loaded course; the bundled one when omitted.
    lesson
        The notebook stem whose questions to ask, e.g. ``"01_anatomy"``.
    quick_check
        False (the default): the end-of-lesson quiz. True: the lesson's quick-check
        questions (``quick_check: true`` in quizzes.yaml), asked part-way through so a
        learner tests an idea while it is fresh.

    Raises
    ------
    BackcourseError
        When the lesson has no questions in quizzes.yaml.
    """
    course = get_course(course)
    questions = tuple(q for q in course.quizzes_for(lesson) if q.quick_check == quick_check)
    if not questions:
        known = sorted({q.lesson for q in course.quizzes})
        kind = "quick-check questions" if quick_check else "quiz questions"
        raise BackcourseError(
            f"No {kind} for lesson {lesson!r}; lessons with questions: {', '.join(known)}"
        )
    title = "Quick check" if quick_check else "Quiz"
    noun = "question" if len(questions) == 1 else "questions"

    progress = add_classes(widgets.HTML(""), "bc-quiz-progress")
    question = add_classes(widgets.HTML(""), "bc-quiz-question")
    choice = add_classes(
        widgets.ToggleButtons(options=["A"], value=None, style={"button_width": "3.2em"}),
        "bc-quiz-choice",
    )
    check = add_classes(
        widgets.Button(description="Check", button_style="primary", icon="check"),
        "bc-quiz-check",
    )
    feedback = add_classes(widgets.HTML(""), "bc-quiz-feedback")
    previous = add_classes(
        widgets.Button(description="Previous", icon="arrow-left"), "bc-quiz-previous"
    )
    nxt = add_classes(widgets.Button(description="Next", icon="arrow-right"), "bc-quiz-next")
    score = add_classes(widgets.HTML(""), "bc-quiz-score")
    error = error_area("quiz")

    top = App(
        "quiz",
        f"{title}: {len(questions)} {noun}",
        [
            progress,
            question,
            widgets.HBox([widgets.Label("Your answer:"), choice, check]),
            error,
            feedback,
            widgets.HBox([previous, nxt]),
            score,
        ],
        layout=widgets.Layout(
            border="1px solid var(--jp-border-color2, #D9D9D9)", padding="8px 14px"
        ),
    )
    top.lesson = lesson
    top.questions = questions
    top.index = 0
    top.first_try = {}  # quiz id -> right at the first try
    checked: dict[str, int] = {}  # quiz id -> last checked choice, so going back shows it

    def update_score() -> None:
        score.value = render(
            "widgets/quiz_score.html",
            right=sum(top.first_try.values()),
            done=len(top.first_try),
            total=len(questions),
        )

    def go(index: int) -> None:
        if not 0 <= index < len(questions):
            raise BackcourseError(f"There are {len(questions)} questions; no question {index + 1}")
        top.index = index
        quiz = questions[index]
        progress.value = render(
            "widgets/quiz_progress.html", title=title, n=index + 1, total=len(questions)
        )
        question.value = _question_html(quiz)
        choice.unobserve(on_choice, names="value")
        try:
            choice.options = list(LETTERS[: len(quiz.choices)])
            last = checked.get(quiz.id)
            choice.value = LETTERS[last] if last is not None else None
        finally:
            choice.observe(on_choice, names="value")
        feedback.value = _feedback_html(quiz, last, course) if last is not None else ""
        previous.disabled = index == 0
        nxt.disabled = index == len(questions) - 1
        error.value = ""

    def on_choice(_change=None) -> None:
        error.value = ""
        feedback.value = ""

    @guarded(error)
    def on_check(_button=None) -> None:
        if choice.value is None:
            raise BackcourseError("Pick an answer first: press one of the letters.")
        quiz = questions[top.index]
        picked = LETTERS.index(choice.value)
        checked[quiz.id] = picked
        top.first_try.setdefault(quiz.id, quiz.choices[picked].correct)
        feedback.value = _feedback_html(quiz, picked, course)
        update_score()

    top.go = guarded(error)(go)
    choice.observe(on_choice, names="value")
    check.on_click(on_check)
    previous.on_click(lambda _b: top.go(top.index - 1))
    nxt.on_click(lambda _b: top.go(top.index + 1))
    top.parts.update(
        progress=progress,
        question=question,
        choice=choice,
        check=check,
        feedback=feedback,
        previous=previous,
        next=nxt,
        score=score,
        error=error,
    )
    go(0)
    update_score()
    return top
