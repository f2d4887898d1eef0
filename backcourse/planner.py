"""Turn a learner's answers into a safe routine for today and a plan for the weeks ahead.

The rules, in order of priority:

1. Any red flag stops here (``RedFlagStop``): no routine, only advice.
2. Only exercises the learner can get into, has the equipment for, and that suit the stage
   of their episode (a recent or severe one gets gentle mobility and activation only).
3. Doses stay inside the bounds of guidelines.yaml; the session never runs over the time
   given, and uses most of it where the safe options allow.
4. The main block covers the glutes, the deep and outer core and the back extensors; the
   cool-down stretches the lower back and hips.

Every number comes from course_data/guidelines.yaml. Same profile, same routine.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace

from .errors import ProfileError, RedFlagStop
from .model import Course, Exercise, Guidelines, Plan, PlanWeek, Prescription, Profile, Routine
from .safety import screen

# The order a session moves through positions: on your feet first, then down to the floor,
# so the learner gets down once and up once.
POSITION_FLOW = ("standing", "seated", "kneeling", "all_fours", "prone", "side_lying", "supine")
MAIN_CATEGORIES = ("activation", "strength")


@dataclass(frozen=True)
class Rules:
    """What a profile allows, derived from its answers and guidelines.yaml."""

    stage: str  # recent | settling | persistent
    gentle: bool  # recent or severe: gentle mobility and activation only
    categories: frozenset[str]
    max_difficulty: int
    target_difficulty: int
    loaded: bool  # external weights allowed
    high_impact: bool
    max_sets: int


def rules_for(profile: Profile, g: Guidelines) -> Rules:
    """Derive what the routine may contain from the learner's pain, stage and experience."""
    st = g.stages
    weeks, pain = profile.weeks_since_onset, profile.pain_now
    stage = (
        "recent"
        if weeks < st["acute_weeks"]
        else "persistent"
        if weeks >= st["chronic_weeks"]
        else "settling"
    )
    severe = pain >= st["severe_pain"]
    gentle = stage == "recent" or severe
    max_difficulty = 1 if severe else 2 if (gentle or pain >= st["moderate_pain"]) else 3
    if profile.experience == "beginner":
        max_difficulty = min(max_difficulty, 2)
    target = {"beginner": 1, "intermediate": 2, "advanced": 3}[profile.experience]
    categories = {"stretch", "activation", "aerobic"} | (set() if gentle else {"strength"})
    max_sets = g.bounds("strength", "sets").high if g.bounds("strength", "sets") else 1
    if profile.experience == "beginner":
        max_sets = min(max_sets, g.start["beginner_max_sets"])
    if gentle:
        max_sets = min(max_sets, g.start["gentle_max_sets"])
    return Rules(
        stage=stage,
        gentle=gentle,
        categories=frozenset(categories),
        max_difficulty=max_difficulty,
        target_difficulty=min(target, max_difficulty),
        loaded=not gentle and pain < st["moderate_pain"] and profile.experience != "beginner",
        high_impact=not gentle and pain <= st["high_impact_pain"],
        max_sets=max_sets,
    )


# Why an exercise can be ruled out, in the words a learner reads (see why_not).
_RULED_OUT = {
    "impact": "high-impact activity waits until the pain has settled",
    "category": "strengthening waits until the episode has settled; start with activation",
    "difficulty": "it is harder than suits your pain and experience right now",
    "loaded": "adding weights waits until you are used to the movement and pain is low",
}


def _ruled_out(ex: Exercise, profile: Profile, rules: Rules) -> tuple[str, list[str]] | None:
    """The one list of exclusion rules: (which rule, what is missing), or None if allowed."""
    missing = [p for p in ex.positions if p not in profile.positions]
    if missing:
        return "positions", missing
    missing = [e for e in ex.equipment if e not in profile.equipment]
    if missing:
        return "equipment", missing
    if ex.impact == "high" and not rules.high_impact:
        return "impact", []
    if ex.category not in rules.categories:
        return "category", []
    if ex.difficulty > rules.max_difficulty:
        return "difficulty", []
    if ex.loaded and not rules.loaded:
        return "loaded", []
    return None


