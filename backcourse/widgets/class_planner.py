"""The class planner: a roster CSV in, one group session and a handout per person out.

The rules live in ``backcourse.trainer``: this widget reads the roster (an upload or a path),
calls ``parse_roster``, ``plan_class`` and ``write_handouts``, and shows what came back.

Parts (``top.parts``)
---------------------
``intro``     HTML: what the roster needs, with a link to download an empty roster
``upload``    FileUpload: a roster CSV from the trainer's computer
``path``      Text: or the path of a roster CSV on the server
``folder``    Text: where the handouts go (created when missing)
``plan``      Button: read the roster, plan the session and write the handouts
``progress``  IntProgress: handouts written so far
``status``    HTML: one line on what happened
``problems``  HTML: the roster lines skipped, each with its line number and reason
``report``    HTML: the trainer's report (see ``backcourse.trainer.report_html``)
``error``     HTML: a message when the roster cannot be read at all

Attributes: ``top.plan`` (the last ``ClassPlan`` or None), ``top.files`` (the handouts
written last, a tuple of paths).

CSS classes: ``bc-classes`` (top) and ``bc-classes-{part}`` for every part above.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets

from ..export import download_link
from ..model import Course
from ..render import render
from ..trainer import (
    parse_roster,
    plan_class,
    read_roster,
    report_html,
    roster_template,
    write_handouts,
)
from .common import App, add_classes, error_area, get_course, guarded

APP = "classes"


def build_class_planner(course: Course | None = None, *, folder: str = "handouts") -> App:
    """The class planner for a trainer: roster in, group session and handouts out.

    Parameters
    ----------
    course
        The loaded course; the bundled one when omitted.
    folder
        Where the handouts are written at first (the trainer can change it).

    Returns
    -------
    App
        A VBox with ``.parts``, ``.plan`` and ``.files`` (see the module docstring).
    """
    course = get_course(course)
    template = download_link(
        "roster.csv", "Download an empty roster", data=roster_template().encode("utf-8")
    )
    intro = widgets.HTML(render("widgets/classes_intro.html", link=template))
    upload = widgets.FileUpload(accept=".csv,text/csv", multiple=False, description="Roster")
    path = widgets.Text(
        placeholder="or the path of a roster CSV file",
        description="Path",
        layout=widgets.Layout(width="32em"),
    )
    out_folder = widgets.Text(
        value=str(folder), description="Save to", layout=widgets.Layout(width="32em")
    )
    plan_button = widgets.Button(
        description="Plan the class",
        button_style="primary",
        tooltip="Read the roster, plan one session for the group and write the handouts",
        layout=widgets.Layout(width="auto"),
    )
    progress = widgets.IntProgress(value=0, min=0, max=1, description="Written")
    status = widgets.HTML("")
    problems = widgets.HTML("")
    report = widgets.HTML("")
    error = error_area(APP)
    parts = {
        "intro": intro,
        "upload": upload,
        "path": path,
        "folder": out_folder,
        "plan": plan_button,
        "progress": progress,
        "status": status,
        "problems": problems,
        "report": report,
    }
    for name, widget in parts.items():
        add_classes(widget, f"bc-{APP}-{name}")
    parts["error"] = error

    top = App(
        APP,
        "Class planner",
        [
            intro,
            widgets.HBox([upload, path]),
            widgets.HBox([out_folder, plan_button]),
            progress,
            status,
            error,
            problems,
            report,
        ],
    )
    top.parts = parts
    top.plan = None
    top.files = ()

    def roster():
        if upload.value:
            item = upload.value[0]
            return parse_roster(bytes(item["content"]), course), str(item["name"])
        where = path.value.strip()
        if not where:
            raise ValueError("Choose a roster file to upload, or type the path of one.")
        if not Path(where).is_file():
            raise ValueError(f"There is no file at {where}.")
        return read_roster(where, course), Path(where).name

    def on_progress(done: int, total: int) -> None:
        progress.max = max(total, 1)
        progress.value = done
        status.value = f"Writing handouts: {done} of {total}"

    @guarded(error)
    def run(_=None) -> None:
        for area in (status, problems, report):
            area.value = ""
        progress.value = 0
        top.plan, top.files = None, ()
        where = out_folder.value.strip()
        if not where:
            raise ValueError("Type the folder the handouts should go into.")
        rost, source = roster()
        plan = plan_class(rost, course)
        top.plan = plan
        problems.value = _problems_html(rost)
        report.value = report_html(plan, problems=False)
        top.files = files = write_handouts(plan, where, progress=on_progress)
        status.value = render(
            "widgets/classes_status.html", n=len(files), where=where, source=source
        )

    plan_button.on_click(run)
    top.run = run
    return top


def _problems_html(roster) -> str:
    if not roster.problems:
        return ""
    return render("widgets/classes_problems.html", problems=[str(p) for p in roster.problems])
