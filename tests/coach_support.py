"""Helpers for the camera coach's browser tests (JupyterLab, Voila, the browser-only site).

A clip of a drawn person (coach/clips.py) is played by Chromium's fake camera in a loop; the
learner switches the coach on, starts a one-exercise session and plays it through. What the
coach counted is compared with the clip's own pace over the video time it watched.
"""

from __future__ import annotations

import math
import re
import sys
import time
from pathlib import Path

from browser_support import CHROMIUM, CHROMIUM_ARGS, ROOT, screenshot

sys.path.insert(0, str(ROOT / "coach"))
import clips

SQUAT_PERIOD = 2.4
BRIDGE_HOLD = 5.0


def cell_source(exercise: str, reps: int, hold_s: int | None) -> str:
    """One cell that shows a one-exercise session (the learner's routine, made small)."""
    return (
        "from backcourse import Profile, load_course\n"
        "from backcourse.model import Prescription, Routine\n"
        "from backcourse.widgets import build_session_player\n"
        "course = load_course()\n"
        f"item = Prescription(course.exercises[{exercise!r}], 'main', 1, {reps}, {hold_s}, "
        "False, 0, 1.0, 'coach test')\n"
        "me = Profile(pain_now=3, weeks_since_onset=10, minutes_per_session=5, "
        "sessions_per_week=3)\n"
        "build_session_player(Routine(me, (item,), 1.0, 'settling', (), course))"
    )


def notebook(exercise: str, reps: int, hold_s: int | None) -> dict:
    """A notebook of that one cell."""
    return {
        "cells": [
            {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
             "source": cell_source(exercise, reps, hold_s)}
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }  # fmt: skip


def squat_clip(path: Path) -> Path:
    """Five side-view squats, one every SQUAT_PERIOD seconds, as a Y4M file at ``path``."""
    clip, make = clips.squat_clip(clips.PEOPLE[0], "side", reps=5, period=SQUAT_PERIOD, lead=0)
    clips.write_y4m(path, clips.frames(make, clip.seconds))
    return path


def launch(pw, clip: Path):
    """Debian's Chromium with a fake camera playing ``clip`` (camera prompts answered yes)."""
    return pw.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={clip}",
        ],
    )


def guard(context, base_url: str) -> list[str]:
    """Block every request that is not to the test's own server; return the blocked ones."""
    blocked: list[str] = []
    own = re.compile("^(" + re.escape(base_url.rstrip("/")) + "|blob:|data:)")

    def check(route) -> None:
        url = route.request.url
        if own.match(url):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", check)
    return blocked


def switch_on_and_play(
    page,
    scope,
    reps_wanted: str,
    blocked: list,
    shot: str,
    *,
    skip_ready: bool = False,
    was: str = "off",
) -> dict:
    """Pain score, coach on (waits for the camera), Start (and, with ``skip_ready``, Skip
    the get-ready wait, as a learner who is in place already); returns what the page
    showed, with ``coach_blocked``: requests to other hosts made once the coach was on.
    ``was``: the coach's state before (off, or failed after an earlier try)."""
    from playwright.sync_api import expect

    player = scope.locator(".bc-sp").first
    expect(player).to_be_visible(timeout=60_000)
    panel = player.locator(".bc-sp-coach")
    expect(panel).to_have_attribute("data-coach", was)
    assert "never leave this device" in panel.inner_text()
    before = len(blocked)
    panel.locator(".bc-sp-coach-on").check()
    expect(panel).to_have_attribute("data-coach", "on", timeout=120_000)
    expect(panel).to_have_attribute("data-seen", "1", timeout=30_000)
    player.locator(".bc-sp-pain-before label", has_text="3").first.click()
    player.locator(".bc-sp-start").click()
    if skip_ready:
        expect(player).to_have_attribute("data-kind", "ready")
        player.locator(".bc-sp-skip").click()
    expect(player).to_have_attribute("data-kind", reps_wanted, timeout=60_000)
    t0 = float(panel.get_attribute("data-video-time"))
    shown: dict = {"t0": t0}
    deadline = time.monotonic() + 120
    while player.get_attribute("data-phase") != "after" and time.monotonic() < deadline:
        t = panel.get_attribute("data-video-time")
        if t is not None:
            shown["t1"] = float(t)
        reps = panel.get_attribute("data-reps")
        if reps and "shot" not in shown and int(reps) >= 2:
            folder = screenshot(page, shot).parent
            shown["shot"] = folder / f"{shot}.png"
            player.screenshot(path=str(shown["shot"]))
            # the learner can hide the skeleton drawn over their picture, and bring it back
            skeleton = panel.locator(".bc-sp-coach-skeleton")
            expect(skeleton).to_be_visible()
            panel.locator(".bc-sp-coach-overlay").uncheck()
            expect(skeleton).to_be_hidden()
            panel.locator(".bc-sp-coach-overlay").check()
            expect(skeleton).to_be_visible()
        time.sleep(0.1)
    expect(player).to_have_attribute("data-phase", "after")
    shown["reps"] = int(panel.get_attribute("data-reps") or 0)
    shown["last_hold"] = float(panel.get_attribute("data-last-hold") or 0)
    player.locator(".bc-sp-pain-after label", has_text="2").first.click()
    player.locator(".bc-sp-effort label", has_text="4").first.click()
    player.locator(".bc-sp-save").click()
    expect(player).to_have_attribute("data-phase", "saved", timeout=30_000)
    shown["coach_blocked"] = blocked[before:]
    return shown


# Try to reach another host from the page and report the Content-Security-Policy directives
# that stopped it: the page's own policy, not the test's request blocking, must say no.
CSP_PROBE = """async () => {
  const seen = [];
  document.addEventListener("securitypolicyviolation", (e) => seen.push(e.effectiveDirective));
  try { await fetch("http://192.0.2.1/probe"); } catch (e) {}
  await new Promise((r) => setTimeout(r, 300));
  return seen;
}"""


def assert_policy_stops_other_hosts(page, blocked: list) -> None:
    before = len(blocked)
    stopped = page.evaluate(CSP_PROBE)
    assert "connect-src" in stopped, f"no connect-src policy stopped the request: {stopped}"
    assert len(blocked) == before, "the request left the page: the policy did not stop it"


def true_reps(watched: float, period: float) -> range:
    """The reps a clip with one every ``period`` seconds completes in ``watched`` seconds:
    floor or ceil of the ratio, by where in a rep the watching began; the coach may be one
    off either way (the issue's +-1)."""
    return range(math.floor(watched / period) - 1, math.ceil(watched / period) + 2)
