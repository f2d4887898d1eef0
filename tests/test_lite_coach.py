"""The camera coach in the browser-only course (``make lite``), with a fake camera and no
other host reachable.

The built site is served on localhost; Chromium's fake camera plays a clip of a drawn person
doing squats at a known pace (coach/clips.py). A learner opens JupyterLite, starts a new
notebook, types one cell that shows a short session, switches the coach on and plays the
session through. Python runs in the page (Pyodide); the coach's files are not in the course's
wheel but beside it in the site, fetched only when the coach is switched on and checked
against the sums the wheel carries. The count must match the clip within one, the session
log (browser storage) must carry it, and nothing may be asked of another host: the test
blocks and records such requests, and the site's own Content-Security-Policy must refuse
them too.
"""

from __future__ import annotations

import os
import re

import pytest
from browser_support import (
    PANEL,
    _expect,
    _wait_kernel_status,
    error_outputs,
    wait_kernel_idle,
)
from coach_support import (
    SQUAT_PERIOD,
    assert_policy_stops_other_hosts,
    cell_source,
    launch,
    squat_clip,
    switch_on_and_play,
    true_reps,
)
from static_site import built_site, offline_context, serve
from test_lite import FONT_CACHE, KERNEL_START, LITE

from conftest import browser_available

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LOG_NOTE = (
    "from backcourse.progress import ProgressLog\n"
    "with ProgressLog() as log:\n"
    "    print(log.sessions()[-1].entry.note)"
)


@pytest.fixture(scope="module")
def site():
    root = built_site(LITE, "lite")
    if not (root / "coach" / "SHA256SUMS").is_file():
        message = f"{root} was built without the camera coach (make coach needs npm)"
        if os.environ.get("BACKCOURSE_REQUIRE_BROWSER"):  # CI builds both
            pytest.fail(message)
        pytest.skip(message)
    with serve(root) as s:
        yield s


@pytest.fixture(scope="module")
def pw():
    if not browser_available():
        if os.environ.get("BACKCOURSE_REQUIRE_BROWSER"):
            pytest.fail("Debian's chromium is required here (BACKCOURSE_REQUIRE_BROWSER)")
        pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


def run_cell(page, index: int, source: str) -> None:
    """Type ``source`` into the notebook's cell ``index`` and run it (Shift+Enter)."""
    editor = page.locator(f"{PANEL} .jp-CodeCell").nth(index).locator(".cm-content")
    editor.click()
    page.keyboard.insert_text(source)  # as pasted: no auto-indent or closing brackets
    page.keyboard.press("Shift+Enter")


def refuse(context, name: str, problem: str) -> None:
    """Serve one coach file wrong (missing, or changed) for the next request only (on the
    context: JupyterLite's service worker makes the page's requests)."""

    def answer(route) -> None:
        if problem == "missing":
            route.fulfill(status=404, body="")
        else:
            body = route.fetch().body()
            route.fulfill(status=200, body=body[:-1] + bytes([body[-1] ^ 1]))
        context.unroute(f"**/coach/{name}")

    context.route(f"**/coach/{name}", answer)


def test_the_coach_counts_squats_in_the_browser_only_site(pw, site, tmp_path) -> None:
    clip = squat_clip(tmp_path / "squats.y4m")
    browser = launch(pw, clip)
    try:
        with offline_context(browser, site, viewport={"width": 1280, "height": 1000}) as ctx:
            ctx.context.grant_permissions(["camera"], origin=site.base_url.rstrip("/"))
            page = ctx.context.new_page()
            page.set_default_timeout(60_000)
            coach_requests: list[str] = []
            ctx.context.on(
                "request",
                lambda r: coach_requests.append(r.url) if "/coach/" in r.url else None,
            )
            # a new notebook from the launcher, as a learner starts one
            page.goto(site.url("lab/index.html"), wait_until="domcontentloaded")
            page.locator(".jp-LauncherCard[data-category='Notebook']").first.click()
            page.locator(f"{PANEL} .jp-CodeCell").first.wait_for()
            _wait_kernel_status(page, ("idle",), KERNEL_START)
            run_cell(page, 0, cell_source("squat", 3, None))
            player = page.locator(f"{PANEL} .bc-sp").first
            # the kernel may not have marked the cell busy yet: wait for the player itself
            _expect()(player).to_be_visible(timeout=120_000)
            wait_kernel_idle(page, timeout=120)
            errors = [e for e in error_outputs(page) if FONT_CACHE not in e]
            assert not errors, errors
            assert_policy_stops_other_hosts(page, ctx.blocked)

            panel = player.locator(".bc-sp-coach")
            switch = panel.locator(".bc-sp-coach-on")
            assert switch.is_enabled(), panel.inner_text()
            _expect()(panel).to_have_attribute("data-coach", "off")
            assert not coach_requests, f"coach files fetched before switching on: {coach_requests}"
            # a file missing from the site, then one changed: a message, the switch off again
            for problem, words in (
                ("missing", "is missing from this site"),
                ("changed", "is not the file the course was built with"),
            ):
                refuse(ctx.context, "pose_landmarker_lite.task", problem)
                # click, not check(): a refused file can turn the switch back off before
                # Playwright looks at it, and that is what must happen
                switch.click()
                _expect()(panel).to_have_attribute("data-coach", "failed", timeout=60_000)
                _expect()(panel.locator(".bc-sp-coach-status")).to_contain_text(words)
                _expect()(switch).not_to_be_checked()
            coach_requests.clear()

            shown = switch_on_and_play(
                page, page.locator(PANEL), "rep", ctx.blocked, "lite-coach-squats",
                skip_ready=True, was="failed",
            )  # fmt: skip
            fetched = sorted({re.sub(r"[?#].*", "", u).rsplit("/", 1)[1] for u in coach_requests})
            assert fetched == sorted(
                ["coach.js", "vision_bundle.mjs", "vision_wasm_internal.js",
                 "vision_wasm_internal.wasm", "pose_landmarker_lite.task"]
            ), fetched  # fmt: skip
            assert all(u.startswith(site.url("coach/")) for u in coach_requests), coach_requests
            watched = shown["t1"] - shown["t0"]
            assert shown["reps"] in true_reps(watched, SQUAT_PERIOD), (
                f"the coach counted {shown['reps']} squats in {watched:.1f} s of a clip with "
                f"one every {SQUAT_PERIOD} s (expected {watched / SQUAT_PERIOD:.1f} +-1)"
            )
            # the session log, in the browser's storage, carries the count
            run_cell(page, 1, LOG_NOTE)
            out = page.locator(f"{PANEL} .jp-CodeCell").nth(1).locator(".jp-OutputArea-output")
            _expect()(out.first).to_contain_text(
                f"Squat {shown['reps']} reps counted", timeout=60_000
            )
            assert not ctx.blocked, f"requests to other hosts: {ctx.blocked}"
    finally:
        browser.close()
