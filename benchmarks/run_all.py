"""Run every benchmark script in this folder, in one go (`make bench`), then goals.py: each
figure of the speed goals side by side with its goal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

here = Path(__file__).parent
failed = 0
for script in [*sorted(here.glob("bench_*.py")), here / "goals.py"]:
    print(f"== {script.stem}", flush=True)
    failed |= subprocess.run([sys.executable, str(script)], check=False).returncode != 0
sys.exit(failed)
