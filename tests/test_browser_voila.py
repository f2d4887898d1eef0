"""The routine builder as a web app: notebooks/app_routine_builder.ipynb served by Voila.

Voila runs the notebook from a temporary copy of notebooks/, course_data/ and voila.json, as
``make app`` does (the backcourse template, a preheated kernel); the page must load without
errors, without showing code and without asking any other host for anything, draw the
builder, and answer a learner: other minutes or pain give another routine, and a red flag
replaces it with advice.
Screenshots go to $BACKCOURSE_SCREENSHOTS (default /tmp/backcourse-screens).
"""

from __future__ import annotations

import shutil
import time
import urllib.error
from urllib.parse import urlparse

import pytest
from browser_support import (
    ROOT,
    copy_course,
    drive_routine_builder,
    open_voila,
    screenshot,
    scroll_to_top,
    start_voila,
    voila_errors,
    wait_kernel_quiet,
)

APP = ROOT / "notebooks" / "app_routine_builder.ipynb"
LOAD_TIMEOUT = 120  # s: Voila runs the whole notebook before it sends the page


def _start_app(root):
    """Voila on a copy of the course in ``root``, as ``make app`` serves it (voila.json)."""
    copy_course(root)
    shutil.copy(ROOT / "voila.json", root / "voila.json")
    return start_voila(root / "notebooks" / APP.name, root=root, timeout=LOAD_TIMEOUT)


@pytest.fixture(scope="module")
def voila(browser, tmp_path_factory):
    if not APP.exists():
        pytest.xfail(f"{APP.relative_to(ROOT)} not written yet")
    server = _start_app(tmp_path_factory.mktemp("voila-root"))
    yield server
    server.stop()


@pytest.mark.browser
def test_voila_routine_builder(voila, browser, course) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    asked: list[str] = []
    context.on("request", lambda r: asked.append(r.url))
    try:
        page = open_voila(context, voila, timeout=LOAD_TIMEOUT)
        app = page.locator(".bc-builder").first
        try:
            app.wait_for(state="visible", timeout=LOAD_TIMEOUT * 1000)
        except Exception:  # a Playwright timeout
            screenshot(page, "voila-app-failed")
            pytest.fail(
                f"no .bc-builder on the Voila page; it shows:\n{page.inner_text('body')[:3000]}"
                f"\n--- voila log (end) ---\n{voila.log(2000)}"
            )
        errors = voila_errors(page)
        if errors:
            pytest.fail("errors on the Voila page:\n" + "\n\n".join(errors))
        # One script, the app's own page script, with its version in the address (so the
        # browser keeps it): none of Voila's JupyterLab front end or its extensions.
        scripts = [u for u in asked if urlparse(u).path.endswith(".js")]
        assert len(scripts) == 1, scripts
        assert urlparse(scripts[0]).path.endswith("/voila/templates/backcourse/static/app.js")
        assert "v=" in urlparse(scripts[0]).query, scripts
        code = page.locator(".jp-InputArea-editor, .jp-CodeMirrorEditor, .cm-editor")
        assert code.count() == 0, "the app shows code; Voila should show only the outputs"
        screenshot(page, "voila-app")

        drive_routine_builder(app, course)
        wait_kernel_quiet(page)  # a callback's error arrives after the change it follows
        errors = voila_errors(page)
        if errors:
            pytest.fail("errors while using the builder:\n" + "\n\n".join(errors))
        scroll_to_top(app.locator(".bc-builder-summary").first)
        screenshot(page, "voila-app-routine")
        elsewhere = [
            u
            for u in asked
            if urlparse(u).hostname not in (None, "127.0.0.1", "localhost")
            and not u.startswith(("data:", "blob:"))
        ]
        assert not elsewhere, f"the app asked other hosts for: {elsewhere}"

        # The learner leaves: the page shuts its kernel down at once (not left to be culled).
        kernel_id = page.evaluate(
            "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
        )
        assert voila.api("GET", f"api/kernels/{kernel_id}")["id"] == kernel_id
        page.close(run_before_unload=True)
        assert _gone(voila, kernel_id), (
            f"kernel {kernel_id} still runs after the page closed\n{voila.log(3000)}"
        )
    finally:
        context.close()


def _gone(server, kernel_id: str, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            server.api("GET", f"api/kernels/{kernel_id}")
        except urllib.error.HTTPError as e:
            if e.code == 404:
                return True
        time.sleep(0.2)
    return False


@pytest.mark.browser
def test_voila_page_says_so_when_it_loses_its_server(browser, tmp_path) -> None:
    """The trainer stops the app (or the laptop sleeps): the learner is told, at the top of
    the page, that the app cannot answer, instead of a builder that silently stops."""
    server = _start_app(tmp_path / "voila-root")
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    try:
        page = open_voila(context, server, timeout=LOAD_TIMEOUT)
        page.locator(".bc-builder").first.wait_for(state="visible")
        notice = page.get_by_role("alert").filter(has_text="lost its connection")
        assert notice.count() == 0
        assert not voila_errors(page)
        server.stop()
        notice.wait_for(state="visible", timeout=30_000)
        box = notice.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= 844, box
        screenshot(page, "voila-app-connection-lost")
    finally:
        context.close()
        server.stop()
