"""Load course_data/*.yaml into one validated, cross-checked, immutable ``Course``.

Every problem raises ``CourseDataError`` naming the file, the entry id and the field, and
saying what was expected, so a trainer editing a copy of the data can fix it quickly.
"""

from __future__ import annotations

import os
import re
import reprlib
import string
from collections.abc import Callable, Collection, Iterator, Mapping
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any, NoReturn

import yaml

from .errors import CourseDataError
from .illustrate import poses as posedata
from .model import (
    CATEGORIES,
    IMPACTS,
    PHASES,
    POSITIONS,
    RED_FLAG_TIERS,
    AdviceRules,
    Bounds,
    Choice,
    Course,
    Dose,
    Exercise,
    Fact,
    Guidelines,
    Muscle,
    Quiz,
    RedFlag,
    Source,
    frozen_map,
)

FILES = (
    "sources.yaml",
    "muscles.yaml",
    "exercises.yaml",
    "poses.yaml",
    "red_flags.yaml",
    "facts.yaml",
    "quizzes.yaml",
    "guidelines.yaml",
    "advice.yaml",
)
# Matched with fullmatch: "$" alone would let a trailing line break through.
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
SOURCE_KINDS = ("article", "study", "guideline", "measure", "book")
MUSCLE_GROUPS = (
    "abdominals",
    "back_extensors",
    "deep_back",
    "upper_back",
    "glutes",
    "hamstrings",
    "hip_flexors",
    "thigh",
    "pelvic_floor",
)
DOSE_FIELDS = ("sets", "reps", "hold_s", "rest_s", "minutes")
# Keys the planner reads; their values live in guidelines.yaml.
TIMING_KEYS = (
    "rep_s",
    "change_of_side_s",
    "change_of_position_s",
    "between_exercises_s",
    "warm_up_min_minutes",
    "warm_up_max_minutes",
    "warm_up_full_minutes",
    "warm_up_share_pct",
    "fill_fraction_pct",
    "growth_room_pct",
)
STAGE_KEYS = ("acute_weeks", "chronic_weeks", "severe_pain", "moderate_pain", "high_impact_pain")
PROGRESSION_KEYS = (
    "add_reps",
    "every_days",
    "max_reps_a_week",
    "max_hold_s_a_week",
    "max_sets_a_week",
    "hold_step_s",
    "hold_target_s",
    "stretch_hold_goal_s",
    "add_set_after_weeks",
    "step_up_after_weeks",
    "step_up_fewer_sets",
    "step_back_pain_rise",
    "review_after_weeks",
    "expected_weeks",
    "keep_going_weeks",
)
START_KEYS = (
    "sets_beginner",
    "sets_intermediate",
    "sets_advanced",
    "gentle_max_sets",
    "beginner_max_sets",
    "max_main_exercises",
    "gentle_reps_pct",
    "gentle_hold_pct",
    "gentle_aerobic_max_minutes",
    "cool_down_max_stretches",
)
LABEL_VOCABULARIES = ("positions", "equipment", "categories", "phases", "experience")
_MISSING: Any = object()
# Course data nests a few levels (file, entry, dose, ...); far deeper is a broken or hostile
# file, refused before Python's own recursion limit could be reached.
MAX_YAML_DEPTH = 40
# Values quoted in messages are cut to this: a message must stay short whatever the file holds.
_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 80
_REPR.maxlist = _REPR.maxdict = 6
_REPR.maxlevel = 3


def _show(value: Any) -> str:
    """A value for an error message, bounded in length and depth."""
    return _REPR.repr(value)


