"""What the course needs to run in the browser: JupyterLite's Pyodide kernel (``make lite``).

Nothing here runs on a desktop. The progress log's browser storage lives in
``progress.py``; this module fixes how widget updates travel from Python to the page.
"""

from __future__ import annotations

import json
import sys
from typing import Any

IN_BROWSER = sys.platform == "emscripten"


def fix_comm_bridge(shell: Any = None) -> bool:
    """Make widget updates that set ``None`` reach the page in JupyterLite.

    The Pyodide kernel hands each comm message to JavaScript by converting the Python dict,
    which turns ``None`` into ``undefined``; the key then vanishes from the JSON sent to the
    page, and e.g. ``layout.display = None`` (show a hidden part) never arrives. Handing over
    an object parsed from JSON keeps ``null``. Called when the widgets package is
    imported; safe to call again. Returns True when the kernel's sender is (now) fixed.
    """
    if shell is None:
        if not IN_BROWSER:
            return False
        from IPython import get_ipython

        shell = get_ipython()
    send = getattr(shell, "send_comm", None)
    if send is None:
        return False
    if getattr(send, "sends_json", False):
        return True
    import js  # Pyodide's bridge to JavaScript

    def send_comm(msg_type: str, content: Any, metadata: Any, ident: Any, buffers: Any) -> Any:
        try:
            content_js = js.JSON.parse(json.dumps(content))
            metadata_js = js.JSON.parse(json.dumps(metadata))
        except (TypeError, ValueError):  # not JSON (never for ipywidgets): send it as it was
            return send(msg_type, content, metadata, ident, buffers)
        return send(msg_type, content_js, metadata_js, ident, buffers)

    send_comm.sends_json = True  # type: ignore[attr-defined]
    shell.send_comm = send_comm
    return True
