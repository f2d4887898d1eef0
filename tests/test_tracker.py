"""The progress tracker widget, driven the way a learner uses it: set values, click buttons."""

from __future__ import annotations

import base64
import html
import re
import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from backcourse.progress import CSV_COLUMNS, ProgressLog, advice, example_log
from backcourse.widgets import build_tracker
from backcourse.widgets import tracker as tracker_module

D0 = date(2024, 3, 4)


@pytest.fixture
def log(tmp_path: Path):
    with ProgressLog(tmp_path / "log.sqlite3") as log:
        yield log


@pytest.fixture
def tracker(course, log, tmp_path: Path):
    return build_tracker(course, log=log, export_dir=tmp_path / "exports")


def fill(t, day=D0, pain=5, exercised=True, minutes=20, effort=None, note="", psfs=()):
    """Fill the form as a learner would (effort None = "not rated")."""
    p = t.parts
    p["day"].value = day
    p["pain"].value = pain
    p["exercised"].value = exercised
    if exercised:
        p["minutes"].value = minutes
        p["effort"].value = "" if effort is None else effort
    p["note"].value = note
    p["psfs-on"].value = bool(psfs)
    for i, (name, score) in enumerate(psfs, 1):
        p[f"psfs{i}-activity"].value = name
        p[f"psfs{i}-score"].value = "" if score is None else score


def alert_text(widget) -> str:
    """The words of a message area (empty when it shows nothing)."""
    return re.sub(r"<[^>]+>", "", widget.value).strip()


def upload_value(name: str, data: bytes) -> tuple[dict, ...]:
    """What ipywidgets' FileUpload holds after the learner picks a file."""
    return (
        {
            "name": name,
            "type": "text/csv",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": datetime(2024, 3, 4, tzinfo=timezone.utc),
        },
    )


# --- structure --------------------------------------------------------------------------


def test_parts_carry_their_css_classes(tracker):
    assert "bc-tracker" in tracker._dom_classes
    expected = {
        "where", "error", "status", "form", "day", "pain", "exercised", "minutes", "effort",
        "psfs-on", "psfs", "note", "save", "new-entry", "entries", "delete", "confirm",
        "confirm-delete", "cancel-delete", "advice", "chart", "sessions", "psfs-table",
        "download", "download-link", "upload", "upload-report",
        *(f"error-{f}" for f in ("day", "pain", "exercised", "minutes", "effort", "psfs", "note")),
        *(f"psfs{i}-{k}" for i in (1, 2, 3) for k in ("activity", "score")),
    }  # fmt: skip
    assert expected <= set(tracker.parts)
    for name, part in tracker.parts.items():
        assert f"bc-tracker-{name}" in part._dom_classes, name
    # Every part is somewhere in the widget tree.
    seen, stack = set(), [tracker]
    while stack:
        w = stack.pop()
        seen.add(id(w))
        stack.extend(getattr(w, "children", ()))
    assert all(id(part) in seen for part in tracker.parts.values())


def test_plain_text_is_short_and_stable(tracker):
    bundle = tracker._repr_mimebundle_()
    assert "Progress tracker" in bundle["text/plain"]
    assert str(tracker.progress_log.path) not in bundle["text/plain"]


def test_the_form_starts_empty_and_dated_today(tracker):
    p = tracker.parts
    assert p["day"].value == date.today()
    assert p["pain"].value is None and p["exercised"].value is None
    assert p["minutes"].disabled and p["effort"].disabled
    assert p["save"].description == "Save"
    assert "not enough data" in p["advice"].value.lower()
    assert "appears here after your first entry" in p["chart-caption"].value


# --- record, edit, delete ---------------------------------------------------------------


def test_record_an_entry_by_clicking_save(tracker, log):
    fill(tracker, pain=6, minutes=25, effort=4, note="stiff morning",
         psfs=[("Putting on socks", 4), ("Carrying shopping", 3)])  # fmt: skip
    tracker.parts["save"].click()
    [entry] = log.entries()
    assert (entry.day, entry.pain, entry.exercised, entry.minutes, entry.effort) == (
        D0, 6, True, 25, 4,
    )  # fmt: skip
    assert entry.psfs == (("Putting on socks", 4), ("Carrying shopping", 3))
    assert entry.note == "stiff morning"
    p = tracker.parts
    assert "Saved your entry for 4 March 2024" in p["status"].value
    assert p["entries"].options == ((tracker_module.entry_label(entry), entry.id),)
    assert p["entries"].value is None  # a new, empty form again
    assert p["pain"].value is None and p["note"].value == ""
    # the chart is an SVG with its alt text as a caption
    assert b"<svg" in bytes(p["chart"].value)
    assert alert_text(p["chart-caption"])
    assert "Putting on socks" in p["psfs-table"].value
    assert "Sessions per week" in p["sessions"].value
    # the activities are offered again next time, without scores
    assert p["psfs1-activity"].value == "Putting on socks"
    assert p["psfs1-score"].value == ""


