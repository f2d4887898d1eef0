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


@pytest.fixture(scope="module")
def voila(browser, tmp_path_factory):
    if not APP.exists():
        pytest.xfail(f"{APP.relative_to(ROOT)} not written yet")
    root = copy_course(tmp_path_factory.mktemp("voila-root"))
    shutil.copy(ROOT / "voila.json", root / "voila.json")
    server = start_voila(root / "notebooks" / APP.name, root=root, timeout=LOAD_TIMEOUT)
    yield server
    server.stop()


@pytest.mark.browser
def test_voila_routine_builder(voila, browser, course) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    elsewhere: list[str] = []
    asked: list[str] = []
    context.on("request", lambda r: asked.append(r.url))
    context.on(
        "request",
        lambda r: (
            elsewhere.append(r.url)
            if urlparse(r.url).hostname not in (None, "127.0.0.1", "localhost")
            and not r.url.startswith(("data:", "blob:"))
            else None
        ),
    )
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
        # The widget extensions' entry files are named in the page's head, so the browser
        # asks for them at once; Voila's script must then use those answers, not ask again.
        preloaded = page.eval_on_selector_all(
            "link[rel=preload][as=script]", "links => links.map(l => l.href)"
        )
        entries = [u for u in asked if "/voila/labextensions/" in u and "remoteEntry" in u]
        assert preloaded and sorted(preloaded) == sorted(entries), (preloaded, entries)
        code = page.locator(".jp-InputArea-editor, .jp-CodeMirrorEditor, .cm-editor")
        assert code.count() == 0, "the app shows code; Voila should show only the outputs"
        screenshot(page, "voila-app")

        drive_routine_builder(app, course)
        wait_kernel_quiet(page)  # a callback's error arrives after the change it follows
        errors = voila_errors(page)
        if errors:
            pytest.fail("errors while using the builder:\n" + "\n\n".join(errors))
        # Voila's page scrolls inside its own container, so a full-page shot shows no more
        # than the window: scroll to the routine instead.
        scroll_to_top(app.locator(".bc-builder-summary").first)
        screenshot(page, "voila-app-routine")
        assert not elsewhere, f"the app asked other hosts for: {elsewhere}"
    finally:
        context.close()