def _allowed(ex: Exercise, profile: Profile, rules: Rules) -> bool:
    return _ruled_out(ex, profile, rules) is None


def why_not(exercise: Exercise, profile: Profile, course: Course) -> str | None:
    """Why an exercise is left out for this learner, in plain words; None when it is allowed."""
    g = course.guidelines
    found = _ruled_out(exercise, profile, rules_for(profile, g))
    if found is None:
        return None
    rule, missing = found
    if rule == "positions":
        return "it needs you " + " and ".join(g.label("positions", p) for p in missing)
    if rule == "equipment":
        return "it needs " + " and ".join(g.label("equipment", e) for e in missing)
    return _RULED_OUT[rule]


def check_profile(profile: Profile, course: Course) -> None:
    """Check the ids a profile names exist in this course (ProfileError otherwise)."""
    if not isinstance(profile, Profile):
        raise ProfileError("profile", f"expected a Profile, got {type(profile).__name__}")
    equipment = course.guidelines.labels.get("equipment", {})
    unknown = sorted(profile.equipment - set(equipment))
    if unknown:
        raise ProfileError(
            "equipment", f"unknown {', '.join(unknown)}; choose from {', '.join(equipment)}"
        )
    unknown = sorted(profile.red_flags - set(course.red_flags))
    if unknown:
        raise ProfileError("red_flags", f"unknown red flag {', '.join(unknown)}")


# --------------------------------------------------------------------------- doses and time


@dataclass
class _Pick:
    """A prescription being built (mutable while the planner fits the time)."""

    ex: Exercise
    phase: str
    sets: int = 1
    reps: int | None = None
    hold_s: int | None = None
    rest_s: int = 0
    minutes: int | None = None  # aerobic only
    reason: str = ""


def _start_dose(ex: Exercise, profile: Profile, rules: Rules, g: Guidelines, phase: str) -> _Pick:
    """The first-week dose: the source's dose, eased for a gentle stage, inside the bounds."""
    d, s = ex.dose, g.start
    pick = _Pick(ex, phase)
    bounds = g.dose_bounds.get(ex.category, {})
    sets = s[f"sets_{profile.experience}"]
    if rules.gentle or phase != "main":
        sets = 1
    pick.sets = _clamp(bounds.get("sets"), min(sets, rules.max_sets))
    if d.reps is not None:
        reps = math.ceil(d.reps * s["gentle_reps_pct"] / 100) if rules.gentle else d.reps
        pick.reps = _clamp(bounds.get("reps"), reps)
    elif d.hold_s is None and "reps" in bounds:
        pick.reps = bounds["reps"].low
    if d.hold_s is not None:
        hold = round(d.hold_s * s["gentle_hold_pct"] / 100) if rules.gentle else d.hold_s
        pick.hold_s = _clamp(bounds.get("hold_s"), hold)
    rest = d.rest_s if d.rest_s is not None else (bounds["rest_s"].low if "rest_s" in bounds else 0)
    pick.rest_s = _clamp(bounds.get("rest_s"), rest)
    return pick


def _doses_to_try(ex: Exercise, profile: Profile, rules: Rules, g: Guidelines, phase: str):
    """The start dose, then the smallest dose in bounds, for when time is short."""
    first = _start_dose(ex, profile, rules, g, phase)
    yield first
    b = g.dose_bounds.get(ex.category, {})
    small = replace(first, sets=b["sets"].low if "sets" in b else 1)
    if small.reps is not None and "reps" in b:
        small.reps = b["reps"].low
    if small.hold_s is not None and "hold_s" in b:
        small.hold_s = b["hold_s"].low
    if small != first:
        yield small


