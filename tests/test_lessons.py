"""Every lesson notebook (notebooks/0*.ipynb) has the house skeleton and stays thin.

Skeleton: a title; Overview with learning objectives; Prerequisites; Time to complete (in
step with the course map); the lesson; a quiz of that lesson; Summary; What's next;
References drawn from sources.yaml; and the safety line. Code cells are short calls into
backcourse, never print inside widgets, and the committed outputs hold no errors.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0*.ipynb"))
# The learner's lessons (06 is for trainers and may show more code).
LEARNER = [p for p in NOTEBOOKS if p.stem[:2] in {"00", "01", "02", "03", "04", "05"}]
MAX_CODE_LINES = 10
CITATION = re.compile(r"\[([a-z][a-z0-9_]*(?:,\s*[a-z][a-z0-9_]*)*)\](?!\()")
ASSET = re.compile(r"(?i)\b(todo|tbd|fixme|xxx|lorem ipsum|placeholder|coming soon)\b")

# Heading patterns (markdown, case-insensitive). Small wording differences are fine.
HEADINGS = {
    "overview": r"^#{2,3}\s+overview\b",
    "learning objectives": r"^#{2,4}\s+(learning objectives|what you will learn|you will learn)",
    "prerequisites": r"^#{2,3}\s+prerequisites\b",
    "time to complete": r"^#{2,3}\s+time to (complete|learn)\b",
    "quiz": r"^#{2,3}\s+(quiz|check (what you learned|your understanding))",
    "summary": r"^#{2,3}\s+summary\b",
    "what's next": r"^#{2,3}\s+(what['’]s next|what next|next steps)\b",
    "references": r"^#{2,3}\s+references\b",
}


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def markdown(nb: dict) -> str:
    return "\n".join(source(c) for c in nb["cells"] if c["cell_type"] == "markdown")


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def outputs_text(cell: dict) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts.append(
            out.get("text", "")
            if isinstance(out.get("text"), str)
            else "".join(out.get("text", []))
        )
        for value in out.get("data", {}).values():
            parts.append(value if isinstance(value, str) else "".join(map(str, value)))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def course():
    from backcourse import load_course

    return load_course()


def ids(paths):
    return [p.stem for p in paths]


def test_lesson_notebooks_exist():
    stems = {p.stem for p in NOTEBOOKS}
    assert {"00_start_here", "01_anatomy", "02_causes_and_risks", "03_exercise_technique"} <= stems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_skeleton_headings(path, course):
    nb = load(path)
    first = source(nb["cells"][0]).lstrip()
    assert nb["cells"][0]["cell_type"] == "markdown" and first.startswith("# "), "title first"
    text = markdown(nb)
    wanted = dict(HEADINGS)
    if not course.quizzes_for(path.stem):  # no questions in quizzes.yaml: no quiz section
        wanted.pop("quiz")
    missing = [
        name for name, pattern in wanted.items() if not re.search(pattern, text, re.I | re.M)
    ]
    assert not missing, f"{path.name} lacks: {', '.join(missing)}"
    # in the house order: overview ... quiz, then summary, what's next and references
    where = {
        name: re.search(pattern, text, re.I | re.M).start() for name, pattern in wanted.items()
    }
    order = [
        "overview",
        "prerequisites",
        "time to complete",
        "quiz",
        "summary",
        "what's next",
        "references",
    ]
    order = [n for n in order if n in where]
    assert [where[n] for n in order] == sorted(where[n] for n in order), f"{path.name} order"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_safety_line_references_and_quiz_are_called(path, course):
    nb = load(path)
    cells = code_cells(nb)
    calls = "\n".join(source(c) for c in cells)
    assert "safety_line(" in calls, "the safety line"
    assert "references(" in calls, "the reference list"
    if course.quizzes_for(path.stem):  # a lesson with questions in quizzes.yaml asks them
        assert re.search(rf"build_quiz\([^)]*['\"]{re.escape(path.stem)}['\"]", calls), "the quiz"
    for cell in cells:
        src = source(cell)
        if "safety_line(" in src and cell.get("outputs"):
            assert "bc-safety" in outputs_text(cell)
        if "references(" in src and cell.get("outputs"):
            assert "bc-references" in outputs_text(cell)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_time_to_complete_matches_the_course_map(path, course):
    entry = next(
        (f for f in course.facts.get("course_map", ()) if f.data.get("notebook") == path.name),
        None,
    )
    assert entry is not None, f"{path.name} is not in the course map (facts.yaml, course_map)"
    text = markdown(load(path))
    match = re.search(r"^#{2,3}\s+time to (?:complete|learn)[^\n]*\n+([^#]*)", text, re.I | re.M)
    assert match, "a Time to complete section"
    minutes = re.findall(r"(\d+)\s*min", match.group(1))
    assert minutes, "Time to complete gives minutes"
    assert int(minutes[0]) == entry.data["minutes"]


def prints_inside_with(src: str) -> list[str]:
    """Context managers (widgets such as ``out`` or ``Output()``) whose block calls print.

    Printing inside ``with out:`` breaks headless runs and nbval; widgets must be updated
    kernel-side. Ordinary context managers (``tempfile...()``, ``open()``) are fine.
    """
    try:
        tree = ast.parse(src)
    except SyntaxError:
        return []
    bad = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.With, ast.AsyncWith)):
            continue
        widgetish = any(
            not isinstance(item.context_expr, ast.Call)
            or ast.unparse(item.context_expr.func).split(".")[-1] == "Output"
            for item in node.items
        )
        prints = any(
            isinstance(n, ast.Call) and ast.unparse(n.func) in ("print", "display")
            for n in ast.walk(node)
        )
        if widgetish and prints:
            bad.append(ast.unparse(node.items[0].context_expr))
    return bad


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_no_print_inside_widgets(path):
    for cell in code_cells(load(path)):
        src = source(cell)
        assert not prints_inside_with(src), f"update widgets kernel-side, do not print:\n{src}"
        assert "@interact" not in src and not re.search(r"\binteract(ive)?\(", src), src


@pytest.mark.parametrize("path", LEARNER, ids=ids(LEARNER))
def test_learner_code_cells_are_thin(path):
    for cell in code_cells(load(path)):
        src = source(cell)
        lines = [ln for ln in src.splitlines() if ln.strip() and not ln.strip().startswith("#")]
        assert len(lines) <= MAX_CODE_LINES, f"a code cell of {len(lines)} lines:\n{src}"
        assert "print(" not in src, f"show results as values, not prints:\n{src}"
        assert not re.search(r"^\s*(def|class|for|while|with)\s", src, re.M), (
            f"logic belongs in backcourse, not in a lesson cell:\n{src}"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_committed_outputs_are_fresh_and_clean(path):
    nb = load(path)
    for cell in code_cells(nb):
        assert cell.get("execution_count") is not None, "run the notebook before committing"
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", outputs_text(cell)
            assert not (out["output_type"] == "stream" and out.get("name") == "stderr"), (
                f"stderr in {path.name}: {outputs_text(cell)[:300]}"
            )
        ignore = source(cell).lstrip().startswith("# NBVAL_IGNORE_OUTPUT")
        if ignore:
            assert cell.get("outputs"), "NBVAL_IGNORE_OUTPUT only on a cell that has output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_no_placeholders_and_cited_ids_exist(path, course):
    nb = load(path)
    for cell in nb["cells"]:
        match = ASSET.search(source(cell))
        assert not match, f"{path.name}: {match.group(0)!r} in:\n{source(cell)[:200]}"
    # citations in prose look like [art_klarity] or [art_klarity, nice_ng59]
    cited = set()
    for match in CITATION.finditer(markdown(nb)):
        cited |= {c.strip() for c in match.group(1).split(",")}
    unknown = sorted(cited - set(course.sources))
    assert not unknown, f"{path.name} cites sources not in sources.yaml: {unknown}"
    # ... and every source cited in the prose is in the notebook's reference list
    listed = "\n".join(
        outputs_text(c) for c in code_cells(nb) if "references(" in source(c) and c.get("outputs")
    )
    if listed:
        missing = sorted(c for c in cited if f"<code>{c}</code>" not in listed)
        assert not missing, f"{path.name}: cited but not in its References: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_links_to_other_notebooks_exist(path, course):
    planned = {f.data.get("notebook") for f in course.facts.get("course_map", ())}
    text = markdown(load(path))
    for target in re.findall(r"\]\(([^)#\s]+\.ipynb)", text):
        assert (path.parent / target).exists() or target in planned, (
            f"{path.name} links to {target}, which is neither there nor in the course map"
        )
