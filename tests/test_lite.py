"""The browser-only course (``make lite``) in headless Chromium, with no other host reachable.

The built site (``_build/lite``) is served on localhost; every request to any other host is
blocked and recorded, and the tests fail if there was one. A learner's steps:

* notebook 04 opens in JupyterLite, runs (Python in the browser: Pyodide), and the routine
  builder answers changes (minutes, a red flag) like it does in JupyterLab;
* in notebook 05 the tracker records an entry, and the entry is still there after the page
  is reloaded.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from browser_support import (
    PANEL,
    ROOT,
    _expect,
    _routine_text,
    _settled_routine,
    _wait_kernel_status,
    click_toggle,
    error_outputs,
    run_all_cells,
    screenshot,
    set_int_text,
    wait_kernel_idle,
    wait_until,
)
from static_site import built_site, offline_context, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LITE = ROOT / "_build" / "lite"
KERNEL_START = 180  # s: a cold Pyodide start on 2 shared cores
RUN_TIMEOUT = 240  # s for Run All Cells in one notebook
VIEWPORT = {"width": 1280, "height": 900}
# Said once per kernel start on stderr by matplotlib in Pyodide (its cache lives in memory).
FONT_CACHE = "Matplotlib is building the font cache"


@pytest.fixture(scope="module")
def site():
    with serve(built_site(LITE, "lite")) as s:
        yield s


@pytest.fixture
def offline(browser, site):
    with offline_context(browser, site, viewport=VIEWPORT) as ctx:
        yield ctx
        assert not ctx.blocked, f"requests to other hosts: {ctx.blocked[:10]}"


def open_lab_notebook(context, site, name: str):
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(site.url(f"lab/index.html?path={name}"), wait_until="domcontentloaded")
    page.locator(f"{PANEL} .jp-Notebook .jp-Cell").first.wait_for(state="attached")
    _wait_kernel_status(page, ("idle",), KERNEL_START)
    return page


def run_notebook(page, name: str) -> None:
    run_all_cells(page)
    wait_kernel_idle(page, timeout=RUN_TIMEOUT)
    errors = [e for e in error_outputs(page) if FONT_CACHE not in e]
    if errors:
        screenshot(page, f"lite-{name}-failed", full_page=True)
    assert not errors, f"{name}: error outputs in JupyterLite:\n" + "\n---\n".join(errors)


def test_lite_config_serves_its_own_python(site) -> None:
    """No CDN: Pyodide from the site, PyPI fallback off, every package file in the lock."""
    import json

    config = json.loads((site.root / "jupyter-lite.json").read_text())
    kernel = config["jupyter-config-data"]["litePluginSettings"][
        "@jupyterlite/pyodide-kernel-extension:kernel"
    ]
    assert kernel["disablePyPIFallback"] is True
    assert not re.match(r"^[a-z]+:", kernel["pyodideUrl"]), kernel["pyodideUrl"]
    pyodide = site.root / "static" / "pyodide"
    lock = json.loads((pyodide / "pyodide-lock.json").read_text())
    assert lock["info"]["version"] == "0.27.7"
    for name, entry in lock["packages"].items():
        assert (pyodide / entry["file_name"]).is_file(), f"{name}: {entry['file_name']} missing"
    for needed in ("backcourse", "numpy", "matplotlib", "ipywidgets", "pyyaml", "anywidget"):
        assert needed in lock["packages"], f"{needed} is not in the site"
    notebooks = {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
    shipped = {p.name for p in (site.root / "files").glob("*.ipynb")}
    assert notebooks <= shipped, f"notebooks missing from the site: {notebooks - shipped}"


def test_notebook_04_answers_change_the_routine_after_run_all(offline, site, course) -> None:
    """Notebook 04 runs and shows a routine, and a learner's answers reach the kernel and
    the page after Run All: more minutes give another routine; an emergency warning sign
    replaces the routine with advice.

    A known bug, not in the kernel, is checked on the way (it was a strict xfail of its own,
    folded in here to spare CI a second run of notebook 04): after Run All Cells in
    JupyterLite (notebook in command mode), Enter in the minutes box fires no 'change'
    event in the page, so the answer is sent only when the box loses focus (Tab or a click
    elsewhere; the README says so). The test fails once Enter sends it: then drop the Tab
    and the README's note."""
    page = open_lab_notebook(offline.context, site, "04_program_design.ipynb")
    run_notebook(page, "04")
    app = page.locator(f"{PANEL} .bc-builder").first
    app.scroll_into_view_if_needed()
    item = app.locator(".bc-builder-item").first
    item.wait_for()
    assert item.inner_text().strip(), "the routine builder shows an empty routine"
    screenshot(page, "lite-04-builder")
    before = _settled_routine(app, "first routine")
    box = app.locator(".bc-builder-minutes input").first
    wanted = 45 if int(box.input_value()) < 30 else 10
    box.fill(str(wanted))
    box.evaluate(
        "e => { e.dataset.changed = '0';"
        " e.addEventListener('change', () => (e.dataset.changed = '1'), {once: true}); }"
    )
    box.press("Enter")
    enter_sent = box.get_attribute("data-changed") == "1"  # the event is synchronous
    box.press("Tab")  # commits the answer
    assert box.get_attribute("data-changed") == "1", "the probe saw no change event at Tab"
    wait_until(
        lambda: _routine_text(app) != before,
        f"new routine for {wanted} minutes",
        lambda: _routine_text(app)[:300],
        timeout=60,
    )
    emergency = next(f for f in course.red_flags.values() if f.tier == "emergency")
    app.locator(f".bc-builder-flag-{emergency.id} input").first.check()
    advice = app.locator(".bc-builder-advice").first
    title = course.red_flag_tiers["emergency"]["title"]
    wait_until(lambda: title in advice.inner_text(), "emergency advice", advice.inner_text)
    wait_until(
        lambda: not app.locator(".bc-builder-routine").first.is_visible(),
        "the routine hidden while a warning sign is ticked",
    )
    screenshot(page, "lite-04-answered")
    assert not enter_sent, (
        "Enter now sends the answer in JupyterLite: drop the Tab here and the README's note"
    )