def _clamp(bounds: object, value: int) -> int:
    return bounds.clamp(value) if bounds is not None else value  # type: ignore[attr-defined]


def _work_seconds(p: _Pick, g: Guidelines) -> int:
    """Seconds for one item, without getting into position."""
    t = g.timing
    if p.minutes is not None:
        return p.minutes * 60 + t["between_exercises_s"]
    rep = p.ex.rep_s or t["rep_s"]
    hold = p.hold_s or 0
    per_set = p.reps * (rep + hold) if p.reps else rep + hold
    sides = 2 if p.ex.per_side else 1
    work = p.sets * sides * per_set
    side_changes = p.sets * t["change_of_side_s"] if p.ex.per_side else 0
    rests = (p.sets - 1) * p.rest_s
    return work + side_changes + rests + t["between_exercises_s"]


def _ordered(picks: Iterable[_Pick]) -> list[_Pick]:
    """Warm-up, main, cool-down; within a phase, on your feet first, then the floor."""
    phase_order = {"warm_up": 0, "main": 1, "cool_down": 2}
    flow = {p: i for i, p in enumerate(POSITION_FLOW)}

    def key(p: _Pick) -> tuple[int, int, int, str]:
        aerobic_last = 1 if (p.phase == "main" and p.minutes is not None) else 0
        return (phase_order[p.phase], aerobic_last, flow.get(p.ex.position, 0), p.ex.id)

    return sorted(picks, key=key)


def _seconds_each(picks: Iterable[_Pick], g: Guidelines) -> list[tuple[_Pick, int]]:
    """Each item's seconds, including getting into its position from the one before."""
    out, where = [], "standing"
    for p in _ordered(picks):
        sec = _work_seconds(p, g)
        if p.ex.position != where:
            sec += g.timing["change_of_position_s"]
            where = p.ex.position
        out.append((p, sec))
    return out


def _total(picks: Iterable[_Pick], g: Guidelines) -> int:
    return sum(sec for _, sec in _seconds_each(picks, g))


# --------------------------------------------------------------------------- choosing


def _targets_hit(ex: Exercise, targets: dict[str, tuple[str, ...]], primary_only: bool) -> set[str]:
    muscles = set(ex.muscles if primary_only else ex.all_muscles)
    return {t for t, ms in targets.items() if muscles & set(ms)}


def _rank(ex: Exercise, rules: Rules, new_targets: int, prefer: Collection[str]) -> tuple:
    """Sort key: preferred first, then most new targets, then closest to the right level."""
    return (
        ex.id not in prefer,
        -new_targets,
        abs(ex.difficulty - rules.target_difficulty),
        len(ex.equipment),
        ex.id,
    )


def _aerobic_minutes(profile: Profile, g: Guidelines) -> int:
    t = g.timing
    share = round(profile.minutes_per_session * t["warm_up_share_pct"] / 100)
    return max(t["warm_up_min_minutes"], min(t["warm_up_full_minutes"], share))


def build_routine(
    profile: Profile,
    course: Course | None = None,
    *,
    exclude: Collection[str] = (),
    prefer: Collection[str] = (),
) -> Routine:
    """Build today's routine for a learner.

    Parameters
    ----------
    profile
        The learner's answers.
    course
        The loaded course; the bundled one when omitted.
    exclude
        Exercise ids to leave out (e.g. one the learner swapped away).
    prefer
        Exercise ids to choose first when they are allowed and fit.

    Raises
    ------
    RedFlagStop
        When any red flag is set: the routine is replaced by advice.
    ProfileError
        When the profile names equipment or flags this course does not know.
    """
    if course is None:
        from .catalog import load_course

        course = load_course()
    check_profile(profile, course)
    if profile.red_flags:
        result = screen(set(profile.red_flags), course)
        raise RedFlagStop(result.flags, result.advice)
    return _Session(profile, course, exclude, prefer).build()


