"""Small helpers the lesson notebooks call, so the notebooks stay prose plus one-line calls.

Every helper reads the course (``course_data/``) and returns something Jupyter displays:
a :class:`Block` of HTML (with a plain-text twin for text-only viewers and nbval) or a
:class:`Picture` (a PNG with its alt text). Nothing here needs ipywidgets. The HTML comes
from the templates in ``backcourse/render/templates/lesson/`` (autoescape on).

Modules: ``blocks`` (Block, Picture, the picture helpers), ``cite`` (labels, links and
reference lists), ``boxes`` (safety line, fact cards, core groups, activities, duration
bands), ``tables`` (course map, myths, prevalence, progression numbers, red flags),
``cards`` (exercise and muscle cards), ``examples`` (the worked examples' learners).

>>> from backcourse import load_course, lesson
>>> course = load_course()
>>> lesson.cite(course, ["nice_ng59"])
'NICE 2016'

CSS classes in the HTML
-----------------------
``bc-safety``  the safety line      ``bc-references``  a reference list
``bc-map``     the course map       ``bc-redflag-table``  the red flags in full
``bc-facts``   fact cards           ``bc-prevalence``  the prevalence table
``bc-card``    an exercise card     ``bc-muscle``      a muscle card
``bc-myths``   the myths-and-facts table   ``bc-progress-rules``  the progression numbers

Citations
---------
Readers never see a source id. A source appears under its short label from sources.yaml
(``cite``: "NICE 2016; Klarity"), linked to the lesson's "References" heading
(``cite_markdown`` for prose, and the "Sources:" line under cards and the safety box).
"""

from __future__ import annotations

from .blocks import (
    MAX_SHOWN_HEIGHT,
    MAX_SHOWN_WIDTH,
    Block,
    Picture,
    coverage_picture,
    exercise_picture,
    movement_picture,
    muscle_picture,
    plan_picture,
    prevalence_picture,
    show,
    spine_picture,
    time_budget_picture,
)
from .boxes import activities, core_table, data_location, duration_bands, facts, safety_line
from .cards import (
    dose_text,
    exercise_card_html,
    exercise_tags,
    muscle_card_html,
    muscle_exercises_html,
)
from .cite import REFERENCES_ANCHOR, cite, cite_markdown, lesson_sources, references
from .examples import example_learner
from .tables import course_map, myth_table, prevalence_table, progress_rules, red_flag_table

__all__ = [
    "MAX_SHOWN_HEIGHT",
    "MAX_SHOWN_WIDTH",
    "REFERENCES_ANCHOR",
    "Block",
    "Picture",
    "activities",
    "cite",
    "cite_markdown",
    "core_table",
    "course_map",
    "coverage_picture",
    "data_location",
    "dose_text",
    "duration_bands",
    "example_learner",
    "exercise_card_html",
    "exercise_picture",
    "exercise_tags",
    "facts",
    "lesson_sources",
    "movement_picture",
    "muscle_card_html",
    "muscle_exercises_html",
    "muscle_picture",
    "myth_table",
    "plan_picture",
    "prevalence_picture",
    "prevalence_table",
    "progress_rules",
    "red_flag_table",
    "references",
    "safety_line",
    "show",
    "spine_picture",
    "time_budget_picture",
]
