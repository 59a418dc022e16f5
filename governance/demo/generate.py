"""A large synthetic collaboration, seeded and reproducible, for measuring collabgov at scale.

A national coalition or a researcher comparing many forums holds thousands of
stakeholders and tens of thousands of meetings; this module writes such a case so the
benchmark (``bench/scale_bench.py``) and the bounded-query test measure the app on it.
By default: 5,000 stakeholders, 50 forums, 20,000 meetings, 300,000 attendance rows,
20,000 commitments with their histories, 20,000 trust events and 2,000 outcomes with
measurements, spread over one collaboration (``collaborations`` spreads them over more).

The data looks like a real case: Indonesian-looking organisation and person names
across the eight sectors, forums established over several years that meet regularly
until the horizon, attendance concentrated on each forum's core group with a long tail
of occasional participants, commitments made at meetings by attendees whose status
histories follow :data:`governance.vocab.COMMITMENT_TRANSITIONS` (older commitments more
often closed), trust events between attendees whose valence fits their kind, and an
outcome tree whose measurements move from baseline toward target.

Rows are written with bulk inserts (``insert(Model)`` in batches), not one ``records.add``
per row: 400,000 rows through the ORM unit of work would take the better part of an hour.
The bulk path keeps every rule the services enforce — valid codes, live references of the
same collaboration, ``version`` 1, ``created_at``/``updated_at``, dates in order and never
after today, one live participation per stakeholder and collaboration, the attendance
pair unique — but the audit log gets **one summary entry per table and batch** (action
``create``, no ``record_id``, ``changes`` naming the rows, their id range and the seed)
instead of one entry per row. The collaborations themselves go through
:func:`governance.records.add`, so each has its ordinary creation entry.

The same seed and sizes give the same records (ids aside, when the database already
held others); the timestamps are those of the run. The caller commits.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from governance import records
from governance.audit import service as audit
from governance.audit.service import Actor
from governance.base import Record, utcnow
from governance.models import (
    Attendance,
    Collaboration,
    Commitment,
    CommitmentStatusChange,
    Decision,
    Forum,
    ForumCriterion,
    Measurement,
    Meeting,
    Outcome,
    Participation,
    Relationship,
    Stakeholder,
    TrustEvent,
    outcome_commitments,
    outcome_meetings,
)
from governance.stakeholders import service as stakeholder_service
from governance.vocab import (
    COMMITMENT_TRANSITIONS,
    AttendanceRole,
    CollaborationStatus,
    CommitmentStatus,
    Criterion,
    CriterionRating,
    DecisionKind,
    DecisionRule,
    GroundRule,
    Inclusiveness,
    MeetingMode,
    MeetingStatus,
    OutcomeLevel,
    ParticipationRole,
    RelationshipType,
    Sector,
    StakeholderKind,
    TrustEventKind,
    TrustForm,
    Valence,
)

GENERATOR_ACTOR = Actor("generator")

#: Rows per INSERT batch, and per summary audit entry.
BATCH = 20_000
#: The generated case runs from here to :data:`LAST_DAY` (or today, if that is earlier).
FIRST_DAY = dt.date(2018, 1, 1)
LAST_DAY = dt.date(2026, 10, 31)
#: Meetings after this many days before the horizon are still planned, not yet held.
PLANNED_DAYS = 45


@dataclass(frozen=True)
class Sizes:
    """How much to generate; the defaults are the issue's "large case"."""

    stakeholders: int = 5_000
    forums: int = 50
    meetings: int = 20_000
    attendance: int = 300_000
    commitments: int = 20_000
    trust_events: int = 20_000
    outcomes: int = 2_000
    relationships: int = 5_000
    collaborations: int = 1

    def problems(self) -> dict[str, str]:
        """What is impossible about these sizes, by option name; empty when they are fine."""
        errors: dict[str, str] = {}
        for name in ("stakeholders", "forums", "collaborations"):
            if getattr(self, name) < 1:
                errors[name] = "must be at least 1"
        for name in (
            "meetings",
            "attendance",
            "commitments",
            "trust_events",
            "outcomes",
            "relationships",
        ):
            if getattr(self, name) < 0:
                errors[name] = "must not be negative"
        if errors:  # the checks below compare sizes, and need each one to make sense
            return errors
        if self.stakeholders < 2 and (self.commitments or self.trust_events or self.relationships):
            errors["stakeholders"] = "must be at least 2 for commitments, trust events or ties"
        if self.forums < self.collaborations:
            errors["forums"] = f"must be at least --collaborations ({self.collaborations})"
        if self.attendance and not self.meetings:
            errors["attendance"] = "needs meetings"
        elif self.attendance > self.meetings * self.stakeholders:
            errors["attendance"] = (
                f"at most meetings × stakeholders ({self.meetings * self.stakeholders:,}): "
                "a stakeholder attends a meeting once"
            )
        if (self.commitments or self.trust_events) and not self.meetings:
            errors["meetings"] = "must be at least 1 for commitments and trust events"
        return errors


