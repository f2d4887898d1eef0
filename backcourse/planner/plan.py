"""The weeks ahead: grow a routine week by week inside the time and guidelines.yaml's limits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ..errors import ProfileError
from ..model import Course, Plan, PlanWeek, Prescription, Profile, Routine
from .doses import (
    Pick,
    aerobic_minutes,
    block_reason,
    items_of,
    start_dose,
    total_seconds,
    warm_reason,
    work_seconds,
)
from .rules import gentle_flags, is_allowed, rules_for


def plan_weeks(routine: Routine, weeks: int | None = None) -> Plan:
    """Grow a routine week by week, the way the sources describe, always inside the time.

    From one week to the next an exercise gains at most a couple of repetitions, a few
    seconds of hold or one set (guidelines.yaml ``progression``): repetitions first (one a
    week), then the hold, then a set; at the top it steps up to the next exercise of its
    chain with a set fewer. A stretch lengthens its hold towards 30 s, done fewer times if
    time is short. The room the session has is spread over the weeks a change takes to
    show, and the exercises that have waited longest grow first; easy walking lends its
    minutes; and a dose that has had no room for a few weeks steps up the chain with fewer
    sets (volume traded for difficulty) instead of standing still.

    ``weeks`` defaults to guidelines.yaml's ``plan_weeks``.
    """
    if weeks is None:
        weeks = routine.course.guidelines.plan_weeks
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= 52:
        raise ProfileError("weeks", f"expected a whole number of weeks from 1 to 52, got {weeks!r}")
    course, profile = routine.course, routine.profile
    g = course.guidelines
    grower = _Grower(profile, course)
    pr, budget = g.progression, profile.minutes_per_session * 60
    current = [_from_prescription(p) for p in routine.items]
    last_rise = [1] * len(current)
    # Minutes of easy walking (the aerobic block, and a warm-up longer than the usual one)
    # are lent to the exercises, down to these floors, and given back when not needed.
    floors = {}
    for i, p in enumerate(current):
        if p.minutes is not None:
            low = g.dose_bounds[p.ex.category]["minutes"].low
            if p.phase == "warm_up":
                low = min(p.minutes, max(low, aerobic_minutes(profile, g)))
            floors[i] = low
    blocks = sorted(floors, key=lambda i: current[i].phase == "warm_up")
    # The room to grow is spread over the weeks the sources expect a change to take, so the
    # plan still moves in week 12 instead of filling the session in the first month.
    base = total_seconds(
        [replace(p, minutes=floors[i]) if i in floors else p for i, p in enumerate(current)], g
    )
    spread = max(1, pr["expected_weeks"] - 1)
    out = [PlanWeek(1, routine.items, routine.minutes, ("Start with the routine as built.",))]
    for week in range(2, weeks + 1):
        proposal = [replace(p) for p in current]
        for i in blocks:
            proposal[i].minutes = floors[i]
        total = total_seconds(proposal, g)
        pace = base + (budget - base) * min(1.0, (week - 1) / spread)
        # Those that have waited longest grow first; the main block before the cool-down.
        order = sorted(
            (i for i, p in enumerate(proposal) if p.minutes is None),
            key=lambda i: (last_rise[i], proposal[i].phase != "main", i),
        )
        changes: list[str] = []
        blocked = False  # something could grow, but the session had no room for it
        for i in order:
            old = proposal[i]
            waited = week - last_rise[i] > pr["step_up_after_weeks"]
            options = grower.options(old, waited)
            blocked |= bool(options)
            for new in options:
                if new.ex is old.ex:
                    new_total = total - work_seconds(old, g) + work_seconds(new, g)
                else:
                    new_total = total_seconds([*proposal[:i], new, *proposal[i + 1 :]], g)
                if new_total <= budget and (new_total <= pace or new_total <= total):
                    proposal[i], total, last_rise[i] = new, new_total, week
                    changes.append(_change_words(old, new))
                    break
        for i in blocks:  # give back what is left, never more than last week
            while proposal[i].minutes < current[i].minutes and total + 60 <= budget:  # type: ignore[operator]
                proposal[i].minutes += 1  # type: ignore[operator]
                total += 60
            if proposal[i].minutes != current[i].minutes:
                proposal[i].reason = (
                    warm_reason(proposal[i].ex, proposal[i].minutes)  # type: ignore[arg-type]
                    if proposal[i].phase == "warm_up"
                    else block_reason(proposal[i])
                )
                changes.append(
                    f"{proposal[i].ex.name}: {current[i].minutes} min becomes "
                    f"{proposal[i].minutes} min, to make room for the exercises."
                )
        current = proposal
        items = items_of(current, course)
        if not changes and blocked:
            changes = [
                "Keep the same doses this week: the session has no room to add more. Doing "
                "them more smoothly and with better control is progress too."
            ]
        elif not changes:
            changes = [
                "Keep the same doses this week: they are the top of what suits your answers "
                "now. When your pain or your time changes, build the routine again."
            ]
        out.append(PlanWeek(week, items, round(sum(p.minutes for p in items), 2), tuple(changes)))
    step_back = (
        f"If pain rises by {pr['step_back_pain_rise']} points or more on the 0-10 scale, go back "
        "to the last week that felt comfortable and stay there until it settles. If it keeps "
        f"getting worse, or nothing has improved after {pr['review_after_weeks']} weeks, ask a "
        "doctor or physiotherapist."
    )
    return Plan(routine, tuple(out), step_back, profile.sessions_per_week)


class _Grower:
    """Next week's doses for one item, in the order the plan tries them."""

    def __init__(self, profile: Profile, course: Course) -> None:
        self.profile, self.course, self.g = profile, course, course.guidelines
        self.rules = rules_for(profile, self.g, bool(gentle_flags(profile, course)))

    def options(self, p: Pick, waited: bool) -> list[Pick]:
        """Gentle growth first; a step up the chain when growth has run out (or has had no
        room for a few weeks), with a set fewer so it fits where the old dose did."""
        if p.ex.category == "stretch":
            return self.stretch(p)
        grown = self.grow(p)
        out = [grown] if grown is not None else []
        if grown is None or waited:
            step = self.step_up(p)
            if step is not None:
                out.append(step)
        return out

    def stretch(self, p: Pick) -> list[Pick]:
        pr, b = self.g.progression, self.g.dose_bounds[p.ex.category]
        if p.hold_s is None:  # a mobility move: a couple more repetitions
            if p.reps is not None and "reps" in b and p.reps < b["reps"].high:
                return [replace(p, reps=min(b["reps"].high, p.reps + _reps_step(pr)))]
            return []
        cap = min(b["hold_s"].high, pr["hold_target_s"])
        if p.hold_s >= cap:
            return []
        step = min(pr["hold_step_s"], pr["max_hold_s_a_week"])
        longer = replace(p, hold_s=min(cap, p.hold_s + step))
        out = [longer]
        if p.reps is not None and p.reps > b["reps"].low:
            out.append(replace(longer, reps=p.reps - 1))  # hold instead of repetitions
        return out

    def grow(self, p: Pick) -> Pick | None:
        """Repetitions, then the hold, then a set; None at the top."""
        pr, b = self.g.progression, self.g.dose_bounds[p.ex.category]
        if p.reps is not None and "reps" in b and p.reps < b["reps"].high:
            return replace(p, reps=min(b["reps"].high, p.reps + _reps_step(pr)))
        if p.hold_s is not None and p.hold_s >= pr["hold_step_s"] and "hold_s" in b:
            # (a hold shorter than one step is a pause at the top, not a hold to build)
            cap = min(b["hold_s"].high, pr["hold_target_s"])
            if p.hold_s < cap:
                step = min(pr["hold_step_s"], pr["max_hold_s_a_week"])
                return replace(p, hold_s=min(cap, p.hold_s + step))
        high = min(self.rules.max_sets, b["sets"].high) if "sets" in b else p.sets
        if p.phase == "main" and p.sets < high:
            more = replace(p, sets=p.sets + min(1, pr["max_sets_a_week"]))
            if more.reps is not None:  # a new set starts a little lower and builds again
                more.reps = max(b["reps"].low, more.reps - 2 * pr["max_reps_a_week"])
            return more
        return None

    def step_up(self, p: Pick) -> Pick | None:
        """The next exercise of the chain, with a set fewer, when it suits the learner."""
        nxt = self.course.exercises.get(p.ex.progression or "")
        if nxt is None or not is_allowed(nxt, self.profile, self.rules):
            return None
        step = start_dose(nxt, self.profile, self.rules, self.g, p.phase)
        fewer = max(1, p.sets - self.g.progression["step_up_fewer_sets"])
        step.sets = min(step.sets, fewer)
        step.reason = f"The next step after {p.ex.name}, now that it has become comfortable."
        return step


def _reps_step(pr: Mapping[str, int]) -> int:
    """Repetitions added in a week: the gentle end of NHS Inform's "one or two", so that
    growth lasts the twelve weeks; never more than the weekly limit."""
    return max(1, min(pr["add_reps"], pr["max_reps_a_week"]))


def _change_words(old: Pick, new: Pick) -> str:
    if new.ex is not old.ex:
        return f"Step up: {old.ex.name} becomes {new.ex.name} ({_dose_words(new)})."
    return f"{new.ex.name}: {_dose_words(old)} becomes {_dose_words(new)}."


def _from_prescription(p: Prescription) -> Pick:
    return Pick(p.exercise, p.phase, p.sets, p.reps, p.hold_s, p.rest_s, p.duration_min, p.reason)


def _dose_words(p: Pick) -> str:
    if p.minutes is not None:
        return f"{p.minutes} min"
    words = f"{p.sets} x {p.reps}" if p.reps is not None else f"{p.sets} x"
    if p.hold_s:
        words += f", hold {p.hold_s} s"
    return words
