"""The routine builder's decisions, in plain Python: answers in, a routine or a stop out.

A :class:`BuilderSession` holds what the learner has asked for (their swaps) and turns each
set of answers into a :class:`View`: the routine and the swaps that apply to it, or the
red-flag stop and its advice, or a message for the field that needs fixing. The widget
(the routine builder in the widgets package) only reads its controls, calls the session and
shows the View; everything it shows is decided here, so it can be tested without a browser.

>>> from backcourse import load_course
>>> from backcourse.builder import BuilderSession
>>> session = BuilderSession(load_course())
>>> view = session.update({"pain_now": 3, "weeks_since_onset": 8, "minutes_per_session": 15,
...                        "sessions_per_week": 3, "experience": "beginner"})
>>> view.routine.minutes <= 15 and view.stop is None and not view.errors
True
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from .errors import BackcourseError, ProfileError, RedFlagStop
from .export import clean_name, load_json
from .model import Course, Profile, RedFlag, Routine
from .planner.swaps import Swap, alternatives, rebuild
from .safety import screen

GENERAL = "general"  # the message that belongs to no one answer
ANSWERS = tuple(f.name for f in fields(Profile))  # the fields a message can stand beside


@dataclass(frozen=True)
class Advice:
    """What to do because of the warning signs ticked (red_flags.yaml tiers and actions).

    ``stops`` is True for the emergency and see-a-doctor tiers (no routine is shown);
    False for the third tier, which keeps a gentle routine with this advice above it.
    """

    tier: str
    title: str
    advice: str
    flags: tuple[RedFlag, ...]
    stops: bool

    @property
    def actions(self) -> tuple[str, ...]:
        """Each flag's own action, most urgent first, as "label: action" lines."""
        return tuple(f"{f.label}: {f.action}" for f in self.flags)


@dataclass(frozen=True)
class SwapSummary:
    """The learner's swaps as shown beside the routine (exercise names, not ids)."""

    made: tuple[tuple[str, str], ...] = ()  # (old name, new name), applied
    paused: int = 0  # swaps asked for that these answers rule out
    missing: tuple[str, ...] = ()  # names swapped in that did not fit in the time
    wanted: bool = False  # any swap asked for (the undo buttons show)


@dataclass(frozen=True)
class View:
    """What the builder shows for one set of answers."""

    routine: Routine | None = None
    swaps: tuple[Swap, ...] = ()  # the swaps in the routine
    stop: RedFlagStop | None = None
    advice: Advice | None = None  # the stop's advice, or the third tier's above a routine
    errors: Mapping[str, str] = field(default_factory=dict)  # Profile field or GENERAL
    notes: tuple[str, ...] = ()  # the routine's notes not already in the advice box
    phases: tuple[tuple[str, float], ...] = ()  # (phase words, minutes) with time in them
    swap_summary: SwapSummary = SwapSummary()


@dataclass(frozen=True)
class Loaded:
    """Answers, name and swaps read from a saved JSON file, ready to put back in the form."""

    profile: Profile
    name: str
    swaps: tuple[Swap, ...]


