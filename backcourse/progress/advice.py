"""The progress rules: progress, hold, step back or see a professional, from a log.

The thresholds and every sentence come from course_data: advice.yaml (``Course.advice``)
and the progression section of guidelines.yaml. This module holds only the rules' order
and the arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..model import AdviceRules
from .entry import LogEntry
from .stats import Summary, daily_pain, mean_pain, summarise

ADVICE_KINDS = AdviceRules.KINDS


@dataclass(frozen=True)
class Advice:
    """What the progress rules suggest.

    Attributes
    ----------
    kind : str
        One of "progress", "hold", "step_back", "see_doctor", "not_enough_data".
    message : str
        Plain English for the learner.
    summary : Summary
        The numbers the decision was based on.
    """

    kind: str
    message: str
    summary: Summary


def course_rules() -> AdviceRules:
    """The bundled course's advice rules (advice.yaml)."""
    from ..catalog import load_course

    rules = load_course().advice
    assert rules is not None  # load_course always reads advice.yaml
    return rules


def _threshold(progression: Mapping[str, int], key: str) -> int:
    if key not in progression:
        raise KeyError(f"the guidelines' progression section has no {key!r}")
    value = progression[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"progression {key!r} must be a whole number of at least 1, got {value!r}")
    return value


def _day_text(day: date) -> str:
    return f"{day.day} {day:%B %Y}"  # "4 March 2024": no leading zero, no ambiguity


def _pain(value: float) -> str:
    return f"{value:.1f}"  # pain and sessions a week: one decimal, "4.5"


def _weeks_around(daily: Mapping[date, float], day: date) -> tuple[float | None, float | None]:
    """Mean pain over the 7 days ending on ``day`` and over the 7 days before those."""
    return (
        mean_pain(daily, day - timedelta(days=6), day),
        mean_pain(daily, day - timedelta(days=13), day - timedelta(days=7)),
    )


def advice(
    entries: Iterable[LogEntry],
    guidelines_progression: Mapping[str, int],
    rules: AdviceRules | None = None,
) -> Advice:
    """Suggest progressing, holding, stepping back or seeing a professional.

    Parameters
    ----------
    entries : iterable of LogEntry
    guidelines_progression : mapping
        The ``progression`` section of course_data/guidelines.yaml; uses
        ``step_back_pain_rise``, ``review_after_weeks`` and ``expected_weeks``.
    rules : AdviceRules, optional
        The thresholds and sentences of advice.yaml (``course.advice``); default: the
        bundled course's.

    Notes
    -----
    Pain is the mean per day over 7-day windows ending on the last day logged. A rise of
    ``step_back_pain_rise`` points on the week before is a flare-up; a change under
    ``noise_pct_of_rise`` percent of that is day-to-day noise. First match wins (the numbers
    in brackets are advice.yaml's today):

    1. fewer than ``min_entries`` (7) entries, or nothing logged in the week before the
       last: not_enough_data;
    2. a flare-up now, or one in the last ``review_after_weeks`` weeks that has not settled
       back near its level before: step_back;
    3. pain higher over the last ``review_after_weeks`` weeks than over the same span before
       it and not easing this week; or, after ``review_after_weeks`` weeks of logging (and
       at least ``no_improvement_min_days``), no week clearly better than the first while
       pain is above ``mild_pain_max`` (3): see_doctor;
    4. with ``min_sessions_a_week`` (2) or more sessions a week, pain down by
       ``step_back_pain_rise`` (on the week before or on the first week) and not rising, or
       steady and mild (``mild_pain_max`` or less): progress;
    5. otherwise: hold.
    """
    rules = rules or course_rules()
    limit = rules.thresholds
    rise = _threshold(guidelines_progression, "step_back_pain_rise")
    review = _threshold(guidelines_progression, "review_after_weeks")
    expected = _threshold(guidelines_progression, "expected_weeks")
    entries = list(entries)
    s = summarise(entries)
    noise = rise * limit["noise_pct_of_rise"] / 100  # smaller changes are day-to-day noise
    mild = limit["mild_pain_max"]

    def say(kind: str, message: str, **values: Any) -> Advice:
        return Advice(kind, rules.messages[message].format(**values), s)

    if s.entries < limit["min_entries"]:
        noun = rules.nouns["entry" if s.entries == 1 else "entries"]
        return say(
            "not_enough_data",
            "not_enough_entries",
            min_entries=limit["min_entries"],
            entries=s.entries,
            entries_word=noun,
        )
    assert s.first_day and s.last_day and s.recent_pain is not None and s.baseline_pain is not None
    if s.previous_pain is None:
        return say("not_enough_data", "no_week_before")
    daily = daily_pain(entries)
    change = s.recent_pain - s.previous_pain
    review_days = 7 * review

    # A flare-up: now, or within the review period and not yet back near where it started.
    # Until it settles or the review period is over, the advice stays "step back".
    for back in range(review_days):
        day = s.last_day - timedelta(days=back)
        now, before = _weeks_around(daily, day)
        if now is None or before is None or now - before < rise:
            continue
        if back == 0 or s.recent_pain - before >= noise:
            return say(
                "step_back",
                "step_back",
                day=_day_text(day),
                week_pain=_pain(now),
                rise=_pain(now - before),
                now=_pain(s.recent_pain),
                review_by=_day_text(day + timedelta(days=review_days)),
            )
        break  # the latest flare-up has settled

    later = mean_pain(daily, s.last_day - timedelta(days=review_days - 1), s.last_day)
    earlier = mean_pain(
        daily,
        s.last_day - timedelta(days=2 * review_days - 1),
        s.last_day - timedelta(days=review_days),
    )
    if (
        s.span_days >= 2 * review_days
        and earlier is not None
        and later is not None
        and later - earlier >= noise
        and change >= 0  # a flare-up that is easing is not a trend
    ):
        return say(
            "see_doctor",
            "getting_worse",
            weeks=2 * review,
            earlier=_pain(earlier),
            later=_pain(later),
        )

    # "No improvement" means no week since the first was clearly better: pain that eased and
    # then flared again is the step-back rule's business.
    blocks = (
        mean_pain(daily, s.first_day + timedelta(days=k), s.first_day + timedelta(days=k + 6))
        for k in range(7, s.span_days, 7)
    )
    best = min((b for b in blocks if b is not None), default=s.baseline_pain)
    if (
        s.span_days >= max(review_days, limit["no_improvement_min_days"])
        and s.recent_pain >= mild + 1
        and s.baseline_pain - min(best, s.recent_pain) < noise
    ):
        return say(
            "see_doctor",
            "no_improvement",
            weeks=s.span_days // 7,
            now=_pain(s.recent_pain),
            first_week=_pain(s.baseline_pain),
        )

    sessions = _pain(s.sessions_per_week)
    active = s.sessions_per_week >= limit["min_sessions_a_week"]
    down = max(-change, s.baseline_pain - s.recent_pain) >= rise and change < noise
    steady_low = abs(change) < noise and s.recent_pain <= mild
    if active and (down or steady_low):
        how = rules.messages["progress_down" if down else "progress_steady"]
        return say(
            "progress", "progress", how=how.format(now=_pain(s.recent_pain)), sessions=sessions
        )
    if not active:
        why = rules.messages["hold_few_sessions"].format(
            sessions=sessions, min_sessions=limit["min_sessions_a_week"]
        )
    else:
        why = rules.messages["hold_steady"].format(now=_pain(s.recent_pain))
    return say("hold", "hold", why=why, expected_weeks=expected)
