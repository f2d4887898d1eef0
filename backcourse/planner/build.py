"""Today's routine: choose the exercises and doses that suit a learner and fit their time.

:func:`build_routine` screens red flags (via ``safety.screen``), then covers the main
targets, the cool-down and the warm-up greedily, fills the time, and finally caps the
routine by what the same learner would get at a lower pain score.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import replace

from ..errors import RedFlagStop
from ..model import Course, Exercise, Profile, RedFlag, Routine
from ..safety import screen
from .doses import (
    Pick,
    aerobic_minutes,
    block_reason,
    clamp,
    doses_to_try,
    items_of,
    start_dose,
    targets_hit,
    total_seconds,
    warm_reason,
    work_seconds,
)
from .rules import (
    GENTLE_TIER,
    MAIN_CATEGORIES,
    Rules,
    check_profile,
    easier_profile,
    family,
    is_allowed,
    rules_for,
    stage_note,
)


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
        from ..catalog import load_course

        course = load_course()
    check_profile(profile, course)
    flagged: tuple[RedFlag, ...] = ()
    if profile.red_flags:
        result = screen(set(profile.red_flags), course)
        if result.stops:
            raise RedFlagStop(result.flags, result.advice)
        flagged = result.if_not_better
    return _build(profile, course, frozenset(exclude), frozenset(prefer), flagged)


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
    easier = easier_profile(profile, course.guidelines, bool(flagged))
    if easier is not None:
        session.cap(_choose(easier, course, exclude, prefer, flagged, memo).picks)
    return session


def _rank(ex: Exercise, rules: Rules, new_targets: int, prefer: Collection[str]) -> tuple:
    """Sort key: preferred first, then most new targets, then closest to the right level."""
    return (
        ex.id not in prefer,
        -new_targets,
        abs(ex.difficulty - rules.target_difficulty),
        len(ex.equipment),
        ex.id,
    )


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
                    if e.id not in exclude and is_allowed(e, profile, self.rules)
                ),
                key=lambda e: e.id,
            )
        self.pool: list[Exercise] = pool
        self.picks: list[Pick] = []
        self.used: set[str] = set()
        self.chains: set[str] = set()
        self.notes: list[str] = [stage_note(profile, self.rules, g, bool(flagged))]
        if flagged:
            tier = course.red_flag_tiers[GENTLE_TIER]
            self.notes.append(f"{tier['title']}. {tier['advice']}")
            self.notes += [f"{f.label}: {f.action}" for f in flagged]
        self.main_targets = dict(g.coverage["main"])
        self.cool_targets = dict(g.coverage["cool_down"])

    # ---- small pieces

    def of(self, *categories: str) -> list[Exercise]:
        return [e for e in self.pool if e.category in categories]

    def dose(self, ex: Exercise, phase: str) -> Pick:
        return replace(self._start(ex, phase)[0])

    def _start(self, ex: Exercise, phase: str) -> tuple[Pick, int]:
        key = ("dose", ex.id, phase, self.rules.gentle, self.rules.max_sets)
        found = self._memo.get(key)
        if found is None:
            p = start_dose(ex, self.profile, self.rules, self.g, phase)
            found = self._memo[key] = (p, work_seconds(p, self.g))
        return found

    def hits(self, ex: Exercise, phase: str, primary_only: bool) -> frozenset[str]:
        """The coverage targets of a phase that ex trains (as its main job, or at all)."""
        key = ("hits", ex.id, phase, primary_only)
        found = self._memo.get(key)
        if found is None:
            targets = self.main_targets if phase == "main" else self.cool_targets
            found = self._memo[key] = frozenset(targets_hit(ex, targets, primary_only))
        return found

    def rank(self, ex: Exercise, phase: str | None = None) -> tuple:
        hits = len(self.hits(ex, phase, False)) if phase else 0
        return _rank(ex, self.rules, hits, self.prefer)

    def total(self) -> int:
        return total_seconds(self.picks, self.g)

    def fits(self, extra: Sequence[Pick] = ()) -> bool:
        return total_seconds([*self.picks, *extra], self.g) <= self.budget

    def add(self, p: Pick, covers_new: bool = False) -> bool:
        # One step of a chain per session: a plank and a knee plank teach the same thing,
        # and the plan steps each family up one rung at a time.
        chain = family(p.ex, self.course)
        if p.ex.id in self.used or chain in self.chains:
            return False
        if not self.fits([p]):
            return False
        self.picks.append(p)
        self.used.add(p.ex.id)
        self.chains.add(chain)
        return True

    def drop(self, p: Pick) -> None:
        self.picks.remove(p)
        if not any(q.ex.id == p.ex.id for q in self.picks):
            self.used.discard(p.ex.id)
            self.chains.discard(family(p.ex, self.course))

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
                minutes = aerobic_minutes(self.profile, self.g)
                b = self.g.bounds(ex.category, "minutes")
                minutes = clamp(b, minutes)
                self.add(Pick(ex, "warm_up", minutes=minutes, reason=warm_reason(ex, minutes)))
                return
        self.notes.append(
            "No easy warm-up activity (walking, cycling or marching on the spot) suits the "
            "positions and equipment you chose: do the first exercise slowly, with a smaller "
            "range, as your warm-up."
        )

    def cap(self, easier: list[Pick]) -> None:
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

        def main() -> list[Pick]:
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
                Pick(easy[0], "main", minutes=bounds["aerobic"]["minutes"].low) if easy else None
            )
            if block is not None and self.fits([block]):
                self.picks.append(block)
                self.used.add(block.ex.id)
                blocks = [block]
        if blocks:
            self.stretch_minutes(blocks[0], self._aerobic_cap(), target)
            blocks[0].reason = block_reason(blocks[0])
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
                p.reason = warm_reason(p.ex, p.minutes)

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
                tries = doses_to_try(self.dose(ex, phase), self.g)
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
                    before = work_seconds(p, g)
                    p.sets += 1
                    after = total - before + work_seconds(p, g)
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
            block = Pick(ex, "main", minutes=b.low)
            if self.fits([block]):
                self.picks.append(block)
                self.used.add(ex.id)
                self.stretch_minutes(block, self._aerobic_cap())
                block.reason = block_reason(block)
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

    def stretch_minutes(self, p: Pick, cap: int, target: float | None = None) -> None:
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
            if not any(targets_hit(p.ex, {t: muscles}, False) for p in main_picks)
        ]
        if missing:
            names = ", ".join(g.label("coverage", t) for t in missing)
            self.notes.append(
                f"Nothing that suits your answers and time trains your {names}; a "
                "physiotherapist can suggest an alternative."
            )
        items = items_of(self.picks, self.course)
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
