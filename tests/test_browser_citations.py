"""Citations in a real JupyterLab: a short label in the prose, or in the safety box, takes
the reader to the lesson's reference list (issue 14: readable, linked citations).

Lesson 02 is opened and run; clicking "(NICE 2016)"-style links must bring the References
heading into view, and the reference list shows labels, never source ids.
"""

from __future__ import annotations

import pytest
from browser_support import (
    PANEL,
    close_notebook,
    copy_course,
    open_notebook,
    run_all_cells,
    screenshot,
    start_lab,
    wait_kernel_idle,
)

VIEWPORT = {"width": 1280, "height": 900}


def _references_in_view(page) -> bool:
    """The References heading is drawn and on screen (JupyterLab marks a heading with
    data-jupyter-id, the anchor a "#References" link looks for)."""
    heading = page.locator(f'{PANEL} h2[data-jupyter-id="References"]')
    if not heading.count():
        return False
    box = heading.first.bounding_box(timeout=2000)
    return bool(box) and 0 <= box["y"] <= VIEWPORT["height"]


@pytest.mark.browser
def test_citation_links_reach_the_reference_list(browser, tmp_path, course):
    server = start_lab(copy_course(tmp_path / "root"))
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = open_notebook(context, server, "02_causes_and_risks.ipynb")
        run_all_cells(page)
        wait_kernel_idle(page, timeout=150)
        # 1. a citation in the prose
        prose_link = page.locator(f'{PANEL} .jp-MarkdownOutput a[href="#References"]').first
        prose_link.scroll_into_view_if_needed()
        assert not _references_in_view(page)
        prose_link.click()
        page.wait_for_timeout(800)
        assert _references_in_view(page), "a prose citation did not reach the References"
        screenshot(page, "citations-02-references")
        # 2. a citation in the safety box, near the top of the lesson
        box_link = page.locator(f'{PANEL} .bc-safety a[href="#References"]').first
        box_link.scroll_into_view_if_needed()
        assert not _references_in_view(page)
        box_link.click()
        page.wait_for_timeout(800)
        assert _references_in_view(page), "a safety-box citation did not reach the References"
        # the reference list shows short labels, not ids
        listed = page.locator(f"{PANEL} .bc-references").first.inner_text()
        assert "NICE 2016" in listed and "nice_ng59" not in listed
        close_notebook(page, server)
    finally:
        context.close()
        server.stop()
