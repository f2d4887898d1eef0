"""The Voila app's start, timed in Debian's Chromium: used by ``goals.py``.

Voila starts from the repository's root, so it reads ``voila.json`` there (the backcourse
template, one preheated kernel), on a free port of 127.0.0.1 with a random token. Timed:

- server up: from starting the process until it answers;
- cold: the first page, opened as soon as the server answers (the preheated kernel is
  still running the notebook, as when a trainer has just started the app);
- warm: later pages, each opened once the pool has had time to preheat the next kernel.

For each page: ``html`` is when the page's HTML had arrived (server, kernel, notebook run)
and ``widget`` when the builder was visible (plus widget state and scripts). Every request
the pages make to a host other than 127.0.0.1 is counted.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
APP = "notebooks/app_routine_builder.ipynb"
WARM_RUNS = 3
PREHEAT_WAIT_S = 20  # time for the pool to run the notebook in a fresh kernel again
TIMEOUT_S = 120


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(url: str, proc: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"voila exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"voila did not answer at {url}")


def _page(browser, url: str, foreign: list[str]) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on(
        "request",
        lambda r: (
            foreign.append(r.url)
            if urlparse(r.url).hostname not in (None, "127.0.0.1", "localhost")
            and not r.url.startswith(("data:", "blob:"))
            else None
        ),
    )
    try:
        t = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=TIMEOUT_S * 1000)
        page.locator(".bc-builder").first.wait_for(state="visible", timeout=TIMEOUT_S * 1000)
        widget = time.perf_counter() - t
        nav = page.evaluate(
            """() => { const n = performance.getEntriesByType('navigation')[0];
                const r = performance.getEntriesByType('resource');
                return {html: n.responseEnd, dom: n.domContentLoadedEventEnd,
                        load: n.loadEventEnd, scripts: r.length,
                        bytes: r.reduce((a, x) => a + (x.transferSize || 0), 0)}; }"""
        )
        return {
            "html": nav["html"] / 1000,  # server: kernel, notebook run (or a preheated one)
            "scripts": nav["load"] / 1000,  # page and its scripts and styles loaded
            "widget": widget,  # then widget state from the kernel, and the first drawing
            "requests": nav["scripts"],
            "kib": nav["bytes"] / 1024,
        }
    finally:
        context.close()


def voila_times(root: Path, warm_runs: int = WARM_RUNS) -> dict:
    from playwright.sync_api import sync_playwright

    voila = Path(sys.executable).with_name("voila")
    port, token = _free_port(), secrets.token_hex(16)
    with tempfile.TemporaryDirectory(prefix="bench-voila-") as state:
        env = {
            **os.environ,
            "JUPYTER_CONFIG_DIR": f"{state}/config",
            "JUPYTER_RUNTIME_DIR": f"{state}/runtime",
            "IPYTHONDIR": f"{state}/ipython",
            "MPLCONFIGDIR": f"{state}/mpl",
            "MPLBACKEND": "Agg",
        }
        argv = [
            str(voila),
            APP,
            "--no-browser",
            "--Voila.ip=127.0.0.1",
            f"--Voila.port={port}",
            "--Voila.port_retries=0",
            f"--Voila.token={token}",
        ]
        with open(f"{state}/voila.log", "wb") as log:
            t0 = time.perf_counter()
            proc = subprocess.Popen(
                argv, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
        base = f"http://127.0.0.1:{port}/"
        try:
            _wait_up(f"{base}voila/static/voila.js?token={token}", proc, TIMEOUT_S)
            server_up = time.perf_counter() - t0
            foreign: list[str] = []
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                cold = _page(browser, f"{base}?token={token}", foreign)
                warm = []
                for _ in range(warm_runs):
                    time.sleep(PREHEAT_WAIT_S)
                    warm.append(_page(browser, f"{base}?token={token}", foreign))
                browser.close()
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
    return {"server_up": server_up, "cold": cold, "warm": warm, "foreign": len(foreign)}


if __name__ == "__main__":
    print(voila_times(Path(__file__).resolve().parents[1]))
