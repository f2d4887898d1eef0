"""How light is `import backcourse`? Each import runs in a fresh interpreter, several times.

Prints the median wall time of `import backcourse` next to `import ipywidgets, matplotlib`
(what a notebook would pay anyway), and their ratio.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

RUNS = 7


def median_ms(statement: str) -> float:
    code = (
        "import time; t=time.perf_counter(); " + statement + "; print((time.perf_counter()-t)*1000)"
    )
    times = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(RUNS)
    ]
    return statistics.median(times)


def main() -> None:
    ours = median_ms("import backcourse")
    heavy = median_ms("import ipywidgets, matplotlib.pyplot")
    print(
        f"import backcourse                      median {ours:7.1f} ms  ({RUNS} fresh interpreters)"
    )
    print(f"import ipywidgets, matplotlib.pyplot   median {heavy:7.1f} ms")
    print(f"ratio backcourse / (ipywidgets+matplotlib): {ours / heavy:.2f}")
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, backcourse; heavy = ('matplotlib', 'ipywidgets', 'yaml', 'sqlite3'); "
            "print(sorted(m for m in heavy if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"heavy modules loaded by `import backcourse`: {loaded}")


if __name__ == "__main__":
    main()
