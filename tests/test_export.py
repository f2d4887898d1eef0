"""Take-away files: every format has every exercise, escapes every piece of text, and is stable.

"Learner text" is the optional name or class code; exercise and muscle text is trainer-
editable YAML, so it is treated as untrusted too (see test_untrusted_course_text_*).
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from backcourse import Profile, ProfileError, RedFlagStop, build_routine, export, load_course
from backcourse.planner import alternatives
from backcourse.planner.swaps import rebuild, swaps_of

COURSE = load_course()
NAME = '<script>alert(1)</script> "; DROP'
START = dt.date(2025, 1, 6)  # a Monday
PDFTOTEXT = "/usr/bin/pdftotext"
PROFILE = Profile(
    pain_now=4,
    weeks_since_onset=10,
    minutes_per_session=20,
    sessions_per_week=3,
    equipment={"mat"},
)
SOME = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def routine():
    r, swaps = rebuild(PROFILE, COURSE)
    assert swaps == ()
    return r


@pytest.fixture(scope="module")
def swapped():
    base, _ = rebuild(PROFILE, COURSE)
    index = next(i for i, p in enumerate(base.items) if alternatives(base, i))
    new = alternatives(base, index)[0].id
    r, swaps = rebuild(PROFILE, COURSE, [(base.items[index].exercise.id, new)])
    assert swaps == ((base.items[index].exercise.id, new),)
    return r


class TextOf(HTMLParser):
    """The text a browser would show (scripts and styles included, as a browser keeps them)."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []
        self.imgs: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "img":
            self.imgs.append(dict(attrs))

    def handle_data(self, data):
        self.text.append(data)


def parse(html_text: str) -> TextOf:
    p = TextOf()
    p.feed(html_text)
    return p


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


def pdf_text(path: Path) -> str | None:
    if not Path(PDFTOTEXT).exists():
        return None
    out = subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


# --------------------------------------------------------------------------- names and files


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (NAME, "script-alert-1-script-drop"),
        ("../../etc/passwd", "etc-passwd"),
        ("C:\\Users\\sam\\x.html", "c-users-sam-x-html"),
        ("Zoë Ångström", "zoe-angstrom"),
        ("   ", ""),
        ("---", ""),
        ("a" * 100, "a" * export.SLUG_MAX),
    ],
)
def test_slug_keeps_only_a_z_0_9_and_hyphens(text, expected):
    assert export.slug(text) == expected


@SOME
@given(st.text())
def test_file_names_are_always_safe(name):
    for fmt, ext in export.FORMATS.items():
        fname = export.file_name(fmt, name)
        assert re.fullmatch(r"back-routine(-[a-z0-9]+(-[a-z0-9]+)*)?\." + ext, fname), fname
        assert Path(fname).name == fname and ".." not in fname


def test_clean_name_is_one_short_line():
    assert export.clean_name(" Sam\n\tB\x00\u2028 ") == "Sam B"
    assert len(export.clean_name("x" * 500)) == export.NAME_MAX
    assert export.clean_name(None) == ""


def test_unknown_format_is_refused(routine, tmp_path):
    with pytest.raises(ValueError, match="unknown format"):
        export.save(routine, "docx", tmp_path)


# --------------------------------------------------------------------------- HTML


