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
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from .errors import ProfileError, RedFlagStop
from .model import (
    Course,
    Exercise,
    Guidelines,
    Plan,
    PlanWeek,
    Prescription,
    Profile,
    RedFlag,
    Routine,
)
from .safety import screen

# The order a session moves through positions: on your feet first, then down to the floor,
# so the learner gets down once and up once.
POSITION_FLOW = ("standing", "seated", "kneeling", "all_fours", "prone", "side_lying", "supine")
MAIN_CATEGORIES = ("activation", "strength")
# The red-flag tier that allows a gentle routine (see red_flags.yaml).
GENTLE_TIER = "if_not_better"


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


def rules_for(profile: Profile, g: Guidelines, flagged: bool = False) -> Rules:
    """Derive what the routine may contain from the learner's pain, stage and experience.

    ``flagged``: a "see a GP or physiotherapist if it does not get better" warning sign was
    answered yes, which keeps the routine gentle whatever the pain and stage.
    """
    return _rules(profile.pain_now, profile.weeks_since_onset, profile.experience, g, flagged)


def _rules(pain: int, weeks: int, experience: str, g: Guidelines, flagged: bool) -> Rules:
    st = g.stages
    stage = (
        "recent"
        if weeks < st["acute_weeks"]
        else "persistent"
        if weeks >= st["chronic_weeks"]
        else "settling"
    )
    severe = pain >= st["severe_pain"]
    gentle = stage == "recent" or severe or flagged
    max_difficulty = 1 if severe else 2 if (gentle or pain >= st["moderate_pain"]) else 3
    if experience == "beginner":
        max_difficulty = min(max_difficulty, 2)
    target = {"beginner": 1, "intermediate": 2, "advanced": 3}[experience]
    categories = {"stretch", "activation", "aerobic"} | (set() if gentle else {"strength"})
    max_sets = g.bounds("strength", "sets").high if g.bounds("strength", "sets") else 1
    if experience == "beginner":
        max_sets = min(max_sets, g.start["beginner_max_sets"])
    if gentle:
        max_sets = min(max_sets, g.start["gentle_max_sets"])
    return Rules(
        stage=stage,
        gentle=gentle,
        categories=frozenset(categories),
        max_difficulty=max_difficulty,
        target_difficulty=min(target, max_difficulty),
        loaded=not gentle and pain < st["moderate_pain"] and experience != "beginner",
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


def _chain(ex: Exercise, course: Course) -> str:
    """The id of the easiest exercise of ex's regression/progression chain (its family)."""
    seen = {ex.id}
    while ex.regression and ex.regression not in seen:
        ex = course.exercises[ex.regression]
        seen.add(ex.id)
    return ex.id


def gentle_flags(profile: Profile, course: Course) -> tuple[RedFlag, ...]:
    """The profile's warning signs of the "see a GP if it does not get better" tier."""
    return tuple(
        course.red_flags[f]
        for f in sorted(profile.red_flags)
        if f in course.red_flags and course.red_flags[f].tier == GENTLE_TIER
    )


def why_not(exercise: Exercise, profile: Profile, course: Course) -> str | None:
    """Why an exercise is left out for this learner, in plain words; None when it is allowed."""
    g = course.guidelines
    flagged = bool(gentle_flags(profile, course))
    found = _ruled_out(exercise, profile, rules_for(profile, g, flagged))
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
    order: tuple = ()  # where it goes in the session (set on creation; see _ordered)

    def __post_init__(self) -> None:
        phase_order = {"warm_up": 0, "main": 1, "cool_down": 2}
        aerobic_last = 1 if (self.phase == "main" and self.minutes is not None) else 0
        flow = POSITION_FLOW.index(self.ex.position) if self.ex.position in POSITION_FLOW else 0
        self.order = (phase_order[self.phase], aerobic_last, flow, self.ex.id)


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


def _doses_to_try(first: _Pick, g: Guidelines):
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


def _clamp(bounds: object, value: int) -> int:
    return bounds.clamp(value) if bounds is not None else value  # type: ignore[attr-defined]


def _work_seconds(p: _Pick, g: Guidelines) -> int:
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


def _ordered(picks: Iterable[_Pick]) -> list[_Pick]:
    """Warm-up, main, cool-down; within a phase, on your feet first, then the floor."""
    return sorted(picks, key=_order_of)


def _order_of(p: _Pick) -> tuple:
    return p.order


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
    """The session's seconds (the sum of _seconds_each, without building the list)."""
    total, where, move = 0, "standing", g.timing["change_of_position_s"]
    for p in sorted(picks, key=_order_of):
        total += _work_seconds(p, g)
        if p.ex.position != where:
            total += move
            where = p.ex.position
    return total


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
    flagged: tuple[RedFlag, ...] = ()
    if profile.red_flags:
        result = screen(set(profile.red_flags), course)
        if result.stops:
            raise RedFlagStop(result.flags, result.advice)
        flagged = result.if_not_better
    return _build(profile, course, frozenset(exclude), frozenset(prefer), flagged)


def _easier(profile: Profile, g: Guidelines, flagged: bool) -> Profile | None:
    """The same learner at the highest lower pain score whose rules differ, if any."""
    weeks, experience = profile.weeks_since_onset, profile.experience
    rules = _rules(profile.pain_now, weeks, experience, g, flagged)
    for pain in range(profile.pain_now - 1, -1, -1):
        if _rules(pain, weeks, experience, g, flagged) != rules:
            return replace(profile, pain_now=pain)
    return None


def _build(
    profile: Profile,
    course: Course,
    exclude: frozenset[str],
    prefer: frozenset[str],
    flagged: tuple[RedFlag, ...],
) -> Routine:
    """Build, then keep within what the same learner would get at a lower pain score."""
    return _choose(profile, course, exclude, prefer, flagged, {}).finish()


def _choose(
    profile: Profile,
    course: Course,
    exclude: frozenset[str],
    prefer: frozenset[str],
    flagged: tuple[RedFlag, ...],
    memo: dict,
) -> _Session:
    """The chosen exercises and doses, capped by those of a lower pain score (recursively)."""
    session = _Session(profile, course, exclude, prefer, flagged, memo)
    session.build()
    easier = _easier(profile, course.guidelines, bool(flagged))
    if easier is not None:
        session.cap(_choose(easier, course, exclude, prefer, flagged, memo).picks)
    return session


class _Session:
    """One routine being built: what is allowed, what is chosen so far, and the time left."""

    def __init__(
        self,
        profile: Profile,
        course: Course,
        exclude: Collection[str],
        prefer: Collection[str],
        flagged: tuple[RedFlag, ...] = (),
        memo: dict | None = None,
    ) -> None:
        self.profile, self.course, self.prefer = profile, course, prefer
        # Shared by the builds of one call (the learner at lower pain scores): which targets
        # each exercise trains, and each start dose with its seconds (keyed by what it
        # depends on, so builds with other rules never share a dose).
        self._memo: dict = {} if memo is None else memo
        self.g = g = course.guidelines
        self.rules = rules_for(profile, g, bool(flagged))
        self.budget = profile.minutes_per_session * 60
        key = ("pool", self.rules)
        pool = self._memo.get(key)
        if pool is None:  # (profile, exclude and course are the same for every build of a call)
            pool = self._memo[key] = sorted(
                (
                    e
                    for e in course.exercises.values()
                    if e.id not in exclude and _allowed(e, profile, self.rules)
                ),
                key=lambda e: e.id,
            )
        self.pool: list[Exercise] = pool
        self.picks: list[_Pick] = []
        self.used: set[str] = set()
        self.chains: set[str] = set()
        self.notes: list[str] = [_stage_note(profile, self.rules, g, bool(flagged))]
        if flagged:
            tier = course.red_flag_tiers[GENTLE_TIER]
            self.notes.append(f"{tier['title']}. {tier['advice']}")
            self.notes += [f"{f.label}: {f.action}" for f in flagged]
        self.main_targets = dict(g.coverage["main"])
        self.cool_targets = dict(g.coverage["cool_down"])

    # ---- small pieces

    def of(self, *categories: str) -> list[Exercise]:
        return [e for e in self.pool if e.category in categories]

    def dose(self, ex: Exercise, phase: str) -> _Pick:
        return replace(self._start(ex, phase)[0])

    def _start(self, ex: Exercise, phase: str) -> tuple[_Pick, int]:
        key = ("dose", ex.id, phase, self.rules.gentle, self.rules.max_sets)
        found = self._memo.get(key)
        if found is None:
            p = _start_dose(ex, self.profile, self.rules, self.g, phase)
            found = self._memo[key] = (p, _work_seconds(p, self.g))
        return found

    def hits(self, ex: Exercise, phase: str, primary_only: bool) -> frozenset[str]:
        """The coverage targets of a phase that ex trains (as its main job, or at all)."""
        key = ("hits", ex.id, phase, primary_only)
        found = self._memo.get(key)
        if found is None:
            targets = self.main_targets if phase == "main" else self.cool_targets
            found = self._memo[key] = frozenset(_targets_hit(ex, targets, primary_only))
        return found

    def rank(self, ex: Exercise, phase: str | None = None) -> tuple:
        hits = len(self.hits(ex, phase, False)) if phase else 0
        return _rank(ex, self.rules, hits, self.prefer)

    def total(self) -> int:
        return _total(self.picks, self.g)

    def fits(self, extra: Sequence[_Pick] = ()) -> bool:
        return _total([*self.picks, *extra], self.g) <= self.budget

    def add(self, p: _Pick, covers_new: bool = False) -> bool:
        # One step of a chain per session: a plank and a knee plank teach the same thing,
        # and the plan steps each family up one rung at a time.
        chain = _chain(p.ex, self.course)
        if p.ex.id in self.used or chain in self.chains:
            return False
        if not self.fits([p]):
            return False
        self.picks.append(p)
        self.used.add(p.ex.id)
        self.chains.add(chain)
        return True

    def drop(self, p: _Pick) -> None:
        self.picks.remove(p)
        if not any(q.ex.id == p.ex.id for q in self.picks):
            self.used.discard(p.ex.id)
            self.chains.discard(_chain(p.ex, self.course))

    def repeats(self, ex: Exercise) -> bool:
        """True when every main muscle of ``ex`` is already the main job of two chosen items:
        a third exercise for the same muscle adds length, not balance."""
        trained = [m for p in self.picks if p.phase == "main" for m in p.ex.muscles]
        return all(trained.count(m) >= 2 for m in ex.muscles)

    def count(self, phase: str) -> int:
        return sum(p.phase == phase for p in self.picks)

    # ---- the steps

    def build(self) -> None:
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

    def warm_up(self) -> None:
        """Easy aerobic work only (guidelines.yaml warm_up), the first one that suits."""
        allowed = {e.id for e in self.pool}
        for activity in self.g.warm_up:
            if activity in allowed:
                ex = self.course.exercises[activity]
                minutes = _aerobic_minutes(self.profile, self.g)
                b = self.g.bounds(ex.category, "minutes")
                minutes = _clamp(b, minutes)
                self.add(_Pick(ex, "warm_up", minutes=minutes, reason=_warm_reason(ex, minutes)))
                return
        self.notes.append(
            "No easy warm-up activity (walking, cycling or marching on the spot) suits the "
            "positions and equipment you chose: do the first exercise slowly, with a smaller "
            "range, as your warm-up."
        )

    def cap(self, easier: list[_Pick]) -> None:
        """Never more work than at a lower pain score: no more main-block sets in all, no
        harder exercise, and no exercise with more sets, repetitions or a longer hold."""
        hardest = max((p.ex.difficulty for p in easier), default=0)
        doses = {p.ex.id: p for p in easier if p.minutes is None}
        changed = False
        for p in [p for p in self.picks if p.ex.difficulty > hardest]:
            self.drop(p)
            changed = True
        for p in self.picks:
            ref = doses.get(p.ex.id)
            if ref is None or p.minutes is not None:
                continue
            before = (p.sets, p.reps, p.hold_s)
            p.sets = min(p.sets, ref.sets)
            if p.reps is not None and ref.reps is not None:
                p.reps = min(p.reps, ref.reps)
            if p.hold_s is not None and ref.hold_s is not None:
                p.hold_s = min(p.hold_s, ref.hold_s)
            changed |= before != (p.sets, p.reps, p.hold_s)
        allowed_sets = sum(p.sets for p in easier if p.phase == "main" and p.minutes is None)

        def main() -> list[_Pick]:
            return [p for p in self.picks if p.phase == "main" and p.minutes is None]

        while sum(p.sets for p in main()) > allowed_sets:
            changed = True
            several = [p for p in main() if p.sets > 1]
            if several:
                several[-1].sets -= 1
            else:
                self.drop(main()[-1])
        if changed:
            self.walk_the_rest(hardest)
            self.notes.append(
                f"At {self.profile.pain_now}/10 the routine does no more than it would at a "
                "lower pain score: more pain never means more work. Spare time goes to easy "
                "walking."
            )

    def walk_the_rest(self, hardest: int) -> None:
        """Spend spare time on easy walking (or cycling): a block of it in the main part,
        or, when a block does not fit, a longer warm-up of the same easy activity."""
        g, bounds = self.g, self.g.dose_bounds
        target = self.budget * g.timing["fill_fraction_pct"] / 100 + 30
        blocks = [p for p in self.picks if p.phase == "main" and p.minutes is not None]
        if not blocks:
            easy = [
                e for e in self._aerobic_choices() if e.id in g.warm_up and e.difficulty <= hardest
            ]
            block = (
                _Pick(easy[0], "main", minutes=bounds["aerobic"]["minutes"].low) if easy else None
            )
            if block is not None and self.fits([block]):
                self.picks.append(block)
                self.used.add(block.ex.id)
                blocks = [block]
        if blocks:
            self.stretch_minutes(blocks[0], self._aerobic_cap(), target)
            blocks[0].reason = _block_reason(blocks[0])
            return
        self._lengthen_warm_up(target)

    def _lengthen_warm_up(self, target: float) -> None:
        """Let the warm-up grow towards its maximum, within the time target."""
        g = self.g
        for p in self.picks:
            if p.phase == "warm_up" and p.minutes is not None:
                top = g.timing["warm_up_max_minutes"]
                b = g.bounds(p.ex.category, "minutes")
                self.stretch_minutes(p, min(top, b.high) if b else top, target)
                p.reason = _warm_reason(p.ex, p.minutes)

    def _aerobic_choices(self) -> list[Exercise]:
        """Aerobic activities, the easy warm-up ones (walking, cycling) first."""
        order = {a: i for i, a in enumerate(self.g.warm_up)}
        return sorted(self.of("aerobic"), key=lambda e: (order.get(e.id, len(order)), self.rank(e)))

    def _aerobic_cap(self) -> int:
        b = self.g.dose_bounds["aerobic"]["minutes"]
        return (
            min(b.high, self.g.start["gentle_aerobic_max_minutes"]) if self.rules.gentle else b.high
        )

    def cover(self, candidates: list[Exercise], targets: dict, phase: str, limit: int) -> int:
        """Greedily add exercises that cover targets not yet covered; return how many."""
        added = 0
        covered: set[str] = set()
        for p in self.picks:
            if p.phase == phase:
                covered |= self.hits(p.ex, phase, False)
        # What each candidate trains and how long its start dose takes do not change while
        # this phase is being covered: work them out once.
        level = self.rules.target_difficulty
        facts = [
            (
                ex,
                self.hits(ex, phase, True),
                self.hits(ex, phase, False),
                self._start(ex, phase)[1],
                ex.id in self.prefer,
                abs(ex.difficulty - level),
            )
            for ex in candidates
        ]
        while added < limit:
            open_targets = set(targets) - covered
            scored = []
            for ex, primary_all, every, seconds, preferred, distance in facts:
                if ex.id in self.used:
                    continue
                primary = primary_all & open_targets
                hit = primary or (every & open_targets)
                if hit or preferred:
                    # An exercise that trains the target as its main job first, then the
                    # right level, then most new targets per minute (a short session should
                    # not spend its time on one long exercise).
                    key = (
                        not preferred,
                        not primary,
                        distance,
                        -round(len(hit) * 60 / seconds, 3),
                        ex.id,
                    )
                    scored.append((key, ex, hit))
            scored.sort(key=lambda s: s[0])
            for _, ex, hit in scored:
                tries = _doses_to_try(self.dose(ex, phase), self.g)
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
        for ex in sorted(self.of(*MAIN_CATEGORIES), key=lambda e: self.rank(e, "main")):
            if not short() or self.count("main") >= g.start["max_main_exercises"]:
                break
            if self.repeats(ex):
                continue
            if self.add(self.dose(ex, "main")) and self.total() > room:
                self.drop(self.picks[-1])
        # b. more sets, round-robin over the main block (a dose change moves the total by
        # the change in that item's own seconds)
        total, limit = self.total(), min(self.budget, room)
        grown = True
        while total < target and grown:
            grown = False
            for p in [p for p in self.picks if p.phase == "main" and p.minutes is None]:
                if p.sets < min(rules.max_sets, bounds[p.ex.category]["sets"].high):
                    before = _work_seconds(p, g)
                    p.sets += 1
                    after = total - before + _work_seconds(p, g)
                    if after <= limit:
                        total, grown = after, True
                    else:
                        p.sets -= 1
        # c. a longer warm-up, up to its maximum
        self._lengthen_warm_up(target)
        # d. a block of low-impact aerobic work (easy walking first) with the time left
        aerobic = [e for e in self._aerobic_choices() if e.id not in self.used]
        aerobic = aerobic or [p.ex for p in self.picks if p.ex.category == "aerobic"]
        if short() and aerobic:
            ex = aerobic[0]
            b = bounds["aerobic"]["minutes"]
            block = _Pick(ex, "main", minutes=b.low)
            if self.fits([block]):
                self.picks.append(block)
                self.used.add(ex.id)
                self.stretch_minutes(block, self._aerobic_cap())
                block.reason = _block_reason(block)
        # e. more cool-down stretches, then a second set of each
        for ex in sorted(self.of("stretch"), key=lambda e: self.rank(e, "cool_down")):
            if not short() or self.count("cool_down") >= g.start["cool_down_max_stretches"]:
                break
            self.add(self.dose(ex, "cool_down"))
        for p in [p for p in self.picks if p.phase == "cool_down"]:
            if short() and p.sets < bounds["stretch"]["sets"].high:
                p.sets += 1
                if not self.fits():
                    p.sets -= 1

    def stretch_minutes(self, p: _Pick, cap: int, target: float | None = None) -> None:
        """Lengthen an item dosed in minutes, up to cap, while it fits and, when a target is
        given, until the session reaches it (each minute adds exactly 60 seconds)."""
        if p.minutes is None or p.minutes >= cap:
            return
        total = self.total()
        more = (self.budget - total) // 60
        if target is not None:
            more = min(more, math.ceil((target - total) / 60))
        p.minutes += max(0, min(cap - p.minutes, more))

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
    if p.phase == "cool_down" and p.hold_s is None:
        return (
            "A cool-down mobility move for your lower back: move slowly through a comfortable "
            "range, a little further each time only if it feels fine."
        )
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


def _block_reason(block: _Pick) -> str:
    return (
        f"{block.minutes} minutes of easy, low-impact aerobic work: staying active speeds "
        "recovery, and aerobic exercise is one of the three parts of back care."
    )


def _warm_reason(ex: Exercise, minutes: int) -> str:
    return (
        f"Warms you up: {minutes} minutes of easy {ex.name.lower()} gets the blood flowing "
        "and loosens your back before the exercises."
    )


def _stage_note(profile: Profile, rules: Rules, g: Guidelines, flagged: bool = False) -> str:
    stage = g.label("stages", rules.stage)
    if (
        flagged
        and not _rules(
            profile.pain_now, profile.weeks_since_onset, profile.experience, g, False
        ).gentle
    ):
        return (
            f"Your pain is {profile.pain_now}/10 in {stage}. Because of the warning sign you "
            "reported, this routine keeps to gentle mobility and activation, one set of each, "
            "with fewer repetitions and shorter holds."
        )
    if rules.gentle:
        return (
            f"Your pain is {profile.pain_now}/10 in {stage}, so this routine keeps to gentle "
            "mobility and activation, one set of each, with fewer repetitions and shorter holds."
        )
    return (
        f"Your pain is {profile.pain_now}/10 in {stage}, so this routine adds strengthening "
        "to mobility and activation."
    )


# --------------------------------------------------------------------------- swaps


def alternatives(routine: Routine, index: int) -> tuple[Exercise, ...]:
    """Exercises that could replace ``routine.items[index]``: allowed, same phase, same muscles.

    Never one from the family (chain) of another exercise in the session. Ordered by how
    many target muscles they share with the exercise they replace.
    """
    item = routine.items[index]
    course, profile = routine.course, routine.profile
    rules = rules_for(profile, course.guidelines, bool(gentle_flags(profile, course)))
    in_use = {p.exercise.id for p in routine.items}
    families = {_chain(p.exercise, course) for i, p in enumerate(routine.items) if i != index}
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
        and (e.category == "aerobic" or _chain(e, course) not in families)
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

    From one week to the next an exercise gains at most a couple of repetitions, a few
    seconds of hold or one set (guidelines.yaml ``progression``): repetitions first (one a
    week), then the hold, then a set; at the top it steps up to the next exercise of its
    chain with a set fewer. A stretch lengthens its hold towards 30 s, done fewer times if
    time is short. The room the session has is spread over the weeks a change takes to
    show, and the exercises that have waited longest grow first; easy walking lends its
    minutes; and a dose that has had no room for a few weeks steps up the chain with fewer
    sets (volume traded for difficulty) instead of standing still.
    """
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
                low = min(p.minutes, max(low, _aerobic_minutes(profile, g)))
            floors[i] = low
    blocks = sorted(floors, key=lambda i: current[i].phase == "warm_up")
    # The room to grow is spread over the weeks the sources expect a change to take, so the
    # plan still moves in week 12 instead of filling the session in the first month.
    base = _total(
        [replace(p, minutes=floors[i]) if i in floors else p for i, p in enumerate(current)], g
    )
    spread = max(1, pr["expected_weeks"] - 1)
    out = [PlanWeek(1, routine.items, routine.minutes, ("Start with the routine as built.",))]
    for week in range(2, weeks + 1):
        proposal = [replace(p) for p in current]
        for i in blocks:
            proposal[i].minutes = floors[i]
        total = _total(proposal, g)
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
                    new_total = total - _work_seconds(old, g) + _work_seconds(new, g)
                else:
                    new_total = _total([*proposal[:i], new, *proposal[i + 1 :]], g)
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
                    _warm_reason(proposal[i].ex, proposal[i].minutes)  # type: ignore[arg-type]
                    if proposal[i].phase == "warm_up"
                    else _block_reason(proposal[i])
                )
                changes.append(
                    f"{proposal[i].ex.name}: {current[i].minutes} min becomes "
                    f"{proposal[i].minutes} min, to make room for the exercises."
                )
        current = proposal
        items = _finish(current, course)
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

    def options(self, p: _Pick, waited: bool) -> list[_Pick]:
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

    def stretch(self, p: _Pick) -> list[_Pick]:
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

    def grow(self, p: _Pick) -> _Pick | None:
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

    def step_up(self, p: _Pick) -> _Pick | None:
        """The next exercise of the chain, with a set fewer, when it suits the learner."""
        nxt = self.course.exercises.get(p.ex.progression or "")
        if nxt is None or not _allowed(nxt, self.profile, self.rules):
            return None
        step = _start_dose(nxt, self.profile, self.rules, self.g, p.phase)
        fewer = max(1, p.sets - self.g.progression["step_up_fewer_sets"])
        step.sets = min(step.sets, fewer)
        step.reason = f"The next step after {p.ex.name}, now that it has become comfortable."
        return step


def _reps_step(pr: Mapping[str, int]) -> int:
    """Repetitions added in a week: the gentle end of NHS Inform's "one or two", so that
    growth lasts the twelve weeks; never more than the weekly limit."""
    return max(1, min(pr["add_reps"], pr["max_reps_a_week"]))


def _change_words(old: _Pick, new: _Pick) -> str:
    if new.ex is not old.ex:
        return f"Step up: {old.ex.name} becomes {new.ex.name} ({_dose_words(new)})."
    return f"{new.ex.name}: {_dose_words(old)} becomes {_dose_words(new)}."


def _from_prescription(p: Prescription) -> _Pick:
    return _Pick(p.exercise, p.phase, p.sets, p.reps, p.hold_s, p.rest_s, p.duration_min, p.reason)


def _dose_words(p: _Pick) -> str:
    if p.minutes is not None:
        return f"{p.minutes} min"
    words = f"{p.sets} x {p.reps}" if p.reps is not None else f"{p.sets} x"
    if p.hold_s:
        words += f", hold {p.hold_s} s"
    return words
