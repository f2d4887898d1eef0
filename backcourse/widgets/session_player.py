"""The guided session player: today's routine, step by step, with its clock in the browser.

``build_session_player(source, course=None, log=None, *, week=None, speed=None)`` returns a
:class:`~backcourse.widgets.common.App` whose ``parts["player"]`` is a :class:`SessionPlayer`
(an anywidget). The timeline comes from :func:`backcourse.session.timeline`; the words from
course_data/session.yaml; the moving picture from
:func:`backcourse.illustrate.bundled.frames` (shipped) or ``draw_frames``; the record goes to a
:class:`~backcourse.progress.ProgressLog`.

Why the browser keeps the time: the countdown, the beeps (Web Audio) and the spoken cues
(speechSynthesis) must happen on the second, whatever the kernel is doing, and the same way
in JupyterLab, Voila and a browser-only build. The JavaScript and CSS are files in this
package (``static/``), loaded from nowhere else. The kernel is asked only when something
changes the plan or the log: "Too hard" (the easier rung), finishing, stopping, Undo.

Messages from the browser (``{"event": ...}``), which tests may send themselves through
``player.receive(content)``:

``at``        ``{"item": i}``: the player reached exercise i (pictures for the next ones
              are drawn ahead);
``too_hard``  ``{"index": step}``: swap that exercise for its easier rung for the rest of the
              session; the reply is ``{"type": "jump", "index": k}``;
``finish``    ``{"pain_before", "pain_after", "effort", "seconds_done", "skipped": [items]}``;
``stop``      ``{"pain_before", "seconds_done", "skipped"}``: stopped because it hurts;
              recorded at once;
``pain``      ``{"pain": n}``: pain after a stopped session;
``undo``      take the recorded session out of the log again;
``coach_files`` the camera coach was switched on: the kernel sends its code, runtime and
              model (``backcourse.coach``) as ``{"type": "coach_file", "name", "part",
              "names", "counts"}`` messages with the bytes as a buffer, in pieces.

``finish`` and ``stop`` may carry ``"coach": {exercise_id: {"reps", "holds", "kept"}}``:
what the camera coach counted, written into the logged session's note. Only these counts
come from the camera coach; its pictures never leave the browser.

The kernel's answers are in traits: ``record`` (what was saved: ``entry_id``, ``text``;
``{}`` after Undo), ``message`` (a sentence to show and announce) and ``error``.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets

from .. import coach
from .. import session as sess
from ..model import Course, Plan, PlanWeek, Routine
from ..render import render
from .common import USER_ERRORS, App, add_classes, get_course

APP = "session"
COACH_CHUNK = 2 * 1024 * 1024  # bytes per message: well below any websocket limit
STATIC = Path(__file__).parent / "static"
SPEED_VAR = "BACKCOURSE_SESSION_SPEED"  # tests: play a whole session in seconds
FRAMES_AHEAD = 2  # exercises whose pictures are drawn before the player reaches them


class SessionPlayer(anywidget.AnyWidget):
    """The player itself; see the module docstring for its messages and traits."""

    _esm = STATIC / "session_player.js"
    _css = STATIC / "session_player.css"

    steps = traitlets.List(traitlets.Dict()).tag(sync=True)
    exercises = traitlets.Dict().tag(sync=True)  # id -> name, how-to HTML, first step, cues
    frames = traitlets.Dict().tag(sync=True)  # id -> PNG data URLs of the movement
    text = traitlets.Dict().tag(sync=True)  # session.yaml
    stop_html = traitlets.Unicode("").tag(sync=True)  # shown at once on "Stop – it hurts"
    speed = traitlets.Float(1.0).tag(sync=True)
    title = traitlets.Unicode("").tag(sync=True)
    record = traitlets.Dict().tag(sync=True)
    message = traitlets.Unicode("").tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)
    coach = traitlets.Dict().tag(sync=True)  # the camera coach: words, what it counts


class Session(App):
    """The app around the player: holds the routine, the swaps and the log."""

    def __init__(
        self,
        items: tuple,
        course: Course,
        open_log: Callable[[], Any],
        title: str,
        speed: float,
    ) -> None:
        self.course = course
        self.items = items
        self.easier: dict[int, str] = {}
        self._open_log = open_log
        self._log: Any = None
        self.recorded: Any = None  # the SessionRecord saved, until Undo
        text = sess.session_text(course)
        self.text = text
        player = SessionPlayer(
            steps=[s.to_dict() for s in self._timeline()],
            exercises=self._exercise_info(),
            # the words, and the plain names of the phases (guidelines.yaml, labels)
            text=_plain({**text, "phases": course.guidelines.labels.get("phases", {})}),
            stop_html=render("session_stop.html", stop=_stop_words(text, course)),
            speed=speed,
            title=title,
            coach=coach.player_settings(course, self._exercise_info()),
        )
        player.on_msg(lambda _w, content, _buffers: self.receive(content))
        self.player = player
        super().__init__(APP, "Guided session", [player])
        add_classes(self, "bc-session")
        self.parts = {"player": player}
        self._draw_frames(0)

    def __repr__(self) -> str:
        return "Guided session player (interactive: run this notebook in Jupyter to use it)"

    # ---------------------------------------------------------------- the timeline

    def _timeline(self) -> tuple[sess.Step, ...]:
        return sess.timeline(PlanWeek(0, self.items, 0.0, ()), self.course, easier=self.easier)

    def _exercise_info(self) -> dict[str, Any]:
        """What the player shows for each exercise it may meet (easier rungs included)."""
        out: dict[str, Any] = {}
        for p in self.items:
            ex: Any = p.exercise
            while ex is not None and ex.id not in out:
                out[ex.id] = {
                    "name": ex.name,
                    "first_step": ex.steps[0] if ex.steps else ex.summary,
                    "cues": list(ex.cues),
                    "how": render("session_how_to.html", exercise=ex),
                    "easier": ex.regression,
                }
                ex = self.course.exercises.get(ex.regression or "")
        return out

    def _draw_frames(self, item: int) -> None:
        """Pictures for exercise ``item`` and the next ones, unless already sent."""
        want = [
            self._current(i).exercise
            for i in range(item, min(item + FRAMES_AHEAD, len(self.items)))
        ]
        new = {ex.id: _frames(self.course, ex.id) for ex in want if ex.id not in self.player.frames}
        if new:
            self.player.frames = {**self.player.frames, **new}

    def _current(self, i: int) -> Any:
        items = sess.swapped(self.items, self.easier, self.course)
        return items[i]

    # ---------------------------------------------------------------- messages

    def receive(self, content: Mapping[str, Any]) -> None:
        """Handle one message from the browser; never raises (errors go to ``error``)."""
        player = self.player
        player.error = ""
        try:
            handler = _HANDLERS.get(str(content.get("event")))
            if handler is None:
                raise ValueError(f"unknown event {content.get('event')!r}")
            handler(self, content)
        except (*USER_ERRORS, TypeError, OSError) as exc:
            # A message the page should never send (a wrong type), a log that cannot be
            # written: said beside the player, never raised into the notebook.
            player.error = _problem(self.text, exc)

    def _at(self, content: Mapping[str, Any]) -> None:
        self._draw_frames(_int(content, "item", 0, len(self.items) - 1))

    def _too_hard(self, content: Mapping[str, Any]) -> None:
        steps = self.player.steps
        index = _int(content, "index", 0, len(steps) - 1)
        step = steps[index]
        item = step["item"]
        if item is None:  # "done": nothing left to make easier
            return
        now = self._current(item).exercise
        easier = now.regression
        if easier is None:
            self.player.message = self.text["messages"]["no_easier"].format(exercise=now.name)
            return
        self.easier[item] = easier
        self.player.message = self.text["messages"]["swapped"].format(
            exercise=now.name, easier=self.course.exercises[easier].name
        )
        new = [s.to_dict() for s in self._timeline()]
        self.player.steps = new
        self._draw_frames(item)
        start = next(k for k, s in enumerate(new) if s["item"] == item)
        self.player.send({"type": "jump", "index": start})

    def _log_open(self) -> Any:
        if self._log is None:
            self._log = self._open_log()
        return self._log

    def _finish(self, content: Mapping[str, Any], stopped: bool = False) -> None:
        if self.recorded is not None:
            return  # a second click on Save: the session is in the log already
        skipped = sorted(
            {_int({"i": i}, "i", 0, len(self.items) - 1) for i in content.get("skipped", [])}
        )
        items = sess.swapped(self.items, self.easier, self.course)
        notes = self.text["notes"]
        rec = self._log_open().record_session(
            dt.date.today(),
            content.get("pain_before"),
            None if stopped else content.get("pain_after"),
            round(float(content.get("seconds_done", 0))),
            effort=None if stopped else content.get("effort"),
            stopped=stopped,
            skipped=[items[i].exercise.id for i in skipped],
            swapped=[
                (self.items[i].exercise.id, ex_id) for i, ex_id in sorted(self.easier.items())
            ],
            note=" ".join(
                filter(
                    None,
                    [notes["stopped"] if stopped else notes["guided"], self._coach_note(content)],
                )
            ),
        )
        self.recorded = rec
        m = self.text["messages"]
        words = [
            (m["recorded_stopped"] if stopped else m["recorded"]).format(
                minutes=rec.entry.minutes, pain_before=rec.pain_before, pain_after=rec.pain_after
            )
        ]
        if skipped:
            words.append(m["skipped"].format(names=_names(items[i].exercise.name for i in skipped)))
        if self.easier:
            words.append(
                m["swaps"].format(names=_names(items[i].exercise.name for i in sorted(self.easier)))
            )
        self.player.record = {"entry_id": rec.entry.id, "text": " ".join(words), "stopped": stopped}

    def _coach_note(self, content: Mapping[str, Any]) -> str:
        """What the camera coach counted, as a sentence for the log ("" if it was off)."""
        got = content.get("coach") or {}
        if not isinstance(got, Mapping):
            raise TypeError("coach: expected a mapping of exercise ids to counts")
        known = self.player.exercises
        summary = {}
        for ex_id, counts in got.items():
            if ex_id not in known or not isinstance(counts, Mapping):
                raise ValueError(f"coach: unknown exercise {ex_id!r}")
            summary[ex_id] = {
                k: _int({k: counts.get(k, 0)}, k, 0, 10_000) for k in ("reps", "holds", "kept")
            }
        names = {i: info["name"] for i, info in known.items()}
        return coach.log_note(self.course, summary, names)

    def _coach_files(self, _content: Mapping[str, Any]) -> None:
        """Send the coach's code, runtime and model to the page, in pieces."""
        files = {"coach.js": STATIC / "coach.js"}
        files |= {n: coach.ASSETS / n for n in coach.ASSET_NAMES}
        missing = [n for n, f in files.items() if not f.is_file()]
        if missing:
            raise OSError(
                f"the camera coach's files are not installed ({', '.join(missing)}): make coach"
            )
        blobs = {n: f.read_bytes() for n, f in files.items()}
        counts = {n: max(1, -(-len(b) // COACH_CHUNK)) for n, b in blobs.items()}
        for name, data in blobs.items():
            for k in range(counts[name]):
                self.player.send(
                    {
                        "type": "coach_file",
                        "name": name,
                        "part": k,
                        "names": list(blobs),
                        "counts": counts,
                    },
                    buffers=[data[k * COACH_CHUNK : (k + 1) * COACH_CHUNK]],
                )

    def _stop(self, content: Mapping[str, Any]) -> None:
        self._finish(content, stopped=True)

    def _pain(self, content: Mapping[str, Any]) -> None:
        if self.recorded is None:
            raise ValueError("there is no saved session to add a pain score to")
        self.recorded = self._log_open().update_session_pain(
            self.recorded.entry.id, content.get("pain")
        )
        self.player.message = self.text["messages"]["pain_saved"]

    def _undo(self, _content: Mapping[str, Any]) -> None:
        if self.recorded is None:
            return
        self._log_open().delete(self.recorded.entry.id)
        self.recorded = None
        self.player.record = {}
        self.player.message = self.text["messages"]["undone"]


_HANDLERS: dict[str, Callable[[Session, Mapping[str, Any]], None]] = {
    "at": Session._at,
    "too_hard": Session._too_hard,
    "finish": Session._finish,
    "stop": Session._stop,
    "pain": Session._pain,
    "undo": Session._undo,
    "coach_files": Session._coach_files,
}


def _problem(text: Mapping[str, Any], exc: BaseException) -> str:
    detail = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
    return text["messages"]["not_saved"].format(problem=detail)


def _int(content: Mapping[str, Any], name: str, lo: int, hi: int) -> int:
    value = content.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ValueError(f"{name}: expected a whole number from {lo} to {hi}, got {value!r}")
    return value


def _names(names: Any) -> str:
    return ", ".join(dict.fromkeys(names))


def _plain(data: Any) -> Any:
    """YAML data as plain JSON-able dicts and lists (for the browser)."""
    if isinstance(data, Mapping):
        return {str(k): _plain(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_plain(v) for v in data]
    return data


def _stop_words(text: Mapping[str, Any], course: Course) -> dict[str, str]:
    numbers = course.guidelines.progression
    fill = {k: numbers[k] for k in ("step_back_pain_rise", "review_after_weeks")}
    return {k: v.format(**fill) for k, v in text["stop"].items()}


@lru_cache(maxsize=64)
def _frames_cached(root: str, exercise_id: str) -> tuple[str, ...]:
    from ..catalog import load_course
    from ..illustrate import bundled

    course = load_course(root)
    exercise = course.exercises[exercise_id]
    pngs = bundled.frames(exercise, course)  # drawn at build time, if current
    if pngs is None:  # only now matplotlib: opening the player need not load it
        pngs = bundled.draw_frames(exercise, course)
    return tuple("data:image/png;base64," + base64.b64encode(b).decode("ascii") for b in pngs)


def _frames(course: Course, exercise_id: str) -> list[str]:
    return list(_frames_cached(course.root, exercise_id))


def current_week(plan: Plan, first_day: dt.date | None, today: dt.date) -> PlanWeek:
    """This week of the plan: week 1 until the first guided session, then one a week."""
    if first_day is None:
        return plan.weeks[0]
    week = (today - first_day).days // 7
    return plan.weeks[max(0, min(week, len(plan.weeks) - 1))]


def build_session_player(
    source: Routine | PlanWeek | Plan,
    course: Course | None = None,
    log: Any = None,
    *,
    speed: float | None = None,
) -> Session:
    """A guided session for a routine, one week of its plan, or a plan's current week.

    Parameters
    ----------
    source
        A Routine (today's routine), a PlanWeek, or a Plan: then the week it is now,
        counted from the first guided session in the log.
    course
        The course; a Routine or Plan carries its own, otherwise the bundled one.
    log
        A ProgressLog, or a path to one; the default log (``default_log_path()``) if None.
        Opened when the session is first saved, so a log that cannot be used shows a
        message instead of stopping the player.
    speed
        How many times faster than real time the clock runs (tests). Default: 1, or the
        ``BACKCOURSE_SESSION_SPEED`` environment variable.
    """
    if isinstance(source, Routine):
        course = course or source.course
    elif isinstance(source, Plan):
        course = course or source.routine.course
    course = get_course(course)

    def open_log() -> Any:
        from ..progress import ProgressLog

        if log is None or isinstance(log, (str, os.PathLike)):
            return ProgressLog(log)
        return log

    title = ""
    if isinstance(source, Plan):
        first = None
        try:
            done = open_log().sessions()
            first = done[0].entry.day if done else None
        except USER_ERRORS:
            first = None  # a log that cannot be read: start at week 1, say so when saving
        except OSError:
            first = None
        source = current_week(source, first, dt.date.today())
    if isinstance(source, PlanWeek):
        title = sess.session_text(course)["controls"]["week"].format(week=source.week)
    if speed is None:
        speed = _env_speed()
    items = source.items if isinstance(source, (Routine, PlanWeek)) else ()
    if not isinstance(source, (Routine, PlanWeek)):
        raise TypeError(f"expected a Routine, a PlanWeek or a Plan, got {type(source).__name__}")
    return Session(tuple(items), course, open_log, title, speed)


def _env_speed() -> float:
    try:
        value = float(os.environ.get(SPEED_VAR, "1"))
    except ValueError:
        return 1.0
    return value if 0 < value <= 1000 else 1.0


def start_button(get_routine: Callable[[], Routine | None], course: Course) -> widgets.VBox:
    """A "Start today's session" button and the place the player opens (for the builder)."""
    label = sess.session_text(course)["controls"]["start_today"]
    button = add_classes(
        widgets.Button(description=label, icon="play"),
        "bc-session-start",
    )
    button.layout.width = "auto"
    # A dark blue with white text: ipywidgets' "success" green is below contrast (WCAG AA).
    button.style.button_color = "#005a9c"
    button.style.text_color = "#ffffff"
    button.style.font_weight = "bold"
    button.layout.min_height = "44px"  # a finger-sized target
    holder = widgets.VBox([])
    box = add_classes(
        widgets.VBox([button, holder], layout=widgets.Layout(align_items="flex-start")),
        "bc-session-launch",
    )
    holder.layout.align_self = "stretch"

    def start(_b: Any) -> None:
        routine = get_routine()
        if routine is not None:
            holder.children = (build_session_player(routine, course),)

    button.on_click(start)
    box.button, box.holder = button, holder  # type: ignore[attr-defined]
    return box
