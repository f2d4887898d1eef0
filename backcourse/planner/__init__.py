"""Turn a learner's answers into a safe routine for today and a plan for the weeks ahead.

The rules, in order of priority:

1. An emergency or see-a-doctor red flag stops here (``RedFlagStop``): no routine, only
   advice. A "see a GP or physiotherapist if it does not get better" flag (pain into one
   leg) gives a gentle routine with that advice in its notes.
2. Only exercises the learner can get into, has the equipment for, and that suit the stage
   of their episode (a recent or severe one gets gentle mobility and activation only).
3. More pain never means more work: the routine never has more main-block sets, a harder
   exercise or a longer hold than the same learner would get at a lower pain score; time
   left over goes to easy walking.
4. Doses stay inside the bounds of guidelines.yaml (a hold exercise always holds); the
   session never runs over the time given, and uses most of it where the safe options
   allow. One exercise of a regression/progression chain per session; the warm-up is easy
   aerobic work from guidelines.yaml's list.
5. The main block covers the glutes, the deep and outer core and the back extensors; the
   cool-down stretches the lower back and hips.

The plan grows the routine week by week within the weekly step limits of guidelines.yaml
and, when the session is full, trades volume for difficulty instead of standing still.
Every number comes from course_data/guidelines.yaml. Same profile, same routine.

The package, one job a module:

- ``rules``: what the answers allow (stage, gentle rules, why an exercise is left out);
- ``doses``: a prescription's start dose, its seconds, and the item it becomes;
- ``build``: today's routine (:func:`build_routine`);
- ``swaps``: alternatives to an exercise, and a routine rebuilt with the learner's swaps;
- ``plan``: the weeks ahead (:func:`plan_weeks`);
- ``builder``: the routine builder's decisions, in plain Python, for the widget to show.
"""

from __future__ import annotations

from .build import build_routine
from .plan import plan_weeks
from .rules import (
    GENTLE_TIER,
    MAIN_CATEGORIES,
    POSITION_FLOW,
    Rules,
    check_profile,
    gentle_flags,
    rules_for,
    why_not,
)
from .swaps import Swap, alternatives, rebuild, swap, swaps_of

# The routine builder's decisions (``backcourse.builder``) sit above export, whose saved
# files they read; this package stays below it.

__all__ = [
    "GENTLE_TIER",
    "MAIN_CATEGORIES",
    "POSITION_FLOW",
    "Rules",
    "Swap",
    "alternatives",
    "build_routine",
    "check_profile",
    "gentle_flags",
    "plan_weeks",
    "rebuild",
    "rules_for",
    "swap",
    "swaps_of",
    "why_not",
]
