"""Charts: what a learner sees in them matches the routine, the plan and the log.

The expected numbers are worked out here from the plan's and the log's own data (minutes,
sets, reps, holds, pain, minutes exercised), never by calling the chart code's helpers; the
SVG charts are read back as XML, the matplotlib ones through their artists.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest

from backcourse import load_course, palette
from backcourse.figures import charts, style
from backcourse.model import Plan, PlanWeek, Prescription, Profile, Routine
from conftest import png_size

# every warning (matplotlib's included) is an error in this module
pytestmark = pytest.mark.filterwarnings("error")

COURSE = load_course()
SVG = "{http://www.w3.org/2000/svg}"


def hand_made_routine(course, minutes: int = 20) -> Routine:
    """A routine built by hand from model dataclasses (no planner involved)."""
    ex = course.exercises
    items = (
        Prescription(ex["walking"], "warm_up", 1, None, None, False, 0, 5.0, "warm up", 5),
        Prescription(ex["glute_bridge"], "main", 2, 10, 2, False, 30, 4.5, "glutes"),
        Prescription(ex["bird_dog"], "main", 1, 8, 5, True, 30, 3.2, "back extensors"),
        Prescription(ex["dead_bug"], "main", 1, 8, None, True, 30, 2.4, "deep core"),
        Prescription(ex["knee_to_chest_stretch"], "cool_down", 1, 3, 20, True, 0, 2.0, "stretch"),
    )
    profile = Profile(
        pain_now=3,
        weeks_since_onset=10,
        minutes_per_session=minutes,
        sessions_per_week=4,
        equipment={"mat"},
    )
    return Routine(profile, items, round(sum(p.minutes for p in items), 2), "settling", (), course)


def hand_made_plan(routine: Routine) -> Plan:
    weeks = []
    items = routine.items
    for w in range(1, 13):
        if w in (3, 6):
            items = tuple(
                dataclasses.replace(p, reps=(p.reps or 0) + 2) if p.reps else p for p in items
            )
        changes = ("Glute bridge: 2 x 10 becomes 2 x 12.",) if w == 3 else ()
        if w == 8:
            items = tuple(
                dataclasses.replace(p, exercise=routine.course.exercises["single_leg_bridge"])
                if p.exercise.id == "glute_bridge"
                else p
                for p in items
            )
            changes = ("Step up: Glute bridge becomes Single leg bridge (2 x 10).",)
        weeks.append(PlanWeek(w, items, round(sum(p.minutes for p in items), 2), changes))
    return Plan(routine, tuple(weeks), "step back", 4)


def entries(n: int = 30):
    start = dt.date(2024, 1, 1)
    return [
        SimpleNamespace(
            day=start + dt.timedelta(days=i),
            pain=max(0, 7 - i // 5),
            exercised=i % 3 != 0,
            minutes=0 if i % 3 == 0 else 20,
        )
        for i in range(n)
    ]


def dose_words(p: Prescription) -> str:
    """How the learner reads a dose in a plan cell, written out here from the prescription."""
    if p.duration_min is not None:
        return f"{p.duration_min} min"
    words = []
    if p.reps is not None:
        words.append(f"{p.sets}\u00d7{p.reps}")
    if p.hold_s:
        words.append(f"{p.hold_s} s" if p.reps is not None else f"{p.sets}\u00d7{p.hold_s} s")
    return " ".join(words) or f"{p.sets} sets"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def group(root: ET.Element, name: str) -> ET.Element:
    found = root.find(f".//{SVG}g[@class='{name}']")
    assert found is not None, f"no <g class={name!r}> in the chart"
    return found


def text_of(el: ET.Element) -> str:
    """An element's text as read aloud: its lines (tspans) joined by spaces."""
    return " ".join(part.strip() for part in el.itertext() if part.strip())


def labelled(root: ET.Element) -> tuple[str, str]:
    """The chart's accessible name and description, through aria-labelledby's ids."""
    ids = root.get("aria-labelledby", "").split()
    assert root.get("role") == "img" and len(ids) == 2
    found = {el.get("id"): text_of(el) for el in root.iter() if el.get("id") in ids}
    assert root[0].tag == f"{SVG}title", "<title> must be the first child (the name)"
    return found[ids[0]], found[ids[1]]


# --------------------------------------------------------------------------- plan chart (SVG)


