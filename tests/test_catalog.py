"""The loader: the bundled data loads, and every kind of broken copy is reported precisely."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from backcourse import CourseDataError, load_course
from backcourse.model import POSITIONS


class _Dumper(yaml.SafeDumper):
    """Writes a repeated object out in full: course data refuses YAML anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def edit(folder: Path, name: str, change: Callable[[Any], Any]) -> None:
    """Load one YAML file of a copy, change it in place, and write it back."""
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.dump(data, Dumper=_Dumper, sort_keys=False))


def entry(items: list[dict], entry_id: str) -> dict:
    return next(i for i in items if i["id"] == entry_id)


def ex(entry_id: str, change: Callable[[dict], Any]) -> Callable[[list], None]:
    return lambda items: change(entry(items, entry_id))


def flag(entry_id: str, change: Callable[[dict], Any]) -> Callable[[dict], None]:
    return lambda data: change(entry(data["flags"], entry_id))


def prevalence(change: Callable[[dict], Any]) -> Callable[[dict], None]:
    return lambda data: change(data["prevalence"][0])


def loop(items: list[dict]) -> None:
    entry(items, "glute_bridge")["regression"] = "single_leg_bridge"
    entry(items, "single_leg_bridge")["regression"] = "glute_bridge"


def first_quiz(change: Callable[[dict], Any]) -> Callable[[list], None]:
    return lambda items: change(items[0])


def two_correct(q: dict) -> None:
    for c in q["choices"]:
        c["correct"] = True


