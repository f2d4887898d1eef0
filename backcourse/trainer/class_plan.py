"""One group session for a class: the strictest profile of the group, each member's view of
the session with the swaps that suit them, and the trainer's report of the plan.

``plan_class`` plans for a combined profile that takes the strictest answer of every field
(the highest pain, the shortest session, only the positions and equipment everyone
has...), so every exercise in the session suits every member.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..errors import ProfileError
from ..model import EXPERIENCE, POSITIONS, Course, Exercise, Profile, Routine
from ..planner import alternatives, build_routine, rules_for
from ..render import render
from .roster import Participant, Roster, course_or_bundled

# How many swaps a handout offers for one exercise.
SWAPS_SHOWN = 2


def strictest(profiles: Sequence[Profile]) -> Profile:
    """One profile that no one in the group exceeds: the answers every member can live with.

    The highest pain, the most recent onset, the shortest and fewest sessions, the positions
    and equipment everyone has, the least experience, and every warning sign anyone gave.
    Each of the planner's rules only gets stricter as these do, so whatever this profile
    allows, every member's own profile allows too.

    Raises
    ------
    ProfileError
        When there are no profiles, or they share no position.
    """
    if not profiles:
        raise ProfileError("profiles", "expected at least one profile")
    positions = frozenset.intersection(*(p.positions for p in profiles))
    if not positions:
        raise ProfileError("positions", "the group shares no position to exercise in")
    return Profile(
        pain_now=max(p.pain_now for p in profiles),
        weeks_since_onset=min(p.weeks_since_onset for p in profiles),
        minutes_per_session=min(p.minutes_per_session for p in profiles),
        sessions_per_week=min(p.sessions_per_week for p in profiles),
        positions=positions,
        equipment=frozenset.intersection(*(p.equipment for p in profiles)),
        experience=min((p.experience for p in profiles), key=EXPERIENCE.index),
        red_flags=frozenset().union(*(p.red_flags for p in profiles)),
    )


@dataclass(frozen=True)
class Member:
    """One person's share of the class: the session their handout shows, and their swaps."""

    participant: Participant
    routine: Routine  # the group session, seen from this person (their answers, their notes)
    swaps: Mapping[str, tuple[Exercise, ...]]  # exercise id -> replacements that suit them

    @property
    def name(self) -> str:
        return self.participant.name


@dataclass(frozen=True)
class ClassPlan:
    """A class session: the group's routine, each member's view of it, and the report."""

    roster: Roster
    group: Routine | None  # None when nobody can join, or the group shares no position
    members: tuple[Member, ...]
    notes: tuple[str, ...]  # plain sentences for the trainer: who sets which limit
    course: Course = field(repr=False, compare=False)

    def report_html(self, *, problems: bool = True) -> str:
        """The trainer's summary as an HTML fragment (see ``report_html``)."""
        return report_html(self, problems=problems)


def plan_class(
    roster: Roster, course: Course | None = None, *, prefer: Iterable[str] = ()
) -> ClassPlan:
    """Plan one session for a class that every member of the group can do.

    Parameters
    ----------
    roster
        From ``read_roster`` or ``parse_roster``.
    course
        The loaded course; the bundled one when omitted.
    prefer
        Exercise ids the trainer would like to teach, chosen first when the group allows them.

    Returns
    -------
    ClassPlan
        The group session fits the shortest session in the group, and every exercise in it
        passes the planner's rules for every member. Each member gets the swaps that suit
        them, for an exercise they cannot do on the day. When the group shares no position
        there is no group session, and each member gets a routine of their own.
    """
    course = course_or_bundled(course)
    people = roster.participants
    if not people:
        note = "Nobody on the roster can join a session yet: see the rows listed below."
        return ClassPlan(roster, None, (), (note,), course)
    try:
        group_profile = strictest([p.profile for p in people])
    except ProfileError:
        note = (
            "The group shares no position to exercise in, so there is no group session: "
            "each handout carries that person's own routine."
        )
        members = tuple(_own(p, course) for p in people)
        return ClassPlan(roster, None, members, (note, *_limits(people, course)), course)
    group = build_routine(group_profile, course, prefer=frozenset(prefer))
    members = tuple(_member(p, group, course) for p in people)
    return ClassPlan(roster, group, members, _limits(people, course), course)


def _member(p: Participant, group: Routine, course: Course) -> Member:
    """The group session with this person's answers, notes and swaps."""
    flagged = any(course.red_flags[f].tier == "if_not_better" for f in p.profile.red_flags)
    view = replace(
        group, profile=p.profile, stage=rules_for(p.profile, course.guidelines, flagged).stage
    )
    swaps = {
        item.exercise.id: alternatives(view, i)[:SWAPS_SHOWN] for i, item in enumerate(view.items)
    }
    notes = [
        "This is your class's group session. Every exercise in it suits your answers, and "
        "everyone else's, so it works at the pace of the most careful member of the group: "
        "if it feels easy, that is on purpose.",
        *_swap_notes(view, swaps),
        *(n for n in group.notes if n.startswith("Nothing that suits")),
    ]
    return Member(p, replace(view, notes=tuple(notes)), swaps)


