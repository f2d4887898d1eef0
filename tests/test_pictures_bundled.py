"""The exercise pictures shipped with the package: current, complete, and never stale.

A picture is drawn ahead of time (``make pictures``) so a new routine shows every picture at
once. These tests check that every bundled exercise has a shipped picture that is current,
that it is a real image of the size a fresh drawing has, and that an exercise whose drawing
inputs changed is drawn fresh instead of getting the old file.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import struct
from pathlib import Path

import pytest

from backcourse import export, load_course
from backcourse.figures import style
from backcourse.illustrate import bundled
from backcourse.illustrate import exercise_pictures as poses


@pytest.fixture(scope="module")
def course():
    return load_course()


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    return struct.unpack(">II", png[16:24])


def test_every_bundled_exercise_has_a_current_picture(course):
    index = json.loads((bundled.FOLDER / bundled.INDEX).read_text())
    stale = [
        ex.id
        for ex in course.exercises.values()
        if bundled.picture(ex, course, bundled.PICTURE_DPI) is None
    ]
    assert not stale, f"run `make pictures`: no current shipped picture for {stale}"
    assert set(index) == set(course.exercises), "pictures of exercises the course lacks"


def test_a_shipped_picture_matches_a_fresh_drawing(course):
    ex = course.exercises["bird_dog"]
    png, alt = bundled.picture(ex, course, bundled.PICTURE_DPI)
    fig = poses.exercise_figure(ex, course)
    fresh = style.to_png(fig, dpi=bundled.PICTURE_DPI)
    assert _png_size(png) == _png_size(fresh)
    assert alt == fig.alt_text and ex.name in alt


def test_a_shipped_picture_looks_like_the_full_colour_drawing_at_a_fraction_of_the_bytes(course):
    """The pictures are stored with a small palette (every page that shows one carries it):
    pixel for pixel they must stay within a few shades of the full-colour drawing."""
    import io

    import numpy as np
    from PIL import Image

    for ex_id in ("bird_dog", "plank", "glute_bridge"):
        ex = course.exercises[ex_id]
        png, _alt = bundled.picture(ex, course, bundled.PICTURE_DPI)
        full = style.to_png(poses.exercise_figure(ex, course), dpi=bundled.PICTURE_DPI)
        with Image.open(io.BytesIO(png)) as shipped, Image.open(io.BytesIO(full)) as drawn:
            assert shipped.mode == "P" and len(shipped.getcolors()) <= 64, ex_id
            a = np.asarray(shipped.convert("RGB"), dtype=float)
            b = np.asarray(drawn.convert("RGB"), dtype=float)
        diff = np.abs(a - b)
        assert diff.mean() < 1.0, (ex_id, diff.mean())  # out of 255
        assert np.percentile(diff, 99.9) < 40, ex_id  # only the odd anti-aliased edge pixel
        assert len(png) < 0.4 * len(full), (ex_id, len(png), len(full))


def test_a_changed_exercise_is_drawn_fresh_not_served_stale(course):
    ex = course.exercises["bird_dog"]
    renamed = dataclasses.replace(ex, name="Bird dog, renamed by a trainer")
    assert bundled.picture(renamed, course, bundled.PICTURE_DPI) is None
    assert bundled.picture(ex, course, bundled.PICTURE_DPI + 1) is None
    png, alt = export.illustration(renamed, course)
    assert "renamed by a trainer" in alt and _png_size(png)[0] > 0


def test_the_handout_and_builder_use_the_shipped_file(course):
    ex = (
        course.exercises["cat_cow"]
        if "cat_cow" in course.exercises
        else next(iter(course.exercises.values()))
    )
    shipped = (bundled.FOLDER / f"{ex.id}.png").read_bytes()
    assert export.illustration(ex, course)[0] == shipped


def test_the_pictures_never_import_the_export():
    """The export uses the pictures, never the other way round (no import cycle)."""
    folder = Path(bundled.__file__).parent
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [a.name for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            assert not any(n.split(".")[-1] == "export" for n in names), (path.name, names)


def test_the_session_players_loop_frames_ship_current_and_match_a_fresh_drawing(course):
    index = json.loads((bundled.FOLDER / bundled.INDEX).read_text())
    missing = [ex.id for ex in course.exercises.values() if bundled.frames(ex, course) is None]
    assert not missing, f"run `make pictures`: no current loop frames for {missing}"
    ex = course.exercises["glute_bridge"]
    shipped = bundled.frames(ex, course)
    fresh = poses.loop_frames(
        ex,
        course,
        steps=bundled.FRAME_STEPS,
        dpi=bundled.FRAME_DPI,
        colours=bundled.PICTURE_COLOURS,
    )
    assert len(shipped) == len(fresh) == len(index[ex.id]["frames"]) >= 2
    assert [_png_size(a) for a in shipped] == [_png_size(b) for b in fresh]
    renamed = dataclasses.replace(ex, name="Bridge, renamed by a trainer")
    assert bundled.frames(renamed, course) is None  # drawn fresh, never stale


def test_opening_the_session_player_draws_nothing():
    """The first session of a routine starts without loading matplotlib: every frame of the
    movement loops ships with the package."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from backcourse import Profile, build_routine, load_course\n"
        "from backcourse.widgets import build_session_player\n"
        "c = load_course()\n"
        "r = build_routine(Profile(pain_now=3, weeks_since_onset=8, minutes_per_session=25,"
        " sessions_per_week=3), c)\n"
        "p = build_session_player(r, c)\n"
        "frames = p.player.frames\n"
        "assert frames and all(v and v[0].startswith('data:image/png') for v in frames.values())\n"
        "print('matplotlib' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False", out.stdout + out.stderr
