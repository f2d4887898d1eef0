"""A learner's name or class code made safe: one short line (:func:`clean_name`), and the
a-z, 0-9 and hyphens a file name may carry (:func:`slug`)."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["NAME_MAX", "SLUG_MAX", "clean_name", "slug"]

NAME_MAX = 80  # characters of a learner's name or class code that are kept
SLUG_MAX = 40


def clean_name(name: object) -> str:
    """A learner's name or class code as one line of at most NAME_MAX printable characters.

    Control characters and line breaks become spaces; nothing else is removed here (each
    format escapes what it must).
    """
    if name is None:
        return ""
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in str(name))
    return " ".join(text.split())[:NAME_MAX].strip()


def slug(text: object, default: str = "") -> str:
    """Lower-case a-z, 0-9 and single hyphens only, at most SLUG_MAX characters.

    >>> slug("<script>alert(1)</script>")
    'script-alert-1-script'
    >>> slug("../../etc/passwd")
    'etc-passwd'
    """
    ascii_ = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    out = out[:SLUG_MAX].strip("-")
    return out or default