class _Session:
    """One routine being built: what is allowed, what is chosen so far, and the time left."""

    def __init__(
        self, profile: Profile, course: Course, exclude: Collection[str], prefer: Collection[str]
    ) -> None:
        self.profile, self.course, self.prefer = profile, course, prefer
        self.g = g = course.guidelines
        self.rules = rules_for(profile, g)
        self.budget = profile.minutes_per_session * 60
        self.pool = sorted(
            (
                e
                for e in course.exercises.values()
                if e.id not in exclude and _allowed(e, profile, self.rules)
            ),
            key=lambda e: e.id,
        )
        self.picks: list[_Pick] = []
        self.used: set[str] = set()
        self.notes: list[str] = [_stage_note(profile, self.rules, g)]
        self.main_targets = dict(g.coverage["main"])
        self.cool_targets = dict(g.coverage["cool_down"])

    # ---- small pieces

    def of(self, *categories: str) -> list[Exercise]:
        return [e for e in self.pool if e.category in categories]

    def dose(self, ex: Exercise, phase: str) -> _Pick:
        return _start_dose(ex, self.profile, self.rules, self.g, phase)

    def rank(self, ex: Exercise, targets: dict | None = None) -> tuple:
        hits = len(_targets_hit(ex, targets, False)) if targets else 0
        return _rank(ex, self.rules, hits, self.prefer)

    def total(self) -> int:
        return _total(self.picks, self.g)

    def fits(self, extra: Sequence[_Pick] = ()) -> bool:
        return _total([*self.picks, *extra], self.g) <= self.budget

    def add(self, p: _Pick, covers_new: bool = False) -> bool:
        # One step of a chain per session (a plank and a knee plank teach the same thing),
        # unless the step is the only way to cover a target.
        neighbours = {p.ex.regression, p.ex.progression} - {None}
        if p.ex.id in self.used or (neighbours & self.used and not covers_new):
            return False
        if not self.fits([p]):
            return False
        self.picks.append(p)
        self.used.add(p.ex.id)
        return True

    def repeats(self, ex: Exercise) -> bool:
        """True when every main muscle of ``ex`` is already the main job of two chosen items:
        a third exercise for the same muscle adds length, not balance."""
        trained = [m for p in self.picks if p.phase == "main" for m in p.ex.muscles]
        return all(trained.count(m) >= 2 for m in ex.muscles)

    def count(self, phase: str) -> int:
        return sum(p.phase == phase for p in self.picks)

    # ---- the steps

    def build(self) -> Routine:
        start = self.g.start
        self.warm_up()
        stretches, main = self.of("stretch"), self.of(*MAIN_CATEGORIES)
        # Reserve one cool-down stretch, cover the main targets, then finish the cool-down.
        cooled = self.cover(stretches, self.cool_targets, "cool_down", 1)
        self.cover(main, self.main_targets, "main", start["max_main_exercises"])
        self.cover(
            stretches, self.cool_targets, "cool_down", start["cool_down_max_stretches"] - cooled
        )
        self.fill()
        return self.finish()

    def warm_up(self) -> None:
        """Easy low-impact cardio; gentle mobility when none suits the positions."""
        warm = sorted(self.of("aerobic"), key=self.rank)
        if warm:
            minutes = _aerobic_minutes(self.profile, self.g)
            self.add(
                _Pick(warm[0], "warm_up", minutes=minutes, reason=_warm_reason(warm[0], minutes))
            )
            return
        # Gentle mobility, leaving at least one stretch for the cool-down.
        stretches = self.of("stretch")
        mobility = [e for e in stretches if e.difficulty == 1] if len(stretches) >= 2 else []
        if not mobility:
            self.notes.append(
                "No warm-up activity suits the positions you chose: do the first exercise "
                "slowly, with a smaller range, as your warm-up."
            )
            return
        mobility.sort(key=lambda e: self.rank(e, self.cool_targets))
        p = self.dose(mobility[0], "warm_up")
        p.reason = (
            "Gentle movement to warm up, because the easy cardio warm-ups need "
            "positions you did not choose."
        )
        self.add(p)
        self.notes.append(
            "No easy cardio suits the positions you chose, so the warm-up is gentle mobility."
        )

    def cover(self, candidates: list[Exercise], targets: dict, phase: str, limit: int) -> int:
        """Greedily add exercises that cover targets not yet covered; return how many."""
        added = 0
        covered: set[str] = set()
        for p in self.picks:
            if p.phase == phase:
                covered |= _targets_hit(p.ex, targets, False)
        while added < limit:
            open_targets = {t: m for t, m in targets.items() if t not in covered}
            scored = []
            for ex in candidates:
                if ex.id in self.used:
                    continue
                primary = _targets_hit(ex, open_targets, True)
                hit = primary or _targets_hit(ex, open_targets, False)
                if hit or ex.id in self.prefer:
                    # An exercise that trains the target as its main job first, then the
                    # right level, then most new targets per minute (a short session should
                    # not spend its time on one long exercise).
                    seconds = _work_seconds(self.dose(ex, phase), self.g)
                    key = (
                        ex.id not in self.prefer,
                        not primary,
                        abs(ex.difficulty - self.rules.target_difficulty),
                        -round(len(hit) * 60 / seconds, 3),
                        ex.id,
                    )
                    scored.append((key, ex, hit))
            scored.sort(key=lambda s: s[0])
            for _, ex, hit in scored:
                tries = _doses_to_try(ex, self.profile, self.rules, self.g, phase)
                if any(self.add(p, True) for p in tries):
                    covered |= hit
                    added += 1
                    break
            else:
                return added
        return added

    def fill(self) -> None:
        """Grow the routine towards the time given without ever going over it."""
        g, rules, bounds = self.g, self.rules, self.g.dose_bounds
        # Aim half a minute past the minimum share, so rounding never lands just below it;
        # exercises fill only up to the growth room, so the plan has time to grow into.
        target = self.budget * g.timing["fill_fraction_pct"] / 100 + 30
        room = self.budget * g.timing["growth_room_pct"] / 100

        def short() -> bool:
            return self.total() < target

        # a. more main exercises, those covering most targets first
        for ex in sorted(self.of(*MAIN_CATEGORIES), key=lambda e: self.rank(e, self.main_targets)):
            if not short() or self.count("main") >= g.start["max_main_exercises"]:
                break
            if self.repeats(ex):
                continue
            if self.add(self.dose(ex, "main")) and self.total() > room:
                self.picks.pop()
                self.used.discard(ex.id)
        # b. more sets, round-robin over the main block
        grown = True
        while short() and grown:
            grown = False
            for p in [p for p in self.picks if p.phase == "main" and p.minutes is None]:
                if p.sets < min(rules.max_sets, bounds[p.ex.category]["sets"].high):
                    p.sets += 1
                    if self.fits() and self.total() <= room:
                        grown = True
                    else:
                        p.sets -= 1
        # c. a longer warm-up, up to its maximum
        for p in self.picks:
            if p.phase == "warm_up" and p.minutes is not None:
                self.stretch_minutes(p, g.timing["warm_up_max_minutes"], short)
                p.reason = _warm_reason(p.ex, p.minutes)
        # d. a block of low-impact aerobic work with the time that is left
        aerobic = [e for e in self.of("aerobic") if e.id not in self.used]
        aerobic = aerobic or [p.ex for p in self.picks if p.ex.category == "aerobic"]
        if short() and aerobic:
            ex = sorted(aerobic, key=self.rank)[0]
            b = bounds["aerobic"]["minutes"]
            cap = min(b.high, g.start["gentle_aerobic_max_minutes"]) if rules.gentle else b.high
            block = _Pick(ex, "main", minutes=b.low)
            if self.fits([block]):
                self.picks.append(block)
                self.stretch_minutes(block, cap, lambda: True)
                block.reason = (
                    f"{block.minutes} minutes of low-impact aerobic work: staying active speeds "
                    "recovery, and aerobic exercise is one of the three parts of back care."
                )
        # e. more cool-down stretches, then a second set of each
        for ex in sorted(self.of("stretch"), key=lambda e: self.rank(e, self.cool_targets)):
            if not short() or self.count("cool_down") >= g.start["cool_down_max_stretches"]:
                break
            self.add(self.dose(ex, "cool_down"))
        for p in [p for p in self.picks if p.phase == "cool_down"]:
            if short() and p.sets < bounds["stretch"]["sets"].high:
                p.sets += 1
                if not self.fits():
                    p.sets -= 1

    def stretch_minutes(self, p: _Pick, cap: int, wanted: Callable[[], bool]) -> None:
        """Lengthen an aerobic item a minute at a time while wanted, up to cap, if it fits."""
        while wanted() and p.minutes is not None and p.minutes < cap:
            p.minutes += 1
            if not self.fits():
                p.minutes -= 1
                return

    def finish(self) -> Routine:
        g, profile = self.g, self.profile
        main_picks = [p for p in self.picks if p.phase == "main"]
        missing = [
            t
            for t, muscles in self.main_targets.items()
            if not any(_targets_hit(p.ex, {t: muscles}, False) for p in main_picks)
        ]
        if missing:
            names = ", ".join(g.label("coverage", t) for t in missing)
            self.notes.append(
                f"Nothing that suits your answers and time trains your {names}; a "
                "physiotherapist can suggest an alternative."
            )
        items = _finish(self.picks, self.course)
        minutes = round(sum(p.minutes for p in items), 2)
        if not items:
            self.notes.append(
                "None of the course's exercises suits the positions, equipment and pain you "
                "gave. A physiotherapist can plan a safe start with you."
            )
        elif minutes * 60 < self.budget * g.timing["fill_fraction_pct"] / 100:
            self.notes.append(
                f"This routine takes about {math.ceil(minutes)} of your "
                f"{profile.minutes_per_session} minutes: the exercises that suit you now are done "
                "sooner. An easy walk is a good way to use the rest, if you can."
            )
        return Routine(profile, items, minutes, self.rules.stage, tuple(self.notes), self.course)


