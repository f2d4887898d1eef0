"""Pieces every course widget shares: the top-level box, error messages, pictures, caching.

Nothing here holds a rule about backs or exercise; it only helps widgets look and behave the
same way: a top widget with ``.parts``, messages shown beside a field (never a traceback),
and figures shown as PNG images with their alt text as a caption.

CSS classes added here
----------------------
``bc-app``        every top widget (next to its own ``bc-{app}``)
``bc-error``      a message area beside a field (empty until something is wrong)
``bc-figure``     an image showing a rendered figure
``bc-caption``    the alt text written under a figure
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import ipywidgets as widgets
import traitlets

from .. import palette
from ..errors import BackcourseError
from ..model import Course
from ..render import render

# Errors a learner can cause by typing or choosing something; their own message is shown.
USER_ERRORS: tuple[type[BaseException], ...] = (BackcourseError, ValueError, KeyError)
# Anything else is a bug or the machine (a full disk, a folder that cannot be written): a
# widget still never shows a traceback. The message says what failed, and the traceback goes
# to this logger for whoever investigates.
log = logging.getLogger("backcourse.widgets")

# Colours with enough contrast on a white page; JupyterLab's own variables win in dark mode.
ERROR_COLOUR = f"var(--jp-error-color1, {palette.ALERT})"
MUTED_COLOUR = f"var(--jp-ui-font-color2, {palette.MUTED})"

F = TypeVar("F", bound=Callable[..., Any])


def get_course(course: Course | None) -> Course:
    """The course given, or the bundled one (loaded once and cached by the catalog)."""
    if course is not None:
        return course
    from ..catalog import load_course

    return load_course()


class App(widgets.VBox):
    """The top widget of a course app: a column of parts, reachable by name.

    Attributes
    ----------
    parts
        Name -> child widget, for tests and for notebooks that want to reach inside.
    title
        A short name, used as the text a viewer without widgets sees.
    """

    def __init__(self, name: str, title: str, children: Iterable[widgets.Widget], **kwargs: Any):
        super().__init__(children=tuple(children), **kwargs)
        self.parts: dict[str, widgets.Widget] = {}
        self.title = title
        self.add_class("bc-app")
        self.add_class(f"bc-{name}")

    def __repr__(self) -> str:
        # What a page without live widgets shows (and what nbval compares): short and stable.
        return f"{self.title} (interactive: run this notebook in Jupyter to use it)"


class StateApp(App):
    """An App that can also report a yes/no state other code may watch (e.g. ``clear``)."""

    clear = traitlets.Bool(False)


def add_classes(widget: widgets.Widget, *names: str) -> widgets.Widget:
    """Add CSS classes to a widget and return it (handy inside expressions)."""
    for name in names:
        widget.add_class(name)
    return widget


class FixedLayout(widgets.Layout):
    """A Layout that never changes once made, so several widgets can share it safely."""

    CSS = frozenset(n for n in widgets.Layout.class_trait_names(sync=True) if n[0] != "_")

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self.CSS and getattr(self, "_fixed", False):
            raise AttributeError(
                f"this layout is shared by several widgets (fixed_layout); give the widget "
                f"its own widgets.Layout to change {name!r}"
            )
        super().__setattr__(name, value)


# Within ``shared_layouts()``: CSS -> the one FixedLayout the widgets asking for it share.
_SHARED: ContextVar[dict[tuple[tuple[str, str], ...], FixedLayout] | None] = ContextVar(
    "shared_layouts", default=None
)


@contextmanager
def shared_layouts() -> Iterator[None]:
    """While an app is built, widgets asking ``fixed_layout`` for the same CSS share one.

    Why: every ipywidgets Layout is a model of its own, and the page creates every model
    before it shows anything; the routine builder had 191 Layouts, most of them alike.
    """
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def fixed_layout(**css: str) -> widgets.Layout:
    """A Layout with this CSS that is never changed later: shared inside ``shared_layouts``
    (a new one outside it). A widget whose layout changes later (shown, hidden, recoloured)
    needs its own ``widgets.Layout``; changing a fixed one raises."""
    shared = _SHARED.get()
    key = tuple(sorted(css.items()))
    if shared is not None and key in shared:
        return shared[key]
    layout = FixedLayout(**css)
    layout._fixed = True  # type: ignore[attr-defined]
    if shared is not None:
        shared[key] = layout
    return layout


def error_area(app: str) -> widgets.HTML:
    """An empty message area for one field (class ``bc-error`` and ``bc-{app}-error``)."""
    return add_classes(widgets.HTML("", layout=fixed_layout()), "bc-error", f"bc-{app}-error")


def error_html(message: str) -> str:
    """A message in red text that screen readers announce (role=alert)."""
    return render("widgets/error.html", message=str(message), colour=ERROR_COLOUR)


def show_error(area: widgets.HTML, error: BaseException | str) -> None:
    """Show an error's message (without the exception's class name) in a message area."""
    area.value = error_html(_message(error))


def clear_error(area: widgets.HTML) -> None:
    area.value = ""


def _message(error: BaseException | str) -> str:
    if isinstance(error, str):
        return error
    if isinstance(error, KeyError) and error.args:
        return f"Not found: {error.args[0]}"
    if isinstance(error, USER_ERRORS):
        return str(error)
    if isinstance(error, OSError):
        where = f" {error.filename}" if error.filename else ""
        return f"Could not use{where}: {error.strerror or error}. Check the path and try again."
    if isinstance(error, RecursionError):
        return "That is nested too deeply to read."
    detail = str(error)
    detail = detail if len(detail) <= 200 else detail[:199] + "…"
    return (
        f"Something went wrong ({type(error).__name__}{': ' + detail if detail else ''}). "
        "Nothing was changed by this step; try again, or restart the notebook."
    )


def report_error(area: widgets.HTML, error: BaseException) -> None:
    """Show any exception beside the control as a message (unexpected ones are logged)."""
    if not isinstance(error, USER_ERRORS):
        log.error("widget action failed", exc_info=error)
    show_error(area, error)


def run_guarded(area: widgets.HTML, action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``action``; any exception becomes a message in ``area`` (then returns None).

    The area is cleared first, so a corrected value clears the message.
    """
    clear_error(area)
    try:
        return action(*args, **kwargs)
    except Exception as exc:  # a widget never raises into the page: every error is shown
        report_error(area, exc)
        return None


