"""The course website (``make book``) in headless Chromium, with no other host reachable.

``_build/`` is served on localhost as it is published: the book in ``book/``, the JupyterLite
site beside it in ``lite/``. Every page of the book is opened with every request to another
host blocked and recorded. A reader depends on: each page loading whole from this one site
(no CDN, no web fonts from elsewhere), a title, pictures described in words (alt text), and
on each lesson a working link that opens it in the browser-only course.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from browser_support import ROOT, screenshot
from static_site import built_site, offline_context, serve

pytestmark = [pytest.mark.browser]

BUILD = ROOT / "_build"
BOOK = BUILD / "book"
LITE = BUILD / "lite"
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
LESSON_LINK = "Open this lesson in your browser"
APP_LINK = "Open the routine builder in your browser"
# Sphinx's own index and search pages are not course pages (no lite link, no lesson title).
SPHINX_PAGES = {"genindex", "search"}


def _pages() -> list[str]:
    return sorted(p.stem for p in BOOK.glob("*.html") if p.stem != "index")


@pytest.fixture(scope="module")
def site():
    built_site(BOOK, "book")
    with serve(BUILD) as s:
        yield s


def _notebook_title(stem: str) -> str:
    nb = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text())
    first = "".join(nb["cells"][0]["source"]).splitlines()[0]
    return first.removeprefix("# ").strip()


def test_every_notebook_has_a_page() -> None:
    built_site(BOOK, "book")
    missing = [nb for nb in NOTEBOOKS if not (BOOK / f"{nb}.html").is_file()]
    assert not missing, f"lessons without a page in the book: {missing}"
    assert (BOOK / "references.html").is_file()


def _open(context, site, stem: str):
    page = context.new_page()
    failed: list[str] = []
    page.on(
        "response",
        lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    page.goto(site.url(f"book/{stem}.html"), wait_until="networkidle", timeout=60_000)
    return page, failed


@pytest.mark.parametrize("stem", _pages() if BOOK.exists() else ["intro"])
def test_page_loads_whole_from_this_site(browser, site, stem: str) -> None:
    with offline_context(browser, site, viewport={"width": 1280, "height": 900}) as ctx:
        page, failed = _open(ctx.context, site, stem)
        assert not ctx.blocked, f"{stem}: requests to other hosts: {ctx.blocked}"
        assert not failed, f"{stem}: files missing from the site: {failed}"

        title = page.title()
        assert title.strip(), f"{stem}: the page has no <title>"
        if stem not in SPHINX_PAGES:  # the general index is empty: the course has no index
            heading = page.locator("main h1").first.inner_text().strip()
            assert heading, f"{stem}: the page has no heading"
        if stem in NOTEBOOKS:
            # The lesson's own title, as its notebook starts (Sphinx adds a pilcrow link).
            assert _notebook_title(stem) in heading, (stem, heading)
            assert _notebook_title(stem) in title, (stem, title)

        images = page.locator("article img")
        for i in range(images.count()):
            img = images.nth(i)
            alt = (img.get_attribute("alt") or "").strip()
            assert alt, f"{stem}: picture {img.get_attribute('src')} has no alt text"
            assert img.evaluate("i => i.complete && i.naturalWidth > 0"), (
                f"{stem}: picture {img.get_attribute('src')} did not load"
            )
        if stem == "04_program_design":
            screenshot(page, "book-04", full_page=False)
        page.close()


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_lesson_links_into_the_lite_site(browser, site, stem: str) -> None:
    """The link is on the page, relative (works on any host), and names a file of the
    JupyterLite build: its app page and the notebook in its contents."""
    lite = built_site(LITE, "lite")
    label = APP_LINK if stem.startswith("app_") else LESSON_LINK
    with offline_context(browser, site) as ctx:
        page, _ = _open(ctx.context, site, stem)
        link = page.get_by_role("link", name=label).first
        href = link.get_attribute("href")
        assert href and not urlsplit(href).scheme, f"{stem}: {href!r} is not a relative link"
        target = urlsplit(urljoin(page.url, href))
        assert target.netloc == urlsplit(site.base_url).netloc
        assert target.path.startswith("/lite/"), target.path
        app_page = BUILD / target.path.lstrip("/")
        assert app_page.is_file(), f"{stem}: {href} points at {app_page}, not in the lite build"
        (notebook,) = parse_qs(target.query)["path"]
        assert notebook == f"{stem}.ipynb"
        assert (lite / "files" / notebook).is_file(), f"{notebook} is not in the lite site"
        answer = page.request.get(urljoin(page.url, href))
        assert answer.ok, f"{href}: HTTP {answer.status}"
        page.close()
        assert not ctx.blocked, ctx.blocked


def test_book_config_serves_its_own_scripts() -> None:
    """The widget manager, require.js and MathJax, should a page need them, come from the
    book's own folder, and not from _static's top level (which every page would load)."""
    built_site(BOOK, "book")
    vendor: Path = BOOK / "_static" / "vendor"
    for path in ("require.js", "html-manager/embed-amd.js", "mathjax/tex-mml-chtml.js"):
        assert (vendor / path).is_file(), f"{path} is not in the book"
    for html in BOOK.glob("*.html"):
        text = html.read_text()
        for cdn in ("cdn.jsdelivr.net", "unpkg.com/@jupyter-widgets", "fonts.googleapis"):
            assert f'src="https://{cdn}' not in text, f"{html.name} loads from {cdn}"
