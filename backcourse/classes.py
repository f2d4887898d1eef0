"""Running the course as a class: a roster in, one safe group session and a handout each out.

A trainer lists the class in a CSV file, one row per person (a name or a code, then the
answers a learner gives the routine builder). ``plan_class`` builds one group session that
every person in the group can do: it plans for a combined profile that takes the strictest
answer of every field (the highest pain, the shortest session, only the positions and
equipment everyone has...). Whoever reports a warning sign is kept out of the group and
listed with the advice to see a doctor. Rows that cannot be read are reported by line
number and skipped; the other rows still get their session. ``write_handouts`` writes one
HTML handout per person, naming them, with the swaps that suit them.

Also here, for the trainer's notebook: the quiz answer keys and the launch links.
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from .errors import ProfileError
from .model import EXPERIENCE, POSITIONS, Course, Exercise, Profile, RedFlag, Routine
from .planner import alternatives, build_routine, check_profile, rules_for
from .safety import screen

#: The columns a roster must have, in the order a template lists them.
ROSTER_COLUMNS: tuple[str, ...] = (
    "name_or_code",
    "pain_now",
    "weeks_since_onset",
    "minutes_per_session",
    "sessions_per_week",
    "positions",
    "equipment",
    "experience",
    "red_flags",
)
_NUMBERS = ("pain_now", "weeks_since_onset", "minutes_per_session", "sessions_per_week")
_LIST_SPLIT = re.compile(r"[;,|]")
_NONE_WORDS = frozenset({"", "none", "no", "-"})
# How many swaps a handout offers for one exercise.
SWAPS_SHOWN = 2

Progress = Callable[[int, int], None]


# --------------------------------------------------------------------------- the roster


@dataclass(frozen=True)
class RosterProblem:
    """A roster row that was skipped, and why (``line`` counts the header as line 1)."""

    line: int
    name: str  # the row's name_or_code when it could be read, else ""
    reason: str

    def __str__(self) -> str:
        who = f" ({self.name})" if self.name else ""
        return f"line {self.line}{who}: {self.reason}"


@dataclass(frozen=True)
class Participant:
    """A person in the group: their roster line, name or code, and answers."""

    line: int
    name: str
    profile: Profile


@dataclass(frozen=True)
class Referral:
    """A person who reported a warning sign: no exercises, only the advice to get checked."""

    line: int
    name: str
    flags: tuple[RedFlag, ...]
    advice: str

    @property
    def urgent(self) -> bool:
        """True when a flag is in the emergency tier."""
        return any(f.tier == "emergency" for f in self.flags)


@dataclass(frozen=True)
class Roster:
    """A roster, read: the group, the people referred to a doctor, and the rows skipped."""

    participants: tuple[Participant, ...]
    referrals: tuple[Referral, ...]
    problems: tuple[RosterProblem, ...]


def roster_template() -> str:
    """An empty roster: the header row a trainer fills in, as CSV text."""
    return ",".join(ROSTER_COLUMNS) + "\n"


def read_roster(path: str | os.PathLike[str], course: Course | None = None) -> Roster:
    """Read a roster CSV file (UTF-8, or a spreadsheet's Windows encoding). See ``parse_roster``."""
    return parse_roster(Path(path).read_bytes(), course)


def parse_roster(data: str | bytes, course: Course | None = None) -> Roster:
    """Read a roster from CSV text.

    The header names the columns in ``ROSTER_COLUMNS`` (any order; other columns are
    ignored). Lists (positions, equipment, red_flags) are separated by ``;``. An empty
    equipment or red_flags cell means none; an empty experience cell means beginner.

    Parameters
    ----------
    data
        The CSV as text, or as bytes from a file or an upload.
    course
        The loaded course (equipment and red-flag ids are checked against it).

    Returns
    -------
    Roster
        Every row lands in exactly one place: a participant, a referral (any known red flag,
        whatever else the row says), or a problem naming its line and the reason.
    """
    course = _course(course)
    text = _decode(data) if isinstance(data, bytes) else data
    rows = csv.reader(io.StringIO(text))
    try:
        header = next(rows)
    except StopIteration:
        return Roster((), (), (RosterProblem(1, "", "the file is empty; expected a header row"),))
    except csv.Error as exc:
        return Roster((), (), (RosterProblem(1, "", f"the header cannot be read: {exc}"),))
    columns = [h.strip().lower() for h in header]
    missing = [c for c in ROSTER_COLUMNS if c not in columns]
    if missing:
        reason = (
            f"the header lacks the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}; a roster needs {', '.join(ROSTER_COLUMNS)}"
        )
        return Roster((), (), (RosterProblem(1, "", reason),))
    where = {c: columns.index(c) for c in ROSTER_COLUMNS}
    people: list[Participant] = []
    referrals: list[Referral] = []
    problems: list[RosterProblem] = []
    seen: dict[str, int] = {}
    line = rows.line_num + 1
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(RosterProblem(line, "", f"cannot be read as CSV: {exc}"))
            line = rows.line_num + 1
            continue
        this, line = line, rows.line_num + 1
        if not any(c.strip() for c in cells):
            continue  # blank lines and rows of empty cells carry nobody
        name = cells[where["name_or_code"]].strip() if len(cells) > where["name_or_code"] else ""
        # One spelling per name: "é" typed as one character (NFC) or as e + accent (NFD, as
        # macOS files often hold it) is the same person.
        name = unicodedata.normalize("NFC", name)
        key = _name_key(name)
        try:
            row = _row(cells, columns, where)
            if not name:
                raise ProfileError("name_or_code", "is empty; give a name or a code")
            flags = _ids(row["red_flags"], course.red_flags, "red_flags")
            # Emergency and see-a-doctor signs: no exercises. The third tier (see a GP if it
            # does not get better) joins the class, which then keeps the session gentle.
            if flags and screen(flags, course).stops:
                result = screen(flags, course)
                referrals.append(Referral(this, name, result.flags, result.advice))
                continue
            if key in seen:
                raise ProfileError("name_or_code", f"{name!r} is already used on line {seen[key]}")
            profile = replace(_profile(row), red_flags=frozenset(flags))
            check_profile(profile, course)
        except ProfileError as exc:
            problems.append(RosterProblem(this, name, str(exc)))
            continue
        seen[key] = this
        people.append(Participant(this, name, profile))
    return Roster(tuple(people), tuple(referrals), tuple(problems))


def _name_key(name: str) -> str:
    """What makes two roster names the same: case and Unicode spelling ignored."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


def _course(course: Course | None) -> Course:
    if course is None:
        from .catalog import load_course

        course = load_course()
    return course


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


class _RowError(ProfileError):
    """A row whose shape is wrong: its message needs no field name in front."""

    def __init__(self, problem: str) -> None:
        super().__init__("row", problem)

    def __str__(self) -> str:
        return self.problem


def _row(cells: list[str], columns: list[str], where: Mapping[str, int]) -> dict[str, str]:
    if len(cells) < len(columns):
        lacking = [c for c in ROSTER_COLUMNS if where[c] >= len(cells)]
        raise _RowError(
            f"the row has {len(cells)} values but the header has {len(columns)} columns "
            f"(no value for {', '.join(lacking) or 'the last column'})"
        )
    if len(cells) > len(columns):
        raise _RowError(
            f"the row has {len(cells)} values but the header has {len(columns)} columns; "
            "a value that contains a comma needs quotes"
        )
    return {c: cells[i].strip() for c, i in where.items()}


def _ids(cell: str, known: Iterable[str] | None, name: str) -> frozenset[str]:
    """A ';'-separated cell as ids: 'Side lying; STANDING' -> {'side_lying', 'standing'}."""
    if cell.strip().lower() in _NONE_WORDS:
        return frozenset()
    ids = frozenset(
        re.sub(r"[\s-]+", "_", part.strip().lower()) for part in _LIST_SPLIT.split(cell)
    ) - {""}
    if known is not None:
        unknown = sorted(ids - set(known))
        if unknown:
            raise ProfileError(
                name, f"unknown {', '.join(unknown)}; known ids are {', '.join(known)}"
            )
    return ids


def _profile(row: Mapping[str, str]) -> Profile:
    values: dict[str, object] = {}
    for key in _NUMBERS:
        raw = row[key]
        if not raw:
            raise ProfileError(key, "is empty")
        try:
            values[key] = int(raw)
        except ValueError:
            try:
                values[key] = float(raw)  # '4.0' is fine; Profile rejects '4.5'
            except ValueError:
                values[key] = raw  # Profile names the field and the range
    return Profile(
        **values,  # type: ignore[arg-type]
        positions=_ids(row["positions"], None, "positions"),
        equipment=_ids(row["equipment"], None, "equipment"),
        experience=row["experience"].lower() or "beginner",
    )


# --------------------------------------------------------------------------- the plan


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
    course = _course(course)
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


# --------------------------------------------------------------------------- handouts


def handout_html(member: Member) -> str:
    """One person's handout: the export's HTML page, with their name or code on it (escaped)."""
    from .export import to_html

    return to_html(member.routine, name=member.name)


def handout_names(plan: ClassPlan) -> tuple[str, ...]:
    """The file name of each member's handout: '01-ana-b.html', in roster order."""
    from .export import clean_name, slug

    width = max(2, len(str(len(plan.members))))
    return tuple(
        f"{n:0{width}d}-{slug(clean_name(m.name), 'participant')}.html"
        for n, m in enumerate(plan.members, start=1)
    )


def write_handouts(
    plan: ClassPlan, folder: str | os.PathLike[str], progress: Progress | None = None
) -> tuple[Path, ...]:
    """Write one HTML handout per member into ``folder`` (created when missing).

    Each file is written whole or not at all. ``progress(done, total)`` is called once
    before the first file and after each one, for a progress bar.

    Returns
    -------
    tuple of Path
        The files written, in roster order.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    total = len(plan.members)
    if progress is not None:
        progress(0, total)
    from .files import atomic_write  # a temporary file in the folder, then a rename

    written = []
    names = handout_names(plan)
    for done, (member, name) in enumerate(zip(plan.members, names, strict=True), start=1):
        written.append(atomic_write(out / name, handout_html(member).encode("utf-8")))
        if progress is not None:
            progress(done, total)
    return tuple(written)


# --------------------------------------------------------------------------- the report


def report_html(plan: ClassPlan, *, problems: bool = True) -> str:
    """The trainer's summary of a class plan, as an HTML fragment (every name escaped).

    With ``problems=False`` the skipped rows are left out (a widget shows them on their own).
    """
    e = html.escape
    g = plan.course.guidelines
    parts = ['<div class="bc-class-report">']
    n, r, bad = len(plan.members), len(plan.roster.referrals), len(plan.roster.problems)
    parts.append(
        f"<p><strong>{n}</strong> in the group, <strong>{r}</strong> to see a doctor first, "
        f"<strong>{bad}</strong> row{'s' if bad != 1 else ''} skipped.</p>"
    )
    if plan.roster.referrals:
        parts.append("<h4>See a doctor first: no exercises for</h4><ul>")
        for ref in plan.roster.referrals:
            labels = "; ".join(f.label for f in ref.flags)
            tier = plan.course.red_flag_tiers["emergency" if ref.urgent else "see_doctor"]
            parts.append(
                f"<li>line {ref.line}, <strong>{e(ref.name)}</strong> ({e(labels)}): "
                f"{e(tier['title'])}. {e(tier['advice'])}</li>"
            )
        parts.append("</ul>")
    gentle = [
        m
        for m in plan.roster.participants
        if any(plan.course.red_flags[f].tier == "if_not_better" for f in m.profile.red_flags)
    ]
    if gentle:  # the third tier: in the class, and the whole session stays gentle
        tier = plan.course.red_flag_tiers["if_not_better"]
        parts.append(f"<h4>{e(tier['title'])}: in the class, so the session stays gentle</h4><ul>")
        for m in gentle:
            labels = "; ".join(plan.course.red_flags[f].label for f in sorted(m.profile.red_flags))
            parts.append(
                f"<li>line {m.line}, <strong>{e(m.name)}</strong> ({e(labels)}): "
                f"{e(tier['advice'])}</li>"
            )
        parts.append("</ul>")
    if problems and plan.roster.problems:
        parts.append("<h4>Rows skipped: fix them and plan again</h4><ul>")
        parts += [f"<li>{e(str(p))}</li>" for p in plan.roster.problems]
        parts.append("</ul>")
    if plan.notes:
        parts.append("<h4>What shapes the session</h4><ul>")
        parts += [f"<li>{e(note)}</li>" for note in plan.notes]
        parts.append("</ul>")
    if plan.group is not None:
        parts.append(
            f"<h4>The group session: about {plan.group.minutes:.0f} minutes</h4>"
            "<table><thead><tr><th>Part</th><th>Exercise</th><th>Dose</th><th>Minutes</th>"
            "</tr></thead><tbody>"
        )
        for item in plan.group.items:
            parts.append(
                f"<tr><td>{e(g.label('phases', item.phase))}</td><td>{e(item.exercise.name)}"
                f"</td><td>{e(item.dose_text())}</td><td>{item.minutes:.1f}</td></tr>"
            )
        parts.append("</tbody></table>")
    if plan.members:
        parts.append("<h4>Handouts</h4><ul>")
        for member, file in zip(plan.members, handout_names(plan), strict=True):
            swaps = sum(bool(v) for v in member.swaps.values())
            parts.append(
                f"<li>{e(file)}: <strong>{e(member.name)}</strong> (line "
                f"{member.participant.line}), {swaps} exercise{'s' if swaps != 1 else ''} "
                "with a swap ready</li>"
            )
        parts.append("</ul>")
    parts.append("</div>")
    return "\n".join(parts)


# --------------------------------------------------------------------------- trainer notes


def answer_key_html(course: Course | None = None, lessons: Iterable[str] | None = None) -> str:
    """Every quiz's answer and why, lesson by lesson, as HTML for the trainer's notebook.

    Each lesson folds away (``<details>``), so answers on a projector stay hidden until the
    trainer opens them. Each question shows its correct choice with the feedback that
    explains it, then each wrong choice with the feedback that says why it is wrong.
    """
    course = _course(course)
    e = html.escape
    wanted = None if lessons is None else set(lessons)
    titles = {
        str(f.data.get("notebook", "")).removesuffix(".ipynb"): f.title
        for f in course.facts.get("course_map", ())
    }
    order: dict[str, list] = {}
    for q in course.quizzes:
        if wanted is None or q.lesson in wanted:
            order.setdefault(q.lesson, []).append(q)
    parts = ['<div class="bc-answer-key">']
    for lesson, quizzes in order.items():
        title = f"{titles[lesson]} ({lesson})" if lesson in titles else lesson
        n = len(quizzes)
        parts.append(
            f"<details><summary><strong>{e(title)}</strong>: {n} question"
            f"{'s' if n != 1 else ''}</summary><ol>"
        )
        for q in quizzes:
            parts.append(
                f"<li><p><strong>{e(q.question)}</strong></p>"
                f"<p>Answer: <strong>{e(q.answer.text)}</strong><br>{e(q.answer.feedback)}</p>"
                "<ul>"
            )
            parts += [
                f"<li>Not: {e(c.text)}<br><small>{e(c.feedback)}</small></li>"
                for c in q.choices
                if not c.correct
            ]
            labels = "; ".join(course.sources[s].label() for s in q.sources if s in course.sources)
            parts.append(f"</ul><p><small>Sources: {e(labels)}</small></p></li>")
        parts.append("</ol></details>")
    parts.append("</div>")
    return "\n".join(parts)


START_NOTEBOOK = "notebooks/00_start_here.ipynb"
APP_NOTEBOOK = "notebooks/app_routine_builder.ipynb"


def launch_links(
    repo: str, *, branch: str = "main", hub: str | None = None, notebook: str = START_NOTEBOOK
) -> dict[str, str]:
    """The links that open the course with nothing installed.

    Parameters
    ----------
    repo
        Where the course's git repository lives, e.g. ``https://github.com/OWNER/REPO``.
    branch
        The branch to open.
    hub
        A JupyterHub's address (``https://hub.example.org``), for the nbgitpuller link.
    notebook
        The notebook JupyterLab opens, relative to the repository (e.g. the lesson of the
        day); the start notebook by default.

    Returns
    -------
    dict
        ``binder_lab`` (JupyterLab at the notebook), ``binder_app`` (the routine builder as a
        Voila app) and, with a hub, ``nbgitpuller`` (each learner gets their own copy of the
        course on the hub, brought up to date on every click without losing their changes).
    """
    parts = urlsplit(repo)
    path = parts.path.strip("/").removesuffix(".git")
    if parts.netloc == "github.com" and path.count("/") == 1:
        binder = f"https://mybinder.org/v2/gh/{path}/{branch}"
    else:
        binder = f"https://mybinder.org/v2/git/{quote(repo, safe='')}/{branch}"
    links = {
        "binder_lab": f"{binder}?urlpath=lab/tree/{notebook}",
        "binder_app": f"{binder}?urlpath=voila/render/{APP_NOTEBOOK}",
    }
    if hub is not None:
        folder = path.rsplit("/", 1)[-1] or "course"
        query = urlencode(
            {"repo": repo, "branch": branch, "urlpath": f"lab/tree/{folder}/{notebook}"},
            safe="/:",  # readable, and still a valid query
        )
        links["nbgitpuller"] = f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"
    return links


__all__ = [
    "ROSTER_COLUMNS",
    "ClassPlan",
    "Member",
    "Participant",
    "Referral",
    "Roster",
    "RosterProblem",
    "answer_key_html",
    "handout_html",
    "handout_names",
    "launch_links",
    "parse_roster",
    "plan_class",
    "read_roster",
    "report_html",
    "roster_template",
    "strictest",
    "write_handouts",
]
