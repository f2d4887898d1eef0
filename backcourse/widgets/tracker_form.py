"""The tracker's form for one day: its controls, reading them, filling them, clearing them.

Plain functions over the tracker's ``parts`` dict (name -> widget), so the tracker keeps one
place for every part. Reading the form raises ``EntryError`` for a question left blank; the
values themselves are checked by ``LogEntry``, never here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import ipywidgets as widgets

from ..progress import PSFS_MAX_ACTIVITIES, EntryError, LogEntry
from .tracker_views import day_text, heading, hint

# The fields that can be wrong, and the words a message beside them starts with.
FIELD_LABELS = {
    "day": "Date",
    "pain": "Pain",
    "exercised": "Exercised",
    "minutes": "Minutes",
    "effort": "Effort",
    "psfs": "Activities",
    "note": "Note",
}
SCALE = [(str(i), i) for i in range(11)]  # the 0-10 scales' answers (NPRS, PSFS, effort)
# A dropdown cannot show an option whose value is None, so "not rated" is this sentinel.
UNRATED = ""
_WIDE = {"description_width": "7em"}
_TITLE_MARGIN = "4px 0"


def _inline() -> widgets.Layout:
    """Keeps a ToggleButtons' label on the same line as its buttons (JupyterLab stacks them)."""
    return widgets.Layout(width="auto", display="flex", align_items="center")


def _unsentinel(value: Any) -> Any:
    return None if value == UNRATED else value


def title(text: str) -> str:
    """The form's heading, as HTML."""
    return heading(text, _TITLE_MARGIN)


def build_form(p: dict[str, widgets.Widget]) -> None:
    """Add the form's controls to ``p``: the fields, Save, New entry, and the error areas."""
    p["form-title"] = widgets.HTML(title("Log a day"))
    p["day"] = widgets.DatePicker(value=date.today(), description="Date", style=_WIDE)
    p["pain"] = widgets.ToggleButtons(
        options=SCALE,
        value=None,
        description="Pain (0-10)",
        tooltips=["no pain"] + [""] * 9 + ["worst pain imaginable"],
        style={**_WIDE, "button_width": "3em"},
        layout=_inline(),
    )
    p["exercised"] = widgets.ToggleButtons(
        options=[("Yes", True), ("No", False)],
        value=None,
        description="Exercised?",
        style={**_WIDE, "button_width": "4em"},
        layout=_inline(),
    )
    p["minutes"] = widgets.IntText(
        value=0,
        description="Minutes",
        disabled=True,
        style=_WIDE,
        layout=widgets.Layout(width="14em"),
    )
    p["effort"] = widgets.Dropdown(
        options=[("not rated", UNRATED), *SCALE],
        value=UNRATED,
        description="Effort (0-10)",
        disabled=True,
        style=_WIDE,
        layout=widgets.Layout(width="14em"),
    )
    p["psfs-on"] = widgets.Checkbox(
        value=False,
        description="Rate my activities today (every week or two)",
        indent=False,
        layout=widgets.Layout(width="auto", margin="4px 0 4px 7.5em"),
    )
    rows = []
    for i in range(1, PSFS_MAX_ACTIVITIES + 1):
        p[f"psfs{i}-activity"] = widgets.Text(
            placeholder="an activity your back makes hard",
            description=f"Activity {i}",
            style=_WIDE,
            layout=widgets.Layout(width="26em"),
        )
        p[f"psfs{i}-score"] = widgets.Dropdown(
            options=[("–", UNRATED), *SCALE],
            value=UNRATED,
            description="score",
            style={"description_width": "3em"},
            layout=widgets.Layout(width="8em"),
        )
        rows.append(widgets.HBox([p[f"psfs{i}-activity"], p[f"psfs{i}-score"]]))
    scale_hint = hint(
        "0 = cannot do it at all, 10 = as well as before the pain. "
        "Keep the same activities each time."
    )
    p["psfs"] = widgets.VBox(
        [widgets.HTML(scale_hint, layout=widgets.Layout(margin="0 0 0 7.5em")), *rows],
        layout=widgets.Layout(display="none"),
    )
    p["note"] = widgets.Textarea(
        placeholder="anything worth remembering (optional)",
        description="Note",
        style=_WIDE,
        layout=widgets.Layout(width="30em", height="4em"),
    )
    p["save"] = widgets.Button(description="Save", button_style="primary", icon="check")
    p["new-entry"] = widgets.Button(
        description="New entry instead", layout=widgets.Layout(display="none")
    )
    for name in FIELD_LABELS:
        p[f"error-{name}"] = widgets.HTML()
        p[f"error-{name}"].add_class("bc-error")
    p["error-psfs"].layout.margin = "0 0 0 7.5em"  # under the activities, not beside


