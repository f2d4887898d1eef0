"""The routine as JSON: answers and swaps that rebuild it, and its items to check on load.

:func:`to_json` writes it; :func:`load_json` reads it back into a :class:`Saved` (the
rebuilt routine, its swaps and the learner's name), refusing a file whose routine no
longer matches the course.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ProfileError
from ..model import Course, Profile, Routine
from ..planner.swaps import Swap, rebuild, swaps_of
from .text import clean_name

__all__ = [
    "JSON_FORMAT",
    "JSON_VERSION",
    "Saved",
    "load_json",
    "routine_from_json",
    "routine_to_dict",
    "to_json",
]

JSON_FORMAT = "backcourse-routine"
JSON_VERSION = 1


def routine_to_dict(
    routine: Routine, *, swaps: Iterable[Sequence[str]] | None = None, name: object = ""
) -> dict[str, Any]:
    """Plain data: the answers and swaps that rebuild the routine, and its items to check."""
    pairs = swaps_of(routine) if swaps is None else tuple(tuple(s) for s in swaps)
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "name": clean_name(name),
        "profile": routine.profile.to_dict(),
        "swaps": [{"replace": old, "with": new} for old, new in pairs],
        "minutes": routine.minutes,
        "stage": routine.stage,
        "items": [
            {
                "exercise": p.exercise.id,
                "name": p.exercise.name,
                "phase": p.phase,
                "sets": p.sets,
                "reps": p.reps,
                "hold_s": p.hold_s,
                "per_side": p.per_side,
                "rest_s": p.rest_s,
                "duration_min": p.duration_min,
                "minutes": p.minutes,
                "dose": p.dose_text(),
                "reason": p.reason,
            }
            for p in routine.items
        ],
        "notes": list(routine.notes),
    }


def to_json(
    routine: Routine, *, swaps: Iterable[Sequence[str]] | None = None, name: object = ""
) -> str:
    """The routine as JSON that :func:`routine_from_json` loads back.

    ``<``, ``>`` and ``&`` are written as ``\\u003c``, ``\\u003e``, ``\\u0026`` so the text is
    safe to embed in a web page; any JSON reader turns them back.
    """
    text = json.dumps(
        routine_to_dict(routine, swaps=swaps, name=name), indent=2, ensure_ascii=False
    )
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


@dataclass(frozen=True)
class Saved:
    """What a saved JSON file holds once loaded: the rebuilt routine, swaps and name."""

    routine: Routine
    swaps: tuple[Swap, ...]
    name: str


_ITEM_KEYS = ("exercise", "phase", "sets", "reps", "hold_s", "rest_s", "duration_min")


def load_json(text: str | bytes, course: Course, *, verify: bool = True) -> Saved:
    """Load a file written by :func:`to_json`: rebuild the routine and check it matches.

    Raises
    ------
    ProfileError
        For text that is not such a file, answers out of range, a swap that no longer
        applies, or (with ``verify``) a rebuilt routine that differs from the saved one
        (the course data changed since it was saved).
    RedFlagStop
        When the saved answers include a red flag.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise ProfileError("json", "this is not a saved routine (not UTF-8 text)") from None
    try:
        data = json.loads(text)
    except (ValueError, TypeError) as err:
        raise ProfileError("json", f"this is not a saved routine ({err})") from None
    except RecursionError:
        raise ProfileError("json", "this is not a saved routine (nested too deeply)") from None
    if not isinstance(data, dict) or data.get("format") != JSON_FORMAT:
        raise ProfileError("json", f"this is not a saved routine (no format {JSON_FORMAT!r})")
    if data.get("version") != JSON_VERSION:
        raise ProfileError(
            "json",
            f"saved with format version {data.get('version')!r}; this version reads {JSON_VERSION}",
        )
    profile = Profile.from_dict(data.get("profile"))  # type: ignore[arg-type]
    raw = data.get("swaps", [])
    if not isinstance(raw, list) or not all(isinstance(s, dict) for s in raw):
        raise ProfileError("swaps", "expected a list of {replace, with} pairs")
    pairs = [(s.get("replace"), s.get("with")) for s in raw]
    if not all(isinstance(x, str) for pair in pairs for x in pair):
        raise ProfileError("swaps", "expected exercise ids (text) in every {replace, with} pair")
    routine, applied = rebuild(profile, course, pairs, strict=True)  # type: ignore[arg-type]
    if verify:
        saved = data.get("items")
        if not isinstance(saved, list):
            raise ProfileError("items", "expected the list of saved exercises")
        now = routine_to_dict(routine)["items"]
        if len(saved) != len(now):
            raise ProfileError(
                "items",
                f"the saved routine has {len(saved)} exercises; "
                f"rebuilt from its answers it has {len(now)}. The course data "
                "has changed since it was saved: check the new routine.",
            )
        for i, (a, b) in enumerate(zip(saved, now, strict=True)):
            if not isinstance(a, dict) or any(a.get(k) != b[k] for k in _ITEM_KEYS):
                what = a.get("name", "?") if isinstance(a, dict) else "?"
                raise ProfileError(
                    "items",
                    f"exercise {i + 1} ({what}) differs when rebuilt "
                    "from the saved answers. The course data has changed since "
                    "it was saved: check the new routine.",
                )
    return Saved(routine, applied, clean_name(data.get("name", "")))


def routine_from_json(text: str | bytes, course: Course) -> Routine:
    """The routine a :func:`to_json` file describes, rebuilt and checked (see load_json)."""
    return load_json(text, course).routine
