"""Checks across fields and files that one field's own rules cannot express.

A dose within the bounds of its category, a main position among an exercise's positions,
chains of easier and harder exercises that end, one correct answer per quiz, every
vocabulary labelled. Each reads entries already checked by ``schema`` and fails with the
file, entry and field.
"""

from __future__ import annotations

import string
from collections.abc import Collection, Mapping
from operator import attrgetter
from typing import Any

from ..errors import CourseDataError
from ..model import (
    CATEGORIES,
    IMPACTS,
    PHASES,
    POSITIONS,
    AdviceRules,
    Bounds,
    Dose,
    Exercise,
    Guidelines,
    frozen_map,
)
from .schema import Entry, Nested, build, keys, show

DOSE_FIELDS = ("sets", "reps", "hold_s", "rest_s", "minutes")
# Vocabularies guidelines.yaml must label (plain words for each id the course uses).
LABEL_VOCABULARIES = ("positions", "equipment", "categories", "phases", "experience")
LABEL_VOCABULARIES += ("muscle_groups",)
# Vocabularies whose every id the code knows, so each needs its label.
REQUIRED_LABELS = {"positions": POSITIONS, "categories": CATEGORIES, "phases": PHASES}
# Sections of guidelines.yaml that must say where their numbers come from.
CITED_SECTIONS = ("dose_bounds", "timing", "stages", "start", "coverage", "progression")


def source_labels(e: Entry, labels: dict[str, str]) -> None:
    """Readers tell sources apart by their short label, so no two may share one; a web
    address must be one."""
    short = e.text("short", "") or e.text("title")
    if short in labels:
        e.fail("short", f"{short!r} is already the label of {labels[short]!r}")
    labels[short] = e.id
    url = e.text("url", "")
    if url and not url.startswith(("https://", "http://")):
        e.fail("url", f"expected a web address starting https://, got {show(url)}")


def exercise(e: Entry, known: Mapping[str, Collection[str]], g: Guidelines) -> Exercise:
    """One exercise: its own fields, then positions, muscles and dose against the rest."""
    e.only(keys(Exercise))
    category = e.choice("category", CATEGORIES)
    position = e.choice("position", POSITIONS)
    positions = e.refs("positions", POSITIONS, "position", [position])
    if position not in positions:
        e.fail("positions", f"must include the main position {position!r}")
    ex = build(Exercise, e, known, positions=positions, dose=dose(e, category, known, g))
    overlap = set(ex.muscles) & set(ex.secondary_muscles)
    if overlap:
        e.sub("muscles").fail(
            "secondary", f"{', '.join(sorted(overlap))} is already a primary muscle"
        )
    return ex


def dose(e: Entry, category: str, known: Mapping[str, Collection[str]], g: Guidelines) -> Dose:
    """The dose: each amount within its category's bounds in guidelines.yaml."""
    d = e.sub("dose")
    d.only(keys(Dose))
    values = {}
    for name in DOSE_FIELDS:
        bounds = g.bounds(category, name)
        if bounds is None:
            if d.data.get(name) is not None:
                d.fail(name, f"a {category} exercise has no {name}; leave it out")
            values[name] = None
            continue
        values[name] = d.integer(name, bounds.low, bounds.high, None)
    if category == "aerobic" and values["minutes"] is None:
        d.fail("minutes", "an aerobic activity is dosed in minutes")
    if category != "aerobic" and values["reps"] is None and values["hold_s"] is None:
        d.fail("reps", "expected reps, a hold in seconds, or both")
    return build(Dose, d, known, **values)


def chains(items: list[Entry], exercises: Mapping[str, Exercise]) -> None:
    """Regression and progression chains must end, and step in the right direction."""
    ends = {name: chains_end(exercises, name) for name in ("regression", "progression")}
    for e in items:
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


def chains_end(exercises: Mapping[str, Exercise], name: str) -> dict[str, bool]:
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


def one_correct(e: Entry, choices: tuple[Any, ...]) -> None:
    if sum(c.correct for c in choices) != 1:
        e.fail("choices", "expected exactly one choice marked correct: true")


def prevalence(e: Entry) -> dict[str, Any]:
    """A prevalence fact's figures: a range of percentages, what and whom they measure."""
    low, high = e.number("low_pct", 0, 100), e.number("high_pct", 0, 100)
    if low > high:
        e.fail("low_pct", f"low_pct ({low}) must not be above high_pct ({high})")
    return {
        "low_pct": low,
        "high_pct": high,
        "measure": e.text("measure"),
        "population": e.text("population"),
    }