def _own(p: Participant, course: Course) -> Member:
    routine = build_routine(p.profile, course)
    swaps = {
        item.exercise.id: alternatives(routine, i)[:SWAPS_SHOWN]
        for i, item in enumerate(routine.items)
    }
    return Member(p, replace(routine, notes=(*routine.notes, *_swap_notes(routine, swaps))), swaps)


def _swap_notes(routine: Routine, swaps: Mapping[str, tuple[Exercise, ...]]) -> list[str]:
    """One sentence naming, for each exercise, what to do instead when it does not suit."""
    pairs = [
        f"the {item.exercise.name.lower()} for the "
        + " or the ".join(e.name.lower() for e in swaps[item.exercise.id])
        for item in routine.items
        if swaps.get(item.exercise.id) and item.phase != "warm_up"
    ]
    if not pairs:
        return []
    return ["If an exercise does not suit you on the day, swap it: " + "; ".join(pairs) + "."]


def _names(people: Sequence[Participant], most: int = 3) -> str:
    names = [p.name for p in people]
    if len(names) > most:
        return ", ".join(names[:most]) + f" and {len(names) - most} more"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _limits(people: Sequence[Participant], course: Course) -> tuple[str, ...]:
    """Who sets each of the group's limits, so the trainer knows what shapes the session."""
    g = course.guidelines
    out = []
    pain = max(p.profile.pain_now for p in people)
    out.append(
        f"Pain: the session suits {pain}/10, the highest pain in the group "
        f"({_names([p for p in people if p.profile.pain_now == pain])})."
    )
    minutes = min(p.profile.minutes_per_session for p in people)
    out.append(
        f"Time: {minutes} minutes, the shortest session anyone has "
        f"({_names([p for p in people if p.profile.minutes_per_session == minutes])})."
    )
    # Only limits that leave an exercise out are worth a line.
    used_positions = {pos for ex in course.exercises.values() for pos in ex.positions}
    used_equipment = {item for ex in course.exercises.values() for item in ex.equipment}
    anyone = set().union(*(p.profile.positions for p in people))
    for pos in [pos for pos in POSITIONS if pos in used_positions & anyone]:
        lacking = [p for p in people if pos not in p.profile.positions]
        if lacking:
            out.append(
                f"Positions: nothing {g.label('positions', pos)}, because of {_names(lacking)}."
            )
    for item in sorted(used_equipment & set().union(*(p.profile.equipment for p in people))):
        lacking = [p for p in people if item not in p.profile.equipment]
        if lacking:
            out.append(
                f"Equipment: nothing that needs {g.label('equipment', item)}, because of "
                f"{_names(lacking)}."
            )
    beginners = [p for p in people if p.profile.experience == "beginner"]
    if beginners and len(beginners) < len(people):
        out.append(f"Experience: planned for beginners, because of {_names(beginners)}.")
    return tuple(out)


def handout_names(plan: ClassPlan) -> tuple[str, ...]:
    """The file name of each member's handout: '01-ana-b.html', in roster order."""
    from ..export import clean_name, slug

    width = max(2, len(str(len(plan.members))))
    return tuple(
        f"{n:0{width}d}-{slug(clean_name(m.name), 'participant')}.html"
        for n, m in enumerate(plan.members, start=1)
    )


def report_html(plan: ClassPlan, *, problems: bool = True) -> str:
    """The trainer's summary of a class plan, as an HTML fragment (every name escaped).

    With ``problems=False`` the skipped rows are left out (a widget shows them on their own).
    """
    course = plan.course
    tiers = course.red_flag_tiers
    referrals = [
        (
            ref.line,
            ref.name,
            "; ".join(f.label for f in ref.flags),
            tiers["emergency" if ref.urgent else "see_doctor"]["title"],
            tiers["emergency" if ref.urgent else "see_doctor"]["advice"],
        )
        for ref in plan.roster.referrals
    ]
    # The third tier: in the class, and the whole session stays gentle.
    gentle = [
        (m.line, m.name, "; ".join(course.red_flags[f].label for f in sorted(m.profile.red_flags)))
        for m in plan.roster.participants
        if any(course.red_flags[f].tier == "if_not_better" for f in m.profile.red_flags)
    ]
    g = course.guidelines
    group = None
    if plan.group is not None:
        group = [
            (g.label("phases", item.phase), item.exercise.name, item.dose_text(), item.minutes)
            for item in plan.group.items
        ]
    handouts = [
        (file, m.name, m.participant.line, sum(bool(v) for v in m.swaps.values()))
        for m, file in zip(plan.members, handout_names(plan), strict=True)
    ]
    return render(
        "trainer/report.html",
        n=len(plan.members),
        skipped=len(plan.roster.problems),
        referrals=referrals,
        gentle=gentle,
        gentle_tier=tiers["if_not_better"],
        problems=[str(p) for p in plan.roster.problems] if problems else [],
        notes=plan.notes,
        group=group,
        group_minutes=plan.group.minutes if plan.group is not None else 0,
        handouts=handouts,
    )
