"""The routine builder, driven the way a learner drives it: every answer, swaps, red flags,
bad answers, every take-away button, loading a saved file. (How fast it answers is
measured in benchmarks/bench_builder.py, not asserted here.)"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import random
import re

import icalendar
import pytest

from backcourse import Profile, build_routine, export, load_course
from backcourse.errors import ProfileError
from backcourse.model import POSITIONS
from backcourse.planner import alternatives
from backcourse.widgets import build_routine_builder
from backcourse.widgets.routine_builder import FIELDS

COURSE = load_course()
NAME = '<script>alert(1)</script> "; DROP'
START = dt.date(2025, 1, 6)
EMERGENCY = next(f.id for f in COURSE.red_flags.values() if f.tier == "emergency")
SEE_DOCTOR = next(f.id for f in COURSE.red_flags.values() if f.tier == "see_doctor")


@pytest.fixture
def builder(tmp_path):
    return build_routine_builder(COURSE, folder=tmp_path / "handouts", start=START)


def classes(w) -> set[str]:
    return set(w._dom_classes)


def card_texts(b) -> list[str]:
    return [b._cards[n].text.value for n in range(len(b.routine.items))]


def swappable(b) -> int:
    return next(i for i in range(len(b.routine.items)) if alternatives(b.routine, i))


def upload(b, data: bytes, name: str = "saved.json") -> None:
    b.parts["load"].value = (
        {
            "name": name,
            "type": "application/json",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": dt.datetime(2025, 1, 1),
        },
    )


# --------------------------------------------------------------------------- the first view


def test_builds_a_routine_from_the_default_answers(builder):
    r = builder.routine
    assert r is not None and builder.stop is None
    assert r.items == build_routine(Profile(**builder.answers()), COURSE).items
    shown = builder.parts["routine"].children
    assert len(shown) == len(r.items)
    for p, text, n in zip(r.items, card_texts(builder), range(len(r.items)), strict=True):
        assert p.exercise.name in text and p.dose_text() in text and p.reason in text
        picture = builder._cards[n].picture.value
        assert picture.startswith('<img class="bc-illustration" src="data:image/png;base64,')
        assert 'alt="' in picture
    summary = builder.parts["summary"].value
    assert f"About {round(r.minutes)} minutes" in summary


def test_css_classes_and_parts_for_browser_tests(builder):
    assert {"bc-builder", "bc-app"} <= classes(builder)
    for part in (
        "pain",
        "weeks",
        "minutes",
        "sessions",
        "positions",
        "equipment",
        "experience",
        "redflags",
        "routine",
        "summary",
        "advice",
        "charts",
        "name",
        "start",
        "download",
        "load",
        "swaps",
        "undo",
        "export-html",
        "export-pdf",
        "export-markdown",
        "export-ics",
        "export-json",
        "error-minutes",
        "error-positions",
        "error-redflags",
        "error-load",
    ):
        assert f"bc-builder-{part}" in classes(builder.parts[part]), part
    assert "bc-error" in classes(builder.parts["error-weeks"])
    card = builder.parts["item_0"]
    assert "bc-builder-item" in classes(card)
    assert "bc-builder-swap" in classes(builder._cards[0].swap)
    assert builder._cards[0].swap in card.children[2].children


def test_plain_labels_come_from_the_course(builder):
    g = COURSE.guidelines
    for pos in POSITIONS:
        assert builder.parts[f"position_{pos}"].description == g.label("positions", pos)
    for eq, words in g.labels["equipment"].items():
        assert builder.parts[f"equipment_{eq}"].description == words
    assert dict(builder.parts["experience"].options) == {
        v: k for k, v in g.labels["experience"].items()
    }
    for fid, flag in COURSE.red_flags.items():
        assert builder.parts[f"flag_{fid}"].description == flag.label
        assert builder.parts[f"flag_{fid}"].tooltip == flag.question


def test_repr_is_short_and_stable(builder):
    assert repr(builder) == "Routine builder (interactive: run this notebook in Jupyter to use it)"


# --------------------------------------------------------------------------- every answer


@pytest.mark.parametrize(
    ("part", "value", "field"),
    [
        ("pain", 8, "pain_now"),
        ("pain", 0, "pain_now"),
        ("weeks", 2, "weeks_since_onset"),
        ("weeks", 40, "weeks_since_onset"),
        ("minutes", 10, "minutes_per_session"),
        ("minutes", 45, "minutes_per_session"),
        ("sessions", 6, "sessions_per_week"),
        ("experience", "advanced", "experience"),
    ],
)
def test_each_answer_rebuilds_the_routine(builder, part, value, field):
    builder.parts[part].value = value
    r = builder.routine
    assert getattr(r.profile, field) == value
    assert r.items == build_routine(r.profile, COURSE).items
    assert card_texts(builder)[0].count(r.items[0].exercise.name) >= 1
    assert r.minutes <= r.profile.minutes_per_session


@pytest.mark.parametrize("pos", POSITIONS)
def test_each_position_box(builder, pos):
    builder.parts[f"position_{pos}"].value = False
    r = builder.routine
    assert pos not in r.profile.positions
    assert all(pos not in p.exercise.positions for p in r.items)


@pytest.mark.parametrize("eq", sorted(COURSE.guidelines.labels["equipment"]))
def test_each_equipment_box(builder, eq):
    box = builder.parts[f"equipment_{eq}"]
    box.value = not box.value
    r = builder.routine
    assert (eq in r.profile.equipment) == box.value
    assert all(set(p.exercise.equipment) <= r.profile.equipment for p in r.items)


def test_name_is_learner_text_and_never_markup(builder):
    builder.parts["name"].value = NAME
    assert builder.routine is not None  # the name does not change the routine
    for fmt in export.FORMATS:
        path = builder.export(fmt)
        assert path.name == export.file_name(fmt, NAME)
        assert re.fullmatch(r"back-routine-[a-z0-9-]+\.[a-z]+", path.name)
        assert "<script" not in builder.parts["download"].value
    page = (builder.folder / export.file_name("html", NAME)).read_text()
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &quot;; DROP" in page
    md = (builder.folder / export.file_name("markdown", NAME)).read_text()
    assert not re.search(r"(?<!\\)<script", md) and "\\<script\\>" in md
    js = (builder.folder / export.file_name("json", NAME)).read_text()
    assert "<script" not in js and json.loads(js)["name"] == NAME
    ics = (builder.folder / export.file_name("ics", NAME)).read_text()
    assert '"\\; DROP' in ics.replace("\r\n ", "")


# --------------------------------------------------------------------------- bad answers


@pytest.mark.parametrize(
    ("part", "value", "message"),
    [
        ("minutes", 2, "from 5 to 60"),
        ("minutes", 500, "from 5 to 60"),
        ("weeks", -3, "from 0 to 520"),
        ("weeks", 9999, "from 0 to 520"),
    ],
)
def test_a_bad_answer_shows_a_message_beside_its_field(builder, part, value, message):
    builder.parts[part].value = value
    err = builder.parts[f"error-{part}"].value
    assert message in err and 'role="alert"' in err
    assert builder.routine is None
    assert builder._result.layout.display == "none"
    others = [f for f in ("pain", "weeks", "minutes", "sessions", "positions") if f != part]
    assert all(builder.parts[f"error-{f}"].value == "" for f in others)
    builder.parts[part].value = 10 if part == "weeks" else 20
    assert builder.parts[f"error-{part}"].value == ""
    assert builder.routine is not None and builder._result.layout.display is None


def test_no_position_at_all_is_a_message_beside_the_positions(builder):
    builder.set_answers(positions=())
    assert "at least one position" in builder.parts["error-positions"].value
    assert builder.routine is None
    builder.parts["position_standing"].value = True
    assert builder.parts["error-positions"].value == "" and builder.routine is not None


def test_set_answers_refuses_unknown_ids(builder):
    with pytest.raises(ValueError, match="unknown"):
        builder.set_answers(positions={"upside_down"})


# --------------------------------------------------------------------------- red flags


def test_an_emergency_flag_replaces_the_routine_by_the_advice(builder):
    builder.parts[f"flag_{EMERGENCY}"].value = True
    assert builder.routine is None and builder.stop is not None
    advice = builder.parts["advice"]
    assert advice.layout.display is None and builder._result.layout.display == "none"
    assert COURSE.red_flag_tiers["emergency"]["title"] in advice.value
    assert 'role="alert"' in advice.value
    assert "bc-builder-emergency" in classes(advice)
    assert COURSE.red_flags[EMERGENCY].label in advice.value
    with pytest.raises(ValueError, match="no routine"):
        builder.export("html")
    builder.parts[f"flag_{EMERGENCY}"].value = False
    assert builder.routine is not None and advice.layout.display == "none"


def test_a_see_doctor_flag_shows_its_own_advice(builder):
    builder.parts[f"flag_{SEE_DOCTOR}"].value = True
    advice = builder.parts["advice"]
    assert COURSE.red_flag_tiers["see_doctor"]["title"] in advice.value
    assert "bc-builder-emergency" not in classes(advice)
    builder.parts[f"flag_{EMERGENCY}"].value = True  # the emergency tier wins
    assert COURSE.red_flag_tiers["emergency"]["title"] in advice.value
    assert "bc-builder-emergency" in classes(advice)


def test_a_red_flag_wins_over_a_bad_answer(builder):
    builder.parts[f"flag_{EMERGENCY}"].value = True
    builder.parts["minutes"].value = 1
    assert builder.routine is None and builder._result.layout.display == "none"


# --------------------------------------------------------------------------- swaps


def test_replace_this_exercise_offers_the_planners_alternatives(builder):
    i = swappable(builder)
    card = builder._cards[i]
    card.swap.click()
    offered = [v for _label, v in card.choice.options]
    assert offered == [e.id for e in alternatives(builder.routine, i)]
    assert card.choices.layout.display == "flex"
    old = builder.routine.items[i].exercise.id
    new = offered[0]
    card.choice.value = new
    card.apply.click()
    assert builder.swaps == ((old, new),)
    ids = [p.exercise.id for p in builder.routine.items]
    assert old not in ids
    names = {e.id: e.name for e in COURSE.exercises.values()}
    assert names[old] in builder.parts["swaps"].value
    assert builder._swap_row.layout.display is None
    builder.parts["undo"].click()
    assert builder.swaps == () and old in [p.exercise.id for p in builder.routine.items]


def test_cancel_closes_the_choices(builder):
    card = builder._cards[swappable(builder)]
    card.swap.click()
    card.cancel.click()
    assert card.choices.layout.display == "none"


def test_swap_refuses_an_unsuitable_exercise(builder):
    here = {p.exercise.id for p in builder.routine.items}
    with pytest.raises(ValueError, match="not a suitable"):
        builder.swap(0, next(iter(here - {builder.routine.items[0].exercise.id})))


def test_swaps_pause_when_answers_rule_them_out_and_come_back(builder):
    i = swappable(builder)
    new = alternatives(builder.routine, i)[0].id
    builder.swap(i, new)
    wanted = builder.session.wanted
    builder.set_answers(positions={"standing"})
    assert builder.swaps == () and builder.session.wanted == wanted
    assert "paused" in builder.parts["swaps"].value
    builder.set_answers(positions=POSITIONS)
    assert builder.swaps == wanted
    builder.parts["undo_all"].click()
    assert builder.session.wanted == () and builder._swap_row.layout.display == "none"


# --------------------------------------------------------------------------- take-away


@pytest.mark.parametrize("fmt", list(export.FORMATS))
def test_each_export_button_saves_and_offers_a_download(builder, fmt):
    builder.parts["name"].value = "Sam"
    builder.parts[f"export-{fmt}"].click()
    assert builder.parts["error-export"].value == ""
    path = builder.folder / export.file_name(fmt, "Sam")
    assert path.exists() and path.stat().st_size > 0
    link = builder.parts["download"].value
    assert f'download="{path.name}"' in link and path.as_posix() in link
    data = base64.b64decode(re.search(r'base64,([^"]+)"', link).group(1))
    assert data == path.read_bytes()
    if fmt == "html":
        text = path.read_text()
        assert all(p.exercise.name in text for p in builder.routine.items)
    elif fmt == "pdf":
        assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) >= 1
    elif fmt == "ics":
        cal = icalendar.Calendar.from_ical(data)
        events = [c for c in cal.walk() if c.name == "VEVENT"]
        assert len(events) == 12 * builder.routine.profile.sessions_per_week
        assert min(e.decoded("DTSTART").date() for e in events) == START
    elif fmt == "json":
        assert export.routine_from_json(data, COURSE).items == builder.routine.items


def test_calendar_needs_a_start_date(builder):
    builder.parts["start"].value = None
    builder.parts["export-ics"].click()
    assert "first session" in builder.parts["error-start"].value
    assert builder.parts["download"].value == ""


def test_a_folder_that_cannot_be_written_is_a_message(builder, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    builder.folder = blocker / "sub"
    builder.parts["export-markdown"].click()
    assert "Could not save" in builder.parts["error-export"].value


def test_saved_json_loads_back_into_a_new_builder(builder, tmp_path):
    i = swappable(builder)
    builder.set_answers(
        pain_now=2,
        minutes_per_session=25,
        sessions_per_week=4,
        experience="intermediate",
        name="Class 3B",
    )
    i = swappable(builder)
    builder.swap(i, alternatives(builder.routine, i)[0].id)
    path = builder.export("json")
    other = build_routine_builder(COURSE, folder=tmp_path / "other", start=START)
    upload(other, path.read_bytes())
    assert other.parts["error-load"].value == ""
    assert other.routine.items == builder.routine.items
    assert other.swaps == builder.swaps
    assert other.parts["name"].value == "Class 3B"
    assert other.parts["pain"].value == 2 and other.parts["sessions"].value == 4
    assert other.parts["load"].value == ()


def test_a_bad_file_shows_a_message_beside_the_upload(builder):
    before = builder.routine.items
    upload(builder, b"{not json")
    assert "not a saved routine" in builder.parts["error-load"].value
    upload(builder, b"\xff\xfe")
    assert builder.parts["error-load"].value
    assert builder.routine.items == before


def test_a_saved_file_with_a_red_flag_shows_the_advice(builder):
    data = json.loads(export.to_json(builder.routine))
    data["profile"]["red_flags"] = [EMERGENCY]
    upload(builder, json.dumps(data).encode())
    assert builder.parts[f"flag_{EMERGENCY}"].value is True
    assert builder.routine is None and "bc-builder-emergency" in classes(builder.parts["advice"])


# --------------------------------------------------------------------------- charts


def test_charts_render_when_opened_and_follow_the_routine(builder):
    pytest.importorskip("backcourse.figures.charts")
    charts = builder.parts["charts"]
    assert builder.parts["time_chart"].value == ""  # nothing drawn until opened
    for index, part in enumerate(("time_chart", "coverage_chart", "plan_chart")):
        charts.selected_index = index
        assert builder.parts[part].value.startswith("<figure")
        value = builder.parts[part].value  # a PNG's alt, or an SVG's <desc>
        assert 'alt="' in value or "<desc" in value
    assert "<td>12</td>" in builder.parts["plan"].value
    old = builder.parts["plan_chart"].value
    builder.parts["minutes"].value = 40
    assert builder.parts["plan_chart"].value != old


def test_an_open_chart_waits_for_a_pause_inside_a_kernel(builder):
    """In a kernel (an event loop), the routine redraws at once and the chart follows."""
    pytest.importorskip("backcourse.figures.charts")
    from backcourse.widgets.routine_builder import CHART_DELAY_S

    builder.parts["charts"].selected_index = 1

    async def drive():
        builder.set_answers(minutes_per_session=37, sessions_per_week=5, pain_now=1)
        assert builder.routine.profile.minutes_per_session == 37
        assert "Drawing the chart" in builder.parts["coverage_chart"].value
        builder.parts["pain"].value = 2  # a second change before the pause restarts the wait
        await asyncio.sleep(CHART_DELAY_S + 0.2)
        assert builder.parts["coverage_chart"].value.startswith("<figure")

    asyncio.run(drive())


def test_plan_table_without_charts(builder):
    from backcourse.widgets.routine_builder import plan_table_html

    table = plan_table_html(builder.routine)
    assert table.count("<tr>") == 13 and "min</td>" in table


def test_shipped_pictures_show_with_the_routine_inside_a_kernel(tmp_path):
    """In a kernel, a first routine shows its text and all its pictures at once: the
    bundled exercises' pictures ship with the package (backcourse/illustrate/pictures/)."""
    from backcourse.widgets import builder_pictures

    async def drive():
        builder_pictures.PICTURES.clear()
        b = build_routine_builder(COURSE, folder=tmp_path)
        shown = b._cards[: len(b.routine.items)]
        assert all(c.text.value for c in shown)
        assert all(c.picture.value.startswith("<img") for c in shown)
        assert all(c.picture_key == c.picture_want for c in shown)

    asyncio.run(drive())


