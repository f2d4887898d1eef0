"""The export room's HTML, rendered from ``render/templates/handout/`` (autoescape on).

One difference from ``backcourse.render.render``: quotes come out as ``&#x27;`` and
``&quot;`` (markupsafe writes ``&#39;`` and ``&#34;``). They mean the same to every browser;
keeping the entities handouts have always had keeps a handout's bytes the same as before,
so a saved handout and a new one compare equal.
"""

from __future__ import annotations

from typing import Any

from ..render import render

__all__ = ["render_html"]


def render_html(template: str, **context: Any) -> str:
    """Render ``handout/<template>`` with ``context``; quotes as the handouts write them.

    >>> render_html("picture.html", src="data:,", alt="Sam's \\"knee\\" <b>")
    '<img class="bc-illustration" src="data:," alt="Sam&#x27;s &quot;knee&quot; &lt;b&gt;">'
    """
    # Safe as a plain replacement: text "&#39;" is escaped to "&amp;#39;" first, so these
    # entities can only have come from the escaping itself.
    html = render(f"handout/{template}", **context)
    return html.replace("&#39;", "&#x27;").replace("&#34;", "&quot;")