# (file, change, entry, field, words the message must contain)
BROKEN = {
    "unknown muscle": (
        "exercises.yaml",
        ex("glute_bridge", lambda e: e["muscles"]["primary"].append("gluteus_maximum")),
        "glute_bridge",
        "muscles.primary",
        "unknown muscle 'gluteus_maximum'",
    ),
    "unknown source": (
        "exercises.yaml",
        ex("plank", lambda e: e["sources"].append("a_blog_post")),
        "plank",
        "sources",
        "unknown source 'a_blog_post'",
    ),
    "unknown dose source": (
        "exercises.yaml",
        ex("plank", lambda e: e["dose"].update(source="somewhere")),
        "plank",
        "dose.source",
        "unknown source",
    ),
    "unknown regression": (
        "exercises.yaml",
        ex("plank", lambda e: e.update(regression="kneeling_plank")),
        "plank",
        "regression",
        "unknown exercise 'kneeling_plank'",
    ),
    "regression given as a list": (
        "exercises.yaml",
        ex("plank", lambda e: e.update(regression=["knee_plank"])),
        "plank",
        "regression",
        "expected one exercise id",
    ),
    "regression loop": (
        "exercises.yaml",
        loop,
        "glute_bridge",
        "regression",
        "loops",
    ),
    "missing required field": (
        "exercises.yaml",
        ex("bird_dog", lambda e: e.pop("steps")),
        "bird_dog",
        "steps",
        "required but missing",
    ),
    "wrong type": (
        "exercises.yaml",
        ex("bird_dog", lambda e: e.update(difficulty="hard")),
        "bird_dog",
        "difficulty",
        "expected a whole number",
    ),
    "value out of range": (
        "exercises.yaml",
        ex("bird_dog", lambda e: e.update(difficulty=7)),
        "bird_dog",
        "difficulty",
        "from 1 to 3",
    ),
    "dose above guideline bounds": (
        "exercises.yaml",
        ex("glute_bridge", lambda e: e["dose"].update(reps=100)),
        "glute_bridge",
        "dose.reps",
        "expected a value from",
    ),
    "duplicate id": (
        "exercises.yaml",
        lambda items: items.append(dict(entry(items, "cobra"))),
        "cobra",
        "id",
        "duplicate id",
    ),
    "unknown position": (
        "exercises.yaml",
        ex("cobra", lambda e: e.update(position="upside_down")),
        "cobra",
        "position",
        "expected one of supine",
    ),
    "unknown equipment": (
        "exercises.yaml",
        ex("cobra", lambda e: e.update(equipment=["trampoline"])),
        "cobra",
        "equipment",
        "unknown equipment 'trampoline'",
    ),
    "misspelt field": (
        "exercises.yaml",
        ex("cobra", lambda e: e.update(setps=["lie down"])),
        "cobra",
        "setps",
        "not a known field",
    ),
    "bad id": (
        "exercises.yaml",
        ex("cobra", lambda e: e.update(id="Cobra Pose")),
        "#",
        "id",
        "snake_case",
    ),
    "bad muscle group": (
        "muscles.yaml",
        ex("hamstrings", lambda e: e.update(group="legs")),
        "hamstrings",
        "group",
        "expected one of abdominals",
    ),
    "muscle missing text": (
        "muscles.yaml",
        ex("multifidus", lambda e: e.pop("why_it_matters")),
        "multifidus",
        "why_it_matters",
        "required",
    ),
    "bad source kind": (
        "sources.yaml",
        ex("nice_ng59", lambda e: e.update(kind="rumour")),
        "nice_ng59",
        "kind",
        "expected one of article",
    ),
    "bad url": (
        "sources.yaml",
        ex("nice_ng59", lambda e: e.update(url="www.nice.org.uk")),
        "nice_ng59",
        "url",
        "https://",
    ),
    "bad red-flag tier": (
        "red_flags.yaml",
        flag("bladder_or_bowel_change", lambda e: e.update(tier="later")),
        "bladder_or_bowel_change",
        "tier",
        "expected one of emergency",
    ),
    "red flag without question": (
        "red_flags.yaml",
        flag("chest_pain", lambda e: e.pop("question")),
        "chest_pain",
        "question",
        "required",
    ),
    "prevalence range reversed": (
        "facts.yaml",
        prevalence(lambda e: e.update(low_pct=90, high_pct=10)),
        "prevalence/",
        "low_pct",
        "must not be above",
    ),
    "prevalence over 100%": (
        "facts.yaml",
        prevalence(lambda e: e.update(high_pct=150)),
        "prevalence/",
        "high_pct",
        "from 0 to 100",
    ),
    "quiz with two answers": (
        "quizzes.yaml",
        first_quiz(two_correct),
        "q",
        "choices",
        "exactly one",
    ),
    "quiz choice without feedback": (
        "quizzes.yaml",
        first_quiz(lambda q: q["choices"][1].pop("feedback")),
        "q",
        "choices[2].feedback",
        "required",
    ),
    "bounds reversed": (
        "guidelines.yaml",
        lambda g: g["dose_bounds"]["stretch"]["hold_s"].update(low=40, high=10),
        "guidelines",
        "dose_bounds.stretch.hold_s.low",
        "must not be above",
    ),
    "missing timing": (
        "guidelines.yaml",
        lambda g: g["timing"].pop("rep_s"),
        "guidelines",
        "timing.rep_s",
        "required",
    ),
    "coverage names an unknown muscle": (
        "guidelines.yaml",
        lambda g: g["coverage"]["main"]["glute_max"].append("glutes"),
        "guidelines",
        "coverage.main.glute_max",
        "unknown muscle 'glutes'",
    ),
}


def test_bundled_data_loads(course):
    assert len(course.exercises) >= 30
    assert len(course.muscles) >= 19
    assert {"glute_bridge", "bird_dog", "plank", "walking"} <= set(course.exercises)
    assert "bladder_or_bowel_change" in course.red_flags
    assert {"emergency", "see_doctor", "if_not_better"} == {
        f.tier for f in course.red_flags.values()
    }


def test_load_course_is_cached_and_immutable(course):
    assert load_course() is course
    with pytest.raises(TypeError):
        course.exercises["new"] = course.exercises["plank"]  # type: ignore[index]
    with pytest.raises(AttributeError):
        course.exercises["plank"].name = "Other"  # type: ignore[misc]


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_copy_names_file_entry_and_field(case, data_copy):
    file, change, entry_id, field, words = BROKEN[case]
    edit(data_copy, file, change)
    with pytest.raises(CourseDataError) as info:
        load_course(data_copy)
    err = info.value
    message = str(err)
    assert err.file == file and file in message
    assert err.entry is not None and err.entry.startswith(entry_id) and err.entry in message
    assert err.field == field and f"'{field}'" in message
    assert words in message


def test_yaml_syntax_error_gives_line(data_copy):
    path = data_copy / "muscles.yaml"
    lines = path.read_text().splitlines()
    lines.insert(3, "  name: [an unclosed list")
    path.write_text("\n".join(lines))
    with pytest.raises(CourseDataError) as info:
        load_course(data_copy)
    assert "muscles.yaml" in str(info.value)
    assert "does not parse at line" in str(info.value)


