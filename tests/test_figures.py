"""Figures: every exercise and muscle renders cleanly, deterministically, with alt text (charts:
tests/test_charts.py)."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path
from types import MappingProxyType

import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from backcourse import load_course
from backcourse.figures import gallery, style
from backcourse.illustrate import anatomy_figures as anatomy
from backcourse.illustrate import exercise_pictures as poses
from backcourse.model import Muscle
from conftest import png_size

# every warning (matplotlib's included) is an error in this module
pytestmark = pytest.mark.filterwarnings("error")

ROOT = Path(__file__).resolve().parent.parent
COURSE = load_course()
EXERCISES = sorted(COURSE.exercises)
MUSCLES = sorted(COURSE.muscles)


def highlighted_artists(fig: Figure) -> int:
    """How many drawn shapes carry the highlight colour."""
    hl = to_hex(style.HIGHLIGHT)
    count = 0
    for ax in fig.axes:
        for artist in [*ax.patches, *ax.artists, *ax.collections]:
            try:
                fc = artist.get_facecolor()
            except AttributeError:
                continue
            colours = fc if getattr(fc, "ndim", 1) == 2 else [fc]
            if any(len(c) and to_hex(c[:3]) == hl for c in colours):
                count += 1
    return count


# --------------------------------------------------------------------------- exercises


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_every_exercise_renders(course, exercise_id):
    ex = course.exercises[exercise_id]
    fig = poses.exercise_figure(ex, course)
    assert isinstance(fig, Figure)
    assert ex.name in fig.alt_text
    assert "start" in fig.alt_text.lower() and "end" in fig.alt_text.lower()
    png = style.to_png(fig)
    w, h = png_size(png)
    assert 700 <= w <= 1800 and 300 <= h <= 1100
    # the target muscles are highlighted on the body
    assert highlighted_artists(fig) >= 1, f"{exercise_id}: no muscle highlighted"
    for m in ex.muscles:
        assert course.muscles[m].name in fig.alt_text


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_every_exercise_filmstrip_renders(course, exercise_id):
    fig = poses.sequence_figure(course.exercises[exercise_id], course, steps=4)
    assert course.exercises[exercise_id].name in fig.alt_text
    png_size(style.to_png(fig))


def test_exercise_frames_for_the_slider(course):
    ex = course.exercises["glute_bridge"]
    frames = poses.exercise_frames(ex, course, steps=7)
    assert len(frames) == 7
    sizes = {png_size(f) for f in frames}
    assert len(sizes) == 1, "every frame has the same size, so the slider does not jump"
    assert frames[0] != frames[-1]
    assert frames == poses.exercise_frames(ex, course, steps=7)
    alts = poses.frame_alt_texts(ex, course, steps=7)
    assert len(alts) == 7 and all(ex.name in a for a in alts)


def test_exercise_without_poses_gets_a_placeholder(course):
    bare = dataclasses.replace(course, poses=MappingProxyType({}))
    ex = course.exercises["glute_bridge"]
    fig = poses.exercise_figure(ex, bare)
    assert "no illustration" in fig.alt_text.lower()
    assert len(poses.exercise_frames(ex, bare)) == 1


def test_exercise_figure_is_deterministic(course):
    ex = course.exercises["side_plank"]
    a = style.to_png(poses.exercise_figure(ex, course))
    b = style.to_png(poses.exercise_figure(ex, course))
    assert a == b
    assert b"Software" not in a  # no tool name or version in the PNG
    assert style.to_svg(poses.exercise_figure(ex, course)) == style.to_svg(
        poses.exercise_figure(ex, course)
    )


def test_new_muscle_falls_back_to_its_group(course):
    """A trainer adds a muscle with no region of its own: the figures still highlight it."""
    new = Muscle(
        "iliocostalis",
        "Iliocostalis",
        "outer column of the long back muscles",
        "back_extensors",
        "minor",
        "middle",
        "back",
        "extends",
        "helps",
        ("art_klarity",),
    )
    muscles = dict(course.muscles)
    muscles[new.id] = new
    ex = dataclasses.replace(course.exercises["bird_dog"], muscles=("iliocostalis",))
    exercises = dict(course.exercises)
    exercises[ex.id] = ex
    trainer = dataclasses.replace(
        course, muscles=MappingProxyType(muscles), exercises=MappingProxyType(exercises)
    )
    fig = poses.exercise_figure(ex, trainer)
    assert highlighted_artists(fig) >= 1
    assert "Iliocostalis" in fig.alt_text
    fig = anatomy.muscle_figure(trainer, "iliocostalis")
    assert highlighted_artists(fig) >= 1 and "Iliocostalis" in fig.alt_text
    fig = anatomy.spine_figure("iliocostalis", course=trainer)
    assert highlighted_artists(fig) >= 1


# --------------------------------------------------------------------------- anatomy


@pytest.mark.parametrize("muscle_id", MUSCLES)
def test_every_muscle_highlights(course, muscle_id):
    m = course.muscles[muscle_id]
    fig = anatomy.muscle_figure(course, muscle_id)
    assert m.name in fig.alt_text
    assert highlighted_artists(fig) >= 1, f"{muscle_id} is not highlighted"
    png_size(style.to_png(fig))
    fig = anatomy.spine_figure(muscle_id, course=course)
    assert m.name in fig.alt_text and "Schematic" in fig.alt_text


def test_muscle_groups_and_several_muscles(course):
    groups = sorted({m.group for m in course.muscles.values()})
    for g in groups:
        assert highlighted_artists(anatomy.muscle_figure(course, g)) >= 1, g
    fig = anatomy.muscle_figure(course, ["obliques", "hamstrings"])
    assert "External and internal obliques" in fig.alt_text and "Hamstrings" in fig.alt_text
    plain = anatomy.muscle_figure(course)
    assert highlighted_artists(plain) == 0
    assert "No muscle is highlighted" in plain.alt_text


def test_unknown_highlights_are_refused(course):
    with pytest.raises(KeyError):
        anatomy.muscle_figure(course, "biceps_of_the_back")
    with pytest.raises(KeyError):
        anatomy.spine_figure("L9")


@pytest.mark.parametrize(
    "part",
    [
        *anatomy.VERTEBRAE,
        *anatomy.DISCS,
        "sacrum",
        "coccyx",
        "pelvis",
        "nerves",
        "vertebrae",
        "discs",
    ],
)
def test_spine_parts_highlight(part):
    fig = anatomy.spine_figure(part)
    assert highlighted_artists(fig) >= 1
    assert "L1 to L5" in fig.alt_text


def test_schematics_say_so_and_are_deterministic(course):
    for make in (lambda: anatomy.spine_figure(), lambda: anatomy.muscle_figure(course, "obliques")):
        fig = make()
        texts = [t.get_text() for t in fig.texts]
        assert any("Schematic" in t for t in texts)
        assert style.to_png(make()) == style.to_png(make())


# --------------------------------------------------------------------------- style & gallery


def test_palette_is_okabe_ito():
    assert set(style.PALETTE.values()) == {
        "#000000",
        "#E69F00",
        "#56B4E9",
        "#009E73",
        "#F0E442",
        "#0072B2",
        "#D55E00",
        "#CC79A7",
    }
    fig = style.figure(4, 3, alt_text="x")
    assert fig.alt_text == "x" and fig.dpi == style.DPI
    assert png_size(style.to_png(fig)) == (400, 300)


def test_gallery_links_every_image(tmp_path, course):
    firsts: set[str] = set()

    def one_per_section(job: gallery.Job) -> bool:
        if job.section in firsts:
            return False
        firsts.add(job.section)
        return True

    index = gallery.write_gallery(tmp_path, jobs=1, select=one_per_section)
    text = index.read_text(encoding="utf-8")
    links = set(re.findall(r'src="([^"]+)"', text)) | set(re.findall(r'href="([^"#]+)"', text))
    pngs = {p.name for p in tmp_path.glob("*.png")}
    assert pngs and pngs == links
    assert len(pngs) == len(firsts)
    assert text.count("<figure>") == len(pngs)


def test_gallery_covers_everything(course):
    jobs = gallery.jobs_for(course)
    names = {j.name for j in jobs}
    assert len(names) == len(jobs), "file names are unique"
    for e in course.exercises:
        assert f"exercise-{e}" in names and f"steps-{e}" in names
    for m in course.muscles:
        assert f"muscle-{m}" in names and f"spine-muscle-{m}" in names
    kinds = {j.kind for j in jobs}
    assert {"coverage", "time", "plan", "pain", "prevalence"} <= kinds


def test_figures_never_use_pyplot_and_import_backcourse_stays_light():
    code = (
        "import sys, backcourse, backcourse.illustrate.poses\n"
        "c = backcourse.load_course()\n"
        "assert 'matplotlib' not in sys.modules, 'loading the course imported matplotlib'\n"
        "from backcourse.figures import charts, style\n"
        "from backcourse.illustrate import anatomy_figures as anatomy\n"
        "from backcourse.illustrate import exercise_pictures as poses\n"
        "style.to_png(poses.exercise_figure(c.exercises['plank'], c))\n"
        "style.to_png(anatomy.muscle_figure(c, 'obliques'))\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
        "assert not any(m.startswith('ipywidgets') for m in sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
