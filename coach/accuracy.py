"""Measure the camera coach on the labelled clips (coach/clips.py) in headless Chromium.

Each clip's frames go through the same code the player uses (``coach.js``: MediaPipe's
pose landmarker in VIDEO mode, then ``Counter``) with the clip's own timestamps, so the
figures do not depend on how busy the machine is. Prints, per exercise and view, reps
right / reps shown and how many holds were timed within 1 s, plus model load and
per-frame times.

    .venv/bin/python coach/accuracy.py            # the table (Markdown)
    .venv/bin/python coach/accuracy.py --json     # the same as JSON
"""

from __future__ import annotations

import base64
import io
import json
import shutil
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import clips  # noqa: E402

from backcourse import coach, load_course  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PAGE = """<!doctype html><meta charset="utf-8"><script type="module">
import * as coach from "./coach.js";
const files = {};
window.load = async (names) => {
  for (const n of names) files[n] = await (await fetch("./" + n)).arrayBuffer();
  const t0 = performance.now();
  window.lm = await coach.loadLandmarker(files);
  return performance.now() - t0;
};
let ts = 0;
window.run = async (cfg, pngs, fps) => {
  const counter = new coach.Counter(cfg, 4 / 3);
  const ms = [];
  for (let k = 0; k < pngs.length; k++) {
    const img = new Image();
    img.src = "data:image/png;base64," + pngs[k];
    await img.decode();
    ts += 1000 / fps;
    const f0 = performance.now();
    const r = window.lm.detectForVideo(img, ts);
    ms.push(performance.now() - f0);
    counter.update(r.landmarks.length ? r.landmarks[0] : null, k / fps);
  }
  return { reps: counter.reps, holds: counter.holds, cued: counter.cued, ms };
};
window.ready = true;
</script>"""


def measure(clip_set: list | None = None) -> dict:
    """Run the clips (default: the labelled set) through the coach; return what it saw."""
    from playwright.sync_api import sync_playwright

    course = load_course()
    settings = coach.coach_settings(course)["exercises"]
    results = []
    times: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        for name in coach.ASSET_NAMES:
            shutil.copyfile(coach.ASSETS / name, d / name)
        shutil.copyfile(ROOT / "backcourse/widgets/static/coach.js", d / "coach.js")
        (d / "index.html").write_text(PAGE)
        with sync_playwright() as pw:
            b = pw.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--allow-file-access-from-files",
                ],
            )
            page = b.new_page()
            # every request answered from the folder, so nothing can leave the machine
            page.route("**/*", lambda r: _serve(r, d))
            page.goto("http://coach.local/index.html")
            page.wait_for_function("window.ready")
            load_ms = page.evaluate("(n) => window.load(n)", list(coach.ASSET_NAMES))
            for clip, make in clip_set if clip_set is not None else clips.labelled_set():
                pngs = []
                for img in clips.frames(make, clip.seconds):
                    buf = io.BytesIO()
                    img.save(buf, "PNG")
                    pngs.append(base64.b64encode(buf.getvalue()).decode())
                got = page.evaluate(
                    "([c, p, f]) => window.run(c, p, f)", [settings[clip.exercise], pngs, clips.FPS]
                )
                times += got["ms"][5:]
                holds_ok = sum(
                    1
                    for want, seen in zip(clip.holds, got["holds"], strict=False)
                    if abs(want - seen) <= 1.0
                )
                results.append({
                    "clip": clip.name, "exercise": clip.exercise, "view": clip.view,
                    "reps": clip.reps, "counted": got["reps"], "holds": list(clip.holds),
                    "timed": [round(h, 2) for h in got["holds"]], "holds_ok": holds_ok,
                    "fault": clip.fault, "cues": got["cued"],
                })  # fmt: skip
            b.close()
    times.sort()
    return {
        "load_ms": round(load_ms),
        "frame_ms_median": round(statistics.median(times), 1),
        "frame_ms_p95": round(times[int(0.95 * (len(times) - 1))], 1),
        "clips": results,
        "settings": settings,
    }


def _serve(route, folder: Path) -> None:
    name = route.request.url.split("/")[-1].split("?")[0]
    f = folder / name
    if route.request.url.startswith("http://coach.local/") and f.is_file():
        types = {".js": "text/javascript", ".mjs": "text/javascript", ".html": "text/html",
                 ".wasm": "application/wasm"}  # fmt: skip
        route.fulfill(
            body=f.read_bytes(), content_type=types.get(f.suffix, "application/octet-stream")
        )
    else:
        route.abort()


def table(res: dict) -> str:
    by = defaultdict(lambda: [0, 0, 0, 0, 0])  # reps right, reps shown, holds ok, holds, clips
    for r in res["clips"]:
        if r["fault"]:
            continue  # clips showing a fault measure the cues, below
        k = (r["exercise"], r["view"])
        by[k][0] += min(r["counted"], r["reps"]) - max(0, r["counted"] - r["reps"])
        by[k][1] += r["reps"]
        by[k][2] += r["holds_ok"]
        by[k][3] += len(r["holds"])
        by[k][4] += 1
    lines = ["| exercise | view | clips | reps shown | rep-count accuracy | holds within 1 s |",
             "|---|---|---|---|---|---|"]  # fmt: skip
    for (ex, view), (ok, n, hok, hn, c) in sorted(by.items()):
        holds = f"{hok}/{hn}" if hn else "–"
        lines.append(f"| {ex} | {view} | {c} | {n} | {max(ok, 0) / n:.0%} | {holds} |")
    # form cues: one per rep of a clip showing a fault, the right one; none on clean clips
    cue_words = {c["check"]: c["mistake"] for cfg in res["settings"].values() for c in cfg["cues"]}
    clean = [r for r in res["clips"] if not r["fault"]]
    faulty = [r for r in res["clips"] if r["fault"]]
    false = sum(len(r["cues"]) for r in clean)
    clean_reps = sum(r["reps"] for r in clean)
    lines.append("")
    lines.append(f"form cues on clean clips: {false} on {clean_reps} reps")
    checks = {"knees_in": "knees_in", "heels_up": "heels_up"}
    for fault in sorted({r["fault"] for r in faulty}):
        rs = [r for r in faulty if r["fault"] == fault]
        right = sum(sum(1 for c in r["cues"] if c == cue_words[checks[fault]]) for r in rs)
        wrong = sum(sum(1 for c in r["cues"] if c != cue_words[checks[fault]]) for r in rs)
        reps = sum(r["reps"] for r in rs)
        lines.append(f"{fault}: right cue on {right} of {reps} reps, other cues {wrong}")
    lines.append("")
    lines.append(f"model load {res['load_ms']} ms; per frame median {res['frame_ms_median']} ms, "
                 f"95th percentile {res['frame_ms_p95']} ms")  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    res = measure()
    if "--json" in sys.argv:
        print(json.dumps(res, indent=1))
    else:
        print(table(res))
        for r in res["clips"]:
            print(r)
