"""The guided session in a real browser (Debian's Chromium), in Voila and in JupyterLab.

A learner opens the routine builder, presses "Start today's session", gives a pain score,
starts at a test speed (BACKCOURSE_SESSION_SPEED, read by the kernel), sees the countdown
move, pauses and resumes, finishes, answers the two questions and saves; the entry must be
in the server's progress log. axe-core (npm, tests/a11y) checks WCAG 2.2 A/AA on the app
with a routine and with the player running, and on the HTML handout; on a 390 x 844 phone
nothing may end right of the screen. Screenshots go to $BACKCOURSE_SCREENSHOTS.
"""

from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser_support import (
    ROOT,
    close_notebook,
    copy_course,
    open_notebook,
    open_voila,
    run_all_cells,
    screenshot,
    set_int_text,
    start_lab,
    start_voila,
    voila_errors,
    wait_kernel_idle,
)

from backcourse.progress import ProgressLog

AXE = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SPEED = "25"  # a 5-minute routine plays in about 12 s
APP = ROOT / "notebooks" / "app_routine_builder.ipynb"
LOAD_TIMEOUT = 120
PHONE = {"width": 390, "height": 844}


@contextmanager
def session_speed(value: str):
    """Servers started inside inherit the test speed (their kernels read it)."""
    old = os.environ.get("BACKCOURSE_SESSION_SPEED")
    os.environ["BACKCOURSE_SESSION_SPEED"] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("BACKCOURSE_SESSION_SPEED", None)
        else:
            os.environ["BACKCOURSE_SESSION_SPEED"] = old


def axe_violations(page, scope: str = "document") -> list[str]:
    """Serious and critical WCAG 2.2 A/AA violations inside ``scope`` (a CSS selector)."""
    if not AXE.exists():
        if os.environ.get("BACKCOURSE_REQUIRE_BROWSER"):
            pytest.fail(f"{AXE} is missing: npm ci --prefix tests/a11y")
        pytest.skip("axe-core is not installed: npm ci --prefix tests/a11y")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """([scope, tags]) => axe.run(
            scope === 'document' ? document : document.querySelectorAll(scope),
            {runOnly: {type: 'tag', values: tags}})""",
        [scope, AXE_TAGS],
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def overflow_right(page, width: int) -> list[str]:
    """What scrolls sideways or ends right of ``width`` px (the page scrolled to the left).

    A box that scrolls sideways counts, wherever it is (Voila scrolls inside its own
    container); so does any visible element ending right of the screen, unless a box
    that clips its overflow (``overflow: hidden``) cuts it off inside the screen."""
    return page.evaluate(
        """(w) => {
            const name = (e) =>
                e.tagName.toLowerCase() + [...e.classList].map(c => '.' + c).join('');
            const out = [];
            for (const e of [document.documentElement, ...document.querySelectorAll('body *')]) {
                const s = getComputedStyle(e);
                const scrolls = e === document.documentElement || /(auto|scroll)/.test(s.overflowX);
                if (scrolls && e.scrollWidth > e.clientWidth + 1)
                    out.push(`${name(e)} scrolls sideways (${e.scrollWidth} > ${e.clientWidth})`);
            }
            for (const e of document.querySelectorAll('body *')) {
                const r = e.getBoundingClientRect();
                if (r.width === 0 || r.height === 0 || r.right <= w + 0.5) continue;
                if (getComputedStyle(e).visibility === 'hidden') continue;
                let p = e.parentElement, clipped = false;
                while (p && p !== document.body) {
                    const s = getComputedStyle(p);
                    const inside = p.getBoundingClientRect().right <= w + 0.5;
                    if (/(hidden|clip)/.test(s.overflowX) && inside) { clipped = true; break; }
                    p = p.parentElement;
                }
                if (!clipped) out.push(name(e) + ' ends at ' + Math.round(r.right) + ' px');
            }
            return out.slice(0, 20);
        }""",
        width,
    )


