"""The Voila app's start, step by step, in Debian's Chromium: where the seconds go.

``python benchmarks/browser_bench.py`` prints each step; ``goals.py`` (``make bench``) puts
the totals beside their goal. Servers, the browser and the isolated Jupyter folders come from
``tests/browser_support.py`` (the browser tests' own helpers). Measured:

- notebook: a fresh kernel's start, then each code cell of the app notebook, and what the
  kernel holds afterwards (widgets, the size of their state, whether matplotlib was loaded):
  this is the work Voila's preheated kernel does before any page asks for it;
- server up: from starting Voila (from the repository's root, so with ``voila.json``: the
  backcourse template, one preheated kernel) until it answers;
- cold: the first page, opened as soon as the server answers (the pool's kernel is still
  running the notebook, as when a trainer has just started the app);
- warm: the same browser loading the app again, each time once the server has gone quiet
  (the next kernel preheated: the page's HTML, outputs included, comes at once); then once
  from another browser with nothing cached;
- the floor: the same, warm, for a page holding one slider in the same template and page
  script (``FLOOR``): what any app costs on this machine, to set the app's figure against.

For each page, in seconds: ``html`` when the page's HTML had arrived, ``scripts`` when its
scripts and styles had loaded, ``widget`` the first frame that painted the builder
(``VISIBLE``: checked on every frame inside the page; Playwright's own wait checks every
0.5 s after its first tries, which would add up to half a second), all three on the page's
own clock (``performance.now()``, from when the browser asked for the page); ``kernel`` when
the websocket to the kernel opened and ``state`` when the last message before the builder
showed arrived (widget state), both as the test driver saw them, from just before it asked;
with the requests and bytes per kind. Every request to a host other than 127.0.0.1 is counted
(there must be none).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import (  # noqa: E402  (tests/ is put on the path just above)
    CHROMIUM,
    CHROMIUM_ARGS,
    _descendants,
    isolated_env,
    start_voila,
)

APP = ROOT / "notebooks" / "app_routine_builder.ipynb"
# The least a page of widgets can be: one slider (carrying the class the timer waits for).
FLOOR = """import ipywidgets as w
page = w.VBox([w.Label("one slider"), w.IntSlider()])
page.add_class("bc-builder")
page"""
WARM_RUNS = 3
# Inside the page, from its first moment: on every animation frame, look for the builder;
# once it has a size, note the time of the next frame (the one that paints it).
VISIBLE = """(() => {
  const shown = () => {
    const el = document.querySelector('.bc-builder');
    if (!el) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  const look = () => shown()
    ? requestAnimationFrame(() => { window.__bcVisibleAt = performance.now(); })
    : requestAnimationFrame(look);
  requestAnimationFrame(look);
})();"""
TIMEOUT_S = 120
# What the kernel holds once the notebook has run (printed as JSON by a probe cell).
PROBE = """
import json, sys
from ipywidgets import Widget
state = Widget.get_manager_state()["state"]
def size(v):
    return len(v) if isinstance(v, (bytes, bytearray, memoryview)) else 0
blobs = sum(size(x) for s in state.values() for x in s.get("state", {}).values())
text = len(json.dumps(state, default=lambda o: ""))
print(json.dumps({"widgets": len(state), "state_kib": (text + blobs) / 1024,
                  "matplotlib": "matplotlib" in sys.modules}))
"""


# --------------------------------------------------------------------------- the notebook


def notebook_times(app: Path = APP) -> dict:
    """Start a kernel as Voila's pool does and run the app notebook in it, timing each step."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(app, as_version=4)
    with tempfile.TemporaryDirectory(prefix="bench-nb-") as state:
        env = isolated_env(Path(state))
        client = NotebookClient(nb, kernel_name="python3", timeout=TIMEOUT_S,
                                resources={"metadata": {"path": str(app.parent)}})  # fmt: skip
        t = time.perf_counter()
        with client.setup_kernel(env=env, cwd=str(app.parent)):
            kernel = time.perf_counter() - t
            cells = []
            for i, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                t = time.perf_counter()
                client.execute_cell(cell, i)
                first = "".join(cell.source).strip().splitlines()[0]
                cells.append((first[:60], time.perf_counter() - t))
            probe = nbformat.v4.new_code_cell(PROBE)
            nb.cells.append(probe)
            client.execute_cell(probe, len(nb.cells) - 1)
    held = json.loads(probe.outputs[-1]["text"].strip().splitlines()[-1])
    return {"kernel": kernel, "cells": cells, **held}


# --------------------------------------------------------------------------- the pages


def _cpu_ticks(pid: int) -> int:
    total = 0
    for p in [pid, *_descendants(pid)]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def _fill_delay(root: Path) -> float:
    """Seconds Voila waits before preheating the next kernel (voila.json; Voila's default 1)."""
    config = json.loads((root / "voila.json").read_text()) if (root / "voila.json").exists() else {}
    return float(config.get("VoilaKernelManager", {}).get("fill_delay", 1))


def wait_quiet(server, quiet: float = 2.0, timeout: float = 90, after: float = 0.0) -> float:
    """Wait ``after`` seconds (the pool's fill delay: quiet, but no kernel preheated yet),
    then until Voila and its kernels have used (almost) no CPU for ``quiet`` seconds: the
    pool's next kernel has run the notebook. Returns the seconds waited."""
    start = time.monotonic()
    time.sleep(after)
    last, since = _cpu_ticks(server.proc.pid), time.monotonic()
    while time.monotonic() - start < timeout:
        time.sleep(0.25)
        now = _cpu_ticks(server.proc.pid)
        if now - last > 2:  # more than 20 ms of CPU in a quarter second: still working
            since = time.monotonic()
        last = now
        if time.monotonic() - since >= quiet:
            break
    return time.monotonic() - start


KINDS = {".js": "scripts", ".css": "styles", ".woff": "fonts", ".woff2": "fonts",
         ".png": "pictures", ".svg": "pictures"}  # fmt: skip


def _page(context, url: str, foreign: list[str]) -> dict:
    page = context.new_page()
    t0 = time.perf_counter()
    frames: list[tuple[float, int]] = []
    opened: list[float] = []

    def on_socket(ws) -> None:
        opened.append(time.perf_counter() - t0)
        ws.on("framereceived", lambda f: frames.append((time.perf_counter() - t0, len(f))))

    def on_request(r) -> None:
        host = urlparse(r.url).hostname
        if host not in (None, "127.0.0.1", "localhost") and not r.url.startswith(
            ("data:", "blob:")
        ):
            foreign.append(r.url)

    page.on("websocket", on_socket)
    page.on("request", on_request)
    page.add_init_script(VISIBLE)
    try:
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=TIMEOUT_S * 1000)
        page.wait_for_function("window.__bcVisibleAt", timeout=TIMEOUT_S * 1000)
        nav = page.evaluate(
            """() => { const n = performance.getEntriesByType('navigation')[0];
                const r = performance.getEntriesByType('resource');
                return {html: n.responseEnd, load: n.loadEventEnd, widget: window.__bcVisibleAt,
                        res: r.map(x => [x.name, x.transferSize || 0])}; }"""
        )
        widget = nav["widget"] / 1000
        kinds: dict[str, list[float]] = {}
        for name, size in nav["res"]:
            path = urlparse(name).path
            kind = next((k for ext, k in KINDS.items() if path.endswith(ext)), "other")
            kinds.setdefault(kind, [0, 0.0])
            kinds[kind][0] += 1
            kinds[kind][1] += size / 1024
        before = [f for f in frames if f[0] <= widget]
        return {
            "html": nav["html"] / 1000,
            "scripts": nav["load"] / 1000,
            "kernel": opened[0] if opened else float("nan"),
            "state": before[-1][0] if before else float("nan"),
            "state_kib": sum(n for _, n in before) / 1024,
            "widget": widget,
            "requests": len(nav["res"]),
            "kib": sum(k[1] for k in kinds.values()),
            "kinds": {k: (int(n), round(kib)) for k, (n, kib) in sorted(kinds.items())},
        }
    finally:
        page.close()