def _finish(picks: list[_Pick], course: Course) -> tuple[Prescription, ...]:
    g = course.guidelines
    main_targets = dict(g.coverage["main"])
    items = []
    covered: set[str] = set()
    for p, sec in _seconds_each(picks, g):
        reason = p.reason
        if not reason:
            new = _targets_hit(p.ex, main_targets, True) - covered
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


def _reason(p: _Pick, new_targets: set[str], course: Course) -> str:
    g = course.guidelines
    level = g.label("difficulty", str(p.ex.difficulty))
    if p.phase == "cool_down":
        where = _plain_list(
            [
                g.label("coverage", t)
                for t in sorted(_targets_hit(p.ex, dict(g.coverage["cool_down"]), False))
            ]
            or ["back and hips"]
        )
        return f"A cool-down stretch for your {where}: ease in and hold, never bounce."
    if new_targets:
        what = _plain_list([g.label("coverage", t) for t in sorted(new_targets)])
        return f"Works your {what}, at a {level} level that suits you now."
    muscles = [course.muscles[m].plain_name.lower() for m in p.ex.muscles]
    return f"Adds more {level} work for your {_plain_list(muscles)}."


def _warm_reason(ex: Exercise, minutes: int) -> str:
    return (
        f"Warms you up: {minutes} minutes of easy {ex.name.lower()} gets the blood flowing "
        "and loosens your back before the exercises."
    )


