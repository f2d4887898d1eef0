"""Turn one YAML mapping into a model dataclass, checked against the dataclass's own fields.

The dataclasses in ``model.py`` are the only list of fields: ``build`` walks
``dataclasses.fields()`` and the type hints, and reads each field's rules from its
``metadata`` (written with ``model.rule``: ranges, choices, the id set a reference belongs
to, the fewest items). Every problem raises ``CourseDataError`` naming the file, the entry
and the field, and saying what was expected.

>>> from backcourse.model import Choice
>>> e = Entry("quizzes.yaml", "q1", {"text": " Yes ", "feedback": "Right."})
>>> build(Choice, e, {})
Choice(text='Yes', correct=False, feedback='Right.')
>>> try:
...     build(Choice, Entry("quizzes.yaml", "q1", {"text": "Yes", "feedbak": "Right."}), {})
... except CourseDataError as err:
...     print(err.file, err.entry, err.field, err.problem, sep=" | ")
quizzes.yaml | q1 | feedbak | is not a known field; expected one of text, correct, feedback
"""

from __future__ import annotations

import dataclasses
import re
import reprlib
import types
import typing
from collections.abc import Collection, Iterator, Mapping
from functools import cache
from typing import Any, NoReturn, Union

from ..errors import CourseDataError
from ..model import POSITIONS, frozen_map

# Matched with fullmatch: "$" alone would let a trailing line break through.
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
MISSING: Any = dataclasses.MISSING
# Values quoted in messages are cut to this: a message must stay short whatever the file holds.
_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 80
_REPR.maxlist = _REPR.maxdict = 6
_REPR.maxlevel = 3
# Where the ids of each kind of reference are written, for messages.
ID_FILES = {
    "source": "sources.yaml",
    "muscle": "muscles.yaml",
    "exercise": "exercises.yaml",
    "equipment": "guidelines.yaml labels.equipment",
    "position": f"the positions {', '.join(POSITIONS)}",
}


def show(value: Any) -> str:
    """A value for an error message, bounded in length and depth.

    >>> show(list(range(100)))
    '[0, 1, 2, 3, 4, 5, ...]'
    """
    return _REPR.repr(value)


def kind(value: Any) -> str:
    """What a value is, in a message's words."""
    return "nothing (empty file)" if value is None else type(value).__name__


class Entry:
    """One mapping in a YAML file, with typed getters that fail with file, entry and field."""

    def __init__(self, file: str, entry_id: str, data: Mapping[str, Any]) -> None:
        self.file = file
        self.id = entry_id
        self.data = data

    def fail(self, field: str | None, problem: str) -> NoReturn:
        raise CourseDataError(self.file, self.id, field, problem)

    def get(self, name: str, default: Any = MISSING) -> Any:
        """The value of ``name``; ``default`` when absent (or null), an error if required."""
        if name in self.data and self.data[name] is not None:
            return self.data[name]
        if default is MISSING:
            self.fail(name, "is required but missing")
        return default

    def only(self, allowed: Collection[str]) -> None:
        """Reject unknown fields: a typo in a field name should not pass silently."""
        for key in self.data:
            if key not in allowed:
                self.fail(str(key), f"is not a known field; expected one of {', '.join(allowed)}")

    def text(self, name: str, default: Any = MISSING) -> str:
        value = self.get(name, default)
        if not isinstance(value, str):
            self.fail(name, f"expected text, got {type(value).__name__} {show(value)}")
        if value is not default and not value.strip():
            self.fail(name, "expected text, got an empty string")
        return value.strip()

    def texts(self, name: str, default: Any = MISSING) -> tuple[str, ...]:
        value = self.get(name, default)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(name, f"expected a list of non-empty texts, got {show(value)}")
        return tuple(v.strip() for v in value)

    def integer(self, name: str, lo: int, hi: int, default: Any = MISSING) -> Any:
        value = self.get(name, default)
        if value is default:
            return value
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(name, f"expected a whole number from {lo} to {hi}, got {show(value)}")
        if not lo <= value <= hi:
            self.fail(name, f"expected a value from {lo} to {hi}, got {value}")
        return value

    def number(self, name: str, lo: float, hi: float, default: Any = MISSING) -> Any:
        value = self.get(name, default)
        if value is default:
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(name, f"expected a number from {lo} to {hi}, got {show(value)}")
        if not lo <= value <= hi:
            self.fail(name, f"expected a value from {lo} to {hi}, got {value}")
        return value

    def boolean(self, name: str, default: Any = MISSING) -> bool:
        value = self.get(name, default)
        if not isinstance(value, bool):
            self.fail(name, f"expected true or false, got {show(value)}")
        return value

    def choice(self, name: str, allowed: Collection[str], default: Any = MISSING) -> Any:
        value = self.get(name, default)
        if value is not default and value not in allowed:
            self.fail(name, f"expected one of {', '.join(allowed)}, got {show(value)}")
        return value

    def ref(self, name: str, known: Collection[str], what: str, default: Any = MISSING) -> Any:
        value = self.get(name, default)
        if value is default:
            return value
        if not isinstance(value, str):
            self.fail(name, f"expected one {what} id, got {show(value)}")
        if value not in known:
            self.fail(name, f"unknown {what} {show(value)}; expected an id from {_file_of(what)}")
        return value

    def refs(
        self, name: str, known: Collection[str], what: str, default: Any = MISSING
    ) -> tuple[str, ...]:
        value = self.get(name, default)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(name, f"expected a list of {what} ids, got {show(value)}")
        for v in value:
            if v not in known:
                self.fail(name, f"unknown {what} {show(v)}; expected an id from {_file_of(what)}")
        if len(set(value)) != len(value):
            self.fail(name, f"lists the same {what} twice")
        return tuple(value)

    def mapping(self, name: str, default: Any = MISSING) -> Mapping[str, Any]:
        value = self.get(name, default)
        if not isinstance(value, Mapping):
            self.fail(name, f"expected a mapping (key: value lines), got {show(value)}")
        return value

    def sub(self, name: str, default: Any = MISSING) -> Entry:
        """A nested mapping as an Entry, whose errors name 'outer.inner' fields."""
        return Nested(self, name, self.mapping(name, default))


