"""Running the course as a class: a roster in, one safe group session and a handout each out.

Modules, in the order the data flows: ``roster`` (the trainer's CSV read into participants,
referrals and skipped rows), ``class_plan`` (the strictest profile of the group, one group
session, each member's swaps, and the trainer's report), ``handouts`` (one HTML page per
member), ``answer_keys`` (the quiz answers for the trainer's notebook) and ``links``
(Binder and JupyterHub links). The HTML comes from ``render/templates/trainer/``.

>>> from backcourse import trainer
>>> trainer.roster_template().split(",")[:2]
['name_or_code', 'pain_now']
"""

from __future__ import annotations

from .answer_keys import answer_key_html
from .class_plan import (
    SWAPS_SHOWN,
    ClassPlan,
    Member,
    handout_names,
    plan_class,
    report_html,
    strictest,
)
from .handouts import handout_html, write_handouts
from .links import APP_NOTEBOOK, START_NOTEBOOK, launch_links
from .roster import (
    ROSTER_COLUMNS,
    Participant,
    Referral,
    Roster,
    RosterProblem,
    parse_roster,
    read_roster,
    roster_template,
)

__all__ = [
    "APP_NOTEBOOK",
    "ROSTER_COLUMNS",
    "START_NOTEBOOK",
    "SWAPS_SHOWN",
    "ClassPlan",
    "Member",
    "Participant",
    "Referral",
    "Roster",
    "RosterProblem",
    "answer_key_html",
    "handout_html",
    "handout_names",
    "launch_links",
    "parse_roster",
    "plan_class",
    "read_roster",
    "report_html",
    "roster_template",
    "strictest",
    "write_handouts",
]
