"""Every lesson notebook (notebooks/0*.ipynb) has the house skeleton and stays thin.

Skeleton: a title; Overview with learning objectives; Prerequisites; Time to complete (in
step with the course map); the lesson; a quiz of that lesson; Summary; What's next;
References drawn from sources.yaml; and the safety line. Code cells are short calls into
backcourse, never print inside widgets, and the committed outputs hold no errors.
"""

from __future__ import annotations

import ast
import html
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0*.ipynb"))
# The learner's lessons (06 is for trainers and may show more code).
LEARNER = [p for p in NOTEBOOKS if p.stem[:2] in {"00", "01", "02", "03", "04", "05"}]
MAX_CODE_LINES = 10
# A learner's code cell is at most this many lines, blank lines and comments included:
# anything longer belongs in a helper in the backcourse package.
MAX_LEARNER_LINES = 3
# Raw source ids in brackets, the old citation style ("[art_klarity, nice_ng59]").
RAW_CITATION = re.compile(r"\[([a-z][a-z0-9_]*(?:,\s*[a-z][a-z0-9_]*)*)\](?!\()")
# A citation as readers see it: a short label linked to the reference list.
LABEL_CITATION = re.compile(r"\[([^\]\n]+)\]\(#References\)")
# Longest run of prose (words) allowed between two pictures, tables or widgets.
MAX_WORDS_WITHOUT_A_PICTURE = 400
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
        lines = src.strip("\n").splitlines()
        assert len(lines) <= MAX_CODE_LINES
        assert len(lines) <= MAX_LEARNER_LINES, f"a code cell of {len(lines)} lines:\n{src}"
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
    # citations in prose are short labels linked to the reference list: [NICE 2016](#References)
    labels = {src.label() for src in course.sources.values()}
    cited = {m.group(1) for m in LABEL_CITATION.finditer(markdown(nb))}
    unknown = sorted(cited - labels)
    assert not unknown, f"{path.name} cites labels not in sources.yaml: {unknown}"
    if path in LEARNER:
        old = [m.group(0) for m in RAW_CITATION.finditer(markdown(nb))]
        old = [c for c in old if set(re.findall(r"[a-z0-9_]+", c)) & set(course.sources)]
        assert not old, f"{path.name} cites raw source ids: {old}"
    # ... and every source cited in the prose, or under a card or table, is in the notebook's
    # reference list (the link target)
    listed = "\n".join(
        outputs_text(c) for c in code_cells(nb) if "references(" in source(c) and c.get("outputs")
    )
    shown = "\n".join(outputs_text(c) for c in code_cells(nb) if "references(" not in source(c))
    cited |= {html.unescape(m) for m in re.findall(r'href="#References"[^>]*>([^<]+)</a>', shown)}
    if listed:
        read = html.unescape(listed)  # the text a reader sees, whatever the escaping
        missing = sorted(c for c in cited if f"<strong>{c}</strong>" not in read)
        assert not missing, f"{path.name}: cited but not in its References: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_links_to_other_notebooks_exist(path, course):
    planned = {f.data.get("notebook") for f in course.facts.get("course_map", ())}
    text = markdown(load(path))
    for target in re.findall(r"\]\(([^)#\s]+\.ipynb)", text):
        assert (path.parent / target).exists() or target in planned, (
            f"{path.name} links to {target}, which is neither there nor in the course map"
        )


# --------------------------------------------------------------------------- issue 14 rules


def learner_visible(nb: dict) -> list[tuple[int, str]]:
    """(cell index, text) for everything a learner reads: markdown and every output."""
    seen = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown":
            seen.append((i, source(cell)))
        elif cell.get("outputs"):
            seen.append((i, outputs_text(cell)))
    return seen


@pytest.mark.parametrize("path", LEARNER, ids=ids(LEARNER))
def test_no_raw_source_id_where_a_learner_reads(path, course):
    """Readers see "NICE 2016", never "nice_ng59": in prose, safety box, cards and tables."""
    nb = load(path)
    found = []
    for i, text in learner_visible(nb):
        for sid in course.sources:
            if re.search(rf"(?<![\w-]){re.escape(sid)}(?!\w)", text):
                found.append(f"cell {i}: {sid}")
    assert not found, f"{path.name} shows raw source ids: {found}"


def test_raw_id_check_would_catch_an_id(course):
    """The check above is live: an output naming a source id is caught."""
    nb = {"cells": [{"cell_type": "code", "outputs": [{"data": {"text/html": "see nice_ng59"}}]}]}
    texts = [t for _, t in learner_visible(nb)]
    assert any(re.search(r"(?<![\w-])nice_ng59(?!\w)", t) for t in texts)


def first_section_index(nb: dict) -> int:
    """Index of the first numbered lesson section ("## 1. ...")."""
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown" and re.search(r"^##\s+1\.", source(cell), re.M):
            return i
    return len(nb["cells"])