@pytest.mark.parametrize("name", ["quizzes.yaml", "exercises.yaml"])
def test_missing_or_empty_file(name, data_copy):
    (data_copy / name).write_text("")
    with pytest.raises(CourseDataError, match=rf"{re.escape(name)}.*empty file"):
        load_course(data_copy)
    (data_copy / name).unlink()
    with pytest.raises(CourseDataError, match=rf"{re.escape(name)}.*missing"):
        load_course(data_copy)


def test_unsafe_yaml_is_refused(data_copy):
    """The loader reads YAML safely: a Python object tag is an error, never executed."""
    path = data_copy / "sources.yaml"
    path.write_text("!!python/object/apply:os.system ['echo hacked']\n" + path.read_text())
    with pytest.raises(CourseDataError, match=r"sources\.yaml"):
        load_course(data_copy)


def test_a_trainer_adds_an_exercise(data_copy):
    """The README's recipe: copy course_data/, add an exercise, load the copy."""
    new = {
        "id": "wall_sit",
        "name": "Wall sit",
        "category": "strength",
        "position": "standing",
        "equipment": [],
        "muscles": {"primary": ["quadriceps"], "secondary": ["gluteus_maximus"]},
        "difficulty": 2,
        "impact": "low",
        "summary": "Slide down a wall and hold a half-sitting position.",
        "steps": ["Stand with your back against a wall.", "Slide down until knees bend."],
        "cues": ["Keep your back flat on the wall."],
        "mistakes": ["Going too low: stop where it is comfortable."],
        "dose": {"sets": 2, "hold_s": 20, "rest_s": 30, "source": "acsm_guidelines"},
        "sources": ["acsm_guidelines"],
    }
    edit(data_copy, "exercises.yaml", lambda items: items.append(new))
    course = load_course(data_copy)
    wall = course.exercises["wall_sit"]
    assert wall.name == "Wall sit" and wall.dose.hold_s == 20
    assert wall in course.exercises_for_muscle("quadriceps")


def test_positions_and_labels_agree(course):
    for ex in course.exercises.values():
        assert set(ex.positions) <= set(POSITIONS)
    for pos in POSITIONS:
        assert pos in course.guidelines.labels["positions"]


def test_every_exercise_dose_is_inside_guideline_bounds(course):
    g = course.guidelines
    for ex in course.exercises.values():
        for name in ("sets", "reps", "hold_s", "rest_s", "minutes"):
            value = getattr(ex.dose, name)
            if value is not None:
                assert value in g.bounds(ex.category, name), (ex.id, name, value)


def test_chains_from_the_sources(course):
    e = course.exercises
    assert e["pelvic_tilt"].progression == "glute_bridge"
    assert e["glute_bridge"].progression == "single_leg_bridge"
    assert e["knee_plank"].progression == "plank"
    assert e["back_stabiliser"].progression == "bird_dog"


def test_every_cited_source_exists_and_every_entry_cites(course):
    cited = set()
    for group in (course.exercises, course.muscles, course.red_flags):
        for item in group.values():
            assert item.sources
            cited |= set(item.sources)
    for facts in course.facts.values():
        for f in facts:
            assert f.sources
            cited |= set(f.sources)
    assert cited <= set(course.sources)
    seeds = {
        "art_glutes_core",
        "art_trifocus",
        "art_core_2016",
        "art_klarity",
        "art_four_exercises",
    }
    assert seeds <= cited


def test_prevalence_figures_of_every_seed(course):
    figures = {(f.data["low_pct"], f.data["high_pct"]) for f in course.facts["prevalence"]}
    highs = {h for _, h in figures}
    assert {70, 80} <= highs | {low for low, _ in figures}
    assert any(low == 15 and high == 20 for low, high in figures)
    for f in course.facts["prevalence"]:
        assert f.data["measure"] and f.data["population"] and f.data.get("why_it_differs")


def test_quizzes_have_five_per_lesson(course):
    for lesson in ("01_anatomy", "02_causes_and_risks", "03_exercise_technique"):
        assert len(course.quizzes_for(lesson)) >= 5
