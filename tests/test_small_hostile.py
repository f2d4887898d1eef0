"""The smaller hostile-input failures of issue 13: a nested answer in a Profile, roster names
in two Unicode spellings, temporary files of killed handout writes, odd days in charts."""

from __future__ import annotations

import os
import time
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from backcourse import Profile, ProfileError, build_routine, export, load_course
from backcourse.figures.charts import pain_trend_chart
from backcourse.trainer import ROSTER_COLUMNS, parse_roster

COURSE = load_course()
BASE = {"pain_now": 3, "weeks_since_onset": 10, "minutes_per_session": 20, "sessions_per_week": 3}


@pytest.mark.parametrize(
    "positions", [[["supine"]], [{"supine": 1}], [None], ["supine", ["prone"]], 5]
)
def test_odd_positions_are_a_profile_error(positions: object) -> None:
    with pytest.raises(ProfileError) as err:
        Profile(**BASE, positions=positions)  # type: ignore[arg-type]
    assert err.value.field == "positions"


def test_roster_names_in_nfc_and_nfd_are_one_person() -> None:
    nfc = unicodedata.normalize("NFC", "Zoë Müller")
    nfd = unicodedata.normalize("NFD", "Zoë Müller")
    assert nfc != nfd
    row = "{},3,10,20,3,supine;standing;seated,mat;chair,beginner,"
    text = "\n".join([",".join(ROSTER_COLUMNS), row.format(nfc), row.format(nfd)]) + "\n"
    roster = parse_roster(text.encode("utf-8"), COURSE)
    assert len(roster.participants) == 1
    assert [p.line for p in roster.problems] == [3]
    assert "already used on line 2" in str(roster.problems[0])


def test_a_killed_handout_write_leaves_no_temporary_file_for_long(tmp_path: Path) -> None:
    routine = build_routine(Profile(**BASE), COURSE)
    target = tmp_path / export.file_name("markdown", "Ana")
    # What a kernel killed between writing and renaming leaves behind, an hour ago.
    stale = tmp_path / f".{target.name}.k1ll3d.tmp"
    stale.write_text("half a handout")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    fresh = tmp_path / f".{target.name}.busy.tmp"  # another writer, right now
    fresh.write_text("being written")
    path = export.save(routine, "markdown", tmp_path, name="Ana")
    assert path == target and path.read_text(encoding="utf-8").startswith("#")
    assert not stale.exists()
    assert fresh.exists()


@dataclass(frozen=True)
class Row:
    day: date
    pain: int
    exercised: bool = True
    minutes: int = 20


def test_a_chart_leaves_out_days_outside_the_range_and_says_so() -> None:
    rows = [Row(date(2025, 3, 3), 5), Row(date(2025, 3, 4), 4), Row(date(9999, 1, 1), 3)]
    rows.append(Row(date(25, 3, 4), 6))
    fig = pain_trend_chart(rows, COURSE)
    assert "2 entries dated outside 1 January 1900 to 31 December 2100 are left out" in (
        fig.alt_text
    )
    assert "from 2025-03-03 to 2025-03-04" in fig.alt_text
    fig.savefig(os.devnull, format="png")  # draws without overflowing matplotlib's dates