def _stage_note(profile: Profile, rules: Rules, g: Guidelines) -> str:
    stage = g.label("stages", rules.stage)
    if rules.gentle:
        return (
            f"Your pain is {profile.pain_now}/10 in {stage}, so this routine keeps to gentle "
            "mobility and activation, with fewer repetitions and shorter holds."
        )
    return (
        f"Your pain is {profile.pain_now}/10 in {stage}, so this routine adds strengthening "
        "to mobility and activation."
    )


# --------------------------------------------------------------------------- swaps


def alternatives(routine: Routine, index: int) -> tuple[Exercise, ...]:
    """Exercises that could replace ``routine.items[index]``: allowed, same phase, same muscles.

    Ordered by how many target muscles they share with the exercise they replace.
    """
    item = routine.items[index]
    course, profile = routine.course, routine.profile
    rules = rules_for(profile, course.guidelines)
    in_use = {p.exercise.id for p in routine.items}
    old = set(item.exercise.all_muscles)
    if item.phase == "main" and item.exercise.category != "aerobic":
        categories = set(MAIN_CATEGORIES)
    else:
        categories = {item.exercise.category}
    found = [
        e
        for e in course.exercises.values()
        if e.id not in in_use
        and e.category in categories
        and _allowed(e, profile, rules)
        and (old & set(e.all_muscles) or e.category == "aerobic")
    ]
    found.sort(key=lambda e: (-len(old & set(e.all_muscles)), e.difficulty, e.id))
    return tuple(found)