def test_no_exercise_records_no_minutes_or_effort(tracker, log):
    p = tracker.parts
    fill(tracker, exercised=True, minutes=30, effort=5)
    p["exercised"].value = False
    assert p["minutes"].disabled and p["effort"].disabled
    p["save"].click()
    [entry] = log.entries()
    assert (entry.exercised, entry.minutes, entry.effort) == (False, 0, None)


def test_edit_an_entry(tracker, log):
    a = log.record(D0, pain=6, exercised=True, minutes=20, psfs=[("Gardening", 3)])
    b = log.record(D0 + timedelta(days=1), pain=5)
    tracker.refresh()
    p = tracker.parts
    assert [value for _, value in p["entries"].options] == [b.id, a.id]  # newest first

    p["entries"].value = a.id  # the learner picks the entry
    assert tracker.editing == a.id
    assert p["save"].description == "Save changes"
    assert "Changing the entry of 4 March 2024" in p["form-title"].value
    assert (p["day"].value, p["pain"].value, p["minutes"].value) == (D0, 6, 20)
    assert p["psfs-on"].value and p["psfs1-activity"].value == "Gardening"
    assert p["psfs1-score"].value == 3

    p["pain"].value = 3
    p["psfs1-score"].value = 5
    p["save"].click()
    changed = log.get(a.id)
    assert (changed.pain, changed.psfs, changed.minutes) == (3, (("Gardening", 5),), 20)
    assert len(log) == 2
    assert "Saved the changes to the entry of 4 March 2024" in p["status"].value
    assert tracker.editing is None and p["save"].description == "Save"


def test_leave_editing_without_saving(tracker, log):
    a = log.record(D0, pain=6)
    tracker.refresh()
    p = tracker.parts
    p["entries"].value = a.id
    p["pain"].value = 9
    p["new-entry"].click()
    assert tracker.editing is None and p["entries"].value is None
    assert p["pain"].value is None and p["day"].value == date.today()
    assert log.get(a.id).pain == 6


def test_delete_asks_first(tracker, log):
    a = log.record(D0, pain=6)
    b = log.record(D0 + timedelta(days=1), pain=4)
    tracker.refresh()
    p = tracker.parts
    assert p["delete"].disabled  # nothing chosen yet
    p["entries"].value = a.id
    p["delete"].click()
    assert p["confirm"].layout.display != "none"
    assert "Delete the entry of 4 March 2024" in p["confirm-text"].value
    assert len(log) == 2  # not yet

    p["cancel-delete"].click()
    assert p["confirm"].layout.display == "none"
    assert len(log) == 2

    p["delete"].click()
    p["confirm-delete"].click()
    assert [e.id for e in log.entries()] == [b.id]
    assert p["confirm"].layout.display == "none"
    assert "Deleted the entry of 4 March 2024" in p["status"].value
    assert [value for _, value in p["entries"].options] == [b.id]
    assert tracker.editing is None


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"pain": None}, "pain", "choose a number"),
        ({"exercised": None}, "exercised", "choose Yes or No"),
        ({"day": None}, "day", "choose a date"),
        ({"minutes": 400}, "minutes", "must be from 0 to 300"),
        ({"minutes": -5}, "minutes", "must be from 0 to 300"),
        ({"note": "x" * 1001}, "note", "at most 1000 characters"),
        ({"psfs": [("", 5)]}, "psfs", "needs a name"),
        ({"psfs": [("Socks", None)]}, "psfs", "whole number"),
        ({"psfs": [("Socks", 4), ("socks", 5)]}, "psfs", "scored twice"),
    ],
)
def test_bad_input_shows_a_message_beside_the_field(tracker, log, change, field, words):
    values = {"pain": 5, "exercised": True, "minutes": 20, "note": "", "psfs": (), "day": D0}
    values.update(change)
    p = tracker.parts
    fill(tracker, **{k: v for k, v in values.items() if k not in ("pain", "exercised", "day")})
    p["day"].value = values["day"]
    p["pain"].value = values["pain"]
    p["exercised"].value = values["exercised"]
    p["save"].click()  # must not raise
    assert len(log) == 0
    area = p[f"error-{field}"]
    assert 'role="alert"' in area.value
    assert words.lower() in alert_text(area).lower()
    others = [f"error-{f}" for f in tracker_module.FIELD_LABELS if f != field]
    assert all(p[name].value == "" for name in others)
    assert p["status"].value == ""

    # fixing the value clears the message
    fill(tracker)
    p["save"].click()
    assert len(log) == 1
    assert area.value == ""


