"""An independent check of the plan's rules, worked out from course_data/*.yaml itself.

Nothing here calls the planner's filters or helpers: every rule is read from the YAML files
(exercise categories, doses and chains, guidelines bounds and weekly limits, the warm-up
list, red-flag tiers) and checked against what a learner reads in a routine or a plan.
Used by tests/test_plan_rules.py and benchmarks/bench_plan_growth.py.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "course_data"


def _load(name: str):
    with open(DATA / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


EXERCISES = {e["id"]: e for e in _load("exercises.yaml")}
GUIDE = _load("guidelines.yaml")
FLAGS = {f["id"]: f for f in _load("red_flags.yaml")["flags"]}
TIERS = _load("red_flags.yaml")["tiers"]
BOUNDS = GUIDE["dose_bounds"]
PROGRESSION = GUIDE["progression"]
STAGES = GUIDE["stages"]
WARM_UP = list(GUIDE["warm_up"]["activities"])
MAIN = ("activation", "strength")


def _family(ex_id: str) -> str:
    """The chain an exercise belongs to: the connected group of its regression and
    progression links, named by its smallest id (links read straight from the YAML)."""
    links: dict[str, set[str]] = {i: set() for i in EXERCISES}
    for i, e in EXERCISES.items():
        for other in (e.get("regression"), e.get("progression")):
            if other:
                links[i].add(other)
                links[other].add(i)
    seen, todo = {ex_id}, [ex_id]
    while todo:
        for nxt in links[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return min(seen)


FAMILY = {i: _family(i) for i in EXERCISES}


def category(ex_id: str) -> str:
    return EXERCISES[ex_id]["category"]


def yaml_hold(ex_id: str) -> int | None:
    return EXERCISES[ex_id]["dose"].get("hold_s")


def gentle(pain: int, weeks: int, flags: Iterable[str] = ()) -> bool:
    """Recent, severe, or a see-a-GP-if-it-does-not-get-better flag (guidelines/red_flags)."""
    third = any(FLAGS[f]["tier"] == "if_not_better" for f in flags)
    return weeks < STAGES["acute_weeks"] or pain >= STAGES["severe_pain"] or third


# --------------------------------------------------------------------------- the rules


@dataclass
class Item:
    """What the learner reads for one exercise: name id, phase, dose."""

    id: str
    phase: str
    sets: int
    reps: int | None
    hold_s: int | None
    minutes: int | None

    @classmethod
    def of(cls, p) -> Item:
        return cls(p.exercise.id, p.phase, p.sets, p.reps, p.hold_s, p.duration_min)


def weeks_of(plan) -> list[list[Item]]:
    return [[Item.of(p) for p in w.items] for w in plan.weeks]


def weekly_steps(weeks: list[list[Item]]) -> Iterator[str]:
    """No exercise gains more than the weekly limits from one week to the next."""
    for n, (before, after) in enumerate(itertools.pairwise(weeks), start=2):
        last = {i.id: i for i in before if i.minutes is None}
        for i in after:
            old = last.get(i.id)
            if old is None or i.minutes is not None:
                continue
            reps = (i.reps or 0) - (old.reps or 0)
            if (
                i.reps is not None
                and old.reps is not None
                and reps > PROGRESSION["max_reps_a_week"]
            ):
                yield f"week {n}: {i.id} reps {old.reps} -> {i.reps}"
            hold = (i.hold_s or 0) - (old.hold_s or 0)
            if i.hold_s is not None and hold > PROGRESSION["max_hold_s_a_week"]:
                yield f"week {n}: {i.id} hold {old.hold_s} -> {i.hold_s}"
            if i.sets - old.sets > PROGRESSION["max_sets_a_week"]:
                yield f"week {n}: {i.id} sets {old.sets} -> {i.sets}"


def stretch_holds(weeks: list[list[Item]], minutes: int) -> Iterator[str]:
    """A stretch with a hold in exercises.yaml holds 10-30 s every week and at least the
    goal by week 12 (sessions of 15 minutes or more); one without is done for reps only."""
    b = BOUNDS["stretch"]["hold_s"]
    for n, week in enumerate(weeks, start=1):
        for i in week:
            if category(i.id) != "stretch":
                continue
            if yaml_hold(i.id) is None:
                if i.hold_s is not None:
                    yield f"week {n}: mobility move {i.id} given a hold"
                continue
            if i.hold_s is None or not b["low"] <= i.hold_s <= b["high"]:
                yield f"week {n}: stretch {i.id} hold {i.hold_s}"
            if n == 12 and minutes >= 15 and i.hold_s < PROGRESSION["stretch_hold_goal_s"]:
                yield f"week 12: stretch {i.id} still holds only {i.hold_s} s"


def holds_hold(weeks: list[list[Item]]) -> Iterator[str]:
    """An exercise whose dose is a hold always holds, never 0 s; inside the bounds."""
    for n, week in enumerate(weeks, start=1):
        for i in week:
            if i.minutes is not None:
                continue
            if yaml_hold(i.id) is not None:
                low = BOUNDS[category(i.id)]["hold_s"]["low"]
                if not i.hold_s or i.hold_s < max(1, low):
                    yield f"week {n}: {i.id} holds {i.hold_s} s"
            elif i.hold_s:
                yield f"week {n}: {i.id} has a hold its source does not give"


def one_rung(weeks: list[list[Item]]) -> Iterator[str]:
    """Never two different exercises of one regression/progression chain in a session."""
    for n, week in enumerate(weeks, start=1):
        by_family: dict[str, set[str]] = {}
        for i in week:
            by_family.setdefault(FAMILY[i.id], set()).add(i.id)
        for fam, ids in by_family.items():
            if len(ids) > 1:
                yield f"week {n}: {sorted(ids)} share the chain of {fam}"


def warm_ups(weeks: list[list[Item]]) -> Iterator[str]:
    """Warm-ups are only the easy aerobic activities guidelines.yaml lists."""
    for n, week in enumerate(weeks, start=1):
        for i in week:
            if i.phase == "warm_up" and i.id not in WARM_UP:
                yield f"week {n}: warm-up {i.id}"


def fits(weeks: list[list[Item]], plan, minutes: int) -> Iterator[str]:
    for w in plan.weeks:
        if w.minutes > minutes:
            yield f"week {w.week}: {w.minutes} min of {minutes}"


def gentle_stays_gentle(weeks: list[list[Item]], profile) -> Iterator[str]:
    """A gentle profile: no strength work, nothing harder than moderate, one set of each."""
    if not gentle(profile.pain_now, profile.weeks_since_onset, profile.red_flags):
        return
    for n, week in enumerate(weeks, start=1):
        for i in week:
            if category(i.id) == "strength" or EXERCISES[i.id]["difficulty"] > 2:
                yield f"week {n}: gentle profile given {i.id}"
    for i in weeks[0]:
        if i.phase == "main" and i.minutes is None and i.sets > GUIDE["start"]["gentle_max_sets"]:
            yield f"week 1: gentle profile given {i.sets} sets of {i.id}"


RULES = {
    "weekly steps (<= 2 reps, 5 s hold, 1 set)": lambda w, plan, p: weekly_steps(w),
    "stretches hold 10-30 s, >= 15 s by week 12": lambda w, plan, p: stretch_holds(
        w, p.minutes_per_session
    ),
    "a hold is never 0 s": lambda w, plan, p: holds_hold(w),
    "one rung per chain": lambda w, plan, p: one_rung(w),
    "warm-ups are easy aerobic work": lambda w, plan, p: warm_ups(w),
    "every week fits the time": lambda w, plan, p: fits(w, plan, p.minutes_per_session),
    "gentle stays gentle": lambda w, plan, p: gentle_stays_gentle(w, p),
}


def violations(plan, profile) -> dict[str, list[str]]:
    """Every rule's violations for one profile's plan (empty lists when all hold)."""
    weeks = weeks_of(plan)
    return {name: list(rule(weeks, plan, profile)) for name, rule in RULES.items()}


def more_pain_more_work(easy, hard) -> list[str]:
    """Compare two routines of the same learner, ``hard`` at the higher pain score."""
    out = []

    def main_sets(r) -> int:
        return sum(p.sets for p in r.items if p.phase == "main" and p.duration_min is None)

    if main_sets(hard) > main_sets(easy):
        out.append(f"main-block sets {main_sets(easy)} -> {main_sets(hard)}")
    top = max((EXERCISES[p.exercise.id]["difficulty"] for p in easy.items), default=0)
    for p in hard.items:
        if EXERCISES[p.exercise.id]["difficulty"] > top:
            out.append(f"harder exercise {p.exercise.id}")
    before = {p.exercise.id: p for p in easy.items if p.duration_min is None}
    for p in hard.items:
        q = before.get(p.exercise.id)
        if q is None or p.duration_min is not None:
            continue
        if (p.hold_s or 0) > (q.hold_s or 0):
            out.append(f"longer hold of {p.exercise.id}: {q.hold_s} -> {p.hold_s}")
        # Warm-up and cool-down are gentle: at more pain they take the time the main block
        # gives up, as the warm-up's minutes do (duration items are not compared at all).
        if p.phase == "main" and p.sets > q.sets:
            out.append(f"more sets of {p.exercise.id}: {q.sets} -> {p.sets}")
    return out


def rises(plan) -> tuple[int, int]:
    """(main-block exercises of week 1, how many of them rise or step up by the last week).

    An exercise rises when, in some later week, the exercise of its chain has more sets,
    repetitions or hold than in week 1, or is a different (harder) exercise of the chain.
    The aerobic block (minutes) is spare time by design and is not counted.
    """
    weeks = weeks_of(plan)
    first = [i for i in weeks[0] if i.phase == "main" and i.minutes is None]
    grown = 0
    for start in first:
        fam = FAMILY[start.id]
        for week in weeks[1:]:
            now = next((i for i in week if FAMILY[i.id] == fam and i.minutes is None), None)
            if now is None:
                continue
            if now.id != start.id or (
                now.sets > start.sets
                or (now.reps or 0) > (start.reps or 0)
                or (now.hold_s or 0) > (start.hold_s or 0)
            ):
                grown += 1
                break
    return len(first), grown


# --------------------------------------------------------------------------- the grid

STAGE_WEEKS = {"recent": 2, "settling": 8, "persistent": 30}
GRID_MINUTES = (10, 15, 20, 30, 45, 60)
GRID_PAIN = (1, 3, 5, 8)
GRID_SESSIONS = (2, 3, 4, 5)
FLOOR = {
    "floor": ("supine", "prone", "side_lying", "all_fours", "kneeling", "standing", "seated"),
    "no floor": ("standing", "seated"),
}
KIT = {"no weights": ("mat", "chair"), "weights": ("mat", "chair", "weights")}


def grid(profile_cls, pains: Iterable[int] = GRID_PAIN) -> Iterator:
    """Every stage, 10-60 minutes, every experience level, floor and no floor, with and
    without weights, 2-5 sessions a week, at several pain scores."""
    for stage, minutes, exp, floor, kit, sessions, pain in itertools.product(
        STAGE_WEEKS,
        GRID_MINUTES,
        ("beginner", "intermediate", "advanced"),
        FLOOR,
        KIT,
        GRID_SESSIONS,
        pains,
    ):
        yield profile_cls(
            pain_now=pain,
            weeks_since_onset=STAGE_WEEKS[stage],
            minutes_per_session=minutes,
            sessions_per_week=sessions,
            positions=frozenset(FLOOR[floor]),
            equipment=frozenset(KIT[kit]),
            experience=exp,
        )


def allowed(ex_id: str, profile) -> bool:
    """Whether the profile allows an exercise, from the YAML and guidelines.yaml alone:
    positions, equipment, impact, category, difficulty and weights."""
    e = EXERCISES[ex_id]
    pain, weeks = profile.pain_now, profile.weeks_since_onset
    soft = gentle(pain, weeks, profile.red_flags)
    if not set(e.get("positions") or [e["position"]]) <= set(profile.positions):
        return False
    if not set(e.get("equipment") or []) <= set(profile.equipment):
        return False
    if e["impact"] == "high" and (soft or pain > STAGES["high_impact_pain"]):
        return False
    if e["category"] == "strength" and soft:
        return False
    top = (
        1
        if pain >= STAGES["severe_pain"]
        else 2
        if (soft or pain >= STAGES["moderate_pain"])
        else 3
    )
    if profile.experience == "beginner":
        top = min(top, 2)
    if e["difficulty"] > top:
        return False
    weights = "weights" in (e.get("equipment") or [])
    return not (
        weights and (soft or pain >= STAGES["moderate_pain"] or profile.experience == "beginner")
    )


def rises_late(plan, after_week: int = 6) -> tuple[int, int]:
    """(main-block chains of week 1, how many of them still rise or step up from one week
    to the next after ``after_week``): how much of the plan keeps moving in its second half."""
    weeks = weeks_of(plan)
    families = [FAMILY[i.id] for i in weeks[0] if i.phase == "main" and i.minutes is None]
    moving = 0
    for fam in families:
        for n in range(after_week, len(weeks)):
            before = next((i for i in weeks[n - 1] if FAMILY[i.id] == fam), None)
            now = next((i for i in weeks[n] if FAMILY[i.id] == fam), None)
            if before is None or now is None:
                continue
            if now.id != before.id or (
                now.sets > before.sets
                or (now.reps or 0) > (before.reps or 0)
                or (now.hold_s or 0) > (before.hold_s or 0)
            ):
                moving += 1
                break
    return len(families), moving