@dataclass
class GenerateResult:
    """What was generated: the collaborations' ids, rows per table, and how long it took."""

    collaboration_ids: list[int]
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def summary(self) -> str:
        """Lines for people: the collaborations, the count of each table and the time."""
        ids = ", ".join(str(i) for i in self.collaboration_ids)
        lines = [f"generated collaboration{'s' if len(self.collaboration_ids) > 1 else ''} {ids}"]
        width = max(len(name) for name in self.counts) if self.counts else 0
        lines += [f"  {name.ljust(width)}  {n:>9,}" for name, n in self.counts.items()]
        lines.append(f"in {self.seconds:.1f} s")
        return "\n".join(lines)


def case_name(seed: int, index: int, sizes: Sizes) -> str:
    """The name of the ``index``-th generated collaboration (1-based) for a seed and size."""
    return (
        f"Kolaborasi Sintetis {index} (seed {seed}, {sizes.stakeholders:,} stakeholders, "
        f"{sizes.meetings:,} meetings)"
    )


def existing_case(session: Session, *, seed: int, sizes: Sizes) -> int | None:
    """The id of the first collaboration these arguments would generate, if already there."""
    return session.scalar(
        select(Collaboration.id)
        .where(Collaboration.name == case_name(seed, 1, sizes))
        .order_by(Collaboration.id)
        .limit(1)
    )


def generate(
    session: Session, *, sizes: Sizes, seed: int = 1, actor: Actor = GENERATOR_ACTOR
) -> GenerateResult:
    """Write a synthetic case of ``sizes``; the caller commits.

    Raises ``ValueError`` naming the option when the sizes are impossible.
    """
    errors = sizes.problems()
    if errors:
        raise ValueError("; ".join(f"--{k.replace('_', '-')}: {v}" for k, v in errors.items()))
    began = time.perf_counter()
    generator = _Generator(session, sizes, seed, actor)
    generator.run()
    return GenerateResult(
        collaboration_ids=generator.collaboration_ids,
        counts=generator.counts,
        seconds=time.perf_counter() - began,
    )


# --- Names -----------------------------------------------------------------------------------

PLACES = (
    "Jakarta Utara", "Jakarta Timur", "Jakarta Barat", "Jakarta Selatan", "Jakarta Pusat",
    "Bekasi", "Depok", "Bogor", "Tangerang", "Bandung", "Semarang", "Surabaya", "Medan",
    "Makassar", "Palembang", "Yogyakarta", "Malang", "Padang", "Pontianak", "Kupang",
    "Ambon", "Mataram", "Banjarmasin", "Manado", "Jayapura", "Cirebon", "Tasikmalaya",
    "Solo", "Kediri", "Jember", "Lampung", "Pekanbaru", "Jambi", "Bengkulu", "Serang",
)  # fmt: skip
AGENCIES = (
    "Dinas Sosial", "Dinas Kesehatan", "Dinas Kependudukan dan Pencatatan Sipil",
    "Badan Perencanaan Pembangunan Daerah", "Dinas Pendidikan", "Dinas Perumahan",
    "Kantor Kelurahan", "Kantor Kecamatan", "Dinas Tenaga Kerja", "Badan Pusat Statistik",
    "Dinas Ketahanan Pangan", "Inspektorat Daerah",
)  # fmt: skip
WORDS = (
    "Harapan", "Bangsa", "Sejahtera", "Mandiri", "Peduli", "Rakyat", "Nusantara", "Adil",
    "Makmur", "Bersatu", "Karya", "Cahaya", "Lestari", "Merdeka", "Warga", "Gotong Royong",
    "Pelita", "Sentosa", "Amanah", "Bhakti", "Insan", "Mulia", "Pertiwi", "Swadaya",
)  # fmt: skip
GIVEN = (
    "Budi", "Siti", "Agus", "Dewi", "Rina", "Joko", "Sri", "Ahmad", "Nur", "Wahyu", "Indah",
    "Hendra", "Putri", "Rudi", "Yuni", "Bambang", "Fitri", "Eko", "Ayu", "Dian", "Teguh",
    "Lestari", "Rizky", "Maya", "Slamet", "Ratna", "Andi", "Wulan", "Fajar", "Kartika",
)  # fmt: skip
FAMILY = (
    "Santoso", "Wijaya", "Saputra", "Hidayat", "Kusuma", "Pratama", "Nugroho", "Setiawan",
    "Siregar", "Nasution", "Lubis", "Harahap", "Simanjuntak", "Wibowo", "Susanto",
    "Rahman", "Hakim", "Purnomo", "Gunawan", "Halim", "Tanjung", "Sembiring", "Manurung",
)  # fmt: skip

#: Shares of the registry by sector: a coalition of civil society and communities
#: working with government, with a few firms, universities, media and donors.
SECTOR_WEIGHTS: dict[Sector, int] = {
    Sector.GOVERNMENT: 14,
    Sector.CIVIL_SOCIETY: 30,
    Sector.COMMUNITY: 32,
    Sector.PRIVATE: 8,
    Sector.ACADEMIC: 7,
    Sector.MEDIA: 4,
    Sector.DONOR: 3,
    Sector.OTHER: 2,
}

