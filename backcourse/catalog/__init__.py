"""The course data: ``load_course()`` reads course_data/*.yaml into one checked ``Course``.

``load`` reads the files in order and caches the result, ``safe_yaml`` parses one file
safely, ``schema`` turns a YAML mapping into a model dataclass by the dataclass's own fields,
and ``cross`` checks what spans fields or files.
"""

from __future__ import annotations

from .load import FILES, default_data_dir, load_course
from .safe_yaml import MAX_YAML_DEPTH, read_yaml
from .schema import ID_PATTERN, Entry, build, entries

__all__ = [
    "FILES",
    "ID_PATTERN",
    "MAX_YAML_DEPTH",
    "Entry",
    "build",
    "default_data_dir",
    "entries",
    "load_course",
    "read_yaml",
]
