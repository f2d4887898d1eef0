"""The progress advice takes its thresholds and sentences from course_data/advice.yaml.

The oracle reads advice.yaml with yaml itself and builds the expected sentence by hand
(str.format on the YAML text), on logs made by hand; the code under test only gets the log.
"""

from __future__ import annotations

import math
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from backcourse.catalog import load_course
from backcourse.errors import CourseDataError
from backcourse.progress import LogEntry, advice
from backcourse.widgets.tracker_views import advice_box

DATA = Path(__file__).resolve().parents[1] / "course_data"
ADVICE = yaml.safe_load((DATA / "advice.yaml").read_text(encoding="utf-8"))
GUIDE = yaml.safe_load((DATA / "guidelines.yaml").read_text(encoding="utf-8"))
PROGRESSION = GUIDE["progression"]
LIMIT = ADVICE["thresholds"]
SAY = {k: " ".join(v.split()) for k, v in ADVICE["messages"].items()}  # folded YAML text
D0 = date(2024, 1, 1)


def days(pains: list[int], exercised: set[int] | None = None) -> list[LogEntry]:
    """One entry a day from D0; ``exercised`` lists the days with a 20-minute session."""
    done = set(range(len(pains))) if exercised is None else exercised
    return [
        LogEntry(None, D0 + timedelta(days=i), p, i in done, 20 if i in done else 0)
        for i, p in enumerate(pains)
    ]


def test_too_few_entries_use_the_yaml_minimum_and_sentence():
    n = LIMIT["min_entries"]
    few = days([3] * (n - 1))
    got = advice(few, PROGRESSION)
    noun = ADVICE["nouns"]["entry" if n - 1 == 1 else "entries"]
    expected = SAY["not_enough_entries"].format(min_entries=n, entries=n - 1, entries_word=noun)
    assert (got.kind, got.message) == ("not_enough_data", expected)
    one = advice(days([3]), PROGRESSION)
    assert f"you have 1 {ADVICE['nouns']['entry']} so far" in one.message
    # At the minimum, with a week before the last 7 days, the rules give real advice.
    assert advice(days([3] * max(n, 13)), PROGRESSION).kind != "not_enough_data"


def test_steady_pain_at_the_mild_limit_progresses_and_one_above_holds():
    mild = LIMIT["mild_pain_max"]
    assert 0 <= mild < 10
    # 13 days: a week before the last 7 exists, but too short for the "not improving" rule.
    at = advice(days([mild] * 13), PROGRESSION)
    how = SAY["progress_steady"].format(now=f"{mild:.1f}")
    assert at.kind == "progress"
    assert at.message == SAY["progress"].format(how=how, sessions="7.0")
    above = advice(days([mild + 1] * 13), PROGRESSION)
    why = SAY["hold_steady"].format(now=f"{mild + 1:.1f}")
    assert above.kind == "hold"
    assert above.message == SAY["hold"].format(
        why=why, expected_weeks=PROGRESSION["expected_weeks"]
    )


def test_sessions_a_week_below_the_yaml_minimum_hold():
    need = LIMIT["min_sessions_a_week"]
    # 13 days logged: sessions a week = sessions * 7 / 13 (the whole log is the window).
    enough = math.ceil(need * 13 / 7)
    spread = lambda k: {round(i * 12 / max(k - 1, 1)) for i in range(k)}  # noqa: E731
    ok = advice(days([1] * 13, spread(enough)), PROGRESSION)
    assert ok.kind == "progress"
    short = enough - 1
    held = advice(days([1] * 13, spread(short)), PROGRESSION)
    why = SAY["hold_few_sessions"].format(sessions=f"{short * 7 / 13:.1f}", min_sessions=need)
    assert held.kind == "hold"
    assert held.message == SAY["hold"].format(why=why, expected_weeks=PROGRESSION["expected_weeks"])