def test_new_pictures_follow_the_routine_inside_a_kernel(tmp_path, monkeypatch):
    """In a kernel, pictures that are not shipped (a trainer's own exercises) are drawn one
    per turn after the routine's text, which shows at once."""
    from backcourse.illustrate import bundled
    from backcourse.widgets import builder_pictures
    from backcourse.widgets import routine_builder as rb

    monkeypatch.setattr(bundled, "picture", lambda *args, **kwargs: None)

    async def drive():
        builder_pictures.PICTURES.clear()
        b = build_routine_builder(COURSE, folder=tmp_path)
        shown = b._cards[: len(b.routine.items)]
        assert all(c.picture.value == rb.PICTURE_WAIT for c in shown)
        assert all(c.text.value for c in shown)
        for _ in range(len(shown) + 5):
            await asyncio.sleep(0)
        assert all(c.picture.value.startswith("<img") for c in shown)
        assert all(c.picture_key == c.picture_want for c in shown)

    asyncio.run(drive())


# --------------------------------------------------------------------------- any order


def random_change(b, rng: random.Random) -> None:
    part = rng.choice(
        ["pain", "weeks", "minutes", "sessions", "experience", "position", "equipment"]
    )
    if part == "pain":
        b.parts["pain"].value = rng.randint(0, 10)
    elif part == "weeks":
        b.parts["weeks"].value = rng.choice([1, 4, 8, 11, 20, 60])
    elif part == "minutes":
        b.parts["minutes"].value = rng.randint(5, 60)
    elif part == "sessions":
        b.parts["sessions"].value = rng.randint(1, 7)
    elif part == "experience":
        b.parts["experience"].value = rng.choice(["beginner", "intermediate", "advanced"])
    elif part == "position":
        box = b.parts[f"position_{rng.choice(POSITIONS)}"]
        box.value = not box.value
    else:
        box = b.parts[f"equipment_{rng.choice(sorted(COURSE.guidelines.labels['equipment']))}"]
        box.value = not box.value


