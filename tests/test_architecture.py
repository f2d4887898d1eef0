"""DESIGN.md's rules for the code itself: light import, one-way flow, content only in YAML.

The flow is checked on EVERY import of every module in backcourse/, read with ``ast``:
module-level and inside functions, relative and absolute, ``TYPE_CHECKING`` blocks included.
A module may import only its own room or rooms to its left in ``ROOMS``; no module is on an
import cycle; no private name (``_x``) of one module is imported or used by another.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "backcourse"

# The rooms, left to right: a module imports only from its own room or rooms to its left.
# A room is a module or a package, written as a dotted prefix under backcourse ("figures"
# holds figures.style, figures.poses, ...); a module belongs to the longest prefix that
# matches. Names of packages being made this round are listed already. To add a room, put
# it where its imports allow: after everything it imports, before everything importing it.
ROOMS: tuple[str, ...] = (
    "errors",  # exceptions
    "palette",  # colours
    "files",  # atomic writes
    "browser",  # what only Pyodide needs
    "model",  # dataclasses
    # Pose key frames and their kinematics, read while the catalog loads poses.yaml.
    "illustrate.body_model",
    "illustrate.kinematics",
    "illustrate.poses",
    "catalog",  # course_data/*.yaml -> Course
    "safety",  # red-flag screen
    "planner",  # routine and plan
    "session",  # timeline of a routine for the player
    "coach",  # the camera coach's words and checks
    "progress",  # the learner's log
    "render",  # Jinja2 templates
    "figures",  # charts and the figures' style
    "illustrate",  # exercise pictures, anatomy, shipped pictures
    "figures.gallery",  # every figure at once, into a folder (make gallery)
    "lesson",  # helpers the notebooks call
    "export",  # handouts and files to take home
    "builder",  # the routine builder's decisions, without a widget
    "sitting",  # a sitting day split by breaks
    "trainer",  # a trainer's class: roster, class plan, answer keys
    "widgets",  # one module per app
    "",  # backcourse/__init__.py: the public names, imported lazily
)
# The one allowed way up: Routine's convenience methods (plan, to_html, ...).
ALLOWED_UP = {("model", "Routine"): ("planner", "export")}

# Today's offenders, fixed in parallel by their owners (issue 12): each is an
# xfail(strict=True), so the test fails as soon as one is fixed, until it is taken off.
KNOWN_UPWARD: dict[str, str] = {}
KNOWN_CYCLES: dict[str, str] = {}
KNOWN_PRIVATE: dict[str, str] = {}


@dataclass(frozen=True)
class Import:
    """One import statement: who imports what (dotted names under backcourse), and where."""

    source: str
    target: str
    names: tuple[str, ...]  # names taken from the target (from x import a, b)
    line: int
    owner: str | None  # the class the import sits in, if any (for ALLOWED_UP)


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = list(path.relative_to(package).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    return {module_name(p, package): p for p in sorted(package.rglob("*.py"))}


def room_of(module: str) -> str:
    matches = [r for r in ROOMS if r and (module == r or module.startswith(r + "."))]
    return max(matches, key=len) if matches else ""


def _resolve(source: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute name (under backcourse) of a relative ``from`` import."""
    base = source.split(".") if source else []
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
    return ".".join([*base, *(node.module.split(".") if node.module else [])])


def imports_of(
    path: Path, known: dict[str, Path], package: Path = PACKAGE
) -> Iterator[tuple[Import, ast.AST]]:
    """Every import in ``path`` that names a backcourse module, wherever it is written."""
    source = module_name(path, package)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    owners: dict[int, str] = {}
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        for inner in ast.walk(cls):
            owners[id(inner)] = cls.name
    for node in ast.walk(tree):
        owner = owners.get(id(node))
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "backcourse" or alias.name.startswith("backcourse."):
                    target = alias.name.removeprefix("backcourse").lstrip(".")
                    yield Import(source, target, (), node.lineno, owner), node
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                target = _resolve(source, is_package, node)
            elif node.module and (node.module + ".").startswith("backcourse."):
                target = node.module.removeprefix("backcourse").lstrip(".")
            else:
                continue
            names = tuple(a.name for a in node.names)
            # "from . import posedata" imports a module: the edge goes to that module.
            subs = [n for n in names if (f"{target}.{n}" if target else n) in known]
            for n in subs:
                full = f"{target}.{n}" if target else n
                yield Import(source, full, (), node.lineno, owner), node
            rest = tuple(n for n in names if n not in subs)
            if rest or not subs:
                yield Import(source, target, rest, node.lineno, owner), node