class Nested(Entry):
    """A mapping inside an entry: its errors name the field as ``outer.inner``."""

    def __init__(self, parent: Entry, prefix: str, data: Mapping[str, Any]) -> None:
        super().__init__(parent.file, parent.id, data)
        self.prefix = f"{parent.prefix}.{prefix}" if isinstance(parent, Nested) else prefix

    def fail(self, field: str | None, problem: str) -> NoReturn:
        full = self.prefix if field is None else f"{self.prefix}.{field}"
        raise CourseDataError(self.file, self.id, full, problem)


def _file_of(what: str) -> str:
    return ID_FILES.get(what, what)


def entries(file: str, data: Any, key: str | None = None) -> Iterator[Entry]:
    """Yield each mapping of a YAML list as an Entry, checking ids are well formed and unique."""
    if key is not None:
        if not isinstance(data, Mapping) or key not in data:
            raise CourseDataError(file, None, key, "expected a top-level mapping with this key")
        data = data[key]
    if not isinstance(data, list):
        raise CourseDataError(file, None, None, f"expected a list of entries, got {kind(data)}")
    seen: set[str] = set()
    for n, item in enumerate(data, start=1):
        if not isinstance(item, Mapping):
            raise CourseDataError(file, f"#{n}", None, f"expected a mapping, got {kind(item)}")
        eid = item.get("id")
        if not isinstance(eid, str) or not ID_PATTERN.fullmatch(eid):
            raise CourseDataError(
                file, f"#{n}", "id", f"expected a snake_case id (a-z, 0-9, _), got {show(eid)}"
            )
        if eid in seen:
            raise CourseDataError(file, eid, "id", "duplicate id: each id may appear only once")
        seen.add(eid)
        yield Entry(file, eid, item)


# --------------------------------------------------------------------------- the checker


@dataclasses.dataclass(frozen=True)
class _Field:
    """One dataclass field as course data writes it (worked out once per class)."""

    name: str
    hint: Any  # the type, without "| None"
    key: str  # the YAML key, or the last part of the path for a nested one
    group: str | None  # the nested mapping it sits in ("muscles" for "muscles.primary")
    absent: Any  # the value when YAML leaves it out, or MISSING when it is required
    rules: Mapping[str, Any]