def test_plan_svg_bars_are_each_weeks_minutes(course):
    plan = hand_made_plan(hand_made_routine(course))
    root = parse(charts.plan_svg(plan).svg)
    bars = [
        r for r in group(root, "bc-chart-minutes").iter(f"{SVG}rect")
        if r.get("fill") == palette.OKABE_ITO["blue"]
    ]  # fmt: skip
    expected = [sum(p.minutes for p in w.items) for w in plan.weeks]
    assert len(bars) == 12
    heights = [float(b.get("height")) for b in bars]
    # bars stand on one baseline, and their heights are in the ratio of the minutes
    assert len({round(float(b.get("y")) + float(b.get("height")), 1) for b in bars}) == 1
    for h, m in zip(heights, expected, strict=True):
        assert h / heights[0] == pytest.approx(m / expected[0], abs=0.01)
    # the dashed line of the minutes available sits at 20 on the bars' scale
    line = next(e for e in group(root, "bc-chart-minutes").iter(f"{SVG}line")
                if e.get("stroke-dasharray"))  # fmt: skip
    base = float(bars[0].get("y")) + heights[0]
    px_per_min = heights[0] / expected[0]
    assert (base - float(line.get("y1"))) / px_per_min == pytest.approx(20, abs=0.1)
    assert "20 min" in text_of(group(root, "bc-chart-minutes"))


def test_plan_svg_cells_show_each_weeks_dose(course):
    plan = hand_made_plan(hand_made_routine(course))
    root = parse(charts.plan_svg(plan).svg)
    doses = group(root, "bc-chart-doses")
    names = {
        round(float(t.get("y"))): text_of(t) for t in doses.findall(f"{SVG}text")
        if t.get("text-anchor") == "end"
    }  # fmt: skip
    week_x = {
        text_of(t): float(t.get("x")) for t in doses.findall(f"{SVG}text")
        if text_of(t).isdigit()
    }  # fmt: skip
    assert sorted(week_x, key=int) == [str(w) for w in range(1, 13)]
    rects = doses.findall(f"{SVG}rect")
    labels = [t for t in doses.findall(f"{SVG}text") if t.get("text-anchor") == "middle"]
    shown: dict[tuple[str, int], str] = {}  # (exercise, week) -> the words in its box
    for rect, label in zip(rects, labels, strict=False):
        x0, w = float(rect.get("x")), float(rect.get("width"))
        row = names[round(float(rect.get("y")) + float(rect.get("height")) / 2)]
        for week, x in week_x.items():
            if x0 < x < x0 + w:
                shown[(row, int(week))] = text_of(label)
    expected = {(p.exercise.name, w.week): dose_words(p) for w in plan.weeks for p in w.items}
    assert shown == expected
    # the week-8 step up: a marker above the bars and an outlined box in week 8
    vermillion = palette.OKABE_ITO["vermillion"]
    markers = [e for e in group(root, "bc-chart-minutes").iter(f"{SVG}path")
               if e.get("fill") == vermillion]  # fmt: skip
    assert len(markers) == 1
    outlined = [r for r in rects if r.get("stroke") == vermillion]
    assert len(outlined) == 1
    row = names[round(float(outlined[0].get("y")) + float(outlined[0].get("height")) / 2)]
    assert row == "Single leg bridge"
    x0 = float(outlined[0].get("x"))
    assert x0 < week_x["8"] < x0 + float(outlined[0].get("width"))


def test_plan_svg_is_labelled_and_captioned(course):
    plan = hand_made_plan(hand_made_routine(course))
    chart = charts.plan_svg(plan)
    title, desc = labelled(parse(chart.svg))
    assert title == "The 12-week plan: dose per exercise, week by week"
    assert desc == chart.alt_text
    assert "Week 8: Step up" in chart.alt_text
    assert "20 minutes available" in chart.alt_text
    html = chart.html()
    assert html.startswith("<figure") and "<figcaption" in html
    assert chart.alt_text.split(".")[0] in html
    # the same plan gives the same bytes; the Figure version says the same words
    assert charts.plan_svg(plan).svg == chart.svg
    assert charts.plan_chart(plan).alt_text == chart.alt_text


def test_plan_svg_escapes_names(course):
    routine = hand_made_routine(course)
    odd = dataclasses.replace(course.exercises["walking"], name='Walk <b>"fast"</b> & far')
    items = tuple(dataclasses.replace(p, exercise=odd) if p.exercise.id == "walking" else p
                  for p in routine.items)  # fmt: skip
    plan = Plan(routine, (PlanWeek(1, items, 17.1, ()),), "step back", 4)
    chart = charts.plan_svg(plan)
    names = [text_of(t) for t in group(parse(chart.svg), "bc-chart-doses").iter(f"{SVG}text")]
    assert 'Walk <b>"fast"</b> & far' in names  # shown as text, not markup
    assert "<b>" not in chart.html().replace("&lt;b&gt;", "")