def test_a_flare_up_uses_the_yaml_sentence():
    rise = PROGRESSION["step_back_pain_rise"]
    pains = [2] * 7 + [2 + rise] * 7  # the last week averages `rise` above the one before
    got = advice(days(pains), PROGRESSION)
    last = D0 + timedelta(days=13)
    review_by = last + timedelta(days=7 * PROGRESSION["review_after_weeks"])
    expected = SAY["step_back"].format(
        day=f"{last.day} {last:%B %Y}",
        week_pain=f"{2 + rise:.1f}",
        rise=f"{rise:.1f}",
        now=f"{2 + rise:.1f}",
        review_by=f"{review_by.day} {review_by:%B %Y}",
    )
    assert (got.kind, got.message) == ("step_back", expected)


def test_the_advice_box_shows_the_yaml_title_and_reminder():
    result = advice(days([3] * 2), PROGRESSION)
    box = advice_box(result)
    assert ADVICE["titles"]["not_enough_data"] in box.html
    assert ADVICE["titles"]["not_enough_data"] in box.text
    reminder = " ".join(ADVICE["not_a_diagnosis"].split()).replace("'", "&#39;")
    assert reminder in box.html


def test_every_threshold_with_a_source_cites_a_known_one():
    sources = yaml.safe_load((DATA / "sources.yaml").read_text(encoding="utf-8"))
    ids = {s["id"] for s in sources}
    for name, cited in ADVICE["sources"].items():
        assert name in LIMIT and cited and set(cited) <= ids


def copy_data(tmp_path: Path) -> Path:
    folder = tmp_path / "course_data"
    shutil.copytree(DATA, folder)
    return folder


def edit_advice(folder: Path, change) -> None:
    path = folder / "advice.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_a_trainer_edit_of_advice_yaml_changes_the_advice(tmp_path):
    folder = copy_data(tmp_path)

    def change(data):
        data["thresholds"]["min_entries"] = 3
        data["messages"]["not_enough_entries"] = "Only {entries} so far; {min_entries} needed."

    edit_advice(folder, change)
    rules = load_course(folder).advice
    got = advice(days([3, 3]), PROGRESSION, rules)
    assert got.message == "Only 2 so far; 3 needed."
    assert advice(days([3] * 13), PROGRESSION, rules).kind != "not_enough_data"
    # The bundled course is unchanged.
    assert advice(days([3, 3]), PROGRESSION).message != got.message


@pytest.mark.parametrize(
    ("change", "entry", "field", "words"),
    [
        (lambda d: d["messages"].update(step_back="Up {risen}."), "messages", "step_back",
         "{risen}"),
        (lambda d: d["messages"].update(hold="Keep {going."), "messages", "hold", "brace"),
        (lambda d: d["messages"].pop("hold_steady"), "messages", "hold_steady", "missing"),
        (lambda d: d["thresholds"].update(min_entries=0), "thresholds", "min_entries", "from 1"),
        (lambda d: d["thresholds"].update(mild_pain_max=11), "thresholds", "mild_pain_max",
         "0-10"),
        (lambda d: d["thresholds"].update(noise_pct_of_rise="half"), "thresholds",
         "noise_pct_of_rise", "whole number"),
        (lambda d: d["sources"].update(mild_pain_max=["nobody2099"]), "sources", "mild_pain_max",
         "nobody2099"),
        (lambda d: d["titles"].pop("hold"), "titles", "hold", "missing"),
        (lambda d: d["titles"].update(maybe="Maybe"), "titles", "maybe", "not a known field"),
    ],
)  # fmt: skip
def test_a_mistake_in_advice_yaml_names_file_entry_and_field(tmp_path, change, entry, field, words):
    folder = copy_data(tmp_path)
    edit_advice(folder, change)
    with pytest.raises(CourseDataError) as caught:
        load_course(folder)
    err = caught.value
    assert (err.file, err.entry, err.field) == ("advice.yaml", entry, field)
    assert words in str(err)


def test_a_missing_advice_yaml_is_named(tmp_path):
    folder = copy_data(tmp_path)
    (folder / "advice.yaml").unlink()
    with pytest.raises(CourseDataError, match=r"advice\.yaml"):
        load_course(folder)