def form_layout(p: dict[str, widgets.Widget]) -> widgets.VBox:
    """The form as one box: each field with its error beside it, then the buttons."""

    def beside(name: str) -> widgets.HBox:
        return widgets.HBox(
            [p[name], p[f"error-{name}"]], layout=widgets.Layout(align_items="center")
        )

    return widgets.VBox(
        [
            p["form-title"],
            beside("day"),
            beside("pain"),
            beside("exercised"),
            beside("minutes"),
            beside("effort"),
            p["psfs-on"],
            p["psfs"],
            p["error-psfs"],
            beside("note"),
            widgets.HBox([p["save"], p["new-entry"]]),
        ],
        layout=widgets.Layout(margin="0 24px 0 0"),
    )


def form_values(p: dict[str, widgets.Widget]) -> dict[str, Any]:
    """The form as ``record`` arguments; raises EntryError for a question left blank."""
    if p["day"].value is None:
        raise EntryError("day", "choose a date")
    if p["pain"].value is None:
        raise EntryError("pain", "choose a number (0 = no pain, 10 = worst imaginable)")
    if p["exercised"].value is None:
        raise EntryError("exercised", "choose Yes or No")
    exercised = bool(p["exercised"].value)
    psfs = []
    if p["psfs-on"].value:
        for i in range(1, PSFS_MAX_ACTIVITIES + 1):
            name = p[f"psfs{i}-activity"].value
            score = _unsentinel(p[f"psfs{i}-score"].value)
            if name.strip() or score is not None:
                psfs.append((name, score))
    return {
        "day": p["day"].value,
        "pain": p["pain"].value,
        "exercised": exercised,
        "minutes": p["minutes"].value if exercised else 0,
        "effort": _unsentinel(p["effort"].value) if exercised else None,
        "psfs": psfs,
        "note": p["note"].value,
    }


def clear_form(p: dict[str, widgets.Widget], activities: Sequence[str]) -> None:
    """An empty form for a new entry, dated today; ``activities`` pre-fill the PSFS names."""
    p["day"].value = date.today()
    p["pain"].value = None
    p["exercised"].value = None
    p["minutes"].value = 0
    p["effort"].value = UNRATED
    p["note"].value = ""
    p["psfs-on"].value = False
    for i in range(1, PSFS_MAX_ACTIVITIES + 1):
        p[f"psfs{i}-activity"].value = activities[i - 1] if i <= len(activities) else ""
        p[f"psfs{i}-score"].value = UNRATED
    p["form-title"].value = title("Log a day")
    p["save"].description = "Save"
    p["new-entry"].layout.display = "none"


def fill_form(p: dict[str, widgets.Widget], entry: LogEntry) -> None:
    """Load an entry into the form for editing."""
    p["day"].value = entry.day
    p["pain"].value = entry.pain
    p["exercised"].value = entry.exercised
    p["minutes"].value = entry.minutes
    p["effort"].value = UNRATED if entry.effort is None else entry.effort
    p["note"].value = entry.note
    p["psfs-on"].value = bool(entry.psfs)
    for i in range(1, PSFS_MAX_ACTIVITIES + 1):
        name, score = entry.psfs[i - 1] if i <= len(entry.psfs) else ("", UNRATED)
        p[f"psfs{i}-activity"].value = name
        p[f"psfs{i}-score"].value = score
    p["form-title"].value = title(f"Changing the entry of {day_text(entry.day)}")
    p["save"].description = "Save changes"
    p["new-entry"].layout.display = None