def guarded(area: widgets.HTML) -> Callable[[F], F]:
    """Decorator for callbacks: any exception becomes a message in ``area`` (``run_guarded``).

    A learner's mistake shows its own message; anything unexpected says what failed and is
    logged. The message area is cleared before each call, so a corrected value clears it.
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return run_guarded(area, func, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def figure_png(fig: Any) -> tuple[bytes, str]:
    """A matplotlib Figure as (PNG bytes, alt text)."""
    from ..figures import style

    return style.to_png(fig), str(getattr(fig, "alt_text", ""))


def picture_ready(exercise: Any, course: Course, dpi: int) -> bool:
    """True when an exercise's picture ships with the package (drawn at build time), so
    showing it costs a file read and need not wait its turn behind the routine's text."""
    from ..illustrate import bundled

    return bundled.picture(exercise, course, dpi) is not None


def picture(app: str, part: str) -> tuple[widgets.Image, widgets.HTML]:
    """An empty image and its caption, classed ``bc-{app}-{part}`` and ``bc-{app}-caption``."""
    image = add_classes(
        widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto")),
        "bc-figure",
        f"bc-{app}-{part}",
    )
    caption = add_classes(widgets.HTML(""), "bc-caption", f"bc-{app}-caption")
    return image, caption


def show_picture(image: widgets.Image, caption: widgets.HTML, png: bytes, alt: str) -> None:
    """Put a PNG in an image widget, with its alt text as the visible caption under it.

    (No tooltip on the image: ipywidgets' ImageView fails to render with one.)
    """
    image.value = png
    caption.value = render("widgets/caption.html", alt=alt, colour=MUTED_COLOUR)


class CourseKey:
    """A hashable stand-in for a course in cache keys: its data folder plus one entry.

    Course objects hold read-only mappings, so they cannot be hashed; the folder they were
    loaded from, together with the (hashable, frozen) entry, identifies a rendering.
    The course itself rides along so the cached function can use it.
    """

    __slots__ = ("course", "key")

    def __init__(self, course: Course, *key: Any) -> None:
        self.course = course
        self.key = (course.root, *key)

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CourseKey) and self.key == other.key


# The value of an "Any"/"All" choice in a Dropdown. Not None: a Dropdown whose value is None
# shows an empty box instead of the choice's label.
ANY = "any"
