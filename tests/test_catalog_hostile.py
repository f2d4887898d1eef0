"""Course data against broken or hostile copies: YAML bombs, duplicate keys, ids with a line
break, folders and symlink loops where files should be, very long chains (issue 13)."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml

from backcourse.catalog import load_course, read_yaml
from backcourse.errors import CourseDataError


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """An ``aliases:`` line whose list nests aliases ``levels`` deep, ``width`` wide.

    Expanded, that is width**levels strings (387 million for 9 x 9): what an error message
    quoting the value with repr() used to try to build.
    """
    items = ["&l0 [" + ", ".join(['"lol"'] * width) + "]"]
    for level in range(1, levels):
        items.append(f"&l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]")
    return "  aliases: [" + ", ".join(items) + "]\n"


def insert_after_first_id(path: Path, text: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("- id:"))
    lines.insert(at + 1, text)
    path.write_text("".join(lines), encoding="utf-8")


def test_an_alias_bomb_fails_fast_with_a_short_message(data_copy: Path) -> None:
    path = data_copy / "exercises.yaml"
    text = path.read_text(encoding="utf-8").replace("  aliases: [Tilting your pelvis]\n", "", 1)
    path.write_text(text, encoding="utf-8")
    insert_after_first_id(path, alias_bomb())
    tracemalloc.start()
    try:
        with pytest.raises(CourseDataError) as err:
            load_course(data_copy)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert err.value.file == "exercises.yaml"
    assert err.value.entry == "pelvic_tilt"
    assert "alias" in str(err.value)
    assert len(str(err.value)) < 300
    assert peak < 50 * 2**20  # a bomb that expanded would need gigabytes


def test_a_single_alias_is_refused_too(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("- id: a\n  steps: &s [one]\n  cues: *s\n")
    with pytest.raises(CourseDataError, match="alias") as err:
        read_yaml(path)
    assert err.value.file == "x.yaml" and err.value.entry == "a"


def test_a_merge_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("- id: a\n  dose: {<<: {sets: 2}, reps: 3}\n")
    with pytest.raises(CourseDataError, match="merge"):
        read_yaml(path)


def test_duplicate_keys_are_refused_with_entry_field_and_lines(data_copy: Path) -> None:
    path = data_copy / "exercises.yaml"
    insert_after_first_id(path, "  difficulty: 3\n")
    with pytest.raises(CourseDataError) as err:
        load_course(data_copy)
    e = err.value
    assert (e.file, e.entry, e.field) == ("exercises.yaml", "pelvic_tilt", "difficulty")
    assert "twice" in str(e) and "line 11" in str(e).replace("lines 11", "line 11")


def test_duplicate_nested_key_names_the_nested_field(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("- id: a\n  dose:\n    sets: 2\n    sets: 3\n")
    with pytest.raises(CourseDataError) as err:
        read_yaml(path)
    assert (err.value.entry, err.value.field) == ("a", "dose.sets")
    assert "lines 3 and 4" in str(err.value)


def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("[" * 5000 + "]" * 5000)
    with pytest.raises(CourseDataError, match="nest"):
        read_yaml(path)


def test_an_id_with_a_trailing_line_break_is_refused(data_copy: Path) -> None:
    path = data_copy / "exercises.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("- id: pelvic_tilt\n", '- id: "pelvic_tilt\\n"\n', 1))
    with pytest.raises(CourseDataError) as err:
        load_course(data_copy)
    assert err.value.field == "id" and "snake_case" in str(err.value)


@pytest.mark.parametrize("kind", ["folder", "symlink loop"])
def test_a_folder_or_a_symlink_loop_instead_of_a_file(data_copy: Path, kind: str) -> None:
    path = data_copy / "muscles.yaml"
    path.unlink()
    if kind == "folder":
        path.mkdir()
    else:
        os.symlink(path, path)  # points at itself
    with pytest.raises(CourseDataError) as err:
        load_course(data_copy)
    assert err.value.file == "muscles.yaml"
    assert "cannot be read" in str(err.value)


def chain_copy(data_copy: Path, n: int, loop: bool = False) -> None:
    """Add ``n`` copies of an exercise, each the progression of the one before."""
    path = data_copy / "exercises.yaml"
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    base = next(i for i in items if i["id"] == "pelvic_tilt")
    for k in range(n):
        item = {**base, "id": f"chain_{k}", "name": f"Chain step {k}"}
        item.pop("regression", None)
        item["progression"] = f"chain_{k + 1}" if k + 1 < n else ("chain_0" if loop else None)
        items.append(item)
    path.write_text(yaml.dump(items, Dumper=_Dumper, sort_keys=False), encoding="utf-8")


def test_a_2000_exercise_chain_loads(data_copy: Path) -> None:
    chain_copy(data_copy, 2000)
    course = load_course(data_copy)
    assert course.exercises["chain_0"].progression == "chain_1"
    assert course.exercises["chain_1999"].progression is None


def test_a_long_loop_is_still_found_and_named(data_copy: Path) -> None:
    chain_copy(data_copy, 300, loop=True)
    with pytest.raises(CourseDataError) as err:
        load_course(data_copy)
    assert err.value.entry == "chain_0" and err.value.field == "progression"
    assert "chain_299 -> chain_0" in str(err.value)


def test_long_values_in_messages_are_cut_short(data_copy: Path) -> None:
    path = data_copy / "exercises.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "  aliases: [Tilting your pelvis]\n", "  aliases: [" + ", ".join(["1"] * 5000) + "]\n", 1
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CourseDataError) as err:
        load_course(data_copy)
    assert len(str(err.value)) < 400