@cache
def fields_of(cls: type) -> tuple[_Field, ...]:
    """The fields of a model dataclass, with their YAML keys and rules."""
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        args = typing.get_args(hint)
        if typing.get_origin(hint) in (Union, types.UnionType) and type(None) in args:
            hint = next(a for a in args if a is not type(None))
        path = f.metadata.get("yaml", f.name).split(".")
        if "if_absent" in f.metadata:
            absent = f.metadata["if_absent"][0]
        elif f.metadata.get("required") or f.default_factory is not MISSING:
            absent = MISSING
        else:
            absent = f.default
        group = path[0] if len(path) > 1 else None
        out.append(_Field(f.name, hint, path[-1], group, absent, f.metadata))
    return tuple(out)


def keys(cls: type) -> tuple[str, ...]:
    """The top-level YAML keys a mapping of ``cls`` may have, in field order.

    >>> from backcourse.model import Choice
    >>> keys(Choice)
    ('text', 'correct', 'feedback')
    """
    return tuple(dict.fromkeys(f.group or f.key for f in fields_of(cls)))


def build(
    cls: type,
    e: Entry,
    known: Mapping[str, Collection[str]],
    *,
    extra_ok: bool = False,
    **given: Any,
) -> Any:
    """Read ``e`` as a ``cls``: every field from YAML, by its type hint and rules.

    ``known`` holds the id sets references and vocabularies are checked against ("source",
    "muscle", ..., and guidelines.yaml label vocabularies such as "muscle_groups").
    ``given`` supplies the fields marked ``cross`` (read by the caller, which checks them
    against other data). ``extra_ok`` allows keys that are not fields (facts keep them).
    """
    if not extra_ok:
        e.only(keys(cls))
    values: dict[str, Any] = {}
    groups: dict[str, Entry] = {}
    for f in fields_of(cls):
        if "cross" in f.rules:
            if f.name not in given:
                raise TypeError(f"{cls.__name__}.{f.name} is read by the caller; pass it")
            values[f.name] = given[f.name]
            continue
        where = e
        if f.group is not None:
            if f.group not in groups:
                groups[f.group] = e.sub(f.group)
                groups[f.group].only([g.key for g in fields_of(cls) if g.group == f.group])
            where = groups[f.group]
        values[f.name] = _read(where, f, known)
    return cls(**values)


def _read(e: Entry, f: _Field, known: Mapping[str, Collection[str]]) -> Any:
    """One field's value, checked by its type and rules."""
    name, rules, hint, absent = f.key, f.rules, f.hint, f.absent
    if e.get(name, None) is None:  # absent or null
        if absent is MISSING:
            e.fail(name, "is required but missing")
        return absent
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is str:
        if "choices" in rules:
            choices = rules["choices"]
            return e.choice(name, known[choices] if isinstance(choices, str) else choices)
        if "ref" in rules:
            return e.ref(name, known[rules["ref"]], rules["ref"])
        return e.text(name, absent)
    if hint is bool:
        return e.boolean(name)
    if hint is int:
        return e.integer(name, *rules["range"])
    if hint is float:
        return e.number(name, *rules["range"])
    if origin is tuple and args[0] is str:
        items = e.refs(name, known[rules["ref"]], rules["ref"]) if "ref" in rules else e.texts(name)
        _enough(e, f, items)
        return items
    if origin is tuple and dataclasses.is_dataclass(args[0]):
        raw = e.get(name)
        if not isinstance(raw, list):
            e.fail(name, f"expected a list of mappings, got {show(raw)}")
        _enough(e, f, raw)
        out = []
        for n, item in enumerate(raw, start=1):
            if not isinstance(item, Mapping):
                e.fail(f"{name}[{n}]", f"expected a mapping with {', '.join(keys(args[0]))}")
            out.append(build(args[0], Nested(e, f"{name}[{n}]", item), known))
        return tuple(out)
    if dataclasses.is_dataclass(hint):
        return build(hint, e.sub(name), known)
    if origin is Mapping and "keys" in rules:
        s = e.sub(name)
        s.only(rules["keys"])
        return frozen_map({k: s.integer(k, *rng) for k, rng in rules["keys"].items()})
    raise TypeError(f"no reader for field {f.name}: {hint}; mark it cross and read it in cross.py")


def _enough(e: Entry, f: _Field, items: Collection[Any]) -> None:
    fewest = f.rules.get("at_least", 0)
    if len(items) < fewest:
        what = f"{f.rules['ref']} id" if "ref" in f.rules else "item"
        count = "one" if fewest == 1 else str(fewest)
        e.fail(f.key, f"expected at least {count} {what}{'' if fewest == 1 else 's'}")
