"""The exercise browser: filter the course's exercises and read any one as an illustrated card.

Filters narrow the list (muscle, category, position, difficulty, equipment); the list shows
what matches; the card shows the chosen exercise: illustration, steps, cues, common
mistakes, the dose its source gives, the easier and harder steps, and the sources. The
"Easier" and "Harder" buttons open those exercises. Illustrations come from
``backcourse.illustrate.exercise_pictures.exercise_figure`` and are cached per exercise.

Parts (``top.parts``)
---------------------
``muscle``, ``category``, ``position``, ``difficulty``, ``equipment``   Dropdowns (``"any"``:
    no filter; equipment also offers ``"none"``: needs nothing)
``clear``      Button: reset every filter
``count``      HTML: how many exercises match
``results``    Select: the matching exercises (value: exercise id, None when nothing matches)
``figure``     Image: the chosen exercise's illustration
``caption``    HTML: its alt text
``card``       HTML: the card text
``easier``, ``harder``   Buttons: open the regression / progression (disabled when none)
``cards``      VBox holding figure, caption, buttons and card
``error``      HTML: a message if something cannot be shown

CSS classes
-----------
``bc-browser`` (top) · ``bc-browser-muscle`` · ``bc-browser-category`` · ``bc-browser-position``
· ``bc-browser-difficulty`` · ``bc-browser-equipment`` · ``bc-browser-clear``
· ``bc-browser-count`` · ``bc-browser-results`` · ``bc-browser-cards`` · ``bc-browser-figure``
· ``bc-browser-caption`` · ``bc-browser-card`` · ``bc-browser-easier`` · ``bc-browser-harder``
· ``bc-browser-error``
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import ipywidgets as widgets

from ..model import Course, Exercise
from ..render import render
from .common import (
    ANY,
    App,
    CourseKey,
    add_classes,
    error_area,
    get_course,
    guarded,
    picture,
    show_picture,
)

NO_EQUIPMENT = "none"


@lru_cache(maxsize=128)
def _exercise_png(key: CourseKey) -> tuple[bytes, str]:
    from ..figures import style
    from ..illustrate import exercise_pictures as poses

    exercise = key.key[1]
    fig = poses.exercise_figure(exercise, key.course)
    return style.to_png(fig), str(getattr(fig, "alt_text", ""))


def exercise_png(course: Course, exercise_id: str) -> tuple[bytes, str]:
    """(PNG, alt text) of an exercise's illustration, rendered once and cached."""
    return _exercise_png(CourseKey(course, course.exercises[exercise_id]))


def matching(
    course: Course,
    muscle: str | None = None,
    category: str | None = None,
    position: str | None = None,
    difficulty: int | None = None,
    equipment: str | None = None,
) -> tuple[Exercise, ...]:
    """The exercises that pass every filter given (None: any).

    ``muscle`` matches main and helper muscles; ``position`` matches any position the
    exercise passes through; ``equipment="none"`` keeps exercises that need nothing.
    """
    out = []
    for e in course.exercises.values():
        if muscle is not None and muscle not in e.all_muscles:
            continue
        if category is not None and e.category != category:
            continue
        if position is not None and position not in e.positions:
            continue
        if difficulty is not None and e.difficulty != difficulty:
            continue
        if equipment == NO_EQUIPMENT and e.equipment:
            continue
        if equipment not in (None, NO_EQUIPMENT) and equipment not in e.equipment:
            continue
        out.append(e)
    return tuple(out)


def _dropdown(name: str, label: str, opts: Iterable[tuple[str, object]]) -> widgets.Dropdown:
    return add_classes(
        widgets.Dropdown(
            options=[("Any", ANY), *opts],
            value=ANY,
            description=label,
            style={"description_width": "6.5em"},
            layout=widgets.Layout(width="21em"),
        ),
        f"bc-browser-{name}",
    )


