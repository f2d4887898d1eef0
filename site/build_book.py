"""Build the course website: Jupyter Book 1 from the lessons' committed outputs (``make book``).

``make book`` runs this with the site tools' venv (``.venv-site``). It writes ``_build/book/``,
a static site meant to be published beside the JupyterLite site (``_build/lite/``, from
``make lite``): ``SITE/book/`` and ``SITE/lite/``.

* Every notebook in ``notebooks/``, staged in ``_build/book-src/`` with the book's config
  (``book/``) and never executed: the committed outputs are the page.
* At the top of each page a link "Open this lesson in your browser" into the JupyterLite site
  (``../lite/lab/index.html?path=NAME.ipynb``; the app opens in JupyterLite's notebook view).
  Widgets have no saved state in the notebooks, so each widget output is replaced by a note
  that links to the same place.
* Each picture keeps its alt text (the notebooks store it in the output's metadata, which
  myst-nb does not read; the staged cell carries it where myst-nb looks).
* A page with every reference, rendered from ``course_data/sources.yaml`` by the course's
  own Python (``--course-python``, the learner's ``.venv``).
* require.js, the widgets HTML manager and MathJax copied from ``site/node_modules`` into
  ``_vendor/vendor/`` (served as ``_static/vendor/``): the pages load nothing from another host.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2

SITE = Path(__file__).resolve().parent
ROOT = SITE.parent
BOOK = ROOT / "book"
NODE = SITE / "node_modules"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# The app is a page of its own in JupyterLite's notebook view; lessons open in JupyterLab.
APP = "app_routine_builder.ipynb"
# The "References" heading every lesson ends with, which its citations link to.
JUPYTER_REFS, BOOK_REFS = "#References", "#references"
LESSON_LABEL = "Open this lesson in your browser"
APP_LABEL = "Open the routine builder in your browser"
# The course's own Python prints its full reference list (it reads course_data itself).
REFERENCES_SNIPPET = (
    "from backcourse import lesson, load_course; c = load_course(); "
    "print(lesson.references(c, list(c.sources)).html)"
)


class BuildError(SystemExit):
    def __init__(self, message: str) -> None:
        super().__init__(f"make book: {message}")


def lite_href(notebook: str) -> str:
    """The relative link from a book page (``SITE/book/X.html``) into the lite site."""
    app = "notebooks" if notebook == APP else "lab"
    return f"../lite/{app}/index.html?path={notebook}"


def templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(BOOK / "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def stage_notebook(source: Path, target: Path, env: jinja2.Environment) -> None:
    nb = json.loads(source.read_text())
    href = lite_href(source.name)
    label = APP_LABEL if source.name == APP else LESSON_LABEL
    link = env.get_template("lite_link.html").render(href=href, label=label)
    note = env.get_template("interactive.html").render(href=href, label=label)
    cells = nb["cells"]
    # After the title, so the page's heading stays first.
    first = cells[0]
    title, _, rest = "".join(first["source"]).partition("\n")
    if first["cell_type"] != "markdown" or not title.startswith("# "):
        raise BuildError(f"{source.name}: the first cell is not a '# Title' markdown cell")
    first["source"] = f"{title}\n\n{link}\n{rest}"
    for cell in cells:
        if cell["cell_type"] == "markdown":
            # Jupyter anchors a heading by its text, Sphinx by its slug.
            text = "".join(cell["source"])
            cell["source"] = text.replace(f"]({JUPYTER_REFS})", f"]({BOOK_REFS})")
            continue
        if cell["cell_type"] != "code":
            continue
        outputs = []
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_VIEW in data:
                outputs.append(
                    {"output_type": "display_data", "metadata": {}, "data": {"text/html": note}}
                )
                continue
            alt = out.get("metadata", {}).get("image/png", {}).get("alt")
            if alt:
                cell.setdefault("metadata", {}).setdefault("mystnb", {})["image"] = {"alt": alt}
            outputs.append(out)
        cell["outputs"] = outputs
    target.write_text(json.dumps(nb, indent=1))


def vendor(target: Path) -> None:
    """Copy the scripts the pages load into ``target`` (``_vendor/vendor``)."""
    if not (NODE / "requirejs" / "require.js").exists():
        raise BuildError("site/node_modules is missing: run `npm ci --prefix site` first")
    target.mkdir(parents=True)
    shutil.copyfile(NODE / "requirejs" / "require.js", target / "require.js")
    manager = NODE / "@jupyter-widgets" / "html-manager" / "dist"
    (target / "html-manager").mkdir()
    # embed-amd.js and the icon fonts it refers to; not the source maps or other bundles.
    for f in manager.iterdir():
        if f.name == "embed-amd.js" or f.suffix in {".woff2", ".woff", ".ttf", ".eot", ".svg"}:
            shutil.copyfile(f, target / "html-manager" / f.name)
    # MathJax's combined component (TeX and MathML in, HTML out) and the parts it loads on
    # demand: TeX extensions, the HTML output's fonts, the menu and the accessibility
    # helpers. Not the other combined builds, the SVG output or the speech engine (sre).
    mathjax = NODE / "mathjax" / "es5"
    (target / "mathjax").mkdir()
    shutil.copyfile(mathjax / "tex-mml-chtml.js", target / "mathjax" / "tex-mml-chtml.js")
    for part in ("input/tex", "input/mml", "output/chtml", "a11y", "ui", "adaptors"):
        shutil.copytree(mathjax / part, target / "mathjax" / part)


def references(course_python: Path) -> str:
    done = subprocess.run(
        [str(course_python), "-c", REFERENCES_SNIPPET],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return done.stdout.strip()


def stage(src: Path, course_python: Path) -> list[str]:
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(BOOK, src)
    env = templates()
    pages = []
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        stage_notebook(nb, src / nb.name, env)
        pages.append(nb.stem)
    toc = (BOOK / "_toc.yml").read_text()
    missing = [p for p in pages if f"file: {p}\n" not in toc]
    if missing:
        raise BuildError(f"notebooks not in book/_toc.yml: {missing}")
    refs = env.get_template("references.md").render(references=references(course_python))
    (src / "references.md").write_text(refs)
    vendor(src / "_vendor" / "vendor")
    return pages


def build(src: Path, work: Path, out: Path) -> None:
    if work.exists():
        shutil.rmtree(work)
    jb = Path(sys.executable).with_name("jupyter-book")
    # -W: a broken reference or a bad image option fails the build, not the reader.
    subprocess.run(
        [str(jb), "build", str(src), "--path-output", str(work), "-W", "-n", "--keep-going"],
        check=True,
    )
    if out.exists():
        shutil.rmtree(out)
    shutil.move(work / "_build" / "html", out)
    shutil.rmtree(work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "book")
    parser.add_argument("--src", type=Path, default=ROOT / "_build" / "book-src")
    parser.add_argument("--course-python", type=Path, default=ROOT / ".venv" / "bin" / "python")
    args = parser.parse_args()
    out, src = args.out.resolve(), args.src.resolve()
    pages = stage(src, args.course_python)
    build(src, src.with_name(src.name + "-work"), out)
    total = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"make book: {out} ({total / 1e6:.1f} MB), {len(pages)} notebook pages")


if __name__ == "__main__":
    main()