def fact_data(section: str, e: Entry, exercises: Collection[str]) -> dict[str, Any]:
    """The fields a section of facts.yaml adds to its facts, checked where they are known."""
    if section == "prevalence":
        return prevalence(e)
    if section == "activities":
        return {
            "impact": e.choice("impact", IMPACTS),
            "exercise": e.ref("exercise", exercises, "exercise", None),
        }
    if section == "timelines":
        return {"weeks": e.number("weeks", 0, 520)}
    if section == "measures":
        return {"free": e.boolean("free"), "url": e.text("url", "")}
    return {}


def dose_bounds(g: Entry) -> Mapping[str, Mapping[str, Bounds]]:
    """guidelines.yaml dose_bounds: for every category, low and high of its dose fields."""
    bounds: dict[str, Mapping[str, Bounds]] = {}
    for category, fields in g.mapping("dose_bounds").items():
        if category not in CATEGORIES:
            g.fail(f"dose_bounds.{category}", f"expected a category: {', '.join(CATEGORIES)}")
        c = Nested(g, f"dose_bounds.{category}", fields if isinstance(fields, Mapping) else {})
        if not c.data:
            c.fail(None, "expected bounds for sets, reps, hold_s, rest_s or minutes")
        c.only(DOSE_FIELDS)
        per: dict[str, Bounds] = {}
        for name in c.data:
            b = build(Bounds, c.sub(name), {})
            if b.low > b.high:
                c.fail(f"{name}.low", f"low ({b.low}) must not be above high ({b.high})")
            per[name] = b
        bounds[category] = frozen_map(per)
    missing = [c for c in CATEGORIES if c not in bounds]
    if missing:
        g.fail("dose_bounds", f"expected bounds for every category; missing {missing[0]}")
    return frozen_map(bounds)


def labels(g: Entry) -> Mapping[str, Mapping[str, str]]:
    """guidelines.yaml labels: plain words for every id of each vocabulary."""
    lab = g.sub("labels")
    out: dict[str, Mapping[str, str]] = {}
    for vocab, words in lab.data.items():
        v = Nested(lab, str(vocab), words if isinstance(words, Mapping) else {})
        if not v.data:
            v.fail(None, "expected id: plain words lines")
        out[str(vocab)] = frozen_map({str(k): v.text(k) for k in v.data})
    for vocab in LABEL_VOCABULARIES:
        if vocab not in out:
            lab.fail(vocab, "expected plain words for this vocabulary")
    for vocab, ids in REQUIRED_LABELS.items():
        for i in ids:
            if i not in out[vocab]:
                lab.fail(f"{vocab}.{i}", "expected plain words for this id")
    return frozen_map(out)


def guidelines(g: Entry, known: Mapping[str, Collection[str]]) -> Guidelines:
    """guidelines.yaml, its numbers checked by Guidelines' fields, the rest here."""
    g.only(keys(Guidelines))
    cov = g.sub("coverage")
    cov.only(("main", "cool_down"))
    coverage = {}
    for phase in ("main", "cool_down"):
        targets = cov.sub(phase)
        coverage[phase] = frozen_map(
            {str(t): targets.refs(t, known["muscle"], "muscle") for t in targets.data}
        )
    s = g.sub("sources")
    cited = {k: s.refs(k, known["source"], "source") for k in s.data}
    for section in CITED_SECTIONS:
        if not cited.get(section):
            s.fail(section, "expected the sources of this section")
    n = g.sub("notes", {})
    out = build(
        Guidelines,
        g,
        known,
        dose_bounds=dose_bounds(g),
        coverage=frozen_map(coverage),
        labels=labels(g),
        sources=frozen_map(cited),
        notes=frozen_map({k: n.text(k) for k in n.data}),
    )
    t = out.timing
    if not t["warm_up_min_minutes"] <= t["warm_up_full_minutes"] <= t["warm_up_max_minutes"]:
        g.fail("timing.warm_up_full_minutes", "expected warm_up_min <= full <= max")
    return out


def warm_up_exists(g: Guidelines, exercises: Collection[str]) -> None:
    for n, activity in enumerate(g.warm_up):
        if activity not in exercises:
            raise CourseDataError(
                "guidelines.yaml",
                "warm_up",
                f"activities[{n}]",
                f"unknown exercise {activity!r}; use an id from exercises.yaml",
            )


def advice(data: Any, src: Collection[str]) -> AdviceRules:
    """advice.yaml: the progress advice's thresholds (with sources) and sentences."""
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