def test_random_answer_changes_always_show_the_planners_routine(builder, capsys):
    """Whatever the learner changes, in any order, the routine shown is the one the planner
    builds for the answers shown (or there is a message and no routine), and the widget
    never prints. (How fast it answers is measured in benchmarks/bench_builder.py.)"""
    rng = random.Random(4)
    for _ in range(60):
        random_change(builder, rng)
        try:
            expected = build_routine(Profile(**builder.answers()), COURSE)
        except ProfileError:
            assert builder.routine is None
            assert any(builder.parts[f"error-{f}"].value for f in FIELDS.values())
            continue
        assert builder.routine is not None and builder.routine.items == expected.items
        assert len(card_texts(builder)) == len(expected.items)
    assert capsys.readouterr().out == ""  # the widget never prints


def test_every_warning_question_can_be_read_without_hovering(builder):
    """Short labels tick the boxes; the full questions are on the page, escaped, per tier."""
    html = "".join(
        w.value
        for w in builder.parts["redflags"].children
        if any(c.startswith("bc-builder-questions-") for c in classes(w))
    )
    plain = re.sub(r"<[^>]+>", "", html).replace("&#x27;", "'").replace("&quot;", '"')
    for flag in COURSE.red_flags.values():
        assert flag.question in plain, flag.id
    assert "<script" not in html