def test_plan_of_a_planned_routine(course):
    from backcourse import build_routine

    routine = build_routine(
        Profile(pain_now=4, weeks_since_onset=10, minutes_per_session=20, sessions_per_week=4,
                equipment={"mat", "chair"}),
        course,
    )  # fmt: skip
    plan = routine.plan(12)
    root = parse(charts.plan_svg(plan).svg)
    names = {text_of(t) for t in group(root, "bc-chart-doses").findall(f"{SVG}text")
             if t.get("text-anchor") == "end"}  # fmt: skip
    assert names == {p.exercise.name for w in plan.weeks for p in w.items}
    png_size(style.to_png(charts.plan_chart(plan)))


# --------------------------------------------------------------------------- plan chart (Figure)


def test_plan_figure_bars_are_each_weeks_minutes(course):
    plan = hand_made_plan(hand_made_routine(course))
    fig = charts.plan_chart(plan)
    top = fig.axes[0]
    heights = [p.get_height() for p in top.patches]
    assert heights == pytest.approx([sum(p.minutes for p in w.items) for w in plan.weeks])
    labels = {t.get_text().replace("\n", " ") for t in fig.axes[1].texts}
    assert labels == {dose_words(p) for w in plan.weeks for p in w.items}
    png_size(style.to_png(fig))


# --------------------------------------------------------------------------- trend chart


def svg_pain_values(root: ET.Element) -> list[float]:
    """The pain values the line shows, read back through the axis' own tick labels."""
    pain = group(root, "bc-chart-pain")
    ticks = {
        int(text_of(t)): float(t.get("y")) for t in pain.findall(f"{SVG}text")
        if text_of(t).isdigit()
    }  # fmt: skip
    per_point = (ticks[0] - ticks[10]) / 10
    line = pain.find(f"{SVG}polyline")
    assert line is not None
    ys = [float(xy.split(",")[1]) for xy in line.get("points").split()]
    return [round((ticks[0] - y) / per_point, 2) for y in ys]


def svg_bar_minutes(root: ET.Element) -> list[float]:
    """Each bar's height, in minutes, read back through the axis' tick labels."""
    panel = group(root, "bc-chart-minutes")
    ticks = sorted(
        (float(text_of(t)), float(t.get("y"))) for t in panel.findall(f"{SVG}text")
        if re.fullmatch(r"\d+", text_of(t))
    )  # fmt: skip
    (v0, y0), (v1, y1) = ticks[0], ticks[-1]
    path = next(p for p in panel.findall(f"{SVG}path")
                if p.get("fill") == palette.OKABE_ITO["bluish_green"])  # fmt: skip
    tops = [float(v) for v in re.findall(r"V([\d.]+)h", path.get("d"))]
    return [round(v0 + (y0 - top) * (v1 - v0) / (y0 - y1), 1) for top in tops]


def test_trend_svg_line_and_bars_match_the_log(course):
    log = entries()
    root = parse(charts.pain_trend_svg(log, course).svg)
    assert svg_pain_values(root) == pytest.approx([e.pain for e in log], abs=0.05)
    assert svg_bar_minutes(root) == pytest.approx([e.minutes for e in log if e.exercised], abs=0.1)


def test_trend_svg_band_is_the_first_weeks_average_plus_or_minus_a_change(course):
    log = entries()
    change = course.guidelines.progression["step_back_pain_rise"]
    start = sum(e.pain for e in log[:7]) / 7
    root = parse(charts.pain_trend_svg(log, course).svg)
    pain = group(root, "bc-chart-pain")
    ticks = {int(text_of(t)): float(t.get("y")) for t in pain.findall(f"{SVG}text")
             if text_of(t).isdigit()}  # fmt: skip
    per_point = (ticks[0] - ticks[10]) / 10
    band = next(r for r in pain.findall(f"{SVG}rect")
                if r.get("fill") == palette.OKABE_ITO["yellow"])  # fmt: skip
    top = (ticks[0] - float(band.get("y"))) / per_point
    bottom = top - float(band.get("height")) / per_point
    assert (bottom, top) == pytest.approx((start - change, min(10, start + change)), abs=0.05)


