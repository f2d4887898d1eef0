"""HTML from Jinja2 templates, with autoescape on: the one place HTML is written.

Templates live in ``backcourse/render/templates/``. Learner and trainer text passed in
the context is escaped by construction; mark trusted HTML with ``markupsafe.Markup``.
Shared pieces (a table, a message box) are macros in ``templates/macros.html``; every
template sees the course colours as ``palette`` (``backcourse.palette``).

>>> from backcourse.render import render_string
>>> render_string("<p>{{ name }}</p>", name="<b>Sam</b>")
'<p>&lt;b&gt;Sam&lt;/b&gt;</p>'
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment():  # -> jinja2.Environment (imported lazily: `import backcourse` stays light)
    """The shared Jinja2 environment: templates from this package, autoescape always on."""
    import jinja2

    from .. import palette

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["palette"] = palette.as_dict()  # {{ palette.ALERT }} in any template
    return env


def render(template: str, **context: Any) -> str:
    """Render the named template in ``templates/`` with ``context``."""
    return environment().get_template(template).render(**context)


def render_string(source: str, **context: Any) -> str:
    """Render a template given as text (for tests and one-line fragments)."""
    return environment().from_string(source).render(**context)
