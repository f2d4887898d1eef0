"""The learner's swaps: what can replace an exercise, and a routine rebuilt with the swaps made.

A swap ``(old, new)`` is replayed by building the routine again with ``old`` left out and
``new`` chosen first, so a swapped routine keeps every rule (time, doses, safety). The
swaps that made a routine are remembered beside it (:func:`swaps_of`) so a saved file can
record them.
"""

from __future__ import annotations

import weakref
from collections.abc import Collection, Iterable, Sequence

from ..errors import ProfileError
from ..model import Course, Exercise, Profile, Routine
from .build import build_routine
from .rules import MAIN_CATEGORIES, family, gentle_flags, is_allowed, rules_for

Swap = tuple[str, str]  # (id of the exercise replaced, id of the one chosen instead)


def alternatives(routine: Routine, index: int) -> tuple[Exercise, ...]:
    """Exercises that could replace ``routine.items[index]``: allowed, same phase, same muscles.

    Never one from the family (chain) of another exercise in the session. Ordered by how
    many target muscles they share with the exercise they replace.
    """
    item = routine.items[index]
    course, profile = routine.course, routine.profile
    rules = rules_for(profile, course.guidelines, bool(gentle_flags(profile, course)))
    in_use = {p.exercise.id for p in routine.items}
    families = {family(p.exercise, course) for i, p in enumerate(routine.items) if i != index}
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
        and is_allowed(e, profile, rules)
        and (e.category == "aerobic" or family(e, course) not in families)
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


_SWAPS: weakref.WeakKeyDictionary[Routine, tuple[Swap, ...]] = weakref.WeakKeyDictionary()


def rebuild(
    profile: Profile, course: Course, swaps: Iterable[Sequence[str]] = (), *, strict: bool = True
) -> tuple[Routine, tuple[Swap, ...]]:
    """Build a routine from answers, then replay the learner's swaps in order.

    Each swap ``(old, new)`` must replace an exercise that is in the routine at that point
    by one of ``planner.alternatives`` for it; the routine is then rebuilt with
    ``build_routine`` leaving out every exercise swapped away and choosing every exercise
    swapped in first. Same answers and swaps, same routine.

    Parameters
    ----------
    strict
        True (loading a file): a swap that no longer applies raises ProfileError.
        False (the builder after an answer changed): such swaps are dropped.

    Returns
    -------
    (routine, swaps_applied)

    Raises
    ------
    RedFlagStop, ProfileError
        As ``build_routine`` does; ProfileError also for a swap that does not apply.
    """
    routine = build_routine(profile, course)
    exclude: set[str] = set()
    prefer: set[str] = set()
    applied: list[Swap] = []
    for pair in swaps:
        if isinstance(pair, str) or len(pair) != 2 or not all(isinstance(x, str) for x in pair):
            raise ProfileError("swaps", f"expected pairs of exercise ids, got {pair!r}")
        old, new = pair
        index = next((i for i, p in enumerate(routine.items) if p.exercise.id == old), None)
        ok = index is not None and new in {e.id for e in alternatives(routine, index)}
        if not ok:
            if strict:
                raise ProfileError(
                    "swaps", f"{new!r} cannot replace {old!r} in this routine any more"
                )
            continue
        exclude.add(old)
        prefer.discard(old)
        prefer.add(new)
        routine = build_routine(profile, course, exclude=exclude, prefer=prefer)
        applied.append((old, new))
    result = tuple(applied)
    _SWAPS[routine] = result
    return routine, result


def swaps_of(routine: Routine) -> tuple[Swap, ...]:
    """The swaps that made a routine returned by :func:`rebuild` (``()`` for any other)."""
    try:
        return _SWAPS.get(routine, ())
    except TypeError:  # an unhashable stand-in
        return ()