def drive_player(page, scope, log_path: Path, shots: str) -> None:
    """Start the session, see the countdown move, pause, resume, finish and save."""
    from playwright.sync_api import expect

    player = scope.locator(".bc-sp").first
    expect(player).to_be_visible(timeout=30_000)
    expect(player).to_have_attribute("data-phase", "before")
    start = player.locator(".bc-sp-start")
    expect(start).to_be_disabled()
    player.locator(".bc-sp-pain-before label", has_text="3").first.click()
    expect(start).to_be_enabled()
    t0 = time.perf_counter()
    start.click()
    expect(player).to_have_attribute("data-phase", "running")
    count = player.locator(".bc-sp-count")
    expect(count).not_to_have_text("")
    first = (player.get_attribute("data-index"), player.get_attribute("data-remaining"))
    # the countdown moves, with no help from the kernel
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        now = (player.get_attribute("data-index"), player.get_attribute("data-remaining"))
        if now != first:
            break
        time.sleep(0.05)
    assert now != first, f"the countdown did not move from {first} in 10 s"
    # mid-hold screenshot when a hold comes up
    for _ in range(200):
        if player.get_attribute("data-kind") == "hold":
            break
        time.sleep(0.05)
    player.locator(".bc-sp-pause").click()
    expect(player).to_have_attribute("data-phase", "paused")
    expect(player.locator(".bc-sp-pause")).to_have_text("Resume")
    paused = (player.get_attribute("data-index"), player.get_attribute("data-remaining"))
    player.scroll_into_view_if_needed()
    screenshot(page, shots + "-paused")
    time.sleep(1.0)
    assert (player.get_attribute("data-index"), player.get_attribute("data-remaining")) == paused
    # the keyboard: space resumes (focus on the player, not on a button)
    player.focus()
    page.keyboard.press("Space")
    expect(player).to_have_attribute("data-phase", "running")
    expect(player).to_have_attribute("data-phase", "after", timeout=120_000)
    played = time.perf_counter() - t0
    player.locator(".bc-sp-pain-after label", has_text="2").first.click()
    player.locator(".bc-sp-effort label", has_text="5").first.click()
    player.locator(".bc-sp-save").click()
    saved = player.locator(".bc-sp-saved-text")
    expect(saved).not_to_have_text("", timeout=30_000)
    expect(player).to_have_attribute("data-phase", "saved")
    screenshot(page, shots + "-saved")
    with ProgressLog(log_path) as log:
        [rec] = log.sessions()
    assert (rec.pain_before, rec.pain_after, rec.entry.effort, rec.stopped) == (3, 2, 5, False)
    assert rec.entry.exercised and rec.entry.minutes >= 1
    # the log holds the session time the clock counted, not the time the page was open
    assert rec.seconds_done <= played * float(SPEED) + 5


@pytest.fixture(scope="module")
def voila(browser, tmp_path_factory):
    root = copy_course(tmp_path_factory.mktemp("voila-session"))
    with session_speed(SPEED):  # the app's own page, as `make app` serves it
        server = start_voila(root / "notebooks" / APP.name, extra=["--template=backcourse"])
    yield server
    server.stop()


def _open_app(context, voila):
    page = open_voila(context, voila, timeout=LOAD_TIMEOUT)
    app = page.locator(".bc-builder").first
    app.wait_for(state="visible", timeout=LOAD_TIMEOUT * 1000)
    app.locator(".bc-builder-item").first.wait_for(state="visible", timeout=LOAD_TIMEOUT * 1000)
    return page, app


