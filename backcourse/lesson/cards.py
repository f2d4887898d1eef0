"""Exercise and muscle cards: the HTML the exercise browser and the muscle explorer show,
and the plain words for a dose and an exercise's tags."""

from __future__ import annotations

from ..model import Course, Dose, Exercise, Muscle
from ..render import render
from .boxes import CORE_LIST_SOURCE
from .cite import cite, cite_items


def dose_text(dose: Dose) -> str:
    """A source's dose in plain words, e.g. '3 sets of 15, rest 60 s (Trifocus ...)'."""
    parts = []
    if dose.minutes is not None:
        parts.append(f"{dose.minutes} minutes")
    if dose.reps is not None:
        sets = dose.sets or 1
        parts.append(f"{sets} set{'s' if sets != 1 else ''} of {dose.reps}")
    elif dose.sets:
        parts.append(f"{dose.sets} set{'s' if dose.sets != 1 else ''}")
    if dose.hold_s:
        parts.append(f"hold {dose.hold_s} s")
    if dose.per_side:
        parts.append("each side")
    if dose.rest_s:
        parts.append(f"rest {dose.rest_s} s between sets")
    if dose.times_per_day:
        parts.append(f"{dose.times_per_day} times a day")
    return ", ".join(parts)


def exercise_tags(exercise: Exercise, course: Course) -> list[str]:
    """Plain-word tags: category, position, difficulty, impact and equipment."""
    g = course.guidelines
    tags = [
        g.label("categories", exercise.category),
        g.label("positions", exercise.position),
        g.label("difficulty", str(exercise.difficulty)),
        g.label("impact", exercise.impact),
    ]
    if exercise.equipment:
        tags += [g.label("equipment", e) for e in exercise.equipment]
    else:
        tags.append("no equipment")
    return tags


def exercise_card_html(exercise: Exercise, course: Course) -> str:
    """The text of an exercise card: tags, steps, cues, mistakes, dose, easier/harder, sources.

    The illustration is shown separately (the browser widget puts it above this text).
    """
    muscles, exercises = course.muscles, course.exercises
    return render(
        "lesson/exercise_card.html",
        ex=exercise,
        tags=exercise_tags(exercise, course),
        primary=", ".join(muscles[m].name for m in exercise.muscles),
        secondary=", ".join(muscles[m].name for m in exercise.secondary_muscles),
        dose=dose_text(exercise.dose),
        dose_source=cite(course, [exercise.dose.source]) if exercise.dose.source else "",
        easier=exercises[exercise.regression].name if exercise.regression else "",
        harder=exercises[exercise.progression].name if exercise.progression else "",
        cites=cite_items(course, exercise.sources),
    )


# How the muscle card names a muscle's place on the core list (muscles.yaml core_role).
CORE_ROLE_WORDS = {
    "major": "a major core muscle",
    "minor": "a minor core muscle",
    "none": "not on the core list",
}


def muscle_card_html(muscle: Muscle, course: Course) -> str:
    """What a muscle is, where it is, what it does and why it matters to the back."""
    return render(
        "lesson/muscle_card.html",
        m=muscle,
        role=CORE_ROLE_WORDS.get(muscle.core_role, muscle.core_role),
        core_source=cite(course, CORE_LIST_SOURCE),
        cites=cite_items(course, muscle.sources),
    )


def muscle_exercises_html(muscle: Muscle, course: Course) -> str:
    """The exercises that train a muscle: main target first, then helper role."""
    g = course.guidelines

    def items(exs: list[Exercise]) -> list[tuple[str, str, str, str]]:
        return [
            (
                e.name,
                g.label("categories", e.category),
                g.label("positions", e.position),
                g.label("difficulty", str(e.difficulty)),
            )
            for e in exs
        ]

    main = [e for e in course.exercises.values() if muscle.id in e.muscles]
    helps = [e for e in course.exercises.values() if muscle.id in e.secondary_muscles]
    groups = [("Main target in", items(main)), ("Also works in", items(helps))]
    return render("lesson/muscle_exercises.html", groups=groups)
