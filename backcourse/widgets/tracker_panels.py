"""The tracker's parts other than the form (the entries list, the views, the data buttons)
and how the page lays them all out; also the entries' labels and reading an upload.
Building only: the tracker wires the handlers.
"""

from __future__ import annotations

import io
from typing import Any

import ipywidgets as widgets

from ..progress import LogEntry
from .common import picture
from .tracker_form import build_form, form_layout
from .tracker_views import heading, hint, short_day


def build_parts() -> dict[str, widgets.Widget]:
    """Every part of the tracker by name (see the tracker module's docstring)."""
    p: dict[str, widgets.Widget] = {}
    p["where"] = widgets.HTML()
    p["error"] = widgets.HTML()
    p["status"] = widgets.HTML()
    build_form(p)
    p["entries"] = widgets.Select(
        options=[], value=None, rows=10, layout=widgets.Layout(width="34em")
    )
    p["delete"] = widgets.Button(description="Delete", icon="trash", disabled=True)
    p["confirm-text"] = widgets.HTML()
    p["confirm-delete"] = widgets.Button(description="Yes, delete it", button_style="danger")
    p["cancel-delete"] = widgets.Button(description="Keep it")
    p["confirm"] = widgets.HBox(
        [p["confirm-text"], p["confirm-delete"], p["cancel-delete"]],
        layout=widgets.Layout(display="none", align_items="center"),
    )
    p["problems"] = widgets.HTML()
    p["advice"] = widgets.HTML()
    p["chart"], p["chart-caption"] = picture("tracker", "chart")
    p["chart"].format = "svg+xml"  # the trend chart is SVG (figures.charts.pain_trend_svg)
    p["sessions"] = widgets.HTML()
    p["psfs-table"] = widgets.HTML()
    p["download"] = widgets.Button(description="Download CSV", icon="download")
    p["download-link"] = widgets.HTML()
    p["upload"] = widgets.FileUpload(
        accept=".csv,text/csv", multiple=False, description="Upload CSV"
    )
    p["upload-report"] = widgets.HTML()
    return p


def page_layout(p: dict[str, widgets.Widget]) -> list[widgets.Widget]:
    """The tracker's page, top to bottom: where the log is, the form beside the entries, the
    advice, the chart, the tables, the data buttons. Adds the form box as ``p["form"]``."""

    def section(text: str) -> widgets.HTML:
        return widgets.HTML(heading(text))

    form = p["form"] = form_layout(p)
    entries = widgets.VBox(
        [
            section("Your entries"),
            widgets.HTML(hint("Choose an entry to change it in the form.")),
            p["entries"],
            p["delete"],
            p["confirm"],
            p["problems"],
        ]
    )
    flow = widgets.Layout(flex_flow="row wrap", align_items="flex-start")
    data = widgets.VBox(
        [
            section("Your data"),
            widgets.HTML(
                hint(
                    "Download a CSV copy to keep (for example before a Binder session "
                    "ends) or to open in a spreadsheet; upload one to add its entries "
                    "back. Entries already in the log are skipped. A note that starts "
                    "with =, +, - or @ gets an apostrophe in front, so a spreadsheet "
                    "shows it as text; uploading takes the apostrophe off again."
                )
            ),
            widgets.HBox([p["download"], p["upload"]]),
            p["download-link"],
            p["upload-report"],
        ]
    )
    return [
        p["where"],
        p["error"],
        p["status"],
        widgets.HBox([form, entries], layout=flow),
        section("What the course suggests"),
        p["advice"],
        section("Pain over time"),
        p["chart"],
        p["chart-caption"],
        widgets.HBox(
            [
                widgets.Box([p["sessions"]], layout=widgets.Layout(margin="0 32px 0 0")),
                p["psfs-table"],
            ],
            layout=flow,
        ),
        data,
    ]


def entry_label(e: LogEntry) -> str:
    """An entry as one line of the list: day, pain, exercise, and a hint of the rest."""
    parts = [f"{short_day(e.day)} · pain {e.pain}"]
    parts.append(f"exercised {e.minutes} min" if e.exercised else "no exercise")
    if e.psfs:
        parts.append("activities rated")
    if e.note:
        note = e.note if len(e.note) <= 30 else e.note[:29] + "…"
        parts.append(f"“{note}”")
    return " · ".join(parts)


def read_upload(f: Any) -> tuple[str, io.BytesIO]:
    """A FileUpload value (a dict, or an object in ipywidgets 8) as (name, readable bytes)."""
    name = str(f.get("name", "the file") if isinstance(f, dict) else getattr(f, "name", "the file"))
    content = f["content"] if isinstance(f, dict) else f.content
    buf = io.BytesIO(bytes(content))
    buf.name = name  # type: ignore[attr-defined]  # names the file in messages
    return name, buf
