"""The course's interactive pieces: each is a function ``build_*(course=None, ...) -> Widget``.

Widgets hold no rules: they read inputs, call the package, and show the result. Every top
widget carries ``.parts`` (name -> child widget) so tests and notebooks can reach inside,
and CSS classes ``bc-<app>`` / ``bc-<app>-<part>`` so browser tests can find them.
Modules load on first use: importing one app does not import the others.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Any

if sys.platform == "emscripten":  # JupyterLite: see backcourse.browser
    from ..browser import fix_comm_bridge

    fix_comm_bridge()

_LAZY = {
    "build_red_flag_check": "red_flags",
    "build_muscle_explorer": "muscle_explorer",
    "build_exercise_browser": "exercise_browser",
    "build_quiz": "quiz",
    "build_sitting_planner": "sitting",
    "build_routine_builder": "routine_builder",
    "build_tracker": "tracker",
    "build_class_planner": "class_planner",
    "build_session_player": "session_player",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'backcourse.widgets' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