def all_imports(package: Path = PACKAGE) -> list[Import]:
    known = modules(package)
    return [imp for path in known.values() for imp, _ in imports_of(path, known, package)]


def allowed_up(imp: Import) -> bool:
    allowed = ALLOWED_UP.get((room_of(imp.source), imp.owner or ""), ())
    return room_of(imp.target) in allowed


@cache
def upward(package: Path = PACKAGE) -> dict[str, list[str]]:
    """Imports that go right (against the flow), by importing module."""
    order = {r: i for i, r in enumerate(ROOMS)}
    bad: dict[str, list[str]] = {}
    for imp in all_imports(package):
        src, dst = room_of(imp.source), room_of(imp.target)
        if order[dst] > order[src] and not allowed_up(imp):
            bad.setdefault(imp.source, []).append(f"line {imp.line}: {imp.target} ({dst})")
    return bad


@cache
def cycles(package: Path = PACKAGE) -> dict[str, list[str]]:
    """Modules on an import cycle (Tarjan's strongly connected components), by module."""
    graph: dict[str, set[str]] = {m: set() for m in modules(package)}
    for imp in all_imports(package):
        if imp.target in graph and imp.target != imp.source and not allowed_up(imp):
            graph[imp.source].add(imp.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: dict[str, list[str]] = {}

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                for m in component:
                    found[m] = sorted(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


@cache
def private_uses(package: Path = PACKAGE) -> dict[str, list[str]]:
    """Private names (``_x``, not ``__x__``) of one module imported or used by another."""

    def private(name: str) -> bool:
        return name.startswith("_") and not name.endswith("__")

    known = modules(package)
    bad: dict[str, list[str]] = {}
    for path in known.values():
        bound: dict[str, str] = {}  # local name -> the backcourse module it stands for
        for imp, node in imports_of(path, known, package):
            for n in imp.names:
                if private(n):
                    bad.setdefault(imp.source, []).append(f"line {imp.line}: {imp.target}.{n}")
            for alias in node.names:  # type: ignore[attr-defined]
                if isinstance(node, ast.Import) and alias.asname:
                    bound[alias.asname] = imp.target
                elif isinstance(node, ast.ImportFrom):
                    full = f"{imp.target}.{alias.name}".lstrip(".")
                    if imp.target.endswith(alias.name) or full in known:
                        bound[alias.asname or alias.name] = imp.target
        source = module_name(path, package)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and private(node.attr)
                and isinstance(node.value, ast.Name)
                and node.value.id in bound
                and bound[node.value.id] != source
            ):
                where = bound[node.value.id] or "backcourse"
                bad.setdefault(source, []).append(f"line {node.lineno}: {where}.{node.attr}")
    return bad


def _cases(known: dict[str, str]) -> list:
    """Every module, the known offenders marked xfail(strict=True) with their reason."""
    return [
        pytest.param(
            m,
            marks=pytest.mark.xfail(strict=True, reason=f"known, being fixed: {known[m]}"),
        )
        if m in known
        else m
        for m in modules()
    ]


@pytest.mark.parametrize("module", _cases(KNOWN_UPWARD))
def test_imports_follow_the_flow(module: str) -> None:
    bad = upward().get(module, [])
    assert not bad, f"backcourse.{module} ({room_of(module)}) imports against the flow: {bad}"


@pytest.mark.parametrize("module", _cases(KNOWN_CYCLES))
def test_no_module_is_on_an_import_cycle(module: str) -> None:
    assert module not in cycles(), f"backcourse.{module} is on a cycle: {cycles()[module]}"


@pytest.mark.parametrize("module", _cases(KNOWN_PRIVATE))
def test_no_private_name_crosses_modules(module: str) -> None:
    bad = private_uses().get(module, [])
    assert not bad, f"backcourse.{module} uses private names of other modules: {bad}"


def test_every_known_offender_still_exists() -> None:
    """A known offender that was moved or renamed must come off the lists too."""
    listed = set(KNOWN_UPWARD) | set(KNOWN_CYCLES) | set(KNOWN_PRIVATE)
    assert listed <= set(modules()), sorted(listed - set(modules()))


def test_every_module_has_a_room() -> None:
    """A new top-level module or package gets its place in ROOMS, so the flow covers it."""
    homeless = [m for m in modules() if m and not room_of(m)]
    assert not homeless, f"add these to ROOMS where their imports allow: {homeless}"


# The checks themselves, on a made-up package: they must be able to fail.
FAKE = {
    "__init__.py": "",
    "errors.py": "",
    "model.py": (
        "from . import errors\n"
        "class Routine:\n"
        "    def plan(self):\n"
        "        from .planner import plan_weeks\n"
        "        return plan_weeks(self)\n"
        "def sneaky():\n"
        "    from .planner import plan_weeks\n"
    ),
    "planner/__init__.py": "from .build import build\n",
    "planner/build.py": "from ..model import Routine\n\ndef build():\n    return Routine\n",
    "export/__init__.py": "from backcourse.export.html import _Same\n",
    "export/html.py": "import backcourse.planner\n\nclass _Same:\n    pass\n",
    "widgets/builder.py": (
        "from .. import export\nfrom ..export import html as h\n"
        "def f():\n    return export._Same, h._Same\n"
    ),
}


@pytest.fixture
def fake_package(tmp_path: Path) -> Path:
    root = tmp_path / "backcourse"
    for name, text in FAKE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_the_checks_find_made_up_violations(fake_package: Path) -> None:
    # model.sneaky imports the planner from outside Routine: against the flow, and a cycle.
    assert list(upward(fake_package)) == ["model"]
    assert set(cycles(fake_package)) == {"model", "planner", "planner.build"}
    found = private_uses(fake_package)
    assert sorted(found) == ["export", "widgets.builder"]
    assert len(found["widgets.builder"]) == 2  # export._Same and h._Same


def test_routine_methods_are_the_one_way_up(fake_package: Path) -> None:
    (fake_package / "model.py").write_text(FAKE["model.py"].split("def sneaky")[0])
    assert not upward(fake_package) and not cycles(fake_package)


# --------------------------------------------------------------------------- other rules


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


def test_the_disclaimer_is_written_once_in_course_data(course):
    """The handout's disclaimer lives in guidelines.yaml notes, never in code."""
    disclaimer = course.guidelines.notes["handout_disclaimer"]
    for path in PACKAGE.rglob("*.py"):
        assert disclaimer not in string_constants(path), path.relative_to(ROOT)


def test_conda_users_get_the_test_tools():
    """environment.yml carries pyproject's `test` extra, so a conda user checks as make does."""
    import re

    import yaml

    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    wanted = {re.split(r"[<>=\[; ]", r)[0].lower() for r in extra["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = {re.split(r"[<>= ]", d)[0].lower() for d in env["dependencies"] if isinstance(d, str)}
    assert wanted and wanted <= listed, sorted(wanted - listed)


def test_jupyterlab_makes_no_news_or_update_calls():
    """make lab and Binder install settings that switch off JupyterLab's calls home."""
    import json

    settings = json.loads((ROOT / "lab_settings" / "overrides.json").read_text())
    notification = settings["@jupyterlab/apputils-extension:notification"]
    assert notification["fetchNews"] == "false" and notification["checkForUpdates"] is False
    assert "lab_settings/overrides.json" in (ROOT / "Makefile").read_text()
    assert "lab_settings/overrides.json" in (ROOT / "postBuild").read_text()
