"""The camera coach: how long its model takes to load, how long one camera frame takes,
and how much it adds to the package.

In Debian's Chromium (headless, no GPU: the CPU delegate, as on a learner's laptop without
WebGL), MediaPipe's pose landmarker loads from the package's own files, then reads one
drawn clip (coach/clips.py: 3 squats, 320 x 240) frame by frame in VIDEO mode, exactly as
the player does with a camera. Figures: model load (runtime + wasm + model, from bytes in
memory to ready), per-frame time (median and 95th percentile, first 5 frames left out as
warm-up), and the coach's files: on disk and deflated as they sit in a wheel (the same
files; the browser-only site leaves them out). Needs ``make coach``.
"""

from __future__ import annotations

import sys
import zipfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "coach"))
sys.path.insert(0, str(ROOT))

from backcourse import coach  # noqa: E402


def sizes() -> tuple[int, int]:
    files = [coach.ASSETS / n for n in coach.ASSET_NAMES]
    files += [ROOT / "backcourse/widgets/static/coach.js"]
    files += sorted(p for p in coach.ASSETS.glob("*") if p.suffix in (".txt", ".md"))
    raw = sum(f.stat().st_size for f in files)
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for f in files:
            z.write(f, f.name)
    return raw, len(buf.getvalue())


def main() -> int:
    if not coach.assets_ready():
        print("camera coach: files not built (make coach); skipped")
        return 0
    import accuracy
    import clips

    raw, zipped = sizes()
    res = accuracy.measure([clips.squat_clip(clips.PEOPLE[0], "side", reps=3)])
    [clip] = res["clips"]
    print(f"camera coach: model load {res['load_ms']} ms (runtime, wasm and lite model)")
    print(
        f"camera coach: per frame median {res['frame_ms_median']} ms, "
        f"95th percentile {res['frame_ms_p95']} ms (320x240, CPU)"
    )
    print(f"camera coach: counted {clip['counted']} of {clip['reps']} squats in the bench clip")
    print(
        f"camera coach: adds {raw / 1e6:.1f} MB to the package on disk, "
        f"{zipped / 1e6:.1f} MB to the wheel (deflated); the browser-only site leaves it out"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
