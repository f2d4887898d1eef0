"""Every notebook in JupyterLab, in headless Chromium, as a learner runs it.

For each notebooks/*.ipynb (found when tests are collected):

* ``<notebook>-run``: open it (``?reset``), Run > Run All Cells, wait for the kernel; no error
  output, every code cell ran, and each course app it builds (``build_xxx(``) is drawn;
* ``<notebook>-<app>``: act on that app as a learner would and check what appears (see the
  ``drive_*`` functions in browser_support.py).

One JupyterLab server serves a temporary copy of notebooks/ and course_data/ for the whole
run; each notebook gets one page, and its kernel is shut down before the next one opens.
Screenshots go to $BACKCOURSE_SCREENSHOTS (default /tmp/backcourse-screens):
``lab-<notebook>.png`` after the run, ``lab-<notebook>-<bc-app>.png`` after using an app, and
``...-failed`` / ``...-missing-...`` when something went wrong.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    APPS,
    PANEL,
    ROOT,
    WIDGET_SELECTOR,
    apps_called,
    close_notebook,
    copy_course,
    error_outputs,
    open_notebook,
    run_all_cells,
    screenshot,
    scroll_to_top,
    start_lab,
    unrun_cells,
    wait_kernel_idle,
)

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# Apps the course plan puts in given notebooks: if one goes missing, so would its test.
EXPECTED_APPS = {
    "00_start_here": ["build_red_flag_check"],
    "01_anatomy": ["build_muscle_explorer"],
    "03_exercise_technique": ["build_exercise_browser"],
    "04_program_design": ["build_routine_builder"],
    "app_routine_builder": ["build_routine_builder"],
}
RUN_TIMEOUT = 150  # s for Run All Cells in one notebook
APPEAR_TIMEOUT = 20_000  # ms for an app's widgets to be drawn once the kernel is idle
VIEWPORT = {"width": 1400, "height": 1000}


def _missing_module_mark(apps) -> list:
    missing = [a for a in apps if not a.module_exists]
    if not missing:
        return []
    files = ", ".join(f"backcourse/widgets/{a.module}.py" for a in missing)
    return [pytest.mark.xfail(reason=f"{files} not written yet", strict=False)]


def _cases():
    for nb in NOTEBOOKS:
        try:
            apps = apps_called(nb)
        except (OSError, ValueError):  # being written right now: the run test will say so
            apps = []
        yield pytest.param(nb.name, None, id=f"{nb.stem}-run", marks=_missing_module_mark(apps))
        for app in apps:
            if app.driver is not None:
                yield pytest.param(
                    nb.name,
                    app.build,
                    id=f"{nb.stem}-{app.build.removeprefix('build_')}",
                    marks=_missing_module_mark([app]),
                )


@dataclass
class Opened:
    """A notebook open in its page after Run All Cells, and what that run left behind."""

    name: str
    page: Any = None
    errors: list[str] = field(default_factory=list)
    unrun: list[int] = field(default_factory=list)
    failure: str = ""


class LabSession:
    """One JupyterLab server and browser context; one notebook (page + kernel) open at once."""

    def __init__(self, browser, root: Path) -> None:
        self.server = start_lab(copy_course(root))
        self.context = browser.new_context(viewport=VIEWPORT)
        self.current: Opened | None = None

    def notebook(self, name: str) -> Opened:
        """The notebook, opened and run once; the one open before is closed first."""
        if self.current is not None and self.current.name == name:
            return self.current
        self.close_current()
        opened = Opened(name)
        try:
            opened.page = open_notebook(self.context, self.server, name)
            run_all_cells(opened.page)
            wait_kernel_idle(opened.page, timeout=RUN_TIMEOUT)
            opened.errors = error_outputs(opened.page)
            opened.unrun = unrun_cells(opened.page)
        except Exception as exc:  # reported by every test of this notebook
            opened.failure = (
                f"{type(exc).__name__}: {exc}\n--- server log (end) ---\n{self.server.log(2000)}"
            )
            if opened.page is not None:
                screenshot(opened.page, f"lab-{Path(name).stem}-failed")
        self.current = opened
        return opened

    def close_current(self) -> None:
        if self.current is not None and self.current.page is not None:
            close_notebook(self.current.page, self.server)
        self.current = None

    def close(self) -> None:
        try:
            self.close_current()
        finally:
            try:
                self.context.close()
            finally:
                self.server.stop()


@pytest.fixture(scope="module")
def lab(browser, tmp_path_factory):
    session = LabSession(browser, tmp_path_factory.mktemp("lab-root"))
    yield session
    session.close()


def _fmt(errors: list[str]) -> str:
    return "\n\n".join(f"--- error {n} ---\n{e}" for n, e in enumerate(errors, 1))


@pytest.mark.browser
@pytest.mark.parametrize(("notebook", "build"), list(_cases()))
def test_notebook_in_lab(lab, course, notebook: str, build: str | None) -> None:
    opened = lab.notebook(notebook)
    if opened.failure:
        pytest.fail(f"{notebook}: could not open and run it in JupyterLab:\n{opened.failure}")
    page = opened.page
    stem = Path(notebook).stem
    panel = page.locator(PANEL)
    if build is None:
        _check_run(opened, panel, stem)
    else:
        _check_app(opened, panel, stem, build, course)


def _check_run(opened: Opened, panel, stem: str) -> None:
    page, notebook = opened.page, opened.name
    if opened.errors:
        pytest.fail(
            f"{notebook} shows {len(opened.errors)} error output(s) after Run All Cells:\n"
            f"{_fmt(opened.errors)}"
        )
    if opened.unrun:
        pytest.fail(f"{notebook}: code cells {opened.unrun} did not run (prompt [ ])")
    apps = apps_called(ROOT / "notebooks" / notebook)
    called = {a.build for a in apps}
    missing = [b for b in EXPECTED_APPS.get(stem, []) if b not in called]
    if missing:
        pytest.fail(f"{notebook} no longer calls {missing}; the course plan puts it there")
    if apps:
        panel.locator(WIDGET_SELECTOR).first.wait_for(state="attached", timeout=APPEAR_TIMEOUT)
        for app in apps:
            top = panel.locator(f".{app.css}").first
            try:
                top.wait_for(state="visible", timeout=APPEAR_TIMEOUT)
            except Exception:  # a Playwright timeout
                screenshot(page, f"lab-{stem}-missing-{app.css}")
                pytest.fail(f"{notebook} calls {app.build}() but no .{app.css} was drawn")
        _showcase(panel, apps[0].css)
    late = error_outputs(page)  # widget views fail in the browser after the kernel is idle
    if late:
        pytest.fail(f"{notebook}: errors once its widgets were drawn:\n{_fmt(late)}")
    screenshot(page, f"lab-{stem}")


# What a screenshot of a notebook shows: the lesson text just before its first app, or for
# the builder, the routine it built.
SHOWCASE = {"bc-builder": ".bc-builder-summary"}


def _showcase(panel, css: str) -> None:
    if css in SHOWCASE:
        scroll_to_top(panel.locator(SHOWCASE[css]).first)
        return
    cell = panel.locator(".jp-Cell", has=panel.page.locator(f".{css}")).first
    before = cell.locator("xpath=preceding-sibling::*[contains(@class, 'jp-Cell')][1]")
    scroll_to_top(before if before.count() else cell)


def _check_app(opened: Opened, panel, stem: str, build: str, course) -> None:
    page, notebook = opened.page, opened.name
    app = APPS[build]
    tops = panel.locator(f".{app.css}")
    try:
        tops.first.wait_for(state="visible", timeout=APPEAR_TIMEOUT)
    except Exception:  # a Playwright timeout
        pytest.fail(f"{notebook}: no .{app.css} was drawn (see the {stem}-run test)")
    before = Counter(error_outputs(page))
    # Every quiz in a lesson is driven; for other apps, the first one.
    count = tops.count() if app.css == "bc-quiz" else 1
    for i in range(count):
        top = tops.nth(i)
        top.scroll_into_view_if_needed()
        try:
            app.driver(top, course)
            wait_kernel_idle(page)  # a callback's error arrives after the change it follows
        finally:
            screenshot(page, f"lab-{stem}-{app.css}" + (f"-{i + 1}" if count > 1 else ""))
    new = list((Counter(error_outputs(page)) - before).elements())
    if new:
        pytest.fail(f"{notebook}: errors while using .{app.css}:\n{_fmt(new)}")