@pytest.mark.browser
def test_voila_session_played_and_logged(voila, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page, app = _open_app(context, voila)
        violations = axe_violations(page)
        assert not violations, "axe on the app with a routine:\n" + "\n".join(violations)
        set_int_text(app.locator(".bc-builder-minutes").first, 5)
        page.wait_for_timeout(1500)
        app.locator(".bc-session-start").first.click()
        player = app.locator(".bc-sp").first
        player.wait_for(state="visible", timeout=30_000)
        violations = axe_violations(page)
        assert not violations, "axe with the player open:\n" + "\n".join(violations)
        drive_player(page, app, voila.state_dir / "progress.sqlite3", "voila-session")
        errors = voila_errors(page)
        assert not errors, "errors on the Voila page:\n" + "\n\n".join(errors)
    finally:
        context.close()


@pytest.mark.browser
def test_voila_player_running_passes_axe_and_fits_a_phone(voila, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page, app = _open_app(context, voila)
        wide = overflow_right(page, PHONE["width"])
        assert not wide, "on a 390 px phone, the app runs off the screen:\n" + "\n".join(wide)
        app.locator(".bc-session-start").first.click()
        player = app.locator(".bc-sp").first
        player.wait_for(state="visible", timeout=30_000)
        player.locator(".bc-sp-pain-before label", has_text="4").first.click()
        player.locator(".bc-sp-start").click()
        for _ in range(400):  # a hold, for the screenshot
            if player.get_attribute("data-kind") == "hold":
                break
            time.sleep(0.05)
        player.locator(".bc-sp-pause").click()
        violations = axe_violations(page)
        assert not violations, "axe with the player running:\n" + "\n".join(violations)
        wide = overflow_right(page, PHONE["width"])
        assert not wide, "on a 390 px phone, the player runs off the screen:\n" + "\n".join(wide)
        player.locator(".bc-sp-stage").scroll_into_view_if_needed()
        screenshot(page, "voila-session-phone-hold")
        # Stop – it hurts: the advice shows at once and the session is recorded
        player.locator(".bc-sp-stop").click()
        stop = player.locator(".bc-sp-stop-info")
        assert stop.is_visible() and "doctor" in stop.inner_text()
        player.locator(".bc-sp-undo").wait_for(state="visible", timeout=30_000)
        with ProgressLog(voila.state_dir / "progress.sqlite3") as log:
            assert any(r.stopped for r in log.sessions())
    finally:
        context.close()


@pytest.mark.browser
def test_html_handout_passes_axe(browser, course, tmp_path):
    from backcourse import Profile, build_routine

    routine = build_routine(
        Profile(pain_now=3, weeks_since_onset=10, minutes_per_session=20, sessions_per_week=3),
        course,
    )
    path = tmp_path / "handout.html"
    path.write_text(routine.to_html(), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(path.as_uri())
        violations = axe_violations(page)
        assert not violations, "axe on the HTML handout:\n" + "\n".join(violations)
        phone = browser.new_context(viewport=PHONE, is_mobile=True)
        p2 = phone.new_page()
        p2.goto(path.as_uri())
        wide = overflow_right(p2, PHONE["width"])
        phone.close()
        assert not wide, "the handout runs off a 390 px phone:\n" + "\n".join(wide)
    finally:
        context.close()


LAB_NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": [
                "from backcourse import Profile, build_routine\n",
                "from backcourse.widgets import build_session_player\n",
                "me = Profile(pain_now=3, weeks_since_onset=10, minutes_per_session=5, "
                "sessions_per_week=3)\n",
                "build_session_player(build_routine(me).plan(12))",
            ],
        }
    ],
    "metadata": {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


@pytest.mark.browser
def test_lab_session_played_and_logged(browser, tmp_path_factory):
    root = copy_course(tmp_path_factory.mktemp("lab-session"))
    (root / "notebooks" / "play.ipynb").write_text(json.dumps(LAB_NOTEBOOK))
    with session_speed(SPEED):
        server = start_lab(root)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = open_notebook(context, server, "play.ipynb")
        run_all_cells(page)
        wait_kernel_idle(page)
        out = page.locator(".jp-OutputArea").first
        out.locator(".bc-sp").wait_for(state="visible", timeout=30_000)
        violations = axe_violations(page, ".jp-OutputArea")
        assert not violations, "axe on the player in Lab:\n" + "\n".join(violations)
        drive_player(page, out, server.state_dir / "progress.sqlite3", "lab-session")
        close_notebook(page, server)
    finally:
        context.close()
        server.stop()
