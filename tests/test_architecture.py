"""DESIGN.md's rules for the code itself: light import, one-way flow, content only in YAML."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "backcourse"


def modules_after(statement: str) -> set[str]:
    code = f"{statement}; import sys; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_import_backcourse_stays_light():
    loaded = modules_after("import backcourse")
    assert not {"matplotlib", "ipywidgets", "yaml", "IPython", "sqlite3"} & loaded


@pytest.mark.parametrize(
    "module",
    [
        "backcourse.export",
        "backcourse.figures.style",
        "backcourse.illustrate.anatomy_figures",
        "backcourse.illustrate.exercise_pictures",
        "backcourse.figures.charts",
    ],
)
def test_figures_and_export_never_import_ipywidgets(module):
    assert "ipywidgets" not in modules_after(f"import {module}")


def top_level_imports(path: Path) -> set[str]:
    """Relative modules a file imports at module level (not inside functions)."""
    tree = ast.parse(path.read_text())
    found = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level:
            found.add(node.module or "")
    return found


def test_model_imports_nothing_of_ours_but_errors():
    assert top_level_imports(PACKAGE / "model.py") <= {"errors"}


def test_only_notebooks_import_widgets():
    for path in PACKAGE.rglob("*.py"):
        if "widgets" in path.relative_to(PACKAGE).parts:
            continue
        text = path.read_text()
        assert "backcourse.widgets" not in text and "from .widgets" not in text, path


def string_constants(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    docstrings = {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
        and n.body
        and isinstance(n.body[0], ast.Expr)
        and isinstance(n.body[0].value, ast.Constant)
    }
    return {
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
    }


def test_no_exercise_or_red_flag_is_written_in_code(course):
    """Content lives in course_data/: the code never names an exercise or a red flag."""
    content = set(course.exercises) | {e.name for e in course.exercises.values()}
    content |= set(course.red_flags) | {f.label for f in course.red_flags.values()}
    for path in PACKAGE.rglob("*.py"):
        named = string_constants(path) & content
        assert not named, f"{path.relative_to(ROOT)} names course content: {sorted(named)}"


def test_jupyterlab_makes_no_news_or_update_calls():
    """make lab and Binder install settings that switch off JupyterLab's calls home."""
    import json

    settings = json.loads((ROOT / "lab_settings" / "overrides.json").read_text())
    notification = settings["@jupyterlab/apputils-extension:notification"]
    assert notification["fetchNews"] == "false" and notification["checkForUpdates"] is False
    assert "lab_settings/overrides.json" in (ROOT / "Makefile").read_text()
    assert "lab_settings/overrides.json" in (ROOT / "postBuild").read_text()