def test_bad_input_does_not_redraw_the_chart(course, log, tmp_path, monkeypatch):
    calls = []
    real = tracker_module.chart_png
    monkeypatch.setattr(
        tracker_module, "chart_png", lambda e, c: calls.append(len(e)) or real(e, c)
    )
    log.record(D0, pain=5)
    t = build_tracker(course, log=log, export_dir=tmp_path)
    assert calls == [1]
    fill(t, minutes=999)
    t.parts["save"].click()
    t.refresh()
    assert calls == [1]  # nothing changed: no new picture
    fill(t)
    t.parts["save"].click()
    assert calls == [1, 2]  # one drawing per change


# --- CSV out and in ---------------------------------------------------------------------


def test_download_writes_a_csv_that_imports_back(tracker, log, tmp_path):
    log.record(D0, pain=6, exercised=True, minutes=20, effort=5, psfs=[("Socks, left", 4)],
               note='said "ouch"; then better')  # fmt: skip
    log.record(D0 + timedelta(days=1), pain=4, note="café, naïve")
    tracker.refresh()
    tracker.parts["download"].click()
    files = list((tmp_path / "exports").glob("*.csv"))
    assert len(files) == 1
    link = tracker.parts["download-link"].value
    assert f'download="{files[0].name}"' in link
    encoded = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', link).group(1)
    assert base64.b64decode(encoded) == files[0].read_bytes()
    assert "2 entries" in link

    with ProgressLog(tmp_path / "copy.sqlite3") as copy:
        report = copy.import_csv(files[0])
        assert report.imported == 2 and not report.errors
        assert [e._content() for e in copy.entries()] == [e._content() for e in log.entries()]


def test_upload_reports_each_bad_line(tracker, log):
    rows = [
        ",".join(CSV_COLUMNS),
        "1,2024-03-04,5,yes,20,4,Socks,5,,,,,fine",
        "2,2024-03-05,11,no,0,,,,,,,,pain too high",
        "3,not-a-day,4,no,0,,,,,,,,",
        "4,2024-03-06,3,maybe,0,,,,,,,,",
        "5,2024-03-07,2,no,0,,,,,,,,good",
    ]
    data = ("\n".join(rows) + "\n").encode()
    p = tracker.parts
    p["upload"].value = upload_value("my-log.csv", data)
    assert len(log) == 2
    report = p["upload-report"].value
    assert "my-log.csv: imported 2 entries" in report
    text = alert_text(p["upload-report"])
    assert "line 3: pain" in text and "line 4: day" in text and "line 5: exercised" in text
    assert "3 lines were not imported" in text
    assert p["upload"].value == ()  # cleared, so the fixed file can be picked again
    assert len(p["entries"].options) == 2  # the views show the new entries

    # the same file again adds nothing
    p["upload"].value = upload_value("my-log.csv", data)
    assert len(log) == 2
    assert "2 already in the log were skipped" in p["upload-report"].value


def test_upload_of_another_kind_of_file_says_so(tracker, log):
    tracker.parts["upload"].value = upload_value("shopping.csv", b"item,price\nmilk,1\n")
    assert len(log) == 0
    text = alert_text(tracker.parts["upload-report"])
    assert "not a progress-log CSV" in text and "shopping.csv" in text


# --- logs that cannot be used -----------------------------------------------------------


def foreign_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('soup')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("kind", ["text", "sqlite", "damaged"])
def test_a_foreign_file_shows_a_message_and_is_not_changed(course, tmp_path, kind):
    path = tmp_path / "not-a-log.sqlite3"
    if kind == "text":
        path.write_text("these are my private notes\n")
    elif kind == "sqlite":
        foreign_database(path)
    else:
        with ProgressLog(path) as log:
            log.record(D0, pain=3)
        path.write_bytes(path.read_bytes()[:150])  # cut short
    before = path.read_bytes()
    names = sorted(p.name for p in tmp_path.iterdir())

    t = build_tracker(course, path=path, export_dir=tmp_path / "exports")
    assert t.progress_log is None
    message = alert_text(t.parts["error"])
    assert str(path) in message and "has not changed it" in message
    assert 'role="alert"' in t.parts["error"].value
    assert t.parts["save"].disabled and t.parts["upload"].disabled
    fill(t)
    t.parts["save"].click()  # does nothing, raises nothing
    t.parts["download"].click()

    assert path.read_bytes() == before
    assert not (tmp_path / "exports").exists()
    if kind != "damaged":  # (SQLite may leave its -wal/-shm files beside a WAL-mode file)
        assert sorted(p.name for p in tmp_path.iterdir()) == names