def swap(routine: Routine, index: int, exercise_id: str, exclude: Collection[str] = ()) -> Routine:
    """Rebuild the routine with ``items[index]`` replaced by ``exercise_id``.

    The rebuilt routine keeps every rule (time, doses, safety): the replaced exercise is left
    out and the new one is chosen first.
    """
    old = routine.items[index].exercise.id
    allowed = {e.id for e in alternatives(routine, index)}
    if exercise_id not in allowed:
        raise ProfileError("swap", f"{exercise_id!r} is not a suitable replacement for {old!r}")
    return build_routine(
        routine.profile, routine.course, exclude={*exclude, old}, prefer={exercise_id}
    )


# --------------------------------------------------------------------------- the plan


def plan_weeks(routine: Routine, weeks: int = 12) -> Plan:
    """Grow a routine week by week, the way the sources describe, always inside the time.

    Each week adds a repetition or two (every few days, while comfortable), lengthens holds
    towards their target, and adds a set when repetitions reach the top of their range.
    Growth that would not fit the time first borrows from the aerobic block, then waits.
    An exercise held at the same dose for a few weeks steps up to the next one in its chain.
    """
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= 52:
        raise ProfileError("weeks", f"expected a whole number of weeks from 1 to 52, got {weeks!r}")
    course, profile = routine.course, routine.profile
    g = course.guidelines
    rules = rules_for(profile, g)
    pr, budget = g.progression, profile.minutes_per_session * 60
    current = [_from_prescription(p) for p in routine.items]
    held = {p.ex.id: 0 for p in current}
    out = [PlanWeek(1, routine.items, routine.minutes, ("Start with the routine as built.",))]
    for week in range(2, weeks + 1):
        proposal = [_grow(p, g, rules) for p in current]
        _fit(proposal, current, budget, g)
        changes = []
        for i, (old, new) in enumerate(zip(current, proposal, strict=False)):
            if new.minutes is not None:
                continue
            if _dose_words(new) != _dose_words(old):
                held[new.ex.id] = 0
                changes.append(f"{new.ex.name}: {_dose_words(old)} becomes {_dose_words(new)}.")
                continue
            held[new.ex.id] = held.get(new.ex.id, 0) + 1
            step = _step_up(new, held[new.ex.id], proposal, profile, rules, course)
            if step is not None:
                trial = [*proposal[:i], step, *proposal[i + 1 :]]
                if _total(trial, g) <= budget:
                    proposal[i] = step
                    held[step.ex.id] = 0
                    changes.append(
                        f"Step up: {new.ex.name} becomes {step.ex.name} ({_dose_words(step)})."
                    )
        for old, new in zip(current, proposal, strict=False):
            if new.minutes is not None and old.minutes is not None and new.minutes != old.minutes:
                changes.append(f"{new.ex.name}: {old.minutes} min becomes {new.minutes} min.")
        current = proposal
        items = _finish(current, course)
        if not changes:
            changes = ["Keep the same doses this week; repeat them until they feel easy."]
        out.append(PlanWeek(week, items, round(sum(p.minutes for p in items), 2), tuple(changes)))
    step_back = (
        f"If pain rises by {pr['step_back_pain_rise']} points or more on the 0-10 scale, go back "
        "to the last week that felt comfortable and stay there until it settles. If it keeps "
        f"getting worse, or nothing has improved after {pr['review_after_weeks']} weeks, ask a "
        "doctor or physiotherapist."
    )
    return Plan(routine, tuple(out), step_back, profile.sessions_per_week)


