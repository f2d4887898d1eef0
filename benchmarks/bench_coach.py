"""The camera coach: how long its model takes to load, how long one camera frame takes,
and how much it adds to the package.

In Debian's Chromium (headless, no GPU: the CPU delegate, as on a learner's laptop without
WebGL), MediaPipe's pose landmarker loads from the package's own files, then reads one
drawn clip (coach/clips.py: 3 squats, 320 x 240) frame by frame in VIDEO mode, exactly as
the player does with a camera. Figures: model load (runtime + wasm + model, from bytes in
memory to ready), per-frame time (median and 95th percentile, first 5 frames left out as
warm-up), and the coach's files: on disk and deflated as they sit in a wheel, and what
they add to the browser-only site (``make lite`` copies them into ``_build/lite/coach/``,
beside the wheel, not into it: measured there, with what the page downloads when the
learner switches the coach on). Needs ``make coach``.
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


def site_sizes(lite: Path = ROOT / "_build" / "lite") -> tuple[int, int, int] | None:
    """Bytes the coach adds to the built site, bytes the page fetches when it is switched
    on (the files the wheel's site.json names), and the bytes of that list of sums in the
    site's wheel (what every visit downloads); None if the site has no coach."""
    folder = lite / "coach"
    if not (folder / "SHA256SUMS").is_file():
        return None
    added = sum(f.stat().st_size for f in folder.iterdir() if f.is_file())
    fetched = sum((folder / n).stat().st_size for n in ("coach.js", *coach.ASSET_NAMES))
    manifest = 0
    for wheel in (lite / "static" / "pyodide").glob("backcourse-*.whl"):
        with zipfile.ZipFile(wheel) as z:
            name = f"backcourse/widgets/static/coach/{coach.SITE_MANIFEST}"
            manifest = z.getinfo(name).compress_size
    return added, fetched, manifest


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
        f"{zipped / 1e6:.1f} MB to the wheel (deflated)"
    )
    site = site_sizes()
    if site is None:
        print("camera coach: the browser-only site is not built with it (make coach, make lite)")
    else:
        print(
            f"camera coach: adds {site[0] / 1e6:.1f} MB to the browser-only site (_build/lite/"
            f"coach/, beside the wheel), {site[2]} bytes to the wheel every visit downloads "
            f"(its sums); the page fetches {site[1] / 1e6:.1f} MB when the coach is switched on"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