def build_exercise_browser(course: Course | None = None, exercise: str | None = None) -> App:
    """Filter the exercises and read any one as an illustrated card.

    Parameters
    ----------
    course
        The loaded course; the bundled one when omitted.
    exercise
        The exercise id shown first (default: the first exercise in the course).
    """
    from .. import lesson

    course = get_course(course)
    g = course.guidelines
    exercises = course.exercises
    if not exercises:
        raise ValueError("this course has no exercises to browse")

    used_muscles = [
        m for m in course.muscles if any(m in e.all_muscles for e in exercises.values())
    ]
    categories = [
        c for c in g.labels["categories"] if any(e.category == c for e in exercises.values())
    ]
    positions = [
        p for p in g.labels["positions"] if any(p in e.positions for e in exercises.values())
    ]
    levels = sorted({e.difficulty for e in exercises.values()})
    kit = [k for k in g.labels["equipment"] if any(k in e.equipment for e in exercises.values())]

    filters = {
        "muscle": _dropdown(
            "muscle",
            "Muscle",
            [(f"{course.muscles[m].name.split(' (')[0]}", m) for m in used_muscles],
        ),
        "category": _dropdown(
            "category", "Kind", [(g.label("categories", c).capitalize(), c) for c in categories]
        ),
        "position": _dropdown(
            "position", "Position", [(g.label("positions", p).capitalize(), p) for p in positions]
        ),
        "difficulty": _dropdown(
            "difficulty",
            "Difficulty",
            [(g.label("difficulty", str(d)).capitalize(), d) for d in levels],
        ),
        "equipment": _dropdown(
            "equipment",
            "Equipment",
            [("Needs nothing", NO_EQUIPMENT)]
            + [(g.label("equipment", k).split(" (")[0].capitalize(), k) for k in kit],
        ),
    }
    clear = add_classes(
        widgets.Button(
            description="Clear filters", icon="times", layout=widgets.Layout(width="auto")
        ),
        "bc-browser-clear",
    )
    count = add_classes(widgets.HTML(""), "bc-browser-count")
    results = add_classes(
        widgets.Select(options=[], rows=10, layout=widgets.Layout(width="21em")),
        "bc-browser-results",
    )
    image, caption = picture("browser", "figure")
    card = add_classes(widgets.HTML(""), "bc-browser-card")
    easier = add_classes(
        widgets.Button(
            description="Easier", icon="arrow-down", layout=widgets.Layout(width="auto")
        ),
        "bc-browser-easier",
    )
    harder = add_classes(
        widgets.Button(description="Harder", icon="arrow-up", layout=widgets.Layout(width="auto")),
        "bc-browser-harder",
    )
    error = error_area("browser")
    cards = add_classes(
        widgets.VBox(
            [image, caption, widgets.HBox([easier, harder]), card],
            layout=widgets.Layout(flex="1 1 60%", min_width="320px", padding="0 0 0 12px"),
        ),
        "bc-browser-cards",
    )
    side = widgets.VBox(
        [*filters.values(), clear, count, results],
        layout=widgets.Layout(flex="0 0 22em"),
    )
    top = App(
        "browser",
        "Exercise browser",
        [error, widgets.HBox([side, cards], layout=widgets.Layout(flex_flow="row wrap"))],
    )

    shown: list[str] = []  # ids in the results list, in order

    @guarded(error)
    def show(_change=None) -> None:
        eid = results.value
        if eid is None:
            card.value = render("widgets/browser_empty.html")
            image.layout.display = "none"
            caption.value = ""
            for button, word in ((easier, "Easier"), (harder, "Harder")):
                button.disabled, button.description = True, word
            return
        ex = exercises[eid]
        card.value = lesson.exercise_card_html(ex, course)
        png, alt = exercise_png(course, eid)
        image.layout.display = None
        show_picture(image, caption, png, alt)
        for button, target, word in (
            (easier, ex.regression, "Easier"),
            (harder, ex.progression, "Harder"),
        ):
            button.disabled = target is None
            button.description = f"{word}: {exercises[target].name}" if target else f"{word}: none"

    @guarded(error)
    def refilter(_change=None) -> None:
        found = matching(
            course, **{k: None if w.value == ANY else w.value for k, w in filters.items()}
        )
        current = results.value
        shown[:] = [e.id for e in found]
        n = len(found)
        count.value = render("widgets/browser_count.html", n=n, total=len(exercises))
        results.unobserve(show, names="value")
        try:
            results.options = [(e.name, e.id) for e in found]
            results.value = current if current in shown else (shown[0] if shown else None)
        finally:
            results.observe(show, names="value")
        show()

    def clear_filters(_button=None) -> None:
        for w in filters.values():
            w.unobserve(refilter, names="value")
            w.value = ANY
            w.observe(refilter, names="value")
        refilter()

    @guarded(error)
    def step(which: str) -> None:
        if results.value is None:
            return
        target = getattr(exercises[results.value], which)
        if target is None:
            return
        if target not in shown:
            clear_filters()
        results.value = target

    for w in filters.values():
        w.observe(refilter, names="value")
    results.observe(show, names="value")
    clear.on_click(clear_filters)
    easier.on_click(lambda _b: step("regression"))
    harder.on_click(lambda _b: step("progression"))

    top.parts.update(filters)
    top.parts.update(
        clear=clear,
        count=count,
        results=results,
        figure=image,
        caption=caption,
        card=card,
        easier=easier,
        harder=harder,
        cards=cards,
        error=error,
    )
    refilter()
    if exercise is not None:
        if exercise not in exercises:
            from .common import show_error

            show_error(error, f"No exercise called {exercise!r} in this course")
        else:
            results.value = exercise
    return top