def default_data_dir() -> Path:
    """The bundled course_data/ (or $BACKCOURSE_DATA, for a trainer's own copy).

    An installed wheel carries the data inside the package (``backcourse/course_data``); a
    checkout keeps it beside the package, at the top of the repository.
    """
    env = os.environ.get("BACKCOURSE_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    installed = here / "course_data"
    return installed if installed.is_dir() else here.parent / "course_data"


def load_course(path: str | os.PathLike[str] | None = None) -> Course:
    """Load, validate and cross-check the course data in ``path`` (default: the bundled data).

    Parameters
    ----------
    path
        A folder holding the course_data YAML files, e.g. a trainer's edited copy.

    Returns
    -------
    Course
        Immutable; the same files give an equal Course. Results are cached until a file
        changes, so widgets can call this freely.

    Raises
    ------
    CourseDataError
        Naming the file, the entry id and the field of the first problem found.
    """
    root = Path(path) if path is not None else default_data_dir()
    if not root.is_dir():
        raise CourseDataError(str(root), None, None, "expected a folder of course data YAML files")
    stamp = tuple(_stamp(root / name) for name in FILES)
    return _load_cached(str(root.resolve()), stamp)


def _stamp(p: Path) -> tuple[int, int]:
    try:
        st = p.stat()
    except OSError:
        return (-1, -1)
    return (st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _load_cached(root: str, stamp: tuple[tuple[int, int], ...]) -> Course:
    return _Loader(Path(root)).load()


# --------------------------------------------------------------------------- reading


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


class Entry:
    """One mapping in a YAML file, with typed getters that fail with file, entry and field."""

    def __init__(self, file: str, entry_id: str, data: Mapping[str, Any]) -> None:
        self.file = file
        self.id = entry_id
        self.data = data

    def fail(self, field: str | None, problem: str) -> NoReturn:
        raise CourseDataError(self.file, self.id, field, problem)

    def _get(self, name: str, default: Any) -> Any:
        if name in self.data and self.data[name] is not None:
            return self.data[name]
        if default is _MISSING:
            self.fail(name, "is required but missing")
        return default

    def only(self, allowed: Collection[str]) -> None:
        """Reject unknown fields: a typo in a field name should not pass silently."""
        for key in self.data:
            if key not in allowed:
                self.fail(str(key), f"is not a known field; expected one of {', '.join(allowed)}")

    def text(self, name: str, default: Any = _MISSING) -> str:
        value = self._get(name, default)
        if not isinstance(value, str):
            self.fail(name, f"expected text, got {type(value).__name__} {_show(value)}")
        if value is not default and not value.strip():
            self.fail(name, "expected text, got an empty string")
        return value.strip()

    def texts(self, name: str, default: Any = _MISSING) -> tuple[str, ...]:
        value = self._get(name, default)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(name, f"expected a list of non-empty texts, got {_show(value)}")
        return tuple(v.strip() for v in value)

    def integer(self, name: str, lo: int, hi: int, default: Any = _MISSING) -> Any:
        value = self._get(name, default)
        if value is default:
            return value
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(name, f"expected a whole number from {lo} to {hi}, got {_show(value)}")
        if not lo <= value <= hi:
            self.fail(name, f"expected a value from {lo} to {hi}, got {value}")
        return value

    def number(self, name: str, lo: float, hi: float, default: Any = _MISSING) -> Any:
        value = self._get(name, default)
        if value is default:
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(name, f"expected a number from {lo} to {hi}, got {_show(value)}")
        if not lo <= value <= hi:
            self.fail(name, f"expected a value from {lo} to {hi}, got {value}")
        return value

    def boolean(self, name: str, default: Any = _MISSING) -> bool:
        value = self._get(name, default)
        if not isinstance(value, bool):
            self.fail(name, f"expected true or false, got {_show(value)}")
        return value

    def choice(self, name: str, allowed: Collection[str], default: Any = _MISSING) -> str:
        value = self._get(name, default)
        if value not in allowed:
            self.fail(name, f"expected one of {', '.join(allowed)}, got {_show(value)}")
        return value

    def ref(self, name: str, known: Collection[str], what: str, default: Any = _MISSING) -> Any:
        value = self._get(name, default)
        if value is default:
            return value
        if value not in known:
            self.fail(name, f"unknown {what} {_show(value)}; expected an id from {_file_of(what)}")
        return value

    def refs(
        self, name: str, known: Collection[str], what: str, default: Any = _MISSING
    ) -> tuple[str, ...]:
        value = self._get(name, default)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(name, f"expected a list of {what} ids, got {_show(value)}")
        for v in value:
            if v not in known:
                self.fail(name, f"unknown {what} {_show(v)}; expected an id from {_file_of(what)}")
        if len(set(value)) != len(value):
            self.fail(name, f"lists the same {what} twice")
        return tuple(value)

    def mapping(self, name: str, default: Any = _MISSING) -> Mapping[str, Any]:
        value = self._get(name, default)
        if not isinstance(value, Mapping):
            self.fail(name, f"expected a mapping (key: value lines), got {_show(value)}")
        return value

    def sub(self, name: str, default: Any = _MISSING) -> Entry:
        """A nested mapping as an Entry, whose errors name 'outer.inner' fields."""
        return _Nested(self, name, self.mapping(name, default))


class _Nested(Entry):
    def __init__(
        self, parent: Entry, prefix: str, data: Mapping[str, Any], full: str | None = None
    ) -> None:
        super().__init__(parent.file, parent.id, data)
        self.prefix = full or prefix

    def fail(self, field: str | None, problem: str) -> NoReturn:
        full = self.prefix if field is None else f"{self.prefix}.{field}"
        raise CourseDataError(self.file, self.id, full, problem)

    def sub(self, name: str, default: Any = _MISSING) -> Entry:
        return _Nested(self, name, self.mapping(name, default), f"{self.prefix}.{name}")


def _file_of(what: str) -> str:
    return {
        "source": "sources.yaml",
        "muscle": "muscles.yaml",
        "exercise": "exercises.yaml",
        "equipment": "guidelines.yaml labels.equipment",
        "position": f"the positions {', '.join(POSITIONS)}",
    }.get(what, what)


def entries(file: str, data: Any, key: str | None = None) -> Iterator[Entry]:
    """Yield each mapping of a YAML list as an Entry, checking ids are well formed and unique."""
    if key is not None:
        if not isinstance(data, Mapping) or key not in data:
            raise CourseDataError(file, None, key, "expected a top-level mapping with this key")
        data = data[key]
    if not isinstance(data, list):
        raise CourseDataError(file, None, None, f"expected a list of entries, got {_kind(data)}")
    seen: set[str] = set()
    for n, item in enumerate(data, start=1):
        if not isinstance(item, Mapping):
            raise CourseDataError(file, f"#{n}", None, f"expected a mapping, got {_kind(item)}")
        eid = item.get("id")
        if not isinstance(eid, str) or not ID_PATTERN.fullmatch(eid):
            raise CourseDataError(
                file, f"#{n}", "id", f"expected a snake_case id (a-z, 0-9, _), got {_show(eid)}"
            )
        if eid in seen:
            raise CourseDataError(file, eid, "id", "duplicate id: each id may appear only once")
        seen.add(eid)
        yield Entry(file, eid, item)


def _kind(value: Any) -> str:
    return "nothing (empty file)" if value is None else type(value).__name__


# --------------------------------------------------------------------------- the loader


class _Loader:
    """Reads the files in dependency order: sources, guidelines, muscles, exercises, ..."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.muscle_ids: set[str] = set()

    def raw(self, name: str) -> Any:
        return read_yaml(self.root / name)

    def load(self) -> Course:
        sources = self.sources()
        src = set(sources)
        muscles = self.muscles(src)
        self.muscle_ids = set(muscles)
        guidelines = self.guidelines(src)
        exercises = self.exercises(src, set(muscles), guidelines)
        for n, activity in enumerate(guidelines.warm_up):
            if activity not in exercises:
                raise CourseDataError(
                    "guidelines.yaml",
                    "warm_up",
                    f"activities[{n}]",
                    f"unknown exercise {activity!r}; use an id from exercises.yaml",
                )
        poses = posedata.parse_poses(self.raw("poses.yaml"), "poses.yaml", set(exercises))
        flags, tiers = self.red_flags(src)
        return Course(
            root=str(self.root),
            sources=frozen_map(sources),
            muscles=frozen_map(muscles),
            exercises=frozen_map(exercises),
            poses=frozen_map(poses),
            red_flags=frozen_map(flags),
            red_flag_tiers=frozen_map(tiers),
            facts=frozen_map(self.facts(src, set(exercises))),
            quizzes=self.quizzes(src),
            guidelines=guidelines,
            advice=self.advice(src),
        )

    def sources(self) -> dict[str, Source]:
        out = {}
        fields = ("id", "short", "title", "kind", "authors", "year", "publisher", "url")
        fields += ("licence", "note")
        labels: dict[str, str] = {}  # short label -> id: readers tell sources apart by it
        for e in entries("sources.yaml", self.raw("sources.yaml")):
            e.only(fields)
            # Optional, so a trainer's own source needs no label; it is then shown by title.
            short = e.text("short", "") or e.text("title")
            if short in labels:
                e.fail("short", f"{short!r} is already the label of {labels[short]!r}")
            labels[short] = e.id
            url = e.text("url", "")
            if url and not url.startswith(("https://", "http://")):
                e.fail("url", f"expected a web address starting https://, got {_show(url)}")
            out[e.id] = Source(
                id=e.id,
                title=e.text("title"),
                kind=e.choice("kind", SOURCE_KINDS),
                year=e.integer("year", 1900, 2100, None),
                short=e.text("short", ""),
                authors=e.text("authors", ""),
                publisher=e.text("publisher", ""),
                url=url,
                licence=e.text("licence", ""),
                note=e.text("note", ""),
            )
        return out

    def muscles(self, src: set[str]) -> dict[str, Muscle]:
        out = {}
        fields = ("id", "name", "plain_name", "group", "core_role", "layer", "location")
        fields += ("action", "why_it_matters", "sources")
        for e in entries("muscles.yaml", self.raw("muscles.yaml")):
            e.only(fields)
            out[e.id] = Muscle(
                id=e.id,
                name=e.text("name"),
                plain_name=e.text("plain_name"),
                group=e.choice("group", MUSCLE_GROUPS),
                core_role=e.choice("core_role", ("major", "minor", "none")),
                layer=e.choice("layer", ("deep", "middle", "superficial")),
                location=e.text("location"),
                action=e.text("action"),
                why_it_matters=e.text("why_it_matters"),
                sources=self._sources(e, src),
            )
        return out

    @staticmethod
    def _sources(e: Entry, src: set[str]) -> tuple[str, ...]:
        refs = e.refs("sources", src, "source")
        if not refs:
            e.fail("sources", "expected at least one source id")
        return refs

    def exercises(
        self, src: set[str], muscles: set[str], guidelines: Guidelines
    ) -> dict[str, Exercise]:
        out: dict[str, Exercise] = {}
        equipment = set(guidelines.labels["equipment"])
        fields = [
            "id",
            "name",
            "aliases",
            "category",
            "position",
            "positions",
            "equipment",
            "muscles",
            "difficulty",
            "impact",
            "summary",
            "steps",
            "cues",
            "mistakes",
            "benefits",
            "caution",
            "dose",
            "regression",
            "progression",
            "rep_s",
            "sources",
        ]
        data = self.raw("exercises.yaml")
        pending: list[tuple[Entry, dict[str, Any]]] = []
        for e in entries("exercises.yaml", data):
            e.only(fields)
            category = e.choice("category", CATEGORIES)
            position = e.choice("position", POSITIONS)
            positions = e.refs("positions", POSITIONS, "position", [position])
            if position not in positions:
                e.fail("positions", f"must include the main position {position!r}")
            m = e.sub("muscles")
            m.only(("primary", "secondary"))
            primary = m.refs("primary", muscles, "muscle")
            if not primary:
                m.fail("primary", "expected at least one muscle id")
            secondary = m.refs("secondary", muscles, "muscle", [])
            overlap = set(primary) & set(secondary)
            if overlap:
                m.fail("secondary", f"{', '.join(sorted(overlap))} is already a primary muscle")
            fields_now = {
                "id": e.id,
                "name": e.text("name"),
                "aliases": e.texts("aliases", []),
                "category": category,
                "position": position,
                "positions": positions,
                "equipment": e.refs("equipment", equipment, "equipment", []),
                "muscles": primary,
                "secondary_muscles": secondary,
                "difficulty": e.integer("difficulty", 1, 3),
                "impact": e.choice("impact", IMPACTS),
                "summary": e.text("summary"),
                "steps": self._nonempty(e, "steps"),
                "cues": self._nonempty(e, "cues"),
                "mistakes": self._nonempty(e, "mistakes"),
                "benefits": e.texts("benefits", []),
                "caution": e.text("caution", ""),
                "dose": self._dose(e, category, src, guidelines),
                "rep_s": e.integer("rep_s", 1, 60, None),
                "sources": self._sources(e, src),
            }
            pending.append((e, fields_now))
        ids = {e.id for e, _ in pending}
        for e, f in pending:
            f["regression"] = e.ref("regression", ids, "exercise", None)
            f["progression"] = e.ref("progression", ids, "exercise", None)
            out[e.id] = Exercise(**f)
        ends = {name: _chains_end(out, name) for name in ("regression", "progression")}
        for e, _ in pending:
            self._check_chain(e, out, ends)
        return out

    @staticmethod
    def _nonempty(e: Entry, name: str) -> tuple[str, ...]:
        items = e.texts(name)
        if not items:
            e.fail(name, "expected at least one item")
        return items

    @staticmethod
    def _dose(e: Entry, category: str, src: set[str], g: Guidelines) -> Dose:
        d = e.sub("dose")
        d.only((*DOSE_FIELDS, "per_side", "times_per_day", "source", "note"))
        values = {}
        for name in DOSE_FIELDS:
            bounds = g.bounds(category, name)
            if bounds is None:
                if d.data.get(name) is not None:
                    d.fail(name, f"a {category} exercise has no {name}; leave it out")
                values[name] = None
                continue
            values[name] = d.integer(name, bounds.low, bounds.high, None)
            if values[name] is not None and values[name] not in bounds:
                d.fail(name, f"expected {bounds.low} to {bounds.high} (guidelines.yaml)")
        if category == "aerobic" and values["minutes"] is None:
            d.fail("minutes", "an aerobic activity is dosed in minutes")
        if category != "aerobic" and values["reps"] is None and values["hold_s"] is None:
            d.fail("reps", "expected reps, a hold in seconds, or both")
        return Dose(
            **values,
            per_side=d.boolean("per_side", False),
            times_per_day=d.integer("times_per_day", 1, 6, None),
            source=d.ref("source", src, "source"),
            note=d.text("note", ""),
        )

    @staticmethod
    def _check_chain(
        e: Entry, exercises: Mapping[str, Exercise], ends: Mapping[str, Mapping[str, bool]]
    ) -> None:
        """Regression and progression chains must end, and step in the right direction."""
        ex = exercises[e.id]
        for name in ("regression", "progression"):
            if not ends[name][e.id]:
                step = attrgetter(name)
                # Walked once, only to word the message: the first exercise met twice.
                seen, path, nxt = {e.id}, [e.id], step(ex)
                while nxt not in seen:
                    seen.add(nxt)
                    path.append(nxt)
                    nxt = step(exercises[nxt])
                loop = " -> ".join([*path, nxt])
                e.fail(name, f"the {name} chain loops ({loop}); a chain must end")
        if ex.progression and exercises[ex.progression].difficulty < ex.difficulty:
            e.fail("progression", f"{ex.progression!r} is easier than this exercise")
        if ex.regression and exercises[ex.regression].difficulty > ex.difficulty:
            e.fail("regression", f"{ex.regression!r} is harder than this exercise")

    def red_flags(self, src: set[str]) -> tuple[dict[str, RedFlag], dict[str, Mapping[str, str]]]:
        """The flags by id, and each tier's title and advice, from one read of the file."""
        data = self.raw("red_flags.yaml")
        if not isinstance(data, Mapping):
            raise CourseDataError("red_flags.yaml", None, None, "expected keys 'tiers' and 'flags'")
        tiers = data.get("tiers")
        if not isinstance(tiers, Mapping) or set(tiers) != set(RED_FLAG_TIERS):
            raise CourseDataError(
                "red_flags.yaml", None, "tiers", f"expected exactly {', '.join(RED_FLAG_TIERS)}"
            )
        tier_text: dict[str, Mapping[str, str]] = {}
        for tier in RED_FLAG_TIERS:
            t = Entry(
                "red_flags.yaml", tier, tiers[tier] if isinstance(tiers[tier], Mapping) else {}
            )
            t.only(("title", "advice"))
            tier_text[tier] = frozen_map({"title": t.text("title"), "advice": t.text("advice")})
        out = {}
        fields = ("id", "tier", "label", "question", "why", "action", "sources")
        for e in entries("red_flags.yaml", data, "flags"):
            e.only(fields)
            out[e.id] = RedFlag(
                id=e.id,
                tier=e.choice("tier", RED_FLAG_TIERS),
                label=e.text("label"),
                question=e.text("question"),
                why=e.text("why"),
                action=e.text("action"),
                sources=self._sources(e, src),
            )
        if not any(f.tier == "emergency" for f in out.values()):
            raise CourseDataError("red_flags.yaml", None, "flags", "expected an emergency flag")
        return out, tier_text

    def facts(self, src: set[str], exercises: set[str]) -> dict[str, tuple[Fact, ...]]:
        data = self.raw("facts.yaml")
        if not isinstance(data, Mapping) or not data:
            raise CourseDataError("facts.yaml", None, None, "expected a mapping of sections")
        checks: dict[str, Callable[[Entry], dict[str, Any]]] = {
            "prevalence": _prevalence,
            "activities": lambda e: {
                "impact": e.choice("impact", IMPACTS),
                "exercise": e.ref("exercise", exercises, "exercise", None),
            },
            "timelines": lambda e: {"weeks": e.number("weeks", 0, 520)},
            "measures": lambda e: {"free": e.boolean("free"), "url": e.text("url", "")},
        }
        out = {}
        for section, items in data.items():
            if not isinstance(section, str) or not ID_PATTERN.fullmatch(section):
                raise CourseDataError(
                    "facts.yaml", None, str(section), "expected a snake_case name"
                )
            facts = []
            for e in entries("facts.yaml", items):
                e.id = f"{section}/{e.id}"
                extra = {
                    k: v for k, v in e.data.items() if k not in ("id", "title", "text", "sources")
                }
                extra.update(checks.get(section, lambda e: {})(e))
                facts.append(
                    Fact(
                        id=e.data["id"],
                        section=section,
                        title=e.text("title"),
                        text=e.text("text"),
                        sources=self._sources(e, src),
                        data=frozen_map(extra),
                    )
                )
            out[section] = tuple(facts)
        return out

    def quizzes(self, src: set[str]) -> tuple[Quiz, ...]:
        out = []
        for e in entries("quizzes.yaml", self.raw("quizzes.yaml")):
            e.only(("id", "lesson", "question", "choices", "sources", "quick_check"))
            raw_choices = e._get("choices", _MISSING)
            if not isinstance(raw_choices, list) or len(raw_choices) < 2:
                e.fail("choices", "expected a list of two or more choices")
            choices = []
            for n, c in enumerate(raw_choices, start=1):
                if not isinstance(c, Mapping):
                    e.fail(f"choices[{n}]", "expected a mapping with text, correct, feedback")
                ce = _Nested(e, f"choices[{n}]", c)
                ce.only(("text", "correct", "feedback"))
                choices.append(
                    Choice(ce.text("text"), ce.boolean("correct", False), ce.text("feedback"))
                )
            if sum(c.correct for c in choices) != 1:
                e.fail("choices", "expected exactly one choice marked correct: true")
            out.append(
                Quiz(
                    id=e.id,
                    lesson=e.text("lesson"),
                    question=e.text("question"),
                    choices=tuple(choices),
                    sources=self._sources(e, src),
                    quick_check=e.boolean("quick_check", False),
                )
            )
        return tuple(out)

    def guidelines(self, src: set[str]) -> Guidelines:
        data = self.raw("guidelines.yaml")
        if not isinstance(data, Mapping):
            raise CourseDataError("guidelines.yaml", None, None, "expected a mapping of sections")
        g = Entry("guidelines.yaml", "guidelines", data)
        g.only(
            (
                "dose_bounds",
                "timing",
                "stages",
                "start",
                "coverage",
                "progression",
                "plan_weeks",
                "warm_up",
                "sources",
                "notes",
                "labels",
            )
        )
        bounds: dict[str, Mapping[str, Bounds]] = {}
        for category, fields in g.mapping("dose_bounds").items():
            if category not in CATEGORIES:
                g.fail(f"dose_bounds.{category}", f"expected a category: {', '.join(CATEGORIES)}")
            c = _Nested(g, f"dose_bounds.{category}", fields if isinstance(fields, Mapping) else {})
            if not c.data:
                c.fail(None, "expected bounds for sets, reps, hold_s, rest_s or minutes")
            c.only(DOSE_FIELDS)
            per: dict[str, Bounds] = {}
            for name in c.data:
                b = c.sub(name)
                b.only(("low", "high"))
                low, high = b.integer("low", 0, 600), b.integer("high", 0, 600)
                if low > high:
                    b.fail("low", f"low ({low}) must not be above high ({high})")
                per[name] = Bounds(low, high)
            bounds[category] = frozen_map(per)
        missing = [c for c in CATEGORIES if c not in bounds]
        if missing:
            g.fail("dose_bounds", f"expected bounds for every category; missing {missing[0]}")

        def numbers(section: str, keys: tuple[str, ...]) -> Mapping[str, int]:
            s = g.sub(section)
            return frozen_map({k: s.integer(k, 0, 600) for k in keys})

        timing = numbers("timing", TIMING_KEYS)
        for key in ("fill_fraction_pct", "growth_room_pct", "warm_up_share_pct"):
            if not 1 <= timing[key] <= 100:
                g.fail(f"timing.{key}", "expected a percentage from 1 to 100")
        if (
            not timing["warm_up_min_minutes"]
            <= timing["warm_up_full_minutes"]
            <= timing["warm_up_max_minutes"]
        ):
            g.fail("timing.warm_up_full_minutes", "expected warm_up_min <= full <= max")
        stages = numbers("stages", STAGE_KEYS)
        for key in ("severe_pain", "moderate_pain", "high_impact_pain"):
            if stages[key] > 10:
                g.fail(f"stages.{key}", "expected a point on the 0-10 pain scale")
        progression = numbers("progression", PROGRESSION_KEYS)
        start = numbers("start", START_KEYS)
        for key in ("gentle_reps_pct", "gentle_hold_pct"):
            if not 1 <= start[key] <= 100:
                g.fail(f"start.{key}", "expected a percentage from 1 to 100")
        warm = g.sub("warm_up")
        warm.only(("activities",))
        warm_up = warm.texts("activities")
        if not warm_up:
            warm.fail("activities", "expected at least one easy aerobic activity")
        cov = g.sub("coverage")
        cov.only(("main", "cool_down"))
        coverage = {}
        for phase in ("main", "cool_down"):
            targets = cov.sub(phase)
            coverage[phase] = frozen_map(
                {str(t): targets.refs(t, self.muscle_ids, "muscle") for t in targets.data}
            )

        s = g.sub("sources")
        cited = {k: s.refs(k, src, "source") for k in s.data}
        for section in ("dose_bounds", "timing", "stages", "start", "coverage", "progression"):
            if not cited.get(section):
                s.fail(section, "expected the sources of this section")
        n = g.sub("notes", {})
        notes = {k: n.text(k) for k in n.data}

        lab = g.sub("labels")
        labels: dict[str, Mapping[str, str]] = {}
        for vocab, words in lab.data.items():
            v = _Nested(lab, str(vocab), words if isinstance(words, Mapping) else {})
            if not v.data:
                v.fail(None, "expected id: plain words lines")
            labels[str(vocab)] = frozen_map({str(k): v.text(k) for k in v.data})
        for vocab in LABEL_VOCABULARIES:
            if vocab not in labels:
                lab.fail(vocab, "expected plain words for this vocabulary")
        required = {"positions": POSITIONS, "categories": CATEGORIES, "phases": PHASES}
        for vocab, ids in required.items():
            for i in ids:
                if i not in labels[vocab]:
                    lab.fail(f"{vocab}.{i}", "expected plain words for this id")
        return Guidelines(
            dose_bounds=frozen_map(bounds),
            timing=timing,
            stages=stages,
            progression=progression,
            start=start,
            coverage=frozen_map(coverage),
            labels=frozen_map(labels),
            sources=frozen_map(cited),
            notes=frozen_map(notes),
            warm_up=tuple(warm_up),
            plan_weeks=g.integer("plan_weeks", 1, 52),
        )

    def advice(self, src: set[str]) -> AdviceRules:
        """advice.yaml: the progress advice's thresholds (with sources) and sentences."""
        data = self.raw("advice.yaml")
        if not isinstance(data, Mapping):
            raise CourseDataError("advice.yaml", None, None, "expected a mapping of sections")
        sections = ("thresholds", "sources", "titles", "not_a_diagnosis", "nouns", "messages")
        Entry("advice.yaml", None, data).only(sections)  # type: ignore[arg-type]

        def section(name: str, keys: Collection[str]) -> Entry:
            e = Entry("advice.yaml", name, data.get(name))
            if not isinstance(e.data, Mapping):
                e.fail(None, "expected a mapping (key: value lines)")
            e.only(keys)
            return e

        t = section("thresholds", AdviceRules.THRESHOLDS)
        thresholds = {k: t.integer(k, 1, 600) for k in AdviceRules.THRESHOLDS}
        if thresholds["mild_pain_max"] > 10:
            t.fail("mild_pain_max", "expected a point on the 0-10 pain scale")
        if thresholds["noise_pct_of_rise"] > 100:
            t.fail("noise_pct_of_rise", "expected a percentage from 1 to 100")
        cited = section("sources", AdviceRules.THRESHOLDS)
        titles = section("titles", AdviceRules.KINDS)
        nouns = section("nouns", AdviceRules.NOUNS)
        m = section("messages", AdviceRules.MESSAGES)
        messages = {}
        for key, allowed in AdviceRules.MESSAGES.items():
            text = m.text(key)
            try:
                names = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
            except ValueError as exc:
                m.fail(key, f"a {{brace}} is not closed or not matched ({exc})")
            for name in sorted(names):
                if name not in allowed:
                    known = ", ".join(f"{{{a}}}" for a in allowed) or "none"
                    m.fail(key, f"unknown placeholder {{{name}}}; this message may use {known}")
            messages[key] = text
        return AdviceRules(
            thresholds=frozen_map(thresholds),
            titles=frozen_map({k: titles.text(k) for k in AdviceRules.KINDS}),
            messages=frozen_map(messages),
            nouns=frozen_map({k: nouns.text(k) for k in AdviceRules.NOUNS}),
            not_a_diagnosis=Entry("advice.yaml", None, data).text("not_a_diagnosis"),  # type: ignore[arg-type]
            sources=frozen_map({k: cited.refs(k, src, "source") for k in cited.data}),
        )


def _chains_end(exercises: Mapping[str, Exercise], name: str) -> dict[str, bool]:
    """For each exercise, whether following ``name`` (regression or progression) ends.

    Each exercise is visited once: a walk stops at the first exercise already decided, and
    everything on the walk shares its answer (a walk that meets itself is a loop). Linear in
    the number of exercises, however long the chains.
    """
    step = attrgetter(name)
    ends: dict[str, bool] = {}
    for start in exercises:
        path: list[str] = []
        on_path: set[str] = set()
        nxt: str | None = start
        while nxt is not None and nxt not in ends and nxt not in on_path:
            path.append(nxt)
            on_path.add(nxt)
            nxt = step(exercises[nxt])
        verdict = True if nxt is None else ends.get(nxt, False)
        for ex_id in path:
            ends[ex_id] = verdict
    return ends


def _prevalence(e: Entry) -> dict[str, Any]:
    low, high = e.number("low_pct", 0, 100), e.number("high_pct", 0, 100)
    if low > high:
        e.fail("low_pct", f"low_pct ({low}) must not be above high_pct ({high})")
    return {
        "low_pct": low,
        "high_pct": high,
        "measure": e.text("measure"),
        "population": e.text("population"),
    }