def test_a_log_error_while_saving_is_a_message(tracker, log):
    log.close()  # as if the file went away under the widget
    fill(tracker)
    tracker.parts["save"].click()
    assert "closed" in alert_text(tracker.parts["error"])


# --- advice -----------------------------------------------------------------------------


def test_advice_for_the_example_log(course, tmp_path):
    with example_log(tmp_path / "example.sqlite3") as log:
        expected = advice(log.entries(), course.guidelines.progression)
        t = build_tracker(course, log=log, export_dir=tmp_path)
        shown = t.parts["advice"].value
        assert f"bc-advice-{expected.kind}" in shown
        assert course.advice.titles[expected.kind] in shown
        assert expected.message in html.unescape(shown)  # escaped, whatever the entity
        assert len(t.parts["entries"].options) == 84
        assert "Sitting through a film" in t.parts["psfs-table"].value
        assert t.parts["sessions"].value.count("<tr>") == tracker_module.RECENT_WEEKS + 1


def test_advice_changes_after_a_flare_up(course, tmp_path):
    with example_log(tmp_path / "example.sqlite3", days=14) as log:
        t = build_tracker(course, log=log, export_dir=tmp_path)
        last = log.entries()[-1].day
        for i in range(1, 8):
            fill(t, day=last + timedelta(days=i), pain=9, exercised=False)
            t.parts["save"].click()
        assert "bc-advice-step_back" in t.parts["advice"].value
        assert "Step back" in t.parts["advice"].value


# --- the same views as lesson blocks (HTML with a plain-text twin) -----------------------


def test_lesson_views_for_the_example_log(course, tmp_path):
    with example_log(tmp_path / "example.sqlite3") as log:
        entries = log.entries()
        table = tracker_module.log_table(entries, limit=3)
        assert table.text.splitlines()[0] == "84 entries, the first 3 shown"
        assert len(table.text.splitlines()) == 2 + 3 and table.html.count("<tr>") == 1 + 3
        assert "Mon 1 Jan 2024" in table.text and "example data" in table.html

        weeks = tracker_module.sessions_table(entries, weeks=None)
        assert weeks.html.count("<tr>") == 1 + 12  # header + 12 weeks, newest first
        assert weeks.text.splitlines()[2].startswith("Mon 18 Mar 2024")

        psfs = tracker_module.psfs_table(entries)
        assert "Sitting through a film" in psfs.text and "+" in psfs.text

        rules = course.guidelines.progression
        cases = {"Days 1 to 5": entries[:5], "All": entries}
        shown = tracker_module.advice_table(cases, rules)
        for label, part in cases.items():
            result = advice(part, rules)
            assert f"- {label}: {tracker_module.advice_title(result.kind)}. " in shown.text
            assert f"bc-advice-{result.kind}" in shown.html

        path = tmp_path / "log.csv"
        log.export_csv(path)
        preview = tracker_module.csv_preview(path, lines=2)
        assert preview.text.splitlines() == [",".join(CSV_COLUMNS), preview.text.splitlines()[1]]
        assert preview.text.splitlines()[1].startswith("1,2024-01-01,")


def test_import_report_words(tmp_path):
    from backcourse.progress import ImportReport

    one = tracker_module.import_report(ImportReport(1, [(3, "pain: too high")], 2), "a.csv")
    assert one.text.splitlines() == [
        "a.csv: imported 1 entry; 2 already in the log were skipped.",
        "1 line was not imported; fix it in the file and upload it again:",
        "  line 3: pain: too high",
    ]
    assert 'role="alert"' in one.html
    clean = tracker_module.import_report(ImportReport(5), "b.csv")
    assert clean.text == "b.csv: imported 5 entries." and "alert" not in clean.html


def test_empty_views_say_what_will_appear(tracker):
    assert "once you log a day" in tracker.parts["sessions"].value
    assert "No activities rated yet" in tracker.parts["psfs-table"].value
