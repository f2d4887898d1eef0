"""Planning kept here until it moves to the planner: rebuild a routine from answers and swaps.

Nothing in this module writes a file format. It stays, verbatim, until
``backcourse.planner.swaps`` lands; then this module goes and its importers point there.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence

from ..errors import ProfileError
from ..model import Course, Profile, Routine

__all__ = ["Swap", "rebuild", "swaps_of"]

Swap = tuple[str, str]  # (id of the exercise replaced, id of the one chosen instead)

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
    from ..planner import alternatives, build_routine

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
