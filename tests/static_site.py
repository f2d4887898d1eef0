"""A built static site (``make lite`` or ``make book``) served on localhost for browser tests,
and a Playwright context that blocks every request to any other host and records it.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from browser_support import free_port


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 (the base class's own attribute, extended)
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".json": "application/json",
        ".ipynb": "application/json",
    }

    def log_message(self, *args: object) -> None:  # the test output stays readable
        pass


@dataclass
class StaticSite:
    root: Path
    base_url: str  # "http://127.0.0.1:PORT/"

    def url(self, path: str = "") -> str:
        return self.base_url + path.lstrip("/")


@contextmanager
def serve(root: Path) -> Iterator[StaticSite]:
    """Serve ``root`` over http on a free localhost port (JupyterLite needs http, not file:,
    for its service worker) until the block ends."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield StaticSite(root, f"http://127.0.0.1:{server.server_port}/")
    finally:
        server.shutdown()
        server.server_close()


def built_site(path: Path, make_target: str) -> Path:
    """``path`` if it has been built; otherwise skip (fail in CI, which builds it first)."""
    if (path / "index.html").exists():
        return path
    message = f"{path} is not built: run `make {make_target}` first"
    if os.environ.get("BACKCOURSE_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class OfflineContext:
    """A browser context where only ``site`` answers; ``blocked`` lists what was refused."""

    context: object
    blocked: list[str] = field(default_factory=list)


@contextmanager
def offline_context(browser, site: StaticSite, **options) -> Iterator[OfflineContext]:
    context = browser.new_context(service_workers="allow", **options)
    recorder = OfflineContext(context)

    def route(r) -> None:
        url = r.request.url
        if url.startswith((site.base_url, "data:", "blob:")):
            r.continue_()
        else:
            recorder.blocked.append(url)
            r.abort()

    context.route("**/*", route)
    try:
        yield recorder
    finally:
        context.close()
