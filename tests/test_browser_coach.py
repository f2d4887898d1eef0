"""The camera coach in a real browser: Debian's Chromium with a fake camera playing a clip.

The clip is a drawn person doing squats (or bridges with holds) at a known pace
(coach/clips.py), played by Chromium's fake camera in a loop. The learner switches the coach
on, starts the session and plays it through; the reps the coach counted must match the
clip's pace over the time it watched, within one, a timed hold must match the clip's within
1 s, and the saved session's note in the progress log must carry the count. Every request
to a host other than the test's own server is blocked and must never be made.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from browser_support import (
    close_notebook,
    copy_course,
    open_notebook,
    open_voila,
    run_all_cells,
    start_lab,
    start_voila,
    voila_errors,
    wait_kernel_idle,
)
from coach_support import (
    BRIDGE_HOLD,
    SQUAT_PERIOD,
    assert_policy_stops_other_hosts,
    clips,
    guard,
    launch,
    notebook,
    squat_clip,
    switch_on_and_play,
    true_reps,
)

from backcourse import coach
from backcourse.progress import ProgressLog
from conftest import browser_available

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def pw():
    if not browser_available():
        pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium")
    if not coach.assets_ready():
        if os.environ.get("BACKCOURSE_REQUIRE_BROWSER"):  # CI builds the coach: make coach
            pytest.fail("the camera coach's files are not built: make coach")
        pytest.skip("the camera coach is not built (make coach needs npm)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


def logged_note(log_path: Path) -> str:
    with ProgressLog(log_path) as log:
        [rec] = log.sessions()
    return rec.entry.note


def test_voila_coach_counts_squats_from_the_camera(pw, tmp_path):
    clip_path = squat_clip(tmp_path / "squats.y4m")
    root = copy_course(tmp_path / "voila")
    nb = root / "notebooks" / "coach_squat.ipynb"
    nb.write_text(json.dumps(notebook("squat", 5, None)))
    server = start_voila(nb, extra=["--template=backcourse"])
    browser = launch(pw, clip_path)
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        context.grant_permissions(["camera"], origin=server.base_url.rstrip("/"))
        blocked = guard(context, server.base_url)
        page = open_voila(context, server, timeout=120)
        assert_policy_stops_other_hosts(page, blocked)
        shown = switch_on_and_play(page, page, "rep", blocked, "coach-voila-squats")
        errors = voila_errors(page)
        assert not errors, "errors on the Voila page:\n" + "\n\n".join(errors)
        watched = shown["t1"] - shown["t0"]
        assert shown["reps"] in true_reps(watched, SQUAT_PERIOD), (
            f"the coach counted {shown['reps']} squats in {watched:.1f} s of a clip with one "
            f"every {SQUAT_PERIOD} s (expected {watched / SQUAT_PERIOD:.1f} +-1)"
        )
        note = logged_note(server.state_dir / "progress.sqlite3")
        assert f"Squat {shown['reps']} reps counted" in note, note
        assert not blocked, f"requests to other hosts: {blocked}"
        context.close()
    finally:
        browser.close()
        server.stop()


def test_lab_coach_times_bridge_holds(pw, tmp_path):
    clip_path = tmp_path / "bridges.y4m"
    clip, make = clips.bridge_clip(clips.PEOPLE[2], holds=(BRIDGE_HOLD, BRIDGE_HOLD))
    clips.write_y4m(clip_path, clips.frames(make, clip.seconds))
    root = copy_course(tmp_path / "lab")
    (root / "notebooks" / "coach_bridge.ipynb").write_text(
        json.dumps(notebook("glute_bridge", 3, 5))
    )
    server = start_lab(root)
    browser = launch(pw, clip_path)
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        context.grant_permissions(["camera"], origin=server.base_url.rstrip("/"))
        blocked = guard(context, server.base_url)
        page = open_notebook(context, server, "coach_bridge.ipynb")
        run_all_cells(page)
        wait_kernel_idle(page)
        assert_policy_stops_other_hosts(page, blocked)
        out = page.locator(".jp-OutputArea").first
        shown = switch_on_and_play(page, out, "rep", blocked, "coach-lab-bridges")
        watched = shown["t1"] - shown["t0"]
        cycle = clip.seconds / len(clip.holds)
        assert shown["reps"] in true_reps(watched, cycle), (shown, watched, cycle)
        assert abs(shown["last_hold"] - BRIDGE_HOLD) <= 1, (
            f"the coach timed a {BRIDGE_HOLD} s hold as {shown['last_hold']} s"
        )
        note = logged_note(server.state_dir / "progress.sqlite3")
        assert f"Glute bridge {shown['reps']} reps counted" in note, note
        assert not blocked, f"requests to other hosts: {blocked}"
        close_notebook(page, server)
        context.close()
    finally:
        browser.close()
        server.stop()
