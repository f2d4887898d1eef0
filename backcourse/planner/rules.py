"""What a learner's answers allow: the stage, the gentle rules, and why an exercise is left out.

Every threshold comes from course_data/guidelines.yaml (``stages``, ``start``); the words a
learner reads about a rule live beside it here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..errors import ProfileError
from ..model import Course, Exercise, Guidelines, Profile, RedFlag

# The order a session moves through positions: on your feet first, then down to the floor,
# so the learner gets down once and up once.
POSITION_FLOW = ("standing", "seated", "kneeling", "all_fours", "prone", "side_lying", "supine")
MAIN_CATEGORIES = ("activation", "strength")
# The red-flag tier that allows a gentle routine (see red_flags.yaml).
GENTLE_TIER = "if_not_better"


@dataclass(frozen=True)
class Rules:
    """What a profile allows, derived from its answers and guidelines.yaml."""

    stage: str  # recent | settling | persistent
    gentle: bool  # recent or severe: gentle mobility and activation only
    categories: frozenset[str]
    max_difficulty: int
    target_difficulty: int
    loaded: bool  # external weights allowed
    high_impact: bool
    max_sets: int


def rules_for(profile: Profile, g: Guidelines, flagged: bool = False) -> Rules:
    """Derive what the routine may contain from the learner's pain, stage and experience.

    ``flagged``: a "see a GP or physiotherapist if it does not get better" warning sign was
    answered yes, which keeps the routine gentle whatever the pain and stage.
    """
    return rules_at(profile.pain_now, profile.weeks_since_onset, profile.experience, g, flagged)


def rules_at(pain: int, weeks: int, experience: str, g: Guidelines, flagged: bool) -> Rules:
    st = g.stages
    stage = (
        "recent"
        if weeks < st["acute_weeks"]
        else "persistent"
        if weeks >= st["chronic_weeks"]
        else "settling"
    )
    severe = pain >= st["severe_pain"]
    gentle = stage == "recent" or severe or flagged
    max_difficulty = 1 if severe else 2 if (gentle or pain >= st["moderate_pain"]) else 3
    if experience == "beginner":
        max_difficulty = min(max_difficulty, 2)
    target = {"beginner": 1, "intermediate": 2, "advanced": 3}[experience]
    categories = {"stretch", "activation", "aerobic"} | (set() if gentle else {"strength"})
    max_sets = g.bounds("strength", "sets").high if g.bounds("strength", "sets") else 1
    if experience == "beginner":
        max_sets = min(max_sets, g.start["beginner_max_sets"])
    if gentle:
        max_sets = min(max_sets, g.start["gentle_max_sets"])
    return Rules(
        stage=stage,
        gentle=gentle,
        categories=frozenset(categories),
        max_difficulty=max_difficulty,
        target_difficulty=min(target, max_difficulty),
        loaded=not gentle and pain < st["moderate_pain"] and experience != "beginner",
        high_impact=not gentle and pain <= st["high_impact_pain"],
        max_sets=max_sets,
    )


# Why an exercise can be ruled out, in the words a learner reads (see why_not).
_RULED_OUT = {
    "impact": "high-impact activity waits until the pain has settled",
    "category": "strengthening waits until the episode has settled; start with activation",
    "difficulty": "it is harder than suits your pain and experience right now",
    "loaded": "adding weights waits until you are used to the movement and pain is low",
}


def _ruled_out(ex: Exercise, profile: Profile, rules: Rules) -> tuple[str, list[str]] | None:
    """The one list of exclusion rules: (which rule, what is missing), or None if allowed."""
    missing = [p for p in ex.positions if p not in profile.positions]
    if missing:
        return "positions", missing
    missing = [e for e in ex.equipment if e not in profile.equipment]
    if missing:
        return "equipment", missing
    if ex.impact == "high" and not rules.high_impact:
        return "impact", []
    if ex.category not in rules.categories:
        return "category", []
    if ex.difficulty > rules.max_difficulty:
        return "difficulty", []
    if ex.loaded and not rules.loaded:
        return "loaded", []
    return None


def is_allowed(ex: Exercise, profile: Profile, rules: Rules) -> bool:
    return _ruled_out(ex, profile, rules) is None


def family(ex: Exercise, course: Course) -> str:
    """The id of the easiest exercise of ex's regression/progression chain (its family)."""
    seen = {ex.id}
    while ex.regression and ex.regression not in seen:
        ex = course.exercises[ex.regression]
        seen.add(ex.id)
    return ex.id


def gentle_flags(profile: Profile, course: Course) -> tuple[RedFlag, ...]:
    """The profile's warning signs of the "see a GP if it does not get better" tier."""
    return tuple(
        course.red_flags[f]
        for f in sorted(profile.red_flags)
        if f in course.red_flags and course.red_flags[f].tier == GENTLE_TIER
    )


def why_not(exercise: Exercise, profile: Profile, course: Course) -> str | None:
    """Why an exercise is left out for this learner, in plain words; None when it is allowed."""
    g = course.guidelines
    flagged = bool(gentle_flags(profile, course))
    found = _ruled_out(exercise, profile, rules_for(profile, g, flagged))
    if found is None:
        return None
    rule, missing = found
    if rule == "positions":
        return "it needs you " + " and ".join(g.label("positions", p) for p in missing)
    if rule == "equipment":
        return "it needs " + " and ".join(g.label("equipment", e) for e in missing)
    return _RULED_OUT[rule]


def check_profile(profile: Profile, course: Course) -> None:
    """Check the ids a profile names exist in this course (ProfileError otherwise)."""
    if not isinstance(profile, Profile):
        raise ProfileError("profile", f"expected a Profile, got {type(profile).__name__}")
    equipment = course.guidelines.labels.get("equipment", {})
    unknown = sorted(profile.equipment - set(equipment))
    if unknown:
        raise ProfileError(
            "equipment", f"unknown {', '.join(unknown)}; choose from {', '.join(equipment)}"
        )
    unknown = sorted(profile.red_flags - set(course.red_flags))
    if unknown:
        raise ProfileError("red_flags", f"unknown red flag {', '.join(unknown)}")


def easier_profile(profile: Profile, g: Guidelines, flagged: bool) -> Profile | None:
    """The same learner at the highest lower pain score whose rules differ, if any."""
    weeks, experience = profile.weeks_since_onset, profile.experience
    rules = rules_at(profile.pain_now, weeks, experience, g, flagged)
    for pain in range(profile.pain_now - 1, -1, -1):
        if rules_at(pain, weeks, experience, g, flagged) != rules:
            return replace(profile, pain_now=pain)
    return None


def stage_note(profile: Profile, rules: Rules, g: Guidelines, flagged: bool = False) -> str:
    stage = g.label("stages", rules.stage)
    if (
        flagged
        and not rules_at(
            profile.pain_now, profile.weeks_since_onset, profile.experience, g, False
        ).gentle
    ):
        return (
            f"Your pain is {profile.pain_now}/10 in {stage}. Because of the warning sign you "
            "reported, this routine keeps to gentle mobility and activation, one set of each, "
            "with fewer repetitions and shorter holds."
        )
    if rules.gentle:
        return (
            f"Your pain is {profile.pain_now}/10 in {stage}, so this routine keeps to gentle "
            "mobility and activation, one set of each, with fewer repetitions and shorter holds."
        )
    return (
        f"Your pain is {profile.pain_now}/10 in {stage}, so this routine adds strengthening "
        "to mobility and activation."
    )
