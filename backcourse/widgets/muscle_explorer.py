"""The muscle explorer: pick a muscle, see it on the schematic, what it does, and what trains it.

Muscles, their descriptions and the exercises come from course_data; the picture is
``backcourse.illustrate.anatomy_figures.muscle_figure(course, highlight=...)``, rendered once
per muscle and cached, so changing the choice again answers at once.

Parts (``top.parts``)
---------------------
``group``      Dropdown: which family of muscles to list (``"any"``: all)
``select``     Dropdown: the muscle (value: muscle id)
``figure``     Image: the schematic with the muscle highlighted
``caption``    HTML: the figure's alt text
``info``       HTML: name, plain name, core role, where, what it does, why it matters
``exercises``  HTML: the exercises that train it (main target, then helper)
``error``      HTML: a message if something cannot be shown

CSS classes
-----------
``bc-muscles`` (top) · ``bc-muscles-group`` · ``bc-muscles-select`` · ``bc-muscles-figure``
· ``bc-muscles-caption`` · ``bc-muscles-info`` · ``bc-muscles-exercises`` · ``bc-muscles-error``
"""

from __future__ import annotations

from functools import lru_cache

import ipywidgets as widgets

from ..model import Course
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


@lru_cache(maxsize=128)
def _muscle_png(key: CourseKey) -> tuple[bytes, str]:
    """The schematic with one muscle highlighted, as (PNG, alt text); cached per muscle."""
    from ..figures import style
    from ..illustrate import anatomy_figures as anatomy

    muscle_id = key.key[1]
    fig = anatomy.muscle_figure(key.course, highlight=muscle_id)
    return style.to_png(fig), str(getattr(fig, "alt_text", ""))


def muscle_png(course: Course, muscle_id: str) -> tuple[bytes, str]:
    """(PNG, alt text) of the schematic highlighting ``muscle_id`` (cached)."""
    if muscle_id not in course.muscles:
        raise KeyError(muscle_id)
    return _muscle_png(CourseKey(course, muscle_id))


def _label(course: Course, muscle_id: str) -> str:
    m = course.muscles[muscle_id]
    return f"{m.name.split(' (')[0]} ({m.plain_name})"


def build_muscle_explorer(course: Course | None = None, muscle: str | None = None) -> App:
    """Pick a muscle; see it highlighted, what it does and the exercises that train it.

    Parameters
    ----------
    course
        The loaded course; the bundled one when omitted.
    muscle
        The muscle id shown first (default: the first glute, else the first muscle).
    """
    from .. import lesson

    course = get_course(course)
    muscles = course.muscles
    if not muscles:
        raise ValueError("this course has no muscles to explore")
    # Families in teaching order, with their words: guidelines.yaml labels.muscle_groups.
    families = course.guidelines.labels["muscle_groups"]
    groups = [g for g in families if any(m.group == g for m in muscles.values())]
    first = muscle or next((m.id for m in muscles.values() if m.group == "glutes"), None)
    first = first if first in muscles else next(iter(muscles))

    group = add_classes(
        widgets.Dropdown(
            options=[("All muscles", ANY)]
            + [(course.guidelines.label("muscle_groups", g), g) for g in groups],
            value=ANY,
            description="Family",
            layout=widgets.Layout(width="22em"),
        ),
        "bc-muscles-group",
    )
    select = add_classes(
        widgets.Dropdown(
            options=[(_label(course, m), m) for m in muscles],
            value=first,
            description="Muscle",
            layout=widgets.Layout(width="34em"),
        ),
        "bc-muscles-select",
    )
    image, caption = picture("muscles", "figure")
    info = add_classes(widgets.HTML(""), "bc-muscles-info")
    exercises = add_classes(widgets.HTML(""), "bc-muscles-exercises")
    error = error_area("muscles")

    left = widgets.VBox([image, caption], layout=widgets.Layout(flex="1 1 60%", min_width="300px"))
    right = widgets.VBox(
        [info, exercises], layout=widgets.Layout(flex="1 1 40%", min_width="260px")
    )
    top = App(
        "muscles",
        "Muscle explorer",
        [
            widgets.HBox([group, select], layout=widgets.Layout(flex_flow="row wrap")),
            error,
            widgets.HBox([left, right], layout=widgets.Layout(flex_flow="row wrap")),
        ],
    )

    @guarded(error)
    def show(_change=None) -> None:
        mid = select.value
        if mid is None:
            info.value = exercises.value = ""
            return
        m = muscles[mid]
        info.value = lesson.muscle_card_html(m, course)
        exercises.value = lesson.muscle_exercises_html(m, course)
        png, alt = muscle_png(course, mid)
        show_picture(image, caption, png, alt)

    @guarded(error)
    def filter_group(_change=None) -> None:
        ids = [m.id for m in muscles.values() if group.value in (ANY, m.group)]
        current = select.value
        select.options = [(_label(course, m), m) for m in ids]
        select.value = current if current in ids else ids[0]

    select.observe(show, names="value")
    group.observe(filter_group, names="value")
    top.parts.update(
        group=group,
        select=select,
        figure=image,
        caption=caption,
        info=info,
        exercises=exercises,
        error=error,
    )
    show()
    return top