def test_the_app_opens_on_its_own(offline, site) -> None:
    """The routine builder app in JupyterLite's notebook view (the README's and the book's
    link): Run All Cells shows a routine, with nothing from another host."""
    page = offline.context.new_page()
    page.set_default_timeout(60_000)
    page.goto(site.url("notebooks/index.html?path=app_routine_builder.ipynb"))
    page.locator(f"{PANEL} .jp-Notebook .jp-Cell").first.wait_for(state="attached")
    # The notebook view says "Kernel Connecting" until Pyodide is up, then nothing; Run All
    # before that is lost.
    status = page.locator(".jp-NotebookKernelStatus").first
    _expect()(status).to_contain_text("Connecting", timeout=60_000)
    _expect()(status).not_to_contain_text("Connecting", timeout=KERNEL_START * 1000)
    run_all_cells(page)
    item = page.locator(f"{PANEL} .bc-builder .bc-builder-item").first
    item.wait_for(timeout=(KERNEL_START + RUN_TIMEOUT) * 1000)
    assert item.inner_text().strip(), "the app shows an empty routine"
    screenshot(page, "lite-app")


def _entries(tracker) -> list[str]:
    texts = tracker.locator(".bc-tracker-entries select option").all_inner_texts()
    return [" ".join(t.split()) for t in texts]


def _open_tracker(context, site):
    page = open_lab_notebook(context, site, "05_tracking_progress.ipynb")
    run_notebook(page, "05")
    tracker = page.locator(f"{PANEL} .bc-tracker").first
    tracker.scroll_into_view_if_needed()
    tracker.locator(".bc-tracker-save").first.wait_for()
    return page, tracker


def test_the_log_records_in_the_browser_and_survives_a_reload(offline, site) -> None:

    page, tracker = _open_tracker(offline.context, site)
    before = _entries(tracker)
    where = tracker.locator(".bc-tracker-where").first.inner_text()
    assert "/drive/" in where, f"the log is not on the browser's drive: {where!r}"
    click_toggle(tracker.locator(".bc-tracker-pain").first, "6")
    click_toggle(tracker.locator(".bc-tracker-exercised").first, "Yes")
    set_int_text(tracker.locator(".bc-tracker-minutes").first, 25)
    tracker.locator(".bc-tracker-save").first.click()
    deadline = time.monotonic() + 30
    while len(_entries(tracker)) == len(before) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    after = _entries(tracker)
    assert len(after) == len(before) + 1, (
        f"no new entry in the list: {after}; status: "
        f"{tracker.locator('.bc-tracker-status').first.inner_text()!r}; errors: "
        f"{tracker.locator('.bc-error').all_inner_texts()}"
    )
    new = next(e for e in after if e not in before)
    assert "6" in new, f"the new entry does not show pain 6: {new!r}"
    # The trend chart: drawn (a PNG the browser decoded) and described in words.
    chart = tracker.locator(".bc-tracker-chart").first
    chart.wait_for()
    wait_until(
        lambda: chart.evaluate("i => i.complete && i.naturalWidth > 0"),
        "the trend chart drawn",
    )
    assert tracker.locator(".bc-tracker-chart-caption").first.inner_text().strip()
    # The CSV download: a file the browser saves, holding the entry just recorded.
    tracker.locator(".bc-tracker-download").first.click()
    link = tracker.locator(".bc-tracker-download-link a[download]").first
    link.wait_for(timeout=30_000)
    with page.expect_download() as saved:
        link.click()
    csv_text = Path(saved.value.path()).read_text()
    rows = csv_text.strip().splitlines()
    assert len(rows) == len(after) + 1, f"{len(after)} entries, CSV rows: {rows}"
    assert "pain" in rows[0].lower(), rows[0]
    assert any(",6," in f",{r}," for r in rows[1:]), f"no row with pain 6: {rows}"
    screenshot(page, "lite-05-tracker")
    page.close()

    # A reload: a new page, a new kernel, the same browser storage.
    page, tracker = _open_tracker(offline.context, site)
    assert new in _entries(tracker), f"{new!r} is gone after a reload: {_entries(tracker)}"
    screenshot(page, "lite-05-after-reload")
    page.close()