@pytest.mark.parametrize("path", LEARNER, ids=ids(LEARNER))
def test_safety_box_comes_before_the_lesson_starts(path):
    nb = load(path)
    calls = [i for i, c in enumerate(nb["cells"]) if "safety_line(" in source(c)]
    assert calls, "a safety box"
    assert calls[0] < first_section_index(nb), f"{path.name}: the safety box is not near the top"
    assert calls[0] <= 6, f"{path.name}: the safety box is cell {calls[0]}, not near the top"


MID_CHECKED = [p for p in LEARNER if p.stem[:2] != "00"]


@pytest.mark.parametrize("path", MID_CHECKED, ids=ids(MID_CHECKED))
def test_a_quick_check_in_the_middle_of_the_lesson(path, course):
    nb = load(path)
    cells = nb["cells"]
    quick = [i for i, c in enumerate(cells) if "quick_check=True" in source(c)]
    end = [i for i, c in enumerate(cells) if re.search(r"^#{2,3}\s+quiz", source(c), re.I | re.M)]
    assert quick and end, f"{path.name}: a quick check and an end quiz"
    assert first_section_index(nb) < quick[0] < end[0], f"{path.name}: quick check placement"
    # the lesson's quick-check questions exist in quizzes.yaml
    assert [q for q in course.quizzes_for(path.stem) if q.quick_check]


def shows_something(cell: dict) -> bool:
    """A picture, table or widget in a cell (markdown table or image, or an output)."""
    if cell["cell_type"] == "markdown":
        text = source(cell)
        return bool(re.search(r"^\|.*\|\s*$", text, re.M) or re.search(r"!\[", text))
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if "image/png" in data or "application/vnd.jupyter.widget-view+json" in data:
            return True
        page = data.get("text/html", "")
        page = page if isinstance(page, str) else "".join(page)
        if re.search(r"<(table|img|svg)\b|role=\"img\"", page):
            return True
    return False


def prose_words(cell: dict) -> int:
    """Words of running prose in a markdown cell (table rows are not prose)."""
    text = source(cell)
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("|")]
    return len(re.findall(r"[A-Za-z0-9']+", "\n".join(lines)))


def longest_run_without_a_picture(nb: dict) -> int:
    run = longest = 0
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            run += prose_words(cell)
            longest = max(longest, run)
        if shows_something(cell):
            run = 0
    return longest


@pytest.mark.parametrize("path", LEARNER, ids=ids(LEARNER))
def test_no_long_stretch_of_words_without_a_picture(path):
    nb = load(path)
    # The title cell and overview come before anything is run, so the run starts after them.
    start = first_section_index(nb)
    body = {"cells": nb["cells"][start:]}
    words = longest_run_without_a_picture(body)
    assert words <= MAX_WORDS_WITHOUT_A_PICTURE, f"{path.name}: {words} words without a picture"


def test_word_run_counter_counts():
    prose = {"cell_type": "markdown", "source": "word " * 300}
    table = {"cell_type": "markdown", "source": "| a | b |\n| --- | --- |\n| c | d |"}
    assert longest_run_without_a_picture({"cells": [prose, prose]}) == 600
    assert longest_run_without_a_picture({"cells": [prose, table, prose]}) == 300


# Technical words a non-coder meets, and a phrase that must explain each the first time it
# appears (in course order, 00 to 05).
JARGON = {
    "kernel": "runs the code",
    "CSV": "spreadsheet",
    "JSON": "format programs use",
    "environment variable": "setting",
    "JupyterHub": "Jupyter website",
    "Binder": "runs notebooks",
    "Markdown": "plain text",
    "HTML": "web page",
}


@pytest.mark.parametrize("word", sorted(JARGON))
def test_technical_words_are_explained_the_first_time(word):
    for path in LEARNER:
        for cell in load(path)["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            text = " ".join(source(cell).split())
            if re.search(rf"\b{re.escape(word)}\b", text, re.I if word.islower() else 0):
                assert JARGON[word] in text, (
                    f"{path.name}: {word!r} first appears without a plain explanation:\n{text}"
                )
                return


def test_readme_lesson_times_come_from_the_course_map(course):
    """One source of truth: the README's course table gives the course map's minutes."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\|\s*`([0-9a-z_]+)`\s*\|[^\n]*\|\s*(\d+)\s*min\s*\|", readme, re.M))
    assert rows, "a course table in README.md"
    for entry in course.facts["course_map"]:
        stem = entry.data["notebook"].removesuffix(".ipynb")
        if stem in rows:
            assert int(rows[stem]) == entry.data["minutes"], f"README time for {stem}"
    assert set(rows) >= {p.stem for p in NOTEBOOKS}