_PREFIXES: dict[Sector, tuple[str, ...]] = {
    Sector.CIVIL_SOCIETY: ("Yayasan", "Lembaga", "Perkumpulan", "Serikat", "Forum"),
    Sector.COMMUNITY: ("Komunitas", "Paguyuban", "Kelompok Warga", "Karang Taruna", "RW"),
    Sector.PRIVATE: ("PT", "CV", "Koperasi"),
    Sector.ACADEMIC: ("Universitas", "Pusat Studi", "Institut"),
    Sector.MEDIA: ("Harian", "Radio", "Portal Berita"),
    Sector.DONOR: ("Dana", "Yayasan Filantropi"),
    Sector.OTHER: ("Gerakan", "Jaringan"),
}


def _stakeholder_name(rng: random.Random, sector: Sector, kind: StakeholderKind) -> str:
    place = rng.choice(PLACES)
    if kind is StakeholderKind.PERSON:
        return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    if sector is Sector.GOVERNMENT:
        return f"{rng.choice(AGENCIES)} {place}"
    words = " ".join(rng.sample(WORDS, 2))
    return f"{rng.choice(_PREFIXES[sector])} {words} {place}"


# --- The generator ---------------------------------------------------------------------------


def _weighted(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _split(total: int, parts: int, rng: random.Random, *, spread: float = 0.5) -> list[int]:
    """``total`` split into ``parts`` non-negative shares that vary by about ±``spread``."""
    if parts == 0:
        return []
    weights = [1 + spread * (2 * rng.random() - 1) for _ in range(parts)]
    scale = total / sum(weights)
    shares = [int(w * scale) for w in weights]
    for index in rng.sample(range(parts), total - sum(shares)):
        shares[index] += 1
    return shares


#: What a trust event of each kind usually is: its form of trust and valence.
_TRUST_KINDS: dict[TrustEventKind, tuple[int, TrustForm, Valence]] = {
    TrustEventKind.INFORMATION_SHARED: (22, TrustForm.PROCEDURAL, Valence.POSITIVE),
    TrustEventKind.PROMISE_KEPT: (18, TrustForm.RATIONAL, Valence.POSITIVE),
    TrustEventKind.JOINT_ACTION: (14, TrustForm.AFFINITIVE, Valence.POSITIVE),
    TrustEventKind.RECOGNITION: (8, TrustForm.AFFINITIVE, Valence.POSITIVE),
    TrustEventKind.APOLOGY: (3, TrustForm.AFFINITIVE, Valence.POSITIVE),
    TrustEventKind.PROMISE_BROKEN: (10, TrustForm.RATIONAL, Valence.NEGATIVE),
    TrustEventKind.PUBLIC_CRITICISM: (9, TrustForm.PROCEDURAL, Valence.NEGATIVE),
    TrustEventKind.PROTEST: (4, TrustForm.DISPOSITIONAL, Valence.NEGATIVE),
    TrustEventKind.ALTERNATIVE_VENUE: (3, TrustForm.PROCEDURAL, Valence.NEGATIVE),
    TrustEventKind.CONFLICT: (6, TrustForm.DISPOSITIONAL, Valence.NEGATIVE),
    TrustEventKind.OTHER: (3, TrustForm.DISPOSITIONAL, Valence.POSITIVE),
}

#: How a commitment moves on from each status (weights), and to stay put.
_NEXT_STATUS: dict[CommitmentStatus, dict[CommitmentStatus | None, int]] = {
    CommitmentStatus.OPEN: {
        CommitmentStatus.IN_PROGRESS: 45,
        CommitmentStatus.FULFILLED: 20,
        CommitmentStatus.PARTLY_FULFILLED: 8,
        CommitmentStatus.BROKEN: 8,
        CommitmentStatus.WITHDRAWN: 6,
        None: 13,
    },
    CommitmentStatus.IN_PROGRESS: {
        CommitmentStatus.FULFILLED: 50,
        CommitmentStatus.PARTLY_FULFILLED: 15,
        CommitmentStatus.BROKEN: 10,
        CommitmentStatus.WITHDRAWN: 5,
        None: 20,
    },
    CommitmentStatus.PARTLY_FULFILLED: {
        CommitmentStatus.FULFILLED: 35,
        CommitmentStatus.IN_PROGRESS: 15,
        CommitmentStatus.BROKEN: 5,
        None: 45,
    },
    CommitmentStatus.BROKEN: {CommitmentStatus.IN_PROGRESS: 20, None: 80},
    CommitmentStatus.FULFILLED: {None: 1},
    CommitmentStatus.WITHDRAWN: {None: 1},
}

_COMMITMENT_TEXTS = (
    "Share the updated list of aid recipients for {place}",
    "Verify {n} households reported as missed in {place}",
    "Publish the distribution schedule for {place}",
    "Train {n} volunteers to run the social audit in {place}",
    "Send the complaint data of {place} to the welfare database team",
    "Hold a public hearing on aid targeting in {place}",
    "Fix the {n} duplicate entries found in the {place} register",
    "Report on the follow-up of complaints from {place}",
)
_OUTCOME_TITLES: dict[OutcomeLevel, tuple[str, ...]] = {
    OutcomeLevel.OUTCOME: (
        "Aid reaches every eligible household in {place}",
        "Welfare register of {place} matches the field audit",
    ),
    OutcomeLevel.SMALL_WIN: (
        "Complaints desk opened in {place}",
        "First corrected batch of recipients in {place}",
    ),
    OutcomeLevel.STRATEGIC_PLAN: ("Joint targeting plan for {place}",),
    OutcomeLevel.JOINT_FACT_FINDING: ("Joint social audit of {place}",),
}


class _Generator:
    """Builds the rows in dependency order and inserts each table in batches."""

    def __init__(self, session: Session, sizes: Sizes, seed: int, actor: Actor) -> None:
        self.session = session
        self.sizes = sizes
        self.seed = seed
        self.actor = actor
        self.rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not secrets
        self.now = utcnow()
        self.horizon = min(LAST_DAY, dt.date.today())
        self.counts: Counter[str] = Counter()
        self.collaboration_ids: list[int] = []

    # -- writing --

    def stamp(self, row: dict[str, Any]) -> dict[str, Any]:
        """The columns every record shares, on a row of a record table."""
        row["created_at"] = self.now
        row["updated_at"] = self.now
        row["version"] = 1
        return row

    def insert(self, model: type[Record], rows: Sequence[dict[str, Any]]) -> list[int]:
        """Insert record rows in batches; their new ids, in the order of ``rows``."""
        ids: list[int] = []
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            new = list(
                self.session.scalars(
                    insert(model).returning(model.id, sort_by_parameter_order=True), batch
                )
            )
            ids += new
            self._summarise(model.record_type, len(batch), new[0], new[-1])
        self.counts[model.record_type] += len(rows)
        return ids

    def insert_children(
        self, target: type[Any] | Table, name: str, rows: list[dict[str, Any]]
    ) -> None:
        """Insert rows of a child table (attendance, history, links) in batches."""
        table = target if isinstance(target, Table) else target.__table__
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            self.session.execute(insert(table), batch)
            self._summarise(name, len(batch), None, None)
        self.counts[name] += len(rows)

    def _summarise(self, name: str, rows: int, first: int | None, last: int | None) -> None:
        generated: dict[str, Any] = {"rows": rows, "seed": self.seed}
        if first is not None:
            generated["ids"] = [first, last]
        audit.record(
            self.session,
            actor=self.actor,
            action="create",
            record_type=name,
            record_id=None,
            changes={"generated": [None, generated]},
        )

    # -- dates --

    def day_between(self, first: dt.date, last: dt.date) -> dt.date:
        span = max(0, (last - first).days)
        return first + dt.timedelta(days=self.rng.randint(0, span))

    # -- the case --

    def run(self) -> None:
        self.add_collaborations()
        self.add_stakeholders()
        self.add_relationships()
        self.add_participations()
        self.add_forums()
        self.add_meetings()
        self.add_commitments()
        self.add_trust_events()
        self.add_outcomes()
        self.session.flush()

    def add_collaborations(self) -> None:
        for index in range(1, self.sizes.collaborations + 1):
            collaboration = records.add(
                self.session,
                Collaboration(
                    name=case_name(self.seed, index, self.sizes),
                    description=(
                        "A synthetic collaboration generated to measure collabgov at scale: "
                        "social-assistance targeting fixed jointly by agencies, civil society "
                        f"and communities across {len(PLACES)} cities."
                    ),
                    policy_domain="Social assistance (synthetic)",
                    place="Indonesia",
                    started_on=FIRST_DAY,
                    status=CollaborationStatus.ACTIVE,
                ),
                actor=self.actor,
            )
            self.collaboration_ids.append(collaboration.id)
        self.counts["collaboration"] += self.sizes.collaborations

    def add_stakeholders(self) -> None:
        rng = self.rng
        rows: list[dict[str, Any]] = []
        self.sectors: list[Sector] = []
        for _ in range(self.sizes.stakeholders):
            sector = _weighted(rng, SECTOR_WEIGHTS)
            kind = (
                StakeholderKind.PERSON
                if sector is not Sector.GOVERNMENT and rng.random() < 0.15
                else rng.choices(
                    [
                        StakeholderKind.ORGANISATION,
                        StakeholderKind.COALITION,
                        StakeholderKind.GROUP,
                    ],
                    weights=[85, 5, 10],
                )[0]
            )
            name = _stakeholder_name(rng, sector, kind)
            aliases = [_acronym(name)] if kind is not StakeholderKind.PERSON else []
            resources = {
                key: rng.randint(2, 4) if sector is Sector.GOVERNMENT else rng.randint(0, 3)
                for key in ("authority", "staff", "budget", "data_access", "knowledge")
            }
            handle = records.fold(name).replace(" ", ".")[:40]
            rows.append(
                self.stamp(
                    {
                        "name": name,
                        "aliases": aliases,
                        "kind": kind,
                        "sector": sector,
                        "description": f"Synthetic {sector.value.replace('_', ' ')} {kind.value}.",
                        "resources": resources,
                        "contact": {"email": f"{handle}@contoh.id"},
                        "search_key": stakeholder_service.search_key(name, aliases),
                    }
                )
            )
            self.sectors.append(sector)
        self.stakeholder_ids = self.insert(Stakeholder, rows)
        # Popularity: a few stakeholders turn up everywhere, most rarely (Zipf-like).
        self.popularity = [1 / (rank + 1) ** 0.8 for rank in range(len(self.stakeholder_ids))]
        rng.shuffle(self.popularity)
        # Which collaborations each stakeholder takes part in: one, and a tenth in a second.
        count = self.sizes.collaborations
        self.members: list[list[int]] = [[] for _ in range(count)]
        for position in range(len(self.stakeholder_ids)):
            first = position % count
            self.members[first].append(position)
            if count > 1 and rng.random() < 0.1:
                self.members[(first + 1 + rng.randrange(count - 1)) % count].append(position)

    def add_relationships(self) -> None:
        rng = self.rng
        n = len(self.stakeholder_ids)
        if n < 2:
            return
        types = {
            RelationshipType.MEMBER_OF: 30,
            RelationshipType.ALLIED_WITH: 20,
            RelationshipType.SHARES_DATA_WITH: 12,
            RelationshipType.ADVISES: 10,
            RelationshipType.REPORTS_TO: 8,
            RelationshipType.FUNDS: 6,
            RelationshipType.REPRESENTS: 6,
            RelationshipType.IN_CONFLICT_WITH: 5,
            RelationshipType.OTHER: 3,
        }
        rows = []
        for _ in range(self.sizes.relationships):
            source = rng.randrange(n)
            target = (source + 1 + rng.randrange(min(n - 1, 60))) % n  # mostly local ties
            started = self.day_between(dt.date(2012, 1, 1), self.horizon)
            ended = self.day_between(started, self.horizon) if rng.random() < 0.1 else None
            rows.append(
                self.stamp(
                    {
                        "source_id": self.stakeholder_ids[source],
                        "target_id": self.stakeholder_ids[target],
                        "type": _weighted(rng, types),
                        "started_on": started,
                        "ended_on": ended,
                        "strength": rng.randint(1, 3),
                        "note": "",
                    }
                )
            )
        self.insert(Relationship, rows)

    def add_participations(self) -> None:
        rng = self.rng
        roles = {
            ParticipationRole.PARTICIPANT: 70,
            ParticipationRole.AFFECTED_GROUP: 15,
            ParticipationRole.OBSERVER: 10,
            ParticipationRole.FACILITATOR: 3,
            ParticipationRole.CONVENER: 2,
        }
        rows = []
        for collaboration_id, members in zip(self.collaboration_ids, self.members, strict=True):
            for position in members:
                role = (
                    ParticipationRole.CONVENER
                    if self.sectors[position] is Sector.GOVERNMENT and rng.random() < 0.05
                    else _weighted(rng, roles)
                )
                rows.append(
                    self.stamp(
                        {
                            "collaboration_id": collaboration_id,
                            "stakeholder_id": self.stakeholder_ids[position],
                            "role": role,
                            "joined_on": self.day_between(FIRST_DAY, dt.date(2022, 12, 31)),
                            "left_on": None,
                            "incentives": "",
                            "constraints": "",
                        }
                    )
                )
        self.insert(Participation, rows)

    def add_forums(self) -> None:
        rng = self.rng
        rows = []
        self.forum_collaboration: list[int] = []
        self.forum_established: list[dt.date] = []
        self.forum_core: list[list[int]] = []
        for index in range(self.sizes.forums):
            which = index % self.sizes.collaborations
            members = self.members[which]
            government = [p for p in members if self.sectors[p] is Sector.GOVERNMENT] or members
            civic = [p for p in members if self.sectors[p] is Sector.CIVIL_SOCIETY] or members
            established = self.day_between(FIRST_DAY, dt.date(2022, 6, 30))
            place = PLACES[index % len(PLACES)]
            # The core group: 15–40 members who come to most meetings.
            core = rng.sample(members, min(len(members), rng.randint(15, 40)))
            self.forum_core.append(core)
            self.forum_collaboration.append(self.collaboration_ids[which])
            self.forum_established.append(established)
            rows.append(
                self.stamp(
                    {
                        "collaboration_id": self.collaboration_ids[which],
                        "name": f"Forum Bansos {place} {index + 1}",
                        "purpose": f"Fix social-assistance targeting in {place} together.",
                        "convener_id": self.stakeholder_ids[rng.choice(government)],
                        "facilitator_id": self.stakeholder_ids[rng.choice(civic)],
                        "established_on": established,
                        "closed_on": None,
                        "inclusiveness": rng.choice(list(Inclusiveness)),
                        "decision_rule": rng.choices(list(DecisionRule), weights=[60, 15, 20, 5])[
                            0
                        ],
                        "ground_rules": {rule.value: rng.random() < 0.7 for rule in GroundRule},
                        "public": rng.random() < 0.4,
                    }
                )
            )
        self.forum_ids = self.insert(Forum, rows)
        criteria = [
            {
                "forum_id": forum_id,
                "criterion": criterion,
                "position": position,
                "rating": rng.choices(list(CriterionRating), weights=[60, 30, 10])[0],
                "note": "",
                "updated_at": self.now,
            }
            for forum_id in self.forum_ids
            for position, criterion in enumerate(Criterion)
        ]
        self.insert_children(ForumCriterion, "forum_criterion", criteria)

    def add_meetings(self) -> None:
        rng = self.rng
        per_forum = _split(self.sizes.meetings, len(self.forum_ids), rng)
        planned_after = self.horizon - dt.timedelta(days=PLANNED_DAYS)
        rows: list[dict[str, Any]] = []
        forum_of: list[int] = []
        for forum, count in enumerate(per_forum):
            first = dt.datetime.combine(self.forum_established[forum], dt.time(2), tzinfo=dt.UTC)
            last = dt.datetime.combine(self.horizon, dt.time(2), tzinfo=dt.UTC)
            gap = (last - first) / max(count, 1)
            for number in range(count):
                # Regular meetings (the gap) with a few days of jitter, at 09:00–14:00 WIB.
                moment = first + gap * number + dt.timedelta(hours=rng.randint(0, 5))
                moment += dt.timedelta(days=rng.uniform(0, min(gap.days, 6)))
                moment = min(moment, last)
                day = moment.date()
                status = (
                    MeetingStatus.PLANNED
                    if day > planned_after
                    else MeetingStatus.CANCELLED
                    if rng.random() < 0.04
                    else MeetingStatus.HELD
                )
                held = status is MeetingStatus.HELD
                circulated = day + dt.timedelta(days=rng.randint(0, 14)) if held else None
                rows.append(
                    self.stamp(
                        {
                            "forum_id": self.forum_ids[forum],
                            "collaboration_id": self.forum_collaboration[forum],
                            "title": f"Rapat koordinasi {number + 1}",
                            "starts_at": moment,
                            "ends_at": moment + dt.timedelta(hours=rng.choice((1, 2, 2, 3))),
                            "mode": rng.choices(list(MeetingMode), weights=[50, 30, 20])[0],
                            "location": "Balai Kota" if rng.random() < 0.5 else "",
                            "agenda": "1. Data penerima\n2. Pengaduan\n3. Tindak lanjut",
                            "minutes": (
                                f"Rapat ke-{number + 1}: data dan pengaduan dibahas."
                                if held
                                else ""
                            ),
                            "minutes_circulated_on": (
                                min(circulated, self.horizon) if circulated else None
                            ),
                            "status": status,
                        }
                    )
                )
                forum_of.append(forum)
        self.meeting_ids = self.insert(Meeting, rows)
        self.meeting_forum = forum_of
        self.meeting_day = [row["starts_at"].date() for row in rows]
        self.meeting_held = [row["status"] is MeetingStatus.HELD for row in rows]
        self.add_attendance()
        self.add_decisions()

    def add_attendance(self) -> None:
        """Per meeting, mostly the forum's core group, the rest from the wider membership
        weighted by popularity; the first seat chairs."""
        rng = self.rng
        sizes = _split(self.sizes.attendance, len(self.meeting_ids), rng)
        pools: dict[int, tuple[list[int], list[float]]] = {}
        rows: list[dict[str, Any]] = []
        self.attendees: list[list[int]] = []
        for meeting, size in enumerate(sizes):
            forum = self.meeting_forum[meeting]
            core = self.forum_core[forum]
            which = self.collaboration_ids.index(self.forum_collaboration[forum])
            if which not in pools:
                members = self.members[which]
                pools[which] = (members, [self.popularity[p] for p in members])
            members, weights = pools[which]
            size = min(size, len(members))
            from_core = min(len(core), round(size * 0.7))
            chosen = dict.fromkeys(rng.sample(core, from_core))
            while len(chosen) < size:
                for position in rng.choices(members, weights=weights, k=size - len(chosen)):
                    chosen.setdefault(position)
            held = self.meeting_held[meeting]
            seats = list(chosen)[:size]
            present = [p for p in seats if held and rng.random() < 0.92]
            self.attendees.append(present)
            meeting_id = self.meeting_ids[meeting]
            for seat, position in enumerate(seats):
                rows.append(
                    {
                        "meeting_id": meeting_id,
                        "stakeholder_id": self.stakeholder_ids[position],
                        "invited": True,
                        "attended": position in present,
                        "role": AttendanceRole.CHAIR
                        if seat == 0
                        else AttendanceRole.FACILITATOR
                        if seat == 1
                        else AttendanceRole.PARTICIPANT,
                        "represented_by": "",
                    }
                )
        self.insert_children(Attendance, "attendance", rows)

    def add_decisions(self) -> None:
        rng = self.rng
        rows = []
        self.decision_meeting: list[int] = []
        for meeting, held in enumerate(self.meeting_held):
            if not held:
                continue
            for _ in range(rng.choices((0, 1, 2), weights=(50, 35, 15))[0]):
                rows.append(
                    self.stamp(
                        {
                            "meeting_id": self.meeting_ids[meeting],
                            "text": "Data penerima diperbarui bersama sebelum penyaluran berikut.",
                            "rationale": "",
                            "by_consensus": rng.random() < 0.85,
                            "kind": rng.choices(list(DecisionKind), weights=(90, 7, 3))[0],
                        }
                    )
                )
                self.decision_meeting.append(meeting)
        self.decision_ids = self.insert(Decision, rows)
        self.decisions_at: dict[int, list[int]] = {}
        for decision_id, meeting in zip(self.decision_ids, self.decision_meeting, strict=True):
            self.decisions_at.setdefault(meeting, []).append(decision_id)

    def _pair_at(self, meeting: int) -> tuple[int, int | None]:
        """An attendee of ``meeting`` and, usually, another one: owner/actor and counterpart."""
        rng = self.rng
        present = self.attendees[meeting] or self.forum_core[self.meeting_forum[meeting]]
        first = rng.choice(present)
        others = [p for p in present[:12] if p != first]
        second = rng.choice(others) if others and rng.random() < 0.8 else None
        return (
            self.stakeholder_ids[first],
            None if second is None else self.stakeholder_ids[second],
        )

    def _held_meetings(self) -> list[int]:
        held = [m for m, is_held in enumerate(self.meeting_held) if is_held]
        return held or list(range(len(self.meeting_ids)))

    def add_commitments(self) -> None:
        rng = self.rng
        held = self._held_meetings()
        rows: list[dict[str, Any]] = []
        histories: list[list[dict[str, Any]]] = []
        self.commitment_meeting: list[int] = []
        for _ in range(self.sizes.commitments):
            meeting = rng.choice(held)
            owner, counterpart = self._pair_at(meeting)
            made = min(self.meeting_day[meeting], self.horizon)
            due = made + dt.timedelta(days=rng.choice((14, 30, 30, 60, 90, 120)))
            steps = self._history(made)
            status = steps[-1]["to_status"]
            decisions = self.decisions_at.get(meeting, [])
            rows.append(
                self.stamp(
                    {
                        "collaboration_id": self.forum_collaboration[self.meeting_forum[meeting]],
                        "meeting_id": self.meeting_ids[meeting],
                        "decision_id": rng.choice(decisions)
                        if decisions and rng.random() < 0.5
                        else None,
                        "owner_id": owner,
                        "counterpart_id": counterpart,
                        "description": rng.choice(_COMMITMENT_TEXTS).format(
                            place=rng.choice(PLACES), n=rng.randint(10, 500)
                        ),
                        "made_on": made,
                        "due_on": due,
                        "status": status,
                        "fulfilled_on": steps[-1]["changed_on"]
                        if status is CommitmentStatus.FULFILLED
                        else None,
                    }
                )
            )
            histories.append(steps)
            self.commitment_meeting.append(meeting)
        self.commitment_ids = self.insert(Commitment, rows)
        changes = [
            step | {"commitment_id": commitment_id, "recorded_at": self.now}
            for commitment_id, steps in zip(self.commitment_ids, histories, strict=True)
            for step in steps
        ]
        self.insert_children(CommitmentStatusChange, "commitment_status_change", changes)

    def _history(self, made: dt.date) -> list[dict[str, Any]]:
        """Open on ``made``, then allowed steps at later dates up to the horizon."""
        rng = self.rng
        steps: list[dict[str, Any]] = [
            {
                "from_status": None,
                "to_status": CommitmentStatus.OPEN,
                "changed_on": made,
                "note": "",
            }
        ]
        status, day = CommitmentStatus.OPEN, made
        for _ in range(4):
            nxt = _weighted(rng, _NEXT_STATUS[status])
            if nxt is None:
                break
            assert nxt in COMMITMENT_TRANSITIONS[status]
            day = day + dt.timedelta(days=rng.randint(3, 120))
            if day > self.horizon:
                break
            steps.append({"from_status": status, "to_status": nxt, "changed_on": day, "note": ""})
            status = nxt
        return steps

    def add_trust_events(self) -> None:
        rng = self.rng
        held = self._held_meetings()
        kinds = {kind: weight for kind, (weight, _, _) in _TRUST_KINDS.items()}
        rows = []
        for _ in range(self.sizes.trust_events):
            meeting = rng.choice(held)
            actor, target = self._pair_at(meeting)
            kind = _weighted(rng, kinds)
            _, form, valence = _TRUST_KINDS[kind]
            at_meeting = rng.random() < 0.7
            day = self.meeting_day[meeting]
            if not at_meeting:
                day = min(self.horizon, day + dt.timedelta(days=rng.randint(1, 20)))
            rows.append(
                self.stamp(
                    {
                        "collaboration_id": self.forum_collaboration[self.meeting_forum[meeting]],
                        "meeting_id": self.meeting_ids[meeting] if at_meeting else None,
                        "occurred_on": min(day, self.horizon),
                        "actor_id": actor,
                        "target_id": target,
                        "kind": kind,
                        "trust_form": form,
                        "valence": valence,
                        "severity": rng.choices((1, 2, 3), weights=(60, 30, 10))[0],
                        "description": f"{kind.value.replace('_', ' ').capitalize()}.",
                    }
                )
            )
        self.insert(TrustEvent, rows)

    def add_outcomes(self) -> None:
        """Per collaboration, final outcomes each with intermediate children (about 1 : 4)."""
        rng = self.rng
        total = self.sizes.outcomes
        if total == 0:
            return
        per_case = _split(total, len(self.collaboration_ids), rng, spread=0)
        parents: list[dict[str, Any]] = []
        children: list[tuple[int, dict[str, Any]]] = []  # (index of parent, row)
        for collaboration_id, count in zip(self.collaboration_ids, per_case, strict=True):
            finals = max(1, math.ceil(count / 5)) if count else 0
            first = len(parents)
            for _ in range(finals):
                parents.append(self._outcome(collaboration_id, OutcomeLevel.OUTCOME))
            for _ in range(count - finals):
                level = rng.choices(
                    [
                        OutcomeLevel.SMALL_WIN,
                        OutcomeLevel.STRATEGIC_PLAN,
                        OutcomeLevel.JOINT_FACT_FINDING,
                    ],
                    weights=(60, 20, 20),
                )[0]
                children.append(
                    (first + rng.randrange(finals), self._outcome(collaboration_id, level))
                )
        parent_ids = self.insert(Outcome, parents)
        for index, row in children:
            row["parent_id"] = parent_ids[index]
        child_ids = self.insert(Outcome, [row for _, row in children])
        outcomes = list(zip(parent_ids, parents, strict=True)) + list(
            zip(child_ids, [row for _, row in children], strict=True)
        )
        self.add_measurements(outcomes)
        self.link_outcomes(outcomes)

    def _outcome(self, collaboration_id: int, level: OutcomeLevel) -> dict[str, Any]:
        rng = self.rng
        baseline = float(rng.randint(0, 40))
        started = self.day_between(FIRST_DAY, self.horizon - dt.timedelta(days=200))
        return self.stamp(
            {
                "collaboration_id": collaboration_id,
                "parent_id": None,
                "title": rng.choice(_OUTCOME_TITLES[level]).format(place=rng.choice(PLACES)),
                "description": "",
                "level": level,
                "weight": float(rng.randint(1, 3)),
                "unit": "%",
                "baseline": baseline,
                "target": float(rng.randint(int(baseline) + 10, 100)),
                "started_on": started,
                "due_on": started + dt.timedelta(days=rng.randint(180, 900)),
            }
        )

    def add_measurements(self, outcomes: Iterable[tuple[int, dict[str, Any]]]) -> None:
        """One to six measurements per outcome, from the start to the horizon, moving
        (not always forward) from the baseline toward the target."""
        rng = self.rng
        rows = []
        for outcome_id, outcome in outcomes:
            count = rng.randint(1, 6)
            first: dt.date = outcome["started_on"]
            days = sorted(self.day_between(first, self.horizon) for _ in range(count))
            value = outcome["baseline"]
            step = (outcome["target"] - outcome["baseline"]) / count
            for day in days:
                value += step * rng.uniform(-0.2, 1.3)
                rows.append(
                    self.stamp(
                        {
                            "outcome_id": outcome_id,
                            "measured_on": day,
                            "value": round(value, 1),
                            "note": "",
                        }
                    )
                )
        self.insert(Measurement, rows)

    def link_outcomes(self, outcomes: Sequence[tuple[int, dict[str, Any]]]) -> None:
        """The provenance chain: each outcome worked on at a few meetings of its case and fed
        by a few commitments made there."""
        rng = self.rng
        by_case: dict[int, list[int]] = {}
        for position, meeting in enumerate(self.commitment_meeting):
            case = self.forum_collaboration[self.meeting_forum[meeting]]
            by_case.setdefault(case, []).append(position)
        meeting_links: set[tuple[int, int]] = set()
        commitment_links: set[tuple[int, int]] = set()
        for outcome_id, outcome in outcomes:
            candidates = by_case.get(outcome["collaboration_id"], [])
            for position in rng.sample(candidates, min(len(candidates), rng.randint(0, 3))):
                commitment_links.add((outcome_id, self.commitment_ids[position]))
                meeting_links.add((outcome_id, self.meeting_ids[self.commitment_meeting[position]]))
        self.insert_children(
            outcome_commitments,
            "outcome_commitment",
            [{"outcome_id": o, "commitment_id": c} for o, c in sorted(commitment_links)],
        )
        self.insert_children(
            outcome_meetings,
            "outcome_meeting",
            [{"outcome_id": o, "meeting_id": m} for o, m in sorted(meeting_links)],
        )


def _acronym(name: str) -> str:
    return "".join(word[0] for word in name.split() if word[:1].isupper())[:8]
