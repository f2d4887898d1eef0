"""Take a routine home: a print-ready HTML handout, a PDF, Markdown, iCalendar and JSON.

Every format is built from the same handout content (:func:`handout`), and every piece of
text in it is treated as untrusted: the learner's name, and the exercise, muscle and source
names a trainer can edit in course_data/. Each writer escapes for its own format (HTML by
the templates' autoescape, Markdown backslashes, RFC 5545 text by ``icalendar``, PDF text
drawn as text, and ``<``, ``>``, ``&`` as ``\\u003c``... in JSON), so nothing a learner
types can become markup.

The same routine, name and start date always give the same bytes: no clocks are read, PDF
metadata carries no dates, and calendar stamps come from the start date.

One module per job:

========== ================================================================
handout    the handout model every format shares (Card, WeekRow, Handout)
html       the HTML page, an exercise card, notebook glances (from templates)
markdown   Markdown and :func:`md_escape`
ics        iCalendar sessions (``icalendar``)
json       JSON that rebuilds and checks the routine (Saved, load_json)
pdf        the PDF layout (fpdf2)
pictures   exercise pictures, inline img elements and data: URIs (cached)
write      bytes of a format, file names, saving, download links
text       a learner's name made safe, slugs
templates  rendering ``render/templates/handout/``
========== ================================================================

>>> from backcourse import load_course, build_routine, Profile
>>> from backcourse import export
>>> course = load_course()
>>> profile = Profile(pain_now=3, weeks_since_onset=10, minutes_per_session=15,
...                   sessions_per_week=3)
>>> routine = build_routine(profile, course)
>>> path = export.save(routine, "html", folder="handouts", name="Sam")   # doctest: +SKIP
>>> again = export.routine_from_json(export.to_json(routine), course)
>>> again.items == routine.items
True

This package imports no ipywidgets; matplotlib loads only when a picture or a PDF is made.
"""

from __future__ import annotations

from .handout import Card, Handout, WeekRow, card_for, handout
from .html import PHASE_CSS, Glance, glance, item_html, plan_glance, to_html
from .ics import SESSION_TIME, session_days, to_ics
from .json import (
    JSON_FORMAT,
    JSON_VERSION,
    Saved,
    load_json,
    routine_from_json,
    routine_to_dict,
    to_json,
)
from .markdown import md_escape, to_markdown
from .pdf import pdf_bytes, to_pdf
from .pictures import HANDOUT_DPI, CourseKey, data_uri, illustration, picture_html
from .text import NAME_MAX, SLUG_MAX, clean_name, slug
from .write import FORMATS, MIME, download_link, file_name, render, save

__all__ = [
    "FORMATS",
    "HANDOUT_DPI",
    "JSON_FORMAT",
    "JSON_VERSION",
    "MIME",
    "NAME_MAX",
    "PHASE_CSS",
    "SESSION_TIME",
    "SLUG_MAX",
    "Card",
    "CourseKey",
    "Glance",
    "Handout",
    "Saved",
    "WeekRow",
    "card_for",
    "clean_name",
    "data_uri",
    "download_link",
    "file_name",
    "glance",
    "handout",
    "illustration",
    "item_html",
    "load_json",
    "md_escape",
    "pdf_bytes",
    "picture_html",
    "plan_glance",
    "render",
    "routine_from_json",
    "routine_to_dict",
    "save",
    "session_days",
    "slug",
    "to_html",
    "to_ics",
    "to_json",
    "to_markdown",
    "to_pdf",
]