def test_html_has_every_exercise_with_its_picture_dose_and_reason(routine):
    page = export.to_html(routine, name=NAME)
    parsed = parse(page)
    text = " ".join(parsed.text)
    for p in routine.items:
        assert p.exercise.name in text
        assert p.dose_text() in text
        assert p.reason in text
        for step in p.exercise.steps:
            assert " ".join(step.split()) in " ".join(text.split())
    assert len(parsed.imgs) == len(routine.items)
    for img in parsed.imgs:
        assert img["src"].startswith("data:image/png;base64,")
        assert base64.b64decode(img["src"].split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
        assert img["alt"]
    for week in range(1, 13):
        assert f"<tr><td>{week}</td>" in page


def test_html_is_self_contained_and_print_ready(routine):
    page = export.to_html(routine)
    assert page.startswith("<!DOCTYPE html>")
    assert "@media print" in page and "@page" in page
    assert "break-inside: avoid" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<link" not in page and "<script" not in page


def test_html_escapes_the_learners_name(routine):
    page = export.to_html(routine, name=NAME)
    assert "<script" not in page and "alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot;; DROP" in page
    parsed = parse(page)
    assert "script" not in parsed.tags
    assert any(NAME in t for t in parsed.text)  # shown as text, exactly as typed


def test_html_is_the_same_every_time(routine):
    assert export.to_html(routine, name="Sam") == export.to_html(routine, name="Sam")


VOID = {"meta", "img", "br", "hr", "link", "input"}


class Nesting(HTMLParser):
    """Checks that every element is closed, in order, as a strict reader expects."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.errors: list[str] = []
        self.counts: dict[str, int] = {}
        self.classes: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.counts[tag] = self.counts.get(tag, 0) + 1
        self.classes += (dict(attrs).get("class") or "").split()
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
        else:
            self.open.pop()


def nesting(html_text: str) -> Nesting:
    p = Nesting()
    p.feed(html_text)
    p.close()
    return p


def test_html_page_is_well_nested_with_one_card_per_exercise_and_a_row_per_week(routine):
    n = nesting(export.to_html(routine, name=NAME))
    assert n.errors == [] and n.open == []
    assert n.classes.count("bc-card") == len(routine.items)
    phases = {p.phase for p in routine.items}
    assert n.classes.count("bc-phase-section") == len(phases)
    assert n.counts["tr"] == 1 + 12  # the head row and one row per week
    assert n.counts["img"] == len(routine.items)


def test_html_ticks_one_box_per_session_and_shows_quotes_as_typed(routine):
    name = 'O\'Neil "Sam" & co'
    page = export.to_html(routine, name=name)
    parsed = parse(page)
    assert name in parsed.text  # the <strong> holding the name, read back as typed
    boxes = re.findall(r'<td class="bc-boxes"[^>]*>([^<]*)</td>', page)
    assert boxes == ["\u2610" * routine.profile.sessions_per_week] * 12


def test_an_item_card_folds_its_steps_or_leaves_the_picture_out(routine):
    item = routine.items[0]
    shown = nesting(export.item_html(item, 1, COURSE))
    folded = nesting(export.item_html(item, 1, COURSE, steps=False, picture=False))
    for n in (shown, folded):
        assert n.errors == [] and n.open == []
        assert n.counts["li"] == len(item.exercise.steps)
    assert shown.counts["img"] == 1 and "details" not in shown.counts
    assert "img" not in folded.counts and folded.counts["details"] == 1
    text = " ".join(parse(export.item_html(item, 3, COURSE)).text)
    assert f"3. {item.exercise.name}" in text and item.dose_text() in text


def test_glances_show_a_row_per_exercise_and_per_week_with_the_same_words_as_text(routine):
    g = export.glance(routine)
    n = nesting(g.html)
    assert n.errors == [] and n.counts["tr"] == 1 + len(routine.items)
    shown = " ".join(parse(g.html).text)
    for p in routine.items:
        assert p.exercise.name in shown and p.exercise.name in g.text
        assert p.dose_text() in shown and p.dose_text() in g.text
    plan = export.plan_glance(routine)
    n = nesting(plan.html)
    assert n.errors == [] and n.counts["tr"] == 1 + 12
    assert plan.text.splitlines()[0].startswith("Week 1 (")
    assert "Stepping back." in " ".join(parse(plan.html).text)


def test_download_link_escapes_the_file_name():
    link = export.download_link('x/a"b<i>.md', data=b"hi")
    n = nesting(link)
    assert n.errors == [] and n.counts == {"a": 1}
    assert parse(link).text == ['Download a"b<i>.md']


# --------------------------------------------------------------------------- Markdown


def test_markdown_has_every_exercise_and_escapes_text(routine):
    md = export.to_markdown(routine, name=NAME)
    assert "<script>" not in md and "</script>" not in md
    assert "\\<script\\>alert(1)\\</script\\>" in md
    unescaped = re.sub(r"\\(.)", r"\1", md)
    for p in routine.items:
        assert p.exercise.name in unescaped
        assert p.dose_text() in unescaped
    assert "## The next 12 weeks" in md


@SOME
@given(st.text())
def test_markdown_escape_leaves_no_markup(text):
    out = export.md_escape(text)
    assert "\n" not in out
    for ch in "<>*_`[]|&$#~":
        assert not re.search(r"(?<!\\)" + re.escape(ch), out.replace("\\\\", "")), (ch, out)


# --------------------------------------------------------------------------- iCalendar


def test_ics_parses_and_spreads_the_sessions(routine):
    text = export.to_ics(routine, start=START, name=NAME)
    cal = icalendar.Calendar.from_ical(text)
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    n = routine.profile.sessions_per_week
    assert len(events) == 12 * n
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    assert all(re.fullmatch(r"[a-z0-9-]+@backcourse", u) for u in uids)
    starts = sorted(e.decoded("DTSTART") for e in events)
    assert starts[0].date() == START
    assert starts[-1].date() < START + dt.timedelta(weeks=12)
    for week in range(12):
        days = {s.date() for s in starts if 0 <= (s.date() - START).days - 7 * week < 7}
        assert len(days) == n  # one session a day, spread over the week
    gaps = [(b.date() - a.date()).days for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 7 // n - 1 and max(gaps) <= 7 // n + 2
    for e in events:
        assert e.decoded("DTSTAMP") == dt.datetime(2025, 1, 6, tzinfo=dt.timezone.utc)
        assert NAME in str(e["SUMMARY"])  # escaped in the file, back to the name when read
        assert routine.items[0].exercise.name in str(e["DESCRIPTION"])
    assert text.endswith("\r\n") and "\r\n " in text  # CRLF and folded long lines
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_ics_escapes_text_per_rfc5545(routine):
    name = 'Sam, the; back\\slash\nnew line "q" <b>'
    text = export.to_ics(routine, start=START, name=name)
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:Back exercises\\, week 1" in unfolded
    assert "Sam\\, the\\; back\\\\slash new line" in unfolded
    cal = icalendar.Calendar.from_ical(text)
    event = next(c for c in cal.walk() if c.name == "VEVENT")
    assert str(event["SUMMARY"]).endswith(export.clean_name(name))


def test_ics_is_stable_and_uids_do_not_depend_on_the_day_it_is_made(routine):
    a = export.to_ics(routine, start=START, name="Sam")
    assert a == export.to_ics(routine, start="2025-01-06", name="Sam")
    other = export.to_ics(routine, start=START + dt.timedelta(days=1), name="Sam")
    assert a != other


def test_ics_fields_by_hand(routine):
    """The lines a calendar app reads, checked without a parser: times, length, reminder."""
    text = export.to_ics(routine, start=START, name="Zoë", alarm_min=10)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")  # every line ends CRLF
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    lines = text.replace("\r\n ", "").split("\r\n")  # unfolded
    assert "VERSION:2.0" in lines and "METHOD:PUBLISH" in lines
    assert "X-WR-CALNAME:Back exercises - Zoë" in lines
    first_week = routine.plan(12).weeks[0]
    minutes = max(1, -int(-first_week.minutes // 1))  # rounded up
    assert lines.count("DTSTART:20250106T180000") == 1  # floating local time, 18:00
    assert f"DURATION:PT{minutes}M" in lines
    assert "UID:zoe-20250106-w01-s1@backcourse" in lines
    assert lines.count("TRIGGER:-PT10M") == 12 * routine.profile.sessions_per_week
    assert "DTSTAMP:20250106T000000Z" in lines
    assert not any(line.startswith("RRULE") for line in lines)  # one event per session
    assert any(line.startswith("SUMMARY:Back exercises\\, week 12 (") for line in lines)


def test_ics_without_reminders_and_read_back_by_icalendar(routine):
    text = export.to_ics(routine, start="2025-03-03", weeks=2, alarm_min=0)
    cal = icalendar.Calendar.from_ical(text)
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    assert len(events) == 2 * routine.profile.sessions_per_week
    assert not [c for c in cal.walk() if c.name == "VALARM"]
    first = min(events, key=lambda e: e.decoded("DTSTART"))
    assert first.decoded("DTSTART") == dt.datetime(2025, 3, 3, 18, 0)
    desc = str(first["DESCRIPTION"]).splitlines()
    assert desc[0].startswith("Week 1, session 1 of ")
    assert len(desc) == 1 + len(routine.items) + 2  # dose lines, what changes, step back
    assert export.to_ics(routine, start="2025-03-03", weeks=2, alarm_min=0) == text


@pytest.mark.parametrize("n", range(1, 8))
def test_session_days_spread_evenly(n):
    days = export.session_days(n)
    assert len(days) == len(set(days)) == n and days[0] == 0 and max(days) <= 6


def test_ics_rejects_a_bad_start(routine):
    with pytest.raises(ProfileError, match="start"):
        export.to_ics(routine, start="next tuesday")


@SOME
@given(st.text(max_size=60))
@example("C:\\New; a, b")
def test_ics_round_trips_any_name(name):
    r, _ = rebuild(PROFILE, COURSE)
    cal = icalendar.Calendar.from_ical(export.to_ics(r, start=START, name=name, weeks=1))
    event = next(c for c in cal.walk() if c.name == "VEVENT")
    # icalendar writes a typed backslash-N as RFC 5545's escaped line break, so it reads
    # back as one; every other character comes back as typed
    cleaned = export.clean_name(name).replace("\\N", "\n")
    assert str(event["SUMMARY"]).endswith(f" - {cleaned}" if cleaned else "min)")


# --------------------------------------------------------------------------- JSON


def test_json_round_trips_with_swaps_and_name(swapped):
    text = export.to_json(swapped, name=NAME)
    assert "<" not in text and ">" not in text and "&" not in text
    data = json.loads(text)
    assert data["name"] == NAME and data["swaps"]
    saved = export.load_json(text, COURSE)
    assert saved.routine.items == swapped.items
    assert saved.routine.profile == swapped.profile
    assert saved.swaps == swaps_of(swapped)
    assert saved.name == NAME
    assert export.routine_from_json(text.encode(), COURSE).items == swapped.items
    assert swapped.to_dict()["swaps"] == data["swaps"]  # Routine.to_dict knows its swaps


def test_routine_method_shortcuts(routine, tmp_path):
    assert export.routine_from_json(routine.to_json(), COURSE).items == routine.items
    assert routine.to_html() == export.to_html(routine)
    assert routine.to_markdown() == export.to_markdown(routine)
    assert "BEGIN:VCALENDAR" in routine.to_ics(start=START)
    assert routine.to_pdf(tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: "not json", "json"),
        (lambda d: {**d, "format": "other"}, "json"),
        (lambda d: {**d, "version": 99}, "json"),
        (lambda d: {**d, "profile": {**d["profile"], "pain_now": 11}}, "pain_now"),
        (lambda d: {**d, "profile": {**d["profile"], "bogus": 1}}, "bogus"),
        (lambda d: {**d, "swaps": [{"replace": "nothing", "with": "else"}]}, "swaps"),
        (lambda d: {**d, "swaps": "x"}, "swaps"),
        (lambda d: {**d, "items": d["items"][:-1]}, "items"),
        (lambda d: {**d, "items": [{**d["items"][0], "sets": 9}, *d["items"][1:]]}, "items"),
    ],
)
def test_json_that_does_not_match_is_refused(swapped, change, field):
    data = change(json.loads(export.to_json(swapped)))
    text = data if isinstance(data, str) else json.dumps(data)
    with pytest.raises(ProfileError) as err:
        export.load_json(text, COURSE)
    assert err.value.field == field


def test_json_with_a_red_flag_stops(routine):
    data = json.loads(export.to_json(routine))
    data["profile"]["red_flags"] = ["chest_pain" if "chest_pain" in COURSE.red_flags else ""]
    with pytest.raises(RedFlagStop):
        export.load_json(json.dumps(data), COURSE)


def test_rebuild_drops_or_refuses_swaps_that_no_longer_apply(swapped):
    old, new = swaps_of(swapped)[0]
    gentle = Profile(
        pain_now=9,
        weeks_since_onset=1,
        minutes_per_session=10,
        sessions_per_week=2,
        positions={"standing"},
    )
    r, applied = rebuild(gentle, COURSE, [(old, new)], strict=False)
    assert applied == () and swaps_of(r) == ()
    with pytest.raises(ProfileError):
        rebuild(gentle, COURSE, [(old, new)], strict=True)


# --------------------------------------------------------------------------- PDF


def test_pdf_has_pages_and_the_routines_text(routine, tmp_path):
    path = export.to_pdf(routine, tmp_path / "r.pdf", name="Sam $x$ <b> \\")
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and pdf_pages(data) >= 1
    text = pdf_text(path)
    if text is None:  # no poppler here: the page count from the bytes has to do
        return
    flat = " ".join(text.split())
    assert "Sam $x$ <b> \\" in flat  # $ drawn literally, not as mathematics
    for p in routine.items:
        assert p.exercise.name in flat
        assert p.dose_text() in flat
    assert "Week 12" in flat


def test_pdf_bytes_are_stable(routine):
    data = export.pdf_bytes(routine, name="Sam")
    assert data == export.pdf_bytes(routine, name="Sam")
    # no date from the clock anywhere (info dictionary or XMP metadata)
    today = dt.datetime.now(dt.timezone.utc)
    assert today.strftime("%Y%m%d").encode() not in data
    assert today.strftime("%Y-%m-%d").encode() not in data


def test_an_eight_exercise_pdf_fits_three_a4_pages_with_every_picture():
    r = build_routine(
        Profile(
            pain_now=3,
            weeks_since_onset=10,
            minutes_per_session=20,
            sessions_per_week=3,
            equipment={"mat", "chair"},
        ),
        COURSE,
    )
    assert len(r.items) == 8, "the profile should give an 8-exercise routine"
    data = export.pdf_bytes(r)
    assert 1 <= pdf_pages(data) <= 3
    assert b"/MediaBox [0 0 595.28 841.89]" in data  # A4 in points
    images = len(re.findall(rb"/Subtype\s*/Image", data))
    distinct = len({p.exercise.id for p in r.items})
    assert images >= distinct  # one picture per exercise (plus any soft masks)
    assert b"/FontFile2" in data  # the font is embedded, so the text is real text


# --------------------------------------------------------------------------- untrusted course text


@pytest.fixture
def hostile_course(data_copy):
    ex = data_copy / "exercises.yaml"
    text = ex.read_text()
    step = "Rest your arms by your sides and let your lower back keep its natural small hollow."
    assert step in text
    ex.write_text(text.replace(step, "Rest <img src=x onerror=alert(1)> $x$ a *b* c; d, e\\ f."))
    mu = data_copy / "muscles.yaml"
    mu.write_text(
        mu.read_text().replace(
            "plain_name: deepest stomach muscle", "plain_name: deepest <i>stomach</i> muscle"
        )
    )
    gl = data_copy / "guidelines.yaml"
    gl.write_text(
        gl.read_text().replace("    main: main block", '    main: "main; block, \\\\ <b>"')
    )
    return load_course(data_copy)


def test_untrusted_course_text_is_escaped_everywhere(hostile_course, tmp_path):
    # the fixture plants its hostile text in the pelvic tilt, so ask for that exercise
    r = build_routine(PROFILE, hostile_course, prefer={"pelvic_tilt"})
    assert any(p.exercise.id == "pelvic_tilt" for p in r.items)
    page = export.to_html(r)
    assert "<img src=x" not in page and "<i>stomach" not in page and "<b>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    md = export.to_markdown(r)
    assert not re.search(r"(?<!\\)<(?!br>)", md)  # every < but our own <br> is backslashed
    assert "\\<img src=x" in md and "\\$x\\$" in md and "\\*b\\*" in md
    ics = export.to_ics(r, start=START).replace("\r\n ", "")
    assert "Main\\; block\\, \\\\ <b>:" in ics
    icalendar.Calendar.from_ical(export.to_ics(r, start=START))
    path = export.to_pdf(r, tmp_path / "h.pdf")
    text = pdf_text(path)
    if text is not None:
        assert "$x$" in " ".join(text.split())


def test_the_disclaimer_comes_from_the_course_data(data_copy, routine):
    words = COURSE.guidelines.notes["handout_disclaimer"]
    assert "does not replace advice" in words
    assert words in parse(export.to_html(routine)).text
    assert export.md_escape(words) in export.to_markdown(routine)
    gl = data_copy / "guidelines.yaml"
    text = gl.read_text()
    start = text.index("  handout_disclaimer:")
    end = text.index("\n\n", start)
    gl.write_text(text[:start] + text[end + 1 :])  # a trainer's course without one
    r = build_routine(PROFILE, load_course(data_copy))
    page = export.to_html(r)
    assert 'class="bc-disclaimer"' not in page and nesting(page).errors == []
    assert "does not replace advice" not in export.to_markdown(r)


# --------------------------------------------------------------------------- files


@pytest.mark.parametrize("fmt", list(export.FORMATS))
def test_save_writes_into_the_folder_and_offers_a_link(routine, tmp_path, fmt):
    folder = tmp_path / "handouts"
    path = export.save(routine, fmt, folder, name=NAME, start=START)
    assert path.parent == folder
    assert path.name == export.file_name(fmt, NAME)
    assert [p.name for p in folder.iterdir()] == [path.name]  # no temporary file left
    link = export.download_link(path)
    assert f'download="{path.name}"' in link and "<script" not in link
    uri = re.search(r'href="data:([^;]+);base64,([^"]+)"', link)
    assert uri and uri.group(1) == export.MIME[fmt]
    assert base64.b64decode(uri.group(2)) == path.read_bytes()


def test_pictures_are_cached(routine):
    ex = routine.items[1].exercise
    # a cached result is the very same object; a fresh one would be equal but new
    assert export.illustration(ex, COURSE) is export.illustration(ex, COURSE)
    assert export.picture_html(ex, COURSE) is export.picture_html(ex, COURSE)


def test_picture_html_is_one_img_with_the_pictures_alt_text(routine):
    ex = routine.items[0].exercise
    png, alt = export.illustration(ex, COURSE)
    parsed = parse(export.picture_html(ex, COURSE))
    assert parsed.tags == ["img"]
    assert parsed.imgs[0]["alt"] == alt
    assert base64.b64decode(parsed.imgs[0]["src"].split(",", 1)[1]) == png


def test_every_format_plans_the_weeks_the_course_data_says(data_copy):
    gl = data_copy / "guidelines.yaml"
    gl.write_text(gl.read_text().replace("\nplan_weeks: 12", "\nplan_weeks: 8", 1))
    r = build_routine(PROFILE, load_course(data_copy))
    assert "## The next 8 weeks" in export.to_markdown(r)
    weeks = [row for row in export.handout(r).weeks]
    assert [w.week for w in weeks] == list(range(1, 9))
    cal = icalendar.Calendar.from_ical(export.to_ics(r, start="2026-01-05"))
    days = sorted(e.decoded("dtstart").date() for e in cal.walk("VEVENT"))
    assert (days[-1] - days[0]).days < 8 * 7 <= (days[-1] - days[0]).days + 7
