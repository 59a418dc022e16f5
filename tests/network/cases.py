"""Hand-made plain rows for the network tests: small cases whose answers can be counted."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import Any

from governance.cases.snapshot import (
    AttendanceRow,
    CaseData,
    CommitmentRow,
    MeetingRow,
    ParticipationRow,
    RelationshipRow,
    StakeholderRow,
    StatusStep,
    TrustEventRow,
)
from governance.vocab import (
    AttendanceRole,
    CommitmentStatus,
    MeetingMode,
    MeetingStatus,
    ParticipationRole,
    RelationshipType,
    Sector,
    StakeholderKind,
    TrustEventKind,
    TrustForm,
    Valence,
)


def day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def stakeholder(id: int, sector: Sector = Sector.CIVIL_SOCIETY, name: str = "") -> StakeholderRow:
    return StakeholderRow(id, name or f"Stakeholder {id}", StakeholderKind.ORGANISATION, sector)


def meeting(
    id: int,
    on: str,
    attendees: Iterable[int],
    *,
    status: MeetingStatus = MeetingStatus.HELD,
    absent: Iterable[int] = (),
) -> MeetingRow:
    seats = [AttendanceRow(s, True, True, AttendanceRole.PARTICIPANT) for s in attendees]
    seats += [AttendanceRow(s, True, False, AttendanceRole.PARTICIPANT) for s in absent]
    starts = dt.datetime.combine(day(on), dt.time(10), tzinfo=dt.UTC)
    return MeetingRow(
        id, 1, f"Meeting {id}", starts, None, MeetingMode.HYBRID, status, None, tuple(seats)
    )


def commitment(
    id: int,
    owner: int,
    counterpart: int | None,
    made_on: str,
    *steps: tuple[CommitmentStatus, str],
) -> CommitmentRow:
    history = (
        StatusStep(CommitmentStatus.OPEN, day(made_on)),
        *(StatusStep(status, day(on)) for status, on in steps),
    )
    return CommitmentRow(
        id, None, owner, counterpart, "", day(made_on), None, history[-1].to_status, None, history
    )


def trust(
    id: int, actor: int, target: int | None, on: str, valence: Valence, severity: int
) -> TrustEventRow:
    return TrustEventRow(
        id,
        None,
        day(on),
        actor,
        target,
        TrustEventKind.OTHER,
        TrustForm.RATIONAL,
        valence,
        severity,
    )


def relationship(
    id: int,
    source: int,
    type: RelationshipType,
    target: int,
    *,
    started: str | None = None,
    ended: str | None = None,
    strength: int = 2,
) -> RelationshipRow:
    return RelationshipRow(
        id,
        source,
        target,
        type,
        day(started) if started else None,
        day(ended) if ended else None,
        strength,
    )


def participation(stakeholder_id: int, joined: str | None = None) -> ParticipationRow:
    return ParticipationRow(
        stakeholder_id, ParticipationRole.PARTICIPANT, day(joined) if joined else None, None, "", ""
    )


def make_case(**rows: Any) -> CaseData:
    """A case of the given rows; stakeholders default to everyone the rows name."""
    values: dict[str, Any] = {
        "collaboration_id": 1,
        "name": "Test case",
        "started_on": day("2020-01-01"),
        "ended_on": None,
        "participations": (),
        "forums": (),
        "meetings": (),
        "decisions": (),
        "commitments": (),
        "trust_events": (),
        "outcomes": (),
        "relationships": (),
        "assessments": (),
    }
    values |= {k: tuple(v) if isinstance(v, list) else v for k, v in rows.items()}
    if "stakeholders" not in rows:
        named: set[int] = set()
        for m in values["meetings"]:
            named.update(a.stakeholder_id for a in m.attendance)
        for c in values["commitments"]:
            named.update(i for i in (c.owner_id, c.counterpart_id) if i is not None)
        for t in values["trust_events"]:
            named.update(i for i in (t.actor_id, t.target_id) if i is not None)
        for r in values["relationships"]:
            named.update((r.source_id, r.target_id))
        named.update(p.stakeholder_id for p in values["participations"])
        values["stakeholders"] = {i: stakeholder(i) for i in sorted(named)}
    return CaseData(**values)


def random_case(seed: int, actors: int = 40) -> CaseData:
    """A case with every kind of row, some ties repeated, across three years."""
    rng = random.Random(seed)
    sectors = list(Sector)

    def some_day() -> str:
        return f"{rng.randint(2020, 2022)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

    def someone() -> int:
        return rng.randint(1, actors)

    types = list(RelationshipType)
    return make_case(
        stakeholders={i: stakeholder(i, rng.choice(sectors)) for i in range(1, actors + 1)},
        participations=[participation(i, joined=some_day()) for i in range(1, actors, 3)],
        meetings=[
            meeting(
                i,
                some_day(),
                {someone() for _ in range(rng.randint(1, 6))},
                status=rng.choice([MeetingStatus.HELD, MeetingStatus.HELD, MeetingStatus.PLANNED]),
            )
            for i in range(1, 30)
        ],
        relationships=[
            relationship(
                i,
                someone(),
                rng.choice(types),
                someone(),
                started=some_day() if rng.random() < 0.7 else None,
                ended=some_day() if rng.random() < 0.3 else None,
                strength=rng.randint(1, 3),
            )
            for i in range(1, 80)
        ],
        commitments=[
            commitment(
                i,
                someone(),
                someone() if rng.random() < 0.9 else None,
                "2020-01-15",
                *([(CommitmentStatus.FULFILLED, some_day())] if rng.random() < 0.5 else []),
            )
            for i in range(1, 60)
        ],
        trust_events=[
            trust(
                i,
                someone(),
                someone() if rng.random() < 0.9 else None,
                some_day(),
                rng.choice(list(Valence)),
                rng.randint(1, 3),
            )
            for i in range(1, 60)
        ],
    )