def test_trend_svg_a_year_in_any_order(course):
    year = charts.example_entries(365)
    shuffled = sorted(year, key=lambda e: (e.day.day, e.day.month))
    a, b = charts.pain_trend_svg(year, course), charts.pain_trend_svg(shuffled, course)
    assert a.svg == b.svg
    root = parse(a.svg)
    assert len(svg_bar_minutes(root)) == sum(e.exercised for e in year)
    title, desc = labelled(root)
    assert title == "Pain and sessions over time" and desc == a.alt_text
    assert "2024-03-04" in a.alt_text and "(365 entries)" in a.alt_text
    dates = [text_of(t) for t in group(root, "bc-chart-minutes").findall(f"{SVG}text")]
    assert "Jan 2025" in dates


def test_trend_svg_empty_and_odd_days(course):
    empty = charts.pain_trend_svg([], course)
    assert "no entries" in empty.alt_text.lower()
    assert "log a day" in text_of(parse(empty.svg))
    odd = [*entries(3), SimpleNamespace(day=dt.date(9999, 1, 1), pain=3, exercised=True,
                                        minutes=20)]  # fmt: skip
    chart = charts.pain_trend_svg(odd, course)
    assert "1 entry dated outside" in chart.alt_text
    assert svg_pain_values(parse(chart.svg)) == pytest.approx([e.pain for e in entries(3)])


def test_trend_figure_matches_the_log(course):
    log = entries()
    fig = charts.pain_trend_chart(log, course)
    line = fig.axes[0].lines[-1]
    assert list(line.get_ydata()) == [e.pain for e in log]
    assert fig.alt_text == charts.pain_trend_svg(log, course).alt_text
    segments = fig.axes[1].collections[0].get_segments()
    assert [round(s[1][1]) for s in segments] == [e.minutes for e in log if e.exercised]


# --------------------------------------------------------------------------- all charts as PNG


def test_charts_of_a_hand_made_routine(course):
    routine = hand_made_routine(course)
    figs = {
        "coverage": charts.coverage_chart(routine),
        "time": charts.time_budget_chart(routine),
        "plan": charts.plan_chart(hand_made_plan(routine)),
    }
    for name, fig in figs.items():
        assert fig.alt_text, name
        png_size(style.to_png(fig))
    assert "Gluteus maximus" in figs["coverage"].alt_text
    assert "20 minutes available" in figs["time"].alt_text
    assert "Week 8: Step up" in figs["plan"].alt_text


def test_time_budget_over_the_limit(course):
    routine = hand_made_routine(course, minutes=10)
    fig = charts.time_budget_chart(routine)
    assert "10 minutes available" in fig.alt_text


def test_charts_of_a_planned_routine(course):
    from backcourse import build_routine

    routine = build_routine(
        Profile(
            pain_now=4,
            weeks_since_onset=10,
            minutes_per_session=20,
            sessions_per_week=4,
            equipment={"mat", "chair"},
        ),
        course,
    )
    for fig in (
        charts.coverage_chart(routine),
        charts.time_budget_chart(routine),
        charts.plan_chart(routine.plan(12)),
    ):
        assert fig.alt_text
        png_size(style.to_png(fig))


def test_pain_trend(course):
    fig = charts.pain_trend_chart(entries(), course)
    change = course.guidelines.progression["step_back_pain_rise"]
    assert f"{change} points" in fig.alt_text
    assert "2024-01-01" in fig.alt_text
    empty = charts.pain_trend_chart([], course)
    assert "no entries" in empty.alt_text.lower()
    one = charts.pain_trend_chart(entries(1), course)
    png_size(style.to_png(one))
    shuffled = list(reversed(entries()))
    assert style.to_png(charts.pain_trend_chart(shuffled, course)) == style.to_png(
        charts.pain_trend_chart(entries(), course)
    )


def test_prevalence_chart(course):
    fig = charts.prevalence_chart(course)
    for f in course.facts["prevalence"]:
        assert f.title in fig.alt_text
    assert style.to_png(charts.prevalence_chart(course)) == style.to_png(fig)


def test_charts_are_deterministic(course):
    routine = hand_made_routine(course)
    for make in (
        lambda: charts.coverage_chart(routine),
        lambda: charts.time_budget_chart(routine),
        lambda: charts.plan_chart(hand_made_plan(routine)),
    ):
        assert style.to_png(make()) == style.to_png(make())
        assert style.to_svg(make()) == style.to_svg(make())
