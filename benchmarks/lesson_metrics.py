"""Teaching measures of the learner notebooks 00-05 (not a timing benchmark; run by hand).

Prints, for each lesson: the Flesch-Kincaid grade and Flesch reading ease of its markdown
prose, the longest code cell, and the longest run of words without a picture, table or
widget; and, for the whole course, the share of quiz questions whose right answer is the
longest choice.

    .venv/bin/python -m pip install textstat      # only for the reading grades
    .venv/bin/python benchmarks/lesson_metrics.py

Prose is the markdown of each notebook with code, tables, links' addresses, headings'
marks and list bullets taken out, so that the grade is of the sentences a learner reads.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_lessons import (  # noqa: E402  (the same counting rules the tests use)
    first_section_index,
    longest_run_without_a_picture,
)

LESSONS = sorted(p for p in (ROOT / "notebooks").glob("0[0-5]*.ipynb"))


def source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def prose(nb: dict) -> str:
    """The sentences of a notebook's markdown, without tables, code or markup."""
    out = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = source(cell)
        text = "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("|"))
        text = re.sub(r"`[^`]*`", "", text)  # inline code
        text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links: keep the words
        text = re.sub(r"^#+\s*", "", text, flags=re.M)  # heading marks
        text = re.sub(r"^\s*(?:[-*]|\d+\.)\s+", "", text, flags=re.M)  # list bullets
        text = re.sub(r"[*_]{1,2}", "", text)  # bold and italics
        out.append(text)
    return "\n\n".join(out)


def longest_code_cell(nb: dict) -> int:
    return max(
        (len(source(c).strip("\n").splitlines()) for c in nb["cells"] if c["cell_type"] == "code"),
        default=0,
    )


def main() -> int:
    try:
        import textstat
    except ImportError:
        textstat = None
        print("(textstat not installed: reading grades skipped)")
    print(f"{'lesson':24} {'FK grade':>8} {'ease':>6} {'words':>6} {'code':>5} {'run':>5}")
    for path in LESSONS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        text = prose(nb)
        words = len(re.findall(r"[A-Za-z0-9']+", text))
        body = {"cells": nb["cells"][first_section_index(nb) :]}
        run = longest_run_without_a_picture(body)
        grade = f"{textstat.flesch_kincaid_grade(text):8.1f}" if textstat else f"{'-':>8}"
        ease = f"{textstat.flesch_reading_ease(text):6.1f}" if textstat else f"{'-':>6}"
        print(f"{path.stem:24} {grade} {ease} {words:6d} {longest_code_cell(nb):5d} {run:5d}")

    from backcourse import load_course

    course = load_course()
    quizzes = course.quizzes
    longest = [q.id for q in quizzes if len(q.answer.text) == max(len(c.text) for c in q.choices)]
    print(
        f"Right answer is the longest choice in {len(longest)} of {len(quizzes)} questions "
        f"({100 * len(longest) / len(quizzes):.0f}%): {', '.join(longest) or 'none'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
