"""Read one course data YAML file safely: no aliases, merge keys, duplicate keys or deep nests.

Every problem becomes a ``CourseDataError`` naming the file (and, when it can, the entry and
field), so a trainer editing a copy knows where to look.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import CourseDataError

# Course data nests a few levels (file, entry, dose, ...); far deeper is a broken or hostile
# file, refused before Python's own recursion limit could be reached.
MAX_YAML_DEPTH = 40


class _Refused(Exception):
    """A YAML feature course data does not allow; carries the entry and line for the message."""

    def __init__(self, entry: str | None, field: str | None, problem: str) -> None:
        super().__init__(problem)
        self.entry, self.field, self.problem = entry, field, problem


_MERGE_TAG = "tag:yaml.org,2002:merge"


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _entry_of(node: yaml.MappingNode) -> str | None:
    """The id of a mapping, when it has a plain ``id: text`` line."""
    for key, value in node.value:
        if key.value == "id" and isinstance(value, yaml.ScalarNode):
            return str(value.value)
    return None


def _check_nodes(root: yaml.Node | None) -> None:
    """Refuse aliases, duplicate keys and deep nesting before anything is built.

    An alias (``*name``) reuses a node, so a few lines can stand for billions of values (a
    "billion laughs" bomb); course data never needs one, so any reuse is refused. A key given
    twice in one mapping would silently keep only the last value. The walk visits each node
    once and uses no recursion, so it is quick and safe whatever the file holds.
    """
    if root is None:
        return
    seen: set[int] = set()
    # (node, depth, the entry it belongs to, the field it is under)
    stack: list[tuple[yaml.Node, int, str | None, str | None]] = [(root, 0, None, None)]
    while stack:
        node, depth, entry, field = stack.pop()
        if id(node) in seen:
            raise _Refused(
                entry,
                field,
                f"uses a YAML alias (*name) near line {_line(node)}; course data does not "
                "allow anchors and aliases: write the value out in full",
            )
        seen.add(id(node))
        if depth > MAX_YAML_DEPTH:
            raise _Refused(
                entry, field, f"nests more than {MAX_YAML_DEPTH} levels deep at line {_line(node)}"
            )
        if isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value, 1):
                stack.append((item, depth + 1, entry, f"{field}[{i}]" if field else None))
        elif isinstance(node, yaml.MappingNode):
            entry = _entry_of(node) or entry
            keys: dict[tuple[str, str], int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    name = str(key.value) if field is None else f"{field}.{key.value}"
                    if key.tag == _MERGE_TAG:
                        raise _Refused(
                            entry,
                            field,
                            f"uses a YAML merge key (<<) at line {_line(key)}; course data "
                            "does not allow it: write the values out in full",
                        )
                    if (key.tag, key.value) in keys:
                        raise _Refused(
                            entry,
                            name[:80],
                            f"is given twice in one mapping (lines {keys[key.tag, key.value]} "
                            f"and {_line(key)}); only one can count, so keep one",
                        )
                    keys[key.tag, key.value] = _line(key)
                else:
                    name = field
                stack.append((key, depth + 1, entry, field))
                stack.append((value, depth + 1, entry, name))


def _loader_class() -> type:
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: faster

    class Loader(base):  # type: ignore[misc, valid-type]
        """A safe loader that checks the node tree (``_check_nodes``) before building it."""

        def get_single_data(self) -> Any:
            node = self.get_single_node()
            _check_nodes(node)
            return None if node is None else self.construct_document(node)

    return Loader


_YAML_LOADER = _loader_class()


def read_yaml(path: Path) -> Any:
    """Parse one YAML file safely; a syntax error names the file and its line.

    Aliases, duplicate keys and very deep nesting are refused (see ``_check_nodes``).
    """
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CourseDataError(name, None, None, f"file is missing from {path.parent}") from None
    except UnicodeDecodeError as exc:
        raise CourseDataError(name, None, None, f"expected UTF-8 text ({exc.reason})") from None
    except OSError as exc:  # a folder, a symlink loop, no permission, ...
        why = exc.strerror or type(exc).__name__
        raise CourseDataError(
            name, None, None, f"cannot be read ({why}); expected a YAML text file"
        ) from None
    try:
        return yaml.load(text, Loader=_YAML_LOADER)
    except _Refused as exc:
        raise CourseDataError(name, exc.entry, exc.field, exc.problem) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = str(getattr(exc, "problem", None) or exc)[:200]
        raise CourseDataError(name, None, None, f"YAML does not parse{where}: {problem}") from None
    except RecursionError:
        raise CourseDataError(name, None, None, "nests too deeply to read") from None