def voila_times(
    root: Path = ROOT, warm_runs: int = WARM_RUNS, notebook: Path | None = None
) -> dict:
    """Start Voila on the app (or ``notebook``) as ``make app`` does, from ``root`` with its
    voila.json; time a cold page, then warm ones."""
    from playwright.sync_api import sync_playwright

    t = time.perf_counter()
    notebook = notebook or root / APP.relative_to(ROOT)
    server = start_voila(notebook, root=root, timeout=TIMEOUT_S)
    server_up = time.perf_counter() - t
    foreign: list[str] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            viewport = {"viewport": {"width": 1280, "height": 900}}
            learner = browser.new_context(**viewport)  # one browser, reloading the app
            cold = _page(learner, server.url(), foreign)
            warm, waited = [], []
            for _ in range(warm_runs):
                waited.append(wait_quiet(server, after=_fill_delay(root) + 1))
                warm.append(_page(learner, server.url(), foreign))
            # Another learner's browser: nothing of the app in its cache yet.
            waited.append(wait_quiet(server, after=_fill_delay(root) + 1))
            other = browser.new_context(**viewport)
            fresh = _page(other, server.url(), foreign)
            browser.close()
    finally:
        server.stop()
    return {"server_up": server_up, "cold": cold, "warm": warm, "fresh_browser": fresh,
            "preheat_wait": waited, "foreign": len(foreign)}  # fmt: skip