class BuilderSession:
    """One learner's builder: their swaps, and the routine their answers give.

    ``wanted`` keeps every swap the learner asked for, in order; after an answer changes,
    the swaps that still apply are replayed (``rebuild`` with ``strict=False``) and the
    others are paused, coming back when the answers allow them again.
    """

    def __init__(self, course: Course) -> None:
        self.course = course
        self.wanted: tuple[Swap, ...] = ()
        self.view = View()
        self._answers: Mapping[str, Any] = {}

    @property
    def routine(self) -> Routine | None:
        return self.view.routine

    # ---- answers

    def update(self, answers: Mapping[str, Any] | None = None) -> View:
        """Build from the answers (Profile fields; the last ones when None) and the swaps.

        Never raises for a learner's answer: a bad one gives ``errors`` (by Profile field, or
        ``general``) and no routine; a red flag of the first two tiers gives ``stop``.
        """
        if answers is not None:
            self._answers = dict(answers)
        try:
            profile = Profile.from_dict(self._answers)
            routine, applied = rebuild(profile, self.course, self.wanted, strict=False)
        except RedFlagStop as stop:
            self.view = View(stop=stop, advice=self.advice(stop.flags))
        except ProfileError as err:
            where = err.field.split(".")[0]
            self.view = View(errors={where if where in ANSWERS else GENERAL: err.problem})
        except BackcourseError as err:
            self.view = View(errors={GENERAL: str(err)})
        else:
            self.view = self._routine_view(routine, applied)
        return self.view

    def advice(self, flags: Iterable[RedFlag]) -> Advice | None:
        """The advice for the flags ticked, its tier from ``safety.screen``; None if none."""
        result = screen({f.id for f in flags}, self.course)
        if result.tier is None:
            return None
        info = self.course.red_flag_tiers[result.tier]
        # A stop lists the flags most urgent first (as its advice does); the third tier's
        # box lists them by id, as the planner's notes do.
        flags = result.flags if result.stops else tuple(sorted(result.flags, key=_by_id))
        return Advice(result.tier, info["title"], info["advice"], flags, result.stops)

    def _routine_view(self, routine: Routine, applied: tuple[Swap, ...]) -> View:
        flags = [self.course.red_flags[f] for f in sorted(routine.profile.red_flags)]
        advice = self.advice(flags)
        # The third tier's advice shows in its own box above the routine; the handout keeps
        # it in the notes, so the summary leaves those notes out.
        boxed = set(advice.actions) | {f"{advice.title}. {advice.advice}"} if advice else set()
        g = self.course.guidelines
        return View(
            routine=routine,
            swaps=applied,
            advice=advice,
            notes=tuple(n for n in routine.notes if n not in boxed),
            phases=tuple(
                (g.label("phases", ph), m) for ph, m in routine.time_budget().items() if m
            ),
            swap_summary=self._swap_summary(routine, applied),
        )

    def _swap_summary(self, routine: Routine, applied: tuple[Swap, ...]) -> SwapSummary:
        names = {e.id: e.name for e in self.course.exercises.values()}
        here = {p.exercise.id for p in routine.items}
        return SwapSummary(
            made=tuple((names.get(a, a), names.get(b, b)) for a, b in applied),
            paused=sum(s not in applied for s in self.wanted),
            missing=tuple(names.get(b, b) for _a, b in applied if b not in here),
            wanted=bool(self.wanted),
        )

    # ---- swaps

    def choices(self, index: int) -> tuple[tuple[str, str], ...]:
        """What could replace the routine's item ``index``: (words to show, exercise id)."""
        if self.routine is None:
            return ()
        g = self.course.guidelines
        return tuple(
            (
                f"{e.name} ({g.label('categories', e.category)}, "
                f"{g.label('difficulty', str(e.difficulty))})",
                e.id,
            )
            for e in alternatives(self.routine, index)
        )

    def swap(self, index: int, exercise_id: str) -> View:
        """Replace item ``index`` by ``exercise_id`` (one of its alternatives), then rebuild.

        Raises ProfileError when there is no routine or the exercise does not suit.
        """
        if self.routine is None:
            raise ProfileError("swap", "there is no routine to change")
        old = self.routine.items[index].exercise.id
        if exercise_id not in {e.id for e in alternatives(self.routine, index)}:
            raise ProfileError("swap", f"{exercise_id!r} is not a suitable replacement here")
        return self.set_swaps((*self.wanted, (old, exercise_id)))

    def undo(self) -> View:
        """Take back the last swap asked for."""
        return self.set_swaps(self.wanted[:-1])

    def set_swaps(self, swaps: Iterable[Swap]) -> View:
        """Ask for these swaps (in order) and rebuild."""
        self.wanted = tuple((str(a), str(b)) for a, b in swaps)
        return self.update()

    # ---- saved answers

    def load(self, text: str | bytes) -> Loaded:
        """Read a saved JSON file (``export.load_json``); the caller puts it in the form.

        A file whose answers include a warning sign loads too, without its swaps, so the
        advice shows. Raises ProfileError for anything that is not such a file.
        """
        try:
            saved = load_json(text, self.course)
        except RedFlagStop:
            data = json.loads(text)
            return Loaded(Profile.from_dict(data["profile"]), clean_name(data.get("name", "")), ())
        return Loaded(saved.routine.profile, saved.name, saved.swaps)


def _by_id(flag: RedFlag) -> str:
    return flag.id
