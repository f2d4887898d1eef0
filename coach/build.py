"""Build the camera coach's files into backcourse/widgets/static/coach/ (run by ``make coach``).

Why a build step and not committed binaries: the runtime and weights are 20 MB of other
projects' releases; keeping them out of git keeps every clone small and every update a
one-line version change. What makes the build trustworthy instead:

- the npm packages are pinned in coach/package-lock.json (versions and integrity hashes);
  tasks-vision stays below 1.0 because 1.x posts usage logs to a remote service;
- the metadata writer is the pinned PyPI ``mediapipe==0.10.21`` wheel, used here only;
- the ``.task`` bundle is written byte for byte the same each time (fixed zip dates), and
  every output file is checked against coach/SHA256SUMS.

The pose model: tasks-vision reads a ``.task`` bundle, a zip of ``pose_detector.tflite`` and
``pose_landmarks_detector.tflite`` carrying input-normalisation metadata. npm
``@mediapipe/pose`` ships the landmark model as a plain .tflite and the detector as the
first bytes of ``pose_solution_packed_assets.data``.

Usage: ``python coach/build.py NODE_MODULES OUT_DIR`` (with the build venv's Python, which
has mediapipe installed without its dependencies), or ``--check OUT_DIR`` to verify.
"""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import sys
import types
import zipfile
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
SUMS = HERE / "SHA256SUMS"
# In pose_solution_packed_assets.data, the pose detector model comes first.
DETECTOR_BYTES = 2_962_288
LANDMARK_MODEL = "pose_landmark_lite.tflite"
TASK = "pose_landmarker_lite.task"
# Input normalisation: the landmark model takes pixels / 255, the detector (p - 127.5) / 127.5.
NORM = {"landmarks": (0.0, 255.0), "detector": (127.5, 127.5)}
RUNTIME = {
    "tasks-vision/vision_bundle.mjs": "vision_bundle.mjs",
    "tasks-vision/wasm/vision_wasm_internal.js": "vision_wasm_internal.js",
    "tasks-vision/wasm/vision_wasm_internal.wasm": "vision_wasm_internal.wasm",
}
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


@cache
def _writer() -> tuple[types.ModuleType, types.ModuleType]:
    """mediapipe's metadata writer, without running ``mediapipe/__init__`` (which would
    need OpenCV and the whole framework)."""
    spec = importlib.util.find_spec("mediapipe")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("mediapipe==0.10.21 is not installed in this Python (see Makefile)")
    root = Path(spec.submodule_search_locations[0])
    for name, sub in [
        ("mediapipe", ""),
        ("mediapipe.tasks", "tasks"),
        ("mediapipe.tasks.python", "tasks/python"),
    ]:
        mod = types.ModuleType(name)
        mod.__path__ = [str(root / sub)]
        sys.modules[name] = mod
    from mediapipe.tasks.python.metadata.metadata_writers import (
        metadata_writer,
        model_asset_bundle_utils,
    )

    return metadata_writer, model_asset_bundle_utils


def with_metadata(model: bytes, mean: float, std: float, name: str) -> bytes:
    metadata_writer, _ = _writer()
    writer = metadata_writer.MetadataWriter.create(bytearray(model))
    writer.add_general_info(name, "BlazePose (MediaPipe), Apache-2.0")
    writer.add_image_input(norm_mean=[mean], norm_std=[std])
    out, _json = writer.populate()
    return bytes(out)


def bundle(models: dict[str, bytes], path: Path) -> None:
    """The .task zip, as mediapipe's ``create_model_asset_bundle`` writes it (stored,
    4-byte aligned) but with fixed dates, so the same inputs give the same bytes."""
    _, utils = _writer()
    with utils.AlignZipFile(path, mode="w", alignment=4) as zf:
        for name, data in models.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check(out: Path) -> list[str]:
    """Files that are missing or differ from SHA256SUMS."""
    bad = []
    for line in SUMS.read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        f = out / name
        if not f.exists():
            bad.append(f"{name}: missing")
        elif sha256(f) != digest:
            bad.append(f"{name}: sha256 {sha256(f)} != {digest}")
    return bad


def build(modules: Path, out: Path) -> None:
    mp = modules / "@mediapipe"
    out.mkdir(parents=True, exist_ok=True)
    for src, dest in RUNTIME.items():
        shutil.copyfile(mp / src, out / dest)
    landmarks = (mp / "pose" / LANDMARK_MODEL).read_bytes()
    detector = (mp / "pose" / "pose_solution_packed_assets.data").read_bytes()[:DETECTOR_BYTES]
    bundle(
        {
            "pose_detector.tflite": with_metadata(detector, *NORM["detector"], "pose detector"),
            "pose_landmarks_detector.tflite": with_metadata(
                landmarks, *NORM["landmarks"], "pose landmarks detector"
            ),
        },
        out / TASK,
    )


def main(argv: list[str]) -> int:
    if argv[:1] == ["--check"]:
        bad = check(Path(argv[1]))
        print("\n".join(bad) or "coach files match coach/SHA256SUMS")
        return 1 if bad else 0
    if argv[:1] == ["--sums"]:  # after a deliberate version change: write the new sums
        out = Path(argv[1])
        names = [*RUNTIME.values(), TASK]
        SUMS.write_text("".join(f"{sha256(out / n)}  {n}\n" for n in names))
        return 0
    build(Path(argv[0]), Path(argv[1]))
    bad = check(Path(argv[1]))
    if bad:
        print("the coach files differ from coach/SHA256SUMS:\n" + "\n".join(bad), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