def floor_times(warm_runs: int = WARM_RUNS) -> list[float]:
    """Warm page -> widget visible for the floor (``FLOOR``), seconds per page."""
    import shutil

    import nbformat

    with tempfile.TemporaryDirectory(prefix="bench-floor-") as tmp:
        folder = Path(tmp)
        shutil.copy(ROOT / "voila.json", folder / "voila.json")
        notebook = folder / "floor.ipynb"
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(FLOOR)]
        nbformat.write(nb, notebook)
        result = voila_times(folder, warm_runs, notebook=notebook)
    return [page["widget"] for page in result["warm"]]


def summary(result: dict) -> str:
    """Where the seconds of a page go, in one line per page."""

    def line(name: str, p: dict) -> str:
        return (
            f"{name}: html {p['html']:5.2f} s | scripts loaded {p['scripts']:5.2f} s | kernel "
            f"socket {p['kernel']:5.2f} s | widget state in {p['state']:5.2f} s "
            f"({p['state_kib']:.0f} KiB) | builder visible {p['widget']:5.2f} s | "
            f"{p['requests']} requests, {p['kib']:.0f} KiB: "
            + ", ".join(f"{k} {n}/{kib} KiB" for k, (n, kib) in p["kinds"].items())
        )

    warm = result["warm"]
    return "\n".join(
        [
            f"server up in {result['server_up']:.1f} s; requests to other hosts: "
            f"{result['foreign']}",
            line("cold", result["cold"]),
            *(line(f"warm{i + 1}", w) for i, w in enumerate(warm)),
            line("warm, another browser (empty cache)", result["fresh_browser"]),
            f"warm median: builder visible {statistics.median(w['widget'] for w in warm):.2f} s"
            f" (waited {', '.join(f'{s:.0f}' for s in result['preheat_wait'])} s for the pool)",
        ]
    )


def main() -> None:
    nb = notebook_times()
    print(
        f"notebook in a fresh kernel: kernel start {nb['kernel']:.2f} s; "
        + "; ".join(f"cell {src!r} {s:.2f} s" for src, s in nb["cells"])
        + f"; then {nb['widgets']} widgets, {nb['state_kib']:.0f} KiB of widget state, "
        f"matplotlib {'loaded' if nb['matplotlib'] else 'not loaded'}"
    )
    print(summary(voila_times()))
    floor = floor_times()
    print(
        f"the floor (one slider, same template), warm: "
        f"{', '.join(f'{t:.2f}' for t in floor)} s; median {statistics.median(floor):.2f} s"
    )


if __name__ == "__main__":
    main()
