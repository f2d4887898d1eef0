"""Doses and time: a prescription being built, its start dose, its seconds, and the item it becomes.

The session's clock (getting into position, changing sides, resting) follows
guidelines.yaml ``timing``; every dose stays inside ``dose_bounds``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ..model import Course, Exercise, Guidelines, Prescription, Profile
from .rules import POSITION_FLOW, Rules


@dataclass
class Pick:
    """A prescription being built (mutable while the planner fits the time)."""

    ex: Exercise
    phase: str
    sets: int = 1
    reps: int | None = None
    hold_s: int | None = None
    rest_s: int = 0
    minutes: int | None = None  # aerobic only
    reason: str = ""
    order: tuple = ()  # where it goes in the session (set on creation; see _ordered)

    def __post_init__(self) -> None:
        phase_order = {"warm_up": 0, "main": 1, "cool_down": 2}
        aerobic_last = 1 if (self.phase == "main" and self.minutes is not None) else 0
        flow = POSITION_FLOW.index(self.ex.position) if self.ex.position in POSITION_FLOW else 0
        self.order = (phase_order[self.phase], aerobic_last, flow, self.ex.id)


def start_dose(ex: Exercise, profile: Profile, rules: Rules, g: Guidelines, phase: str) -> Pick:
    """The first-week dose: the source's dose, eased for a gentle stage, inside the bounds."""
    d, s = ex.dose, g.start
    pick = Pick(ex, phase)
    bounds = g.dose_bounds.get(ex.category, {})
    sets = s[f"sets_{profile.experience}"]
    if rules.gentle or phase != "main":
        sets = 1
    pick.sets = clamp(bounds.get("sets"), min(sets, rules.max_sets))
    if d.reps is not None:
        reps = math.ceil(d.reps * s["gentle_reps_pct"] / 100) if rules.gentle else d.reps
        pick.reps = clamp(bounds.get("reps"), reps)
    elif d.hold_s is None and "reps" in bounds:
        pick.reps = bounds["reps"].low
    if d.hold_s is not None:
        hold = round(d.hold_s * s["gentle_hold_pct"] / 100) if rules.gentle else d.hold_s
        pick.hold_s = clamp(bounds.get("hold_s"), hold)
    rest = d.rest_s if d.rest_s is not None else (bounds["rest_s"].low if "rest_s" in bounds else 0)
    pick.rest_s = clamp(bounds.get("rest_s"), rest)
    return pick


def doses_to_try(first: Pick, g: Guidelines):
    """The start dose, then fewer sets and repetitions, for when time is short.

    The hold stays: a hold exercise always holds, so a short session drops repetitions (or
    the whole exercise), never the hold.
    """
    yield first
    b = g.dose_bounds.get(first.ex.category, {})
    small = replace(first, sets=b["sets"].low if "sets" in b else 1)
    if small.reps is not None and "reps" in b:
        small.reps = b["reps"].low
    if small != first:
        yield small


def clamp(bounds: object, value: int) -> int:
    return bounds.clamp(value) if bounds is not None else value  # type: ignore[attr-defined]


def work_seconds(p: Pick, g: Guidelines) -> int:
    """Seconds for one item, without getting into position."""
    t = g.timing
    if p.minutes is not None:
        return p.minutes * 60 + t["between_exercises_s"]
    ex = p.ex
    per_set = (ex.rep_s or t["rep_s"]) + (p.hold_s or 0)
    if p.reps:
        per_set *= p.reps
    rests = (p.sets - 1) * p.rest_s + t["between_exercises_s"]
    if ex.dose.per_side:  # both sides, and the change between them
        return p.sets * (2 * per_set + t["change_of_side_s"]) + rests
    return p.sets * per_set + rests


def _ordered(picks: Iterable[Pick]) -> list[Pick]:
    """Warm-up, main, cool-down; within a phase, on your feet first, then the floor."""
    return sorted(picks, key=_order_of)


def _order_of(p: Pick) -> tuple:
    return p.order


def _seconds_each(picks: Iterable[Pick], g: Guidelines) -> list[tuple[Pick, int]]:
    """Each item's seconds, including getting into its position from the one before."""
    out, where = [], "standing"
    for p in _ordered(picks):
        sec = work_seconds(p, g)
        if p.ex.position != where:
            sec += g.timing["change_of_position_s"]
            where = p.ex.position
        out.append((p, sec))
    return out


def total_seconds(picks: Iterable[Pick], g: Guidelines) -> int:
    """The session's seconds (the sum of _seconds_each, without building the list)."""
    total, where, move = 0, "standing", g.timing["change_of_position_s"]
    for p in sorted(picks, key=_order_of):
        total += work_seconds(p, g)
        if p.ex.position != where:
            total += move
            where = p.ex.position
    return total


def targets_hit(ex: Exercise, targets: dict[str, tuple[str, ...]], primary_only: bool) -> set[str]:
    muscles = set(ex.muscles if primary_only else ex.all_muscles)
    return {t for t, ms in targets.items() if muscles & set(ms)}


def aerobic_minutes(profile: Profile, g: Guidelines) -> int:
    t = g.timing
    share = round(profile.minutes_per_session * t["warm_up_share_pct"] / 100)
    return max(t["warm_up_min_minutes"], min(t["warm_up_full_minutes"], share))


def items_of(picks: list[Pick], course: Course) -> tuple[Prescription, ...]:
    g = course.guidelines
    main_targets = dict(g.coverage["main"])
    items = []
    covered: set[str] = set()
    for p, sec in _seconds_each(picks, g):
        reason = p.reason
        if not reason:
            new = targets_hit(p.ex, main_targets, True) - covered
            covered |= new
            reason = _reason(p, new, course)
        items.append(
            Prescription(
                exercise=p.ex,
                phase=p.phase,
                sets=p.sets,
                reps=p.reps,
                hold_s=p.hold_s,
                per_side=p.ex.per_side,
                rest_s=p.rest_s,
                minutes=_minutes(sec),
                reason=reason,
                duration_min=p.minutes,
            )
        )
    return tuple(items)


def _minutes(seconds: int) -> float:
    """Seconds as minutes to 2 decimals, rounded down so the items never add up past the time."""
    return math.floor(seconds * 100 / 60) / 100


def _plain_list(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _reason(p: Pick, new_targets: set[str], course: Course) -> str:
    g = course.guidelines
    level = g.label("difficulty", str(p.ex.difficulty))
    if p.phase == "cool_down" and p.hold_s is None:
        return (
            "A cool-down mobility move for your lower back: move slowly through a comfortable "
            "range, a little further each time only if it feels fine."
        )
    if p.phase == "cool_down":
        where = _plain_list(
            [
                g.label("coverage", t)
                for t in sorted(targets_hit(p.ex, dict(g.coverage["cool_down"]), False))
            ]
            or ["back and hips"]
        )
        return f"A cool-down stretch for your {where}: ease in and hold, never bounce."
    if new_targets:
        what = _plain_list([g.label("coverage", t) for t in sorted(new_targets)])
        return f"Works your {what}, at a {level} level that suits you now."
    muscles = [course.muscles[m].plain_name.lower() for m in p.ex.muscles]
    return f"Adds more {level} work for your {_plain_list(muscles)}."


def block_reason(block: Pick) -> str:
    return (
        f"{block.minutes} minutes of easy, low-impact aerobic work: staying active speeds "
        "recovery, and aerobic exercise is one of the three parts of back care."
    )


def warm_reason(ex: Exercise, minutes: int) -> str:
    return (
        f"Warms you up: {minutes} minutes of easy {ex.name.lower()} gets the blood flowing "
        "and loosens your back before the exercises."
    )