def _grow(p: _Pick, g: Guidelines, rules: Rules) -> _Pick:
    """Next week's dose for one item: more reps, longer holds, or another set."""
    new = replace(p)
    if p.minutes is not None:
        return new
    pr, b = g.progression, g.dose_bounds[p.ex.category]
    steps = max(1, 7 // pr["every_days"])
    if p.reps is not None and "reps" in b:
        new.reps = min(b["reps"].high, p.reps + pr["add_reps"] * steps)
    if p.hold_s is not None and p.hold_s >= pr["hold_step_s"] and "hold_s" in b:
        # (a hold shorter than one step is a pause at the top, not a hold to build)
        cap = min(b["hold_s"].high, pr["hold_target_s"])
        new.hold_s = max(p.hold_s, min(cap, p.hold_s + pr["hold_step_s"]))
    at_top = (new.reps, new.hold_s) == (p.reps, p.hold_s)
    high_sets = min(rules.max_sets, b["sets"].high) if "sets" in b else p.sets
    if at_top and p.phase == "main" and p.sets < high_sets:
        new.sets = p.sets + 1
        if new.reps is not None:
            new.reps = max(b["reps"].low, p.reps - 2 * pr["add_reps"])  # type: ignore[operator]
    return new


def _fit(proposal: list[_Pick], current: list[_Pick], budget: int, g: Guidelines) -> None:
    """Make a week fit: shorten the aerobic block, then keep last week's dose, last items first."""
    low = g.dose_bounds["aerobic"]["minutes"].low
    for p in proposal:
        if p.phase == "main" and p.minutes is not None:
            while _total(proposal, g) > budget and p.minutes > low:
                p.minutes -= 1
    for i in reversed(range(len(proposal))):
        if _total(proposal, g) <= budget:
            return
        if proposal[i].minutes is None:
            proposal[i] = current[i]


def _step_up(
    p: _Pick, held: int, in_plan: list[_Pick], profile: Profile, rules: Rules, course: Course
) -> _Pick | None:
    """The next exercise of the chain, once this one has been held for a few weeks."""
    g = course.guidelines
    nxt = course.exercises.get(p.ex.progression or "")
    if nxt is None or held < g.progression["step_up_after_weeks"]:
        return None
    if nxt.id in {q.ex.id for q in in_plan} or not _allowed(nxt, profile, rules):
        return None
    step = _start_dose(nxt, profile, rules, g, p.phase)
    step.reason = f"The next step after {p.ex.name}, now that it has become comfortable."
    return step


def _from_prescription(p: Prescription) -> _Pick:
    return _Pick(p.exercise, p.phase, p.sets, p.reps, p.hold_s, p.rest_s, p.duration_min, p.reason)


def _dose_words(p: _Pick) -> str:
    if p.minutes is not None:
        return f"{p.minutes} min"
    words = f"{p.sets} x {p.reps}" if p.reps is not None else f"{p.sets} x"
    if p.hold_s:
        words += f", hold {p.hold_s} s"
    return words