# --------------------------------------------------------------------------- layouts


def _widgets_under(w, seen=None):
    """Every widget on screen under ``w`` (children of boxes and accordions)."""
    seen = [] if seen is None else seen
    seen.append(w)
    for child in getattr(w, "children", ()):
        _widgets_under(child, seen)
    return seen


def test_a_part_shown_hidden_or_recoloured_never_changes_another(builder):
    """Alike layouts are shared so the page has fewer models to create before the builder
    shows; a shared layout must then never change, or hiding one part would hide them all."""
    from backcourse.planner import GENTLE_TIER
    from backcourse.widgets.common import FixedLayout

    gentle = next(f.id for f in COURSE.red_flags.values() if f.tier == GENTLE_TIER)
    before = {id(w): w.layout.display for w in _widgets_under(builder)}
    builder.parts[f"flag_{gentle}"].value = True  # the gentle routine, advice above it
    assert builder.routine is not None and builder.parts["advice"].layout.display is None
    card = builder._cards[swappable(builder)]
    card.swap.click()  # the choices appear on this card only
    assert card.choices.layout.display == "flex"
    others = [c for c in builder._cards if c is not card and "choices" in c.__dict__]
    assert all(c.choices.layout.display == "none" for c in others)
    builder.parts[f"flag_{gentle}"].value = False
    builder.parts[f"flag_{EMERGENCY}"].value = True  # the routine hides, the advice shows
    assert builder.parts["advice"].layout.display is None
    builder.parts[f"flag_{EMERGENCY}"].value = False
    after = _widgets_under(builder)
    changed = {id(w) for w in after if id(w) in before and w.layout.display != before[id(w)]}
    users: dict[int, list] = {}
    for w in after:
        users.setdefault(id(w.layout), []).append(w)
    shared = [ws for ws in users.values() if len(ws) > 1]
    assert len(shared) >= 5, "alike layouts should be shared"
    for ws in shared:
        assert isinstance(ws[0].layout, FixedLayout), [type(w).__name__ for w in ws]
        assert not {id(w) for w in ws} & changed
    with pytest.raises(AttributeError, match="shared"):
        shared[0][0].layout.display = "none"
