"""The camera coach without a browser: coach.yaml checked against the course, the files the
kernel sends the page, what reaches the log, and coach.js's counter on made-up landmarks
(run by Node, when it is installed)."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from backcourse import coach, load_course
from backcourse.errors import CourseDataError
from backcourse.model import Prescription, Routine
from backcourse.progress import ProgressLog
from backcourse.widgets import build_session_player
from backcourse.widgets.session_player import STATIC

ROOT = Path(__file__).resolve().parent.parent


def edit(data_copy: Path, change) -> None:
    path = data_copy / "coach.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_every_cue_is_one_of_the_exercises_own_mistakes(course):
    settings = coach.coach_settings(course)
    for ex_id, cfg in settings["exercises"].items():
        for cue in cfg["cues"]:
            assert cue["mistake"] in course.exercises[ex_id].mistakes


def test_the_coach_counts_only_exercises_measured_at_90_percent(course):
    settings = coach.coach_settings(course)
    on = coach.coached(course)
    assert settings["enable_at"] >= 0.9
    for ex_id, cfg in settings["exercises"].items():
        assert (ex_id in on) == (cfg["accuracy"]["reps"] >= 0.9)


@pytest.mark.parametrize(
    ("change", "entry", "field"),
    [
        (lambda d: d["exercises"]["squat"]["cues"][0].update(mistake="Bouncing"), "squat",
         "cues[0].mistake"),
        (lambda d: d["exercises"]["squat"].update(measure="elbow_wiggle"), "squat", "measure"),
        (lambda d: d["exercises"]["squat"].update(enter=0.95), "squat", "enter"),
        (lambda d: d["exercises"].update(moonwalk=copy.deepcopy(d["exercises"]["squat"])),
         "moonwalk", None),
        (lambda d: d["words"].pop("explain"), "words", "explain"),
    ],
)  # fmt: skip
def test_a_wrong_coach_yaml_names_the_entry_and_field(data_copy, change, entry, field):
    edit(data_copy, change)
    with pytest.raises(CourseDataError) as err:
        coach.coach_settings(load_course(data_copy))
    assert (err.value.file, err.value.entry, err.value.field) == ("coach.yaml", entry, field)


def one_exercise(course, ex_id: str, reps: int, hold_s: int | None = None) -> Routine:
    from backcourse import Profile

    item = Prescription(course.exercises[ex_id], "main", 1, reps, hold_s, False, 0, 1.0, "test")
    me = Profile(pain_now=3, weeks_since_onset=10, minutes_per_session=5, sessions_per_week=3)
    return Routine(me, (item,), 1.0, "settling", (), course)


def test_the_player_offers_the_coach_off_with_its_words(course, tmp_path):
    app = build_session_player(one_exercise(course, "squat", 5), course, tmp_path / "l.sqlite")
    got = app.player.coach
    assert got["words"]["explain"] == coach.coach_settings(course)["words"]["explain"]
    assert set(got["exercises"]) == {"squat"} & set(coach.coached(course))
    js = (STATIC / "session_player.js").read_text()
    # off until the learner switches it on: an unchecked box, files asked for only then
    assert 'make("input", { type: "checkbox", class: "bc-sp-coach-on" })' in js


def test_without_its_files_the_coach_says_so_and_asking_anyway_is_a_message(
    course, tmp_path, monkeypatch
):
    # a copy of the course built without npm, or the browser-only site: no coach files
    monkeypatch.setattr(coach, "ASSETS", tmp_path / "no-coach")
    app = build_session_player(one_exercise(course, "squat", 5), course, tmp_path / "l.sqlite")
    assert app.player.coach["ready"] is False
    assert app.player.coach["site"] is None
    words = yaml.safe_load((ROOT / "course_data" / "coach.yaml").read_text())["words"]
    assert app.player.coach["words"]["unavailable"] == words["unavailable"]
    sent: list = []
    monkeypatch.setattr(app.player, "send", lambda msg, buffers=None: sent.append(msg))
    app.player._handle_custom_msg({"event": "coach_files"}, [])  # a stale page asks anyway
    assert not sent
    assert "make coach" in app.player.error


SUMS = {n: f"{k:064x}" for k, n in enumerate(("coach.js", *coach.ASSET_NAMES), 1)}


def test_in_the_browser_only_site_the_page_fetches_the_files_from_the_site(
    course, tmp_path, monkeypatch
):
    # the site's wheel: no large files, only the manifest make lite wrote beside them
    folder = tmp_path / "site-wheel"
    folder.mkdir()
    (folder / coach.SITE_MANIFEST).write_text(json.dumps({"folder": "coach/", "sha256": SUMS}))
    monkeypatch.setattr(coach, "ASSETS", folder)
    app = build_session_player(one_exercise(course, "squat", 5), course, tmp_path / "l.sqlite")
    got = app.player.coach
    assert got["ready"] is True
    assert got["site"] == {"folder": "coach/", "sha256": SUMS}
    js = (STATIC / "session_player.js").read_text()
    # fetched by the page with a relative URL under the site's root, checked with sha256
    assert "new URL(site.folder, siteRoot())" in js
    assert 'crypto.subtle.digest("SHA-256"' in js


@pytest.mark.parametrize(
    "manifest",
    [
        {"folder": "https://cdn.example.org/coach/", "sha256": SUMS},
        {"folder": "//cdn.example.org/coach/", "sha256": SUMS},
        {"folder": "/coach/", "sha256": SUMS},
        {"folder": "../coach/", "sha256": SUMS},
        {"folder": "coach/", "sha256": {**SUMS, "coach.js": "not a sum"}},
        {"folder": "coach/", "sha256": {k: v for k, v in SUMS.items() if k != "coach.js"}},
        ["coach/"],
    ],
)
def test_a_site_manifest_that_points_elsewhere_or_lacks_a_sum_means_no_coach(
    course, tmp_path, monkeypatch, manifest
):
    folder = tmp_path / "site-wheel"
    folder.mkdir()
    (folder / coach.SITE_MANIFEST).write_text(json.dumps(manifest))
    monkeypatch.setattr(coach, "ASSETS", folder)
    app = build_session_player(one_exercise(course, "squat", 5), course, tmp_path / "l.sqlite")
    assert app.player.coach["ready"] is False
    assert app.player.coach["site"] is None


@pytest.mark.skipif(not coach.assets_ready(), reason="make coach has not been run")
def test_switching_on_sends_the_packages_own_files_in_pieces(course, tmp_path, monkeypatch):
    app = build_session_player(one_exercise(course, "squat", 5), course, tmp_path / "l.sqlite")
    out: list = []
    monkeypatch.setattr(app.player, "send", lambda msg, buffers=None: out.append((msg, buffers)))
    app.player._handle_custom_msg({"event": "coach_files"}, [])
    assert app.player.error == ""
    joined: dict[str, bytes] = {}
    for msg, buffers in sorted(out, key=lambda m: (m[0]["name"], m[0]["part"])):
        assert msg["type"] == "coach_file" and len(buffers) == 1
        joined[msg["name"]] = joined.get(msg["name"], b"") + bytes(buffers[0])
    assert joined["coach.js"] == (STATIC / "coach.js").read_bytes()
    for name in coach.ASSET_NAMES:
        assert joined[name] == (coach.ASSETS / name).read_bytes(), name


def test_what_the_coach_counted_goes_in_the_log(course, tmp_path):
    path = tmp_path / "log.sqlite"
    app = build_session_player(one_exercise(course, "glute_bridge", 3, 5), course, path)
    app.player._handle_custom_msg(
        {"event": "finish", "pain_before": 3, "pain_after": 2, "effort": 4,
         "seconds_done": 60, "skipped": [],
         "coach": {"glute_bridge": {"reps": 3, "holds": 3, "kept": 2}}},
        [],
    )  # fmt: skip
    assert app.player.error == ""
    with ProgressLog(path) as log:
        [rec] = log.sessions()
    assert "Glute bridge 3 reps counted" in rec.entry.note
    assert "Glute bridge 2 of 3 holds kept" in rec.entry.note


def test_a_bad_summary_from_the_page_is_a_message_not_an_exception(course, tmp_path):
    app = build_session_player(one_exercise(course, "squat", 5), course, tmp_path / "l.sqlite")
    app.player._handle_custom_msg(
        {"event": "finish", "pain_before": 3, "pain_after": 2, "effort": 4,
         "seconds_done": 60, "skipped": [], "coach": {"squat": {"reps": "many"}}},
        [],
    )  # fmt: skip
    assert "reps" in app.player.error
    app.player._handle_custom_msg(
        {"event": "finish", "pain_before": 3, "pain_after": 2, "effort": 4,
         "seconds_done": 60, "skipped": [], "coach": {"plank": {"reps": 2}}},
        [],
    )  # fmt: skip
    assert "plank" in app.player.error


# ------------------------------------------------------------------ coach.js's counter

NODE = shutil.which("node")
COUNT = """
import { Counter } from %s;
import { readFileSync } from "node:fs";
const [cfg, frames] = JSON.parse(readFileSync(0, "utf8"));
const c = new Counter(cfg, 4 / 3);
const cues = [];
for (const [t, lm] of frames) { const q = c.update(lm, t); if (q) cues.push(q); }
console.log(JSON.stringify({ reps: c.reps, holds: c.holds, cues }));
"""


def standing(hip_y: float, knee_gap: float = 0.1) -> list[dict]:
    """33 landmarks of someone facing the camera, hips at ``hip_y`` (ankles at 0.9)."""
    lm = [{"x": 0.5, "y": 0.5, "visibility": 1.0} for _ in range(33)]
    for i, x in ((11, 0.42), (12, 0.58), (23, 0.45), (24, 0.55), (27, 0.44), (28, 0.56)):
        lm[i] = {"x": x, "y": {11: 0.2, 12: 0.2, 23: hip_y, 24: hip_y}.get(i, 0.9),
                 "visibility": 1.0}  # fmt: skip
    knee_y = (hip_y + 0.9) / 2
    lm[25] = {"x": 0.5 - knee_gap / 2, "y": knee_y, "visibility": 1.0}
    lm[26] = {"x": 0.5 + knee_gap / 2, "y": knee_y, "visibility": 1.0}
    for i, y in ((29, 0.91), (30, 0.91), (31, 0.92), (32, 0.92)):
        lm[i] = {"x": 0.44 if i % 2 else 0.56, "y": y, "visibility": 1.0}
    return lm


def run_counter(cfg: dict, frames: list) -> dict:
    script = COUNT % json.dumps((STATIC / "coach.js").as_uri())
    out = subprocess.run(
        [NODE, "--input-type=module", "-e", script],
        input=json.dumps([cfg, frames]), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout)


@pytest.mark.skipif(NODE is None, reason="node is not installed")
@pytest.mark.parametrize("reps", [1, 4, 7])
def test_the_counter_counts_squats_and_cues_knees_caving_in(course, reps):
    import math

    cfg = coach.coach_settings(course)["exercises"]["squat"]
    fps, period = 15, 2.0
    frames = []
    for k in range(int((reps * period + 1.0) * fps)):
        t = k / fps
        u = t / period
        depth = 0.5 - 0.5 * math.cos(2 * math.pi * u) if u < reps else 0.0
        # hips drop by 40 % of their height; in the last rep the knees fall inwards
        hip_y = 0.9 - 0.4 * (1 - 0.4 * depth)
        caving = u >= reps - 1 and u < reps
        frames.append([t, standing(hip_y, 0.02 if caving and depth > 0.5 else 0.12)])
    got = run_counter(cfg, frames)
    assert got["reps"] == reps
    knees = next(c["mistake"] for c in cfg["cues"] if c["check"] == "knees_in")
    assert got["cues"] == [knees]
