"""Importing the registry: stakeholders, the ties between them, and who takes part.

Natural keys (what makes a row "already there"):

- stakeholder: its name matches a registered name or alias (folded);
- relationship: same source, target, type and start date (either direction for the
  symmetric types);
- participation: the stakeholder already takes part in the collaboration.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial

from sqlalchemy import and_, or_, select

from governance.imports import parsing
from governance.imports.engine import Cells, Context
from governance.imports.matching import name_key
from governance.imports.messages import (
    ALREADY_RECORDED,
    N_,
    SAME_AS_ROW,
    term,
    text,
    written,
)
from governance.imports.reading import Row
from governance.imports.report import Action
from governance.participations import service as participation_service
from governance.participations.models import Participation
from governance.participations.schemas import ParticipationCreate
from governance.relationships import service as relationship_service
from governance.relationships.models import Relationship
from governance.relationships.schemas import RelationshipCreate
from governance.stakeholders import service as stakeholder_service
from governance.stakeholders.schemas import StakeholderCreate
from governance.vocab import (
    RELATIONSHIP_LABELS,
    ParticipationRole,
    RelationshipType,
    Sector,
    StakeholderKind,
)

RESOURCES = ("authority", "staff", "budget", "data_access", "knowledge")
CONTACT = ("email", "phone", "address")


def split_aliases(text: str) -> list[str]:
    """``"SPRI; Serikat Perjuangan Rakyat Indonesia"`` → two aliases (``;``, ``|`` or lines).

    >>> split_aliases("SPRI; Serikat | S.P.R.I.")
    ['SPRI', 'Serikat', 'S.P.R.I.']
    """
    return [part.strip() for part in re.split(r"[;|\n]", text) if part.strip()]


def stakeholders(context: Context, rows: Sequence[Row]) -> None:
    for row in rows:
        cells = Cells(context, row)
        name = cells.required_text("name")
        kind = cells.code("kind", StakeholderKind, "stakeholder_kind", StakeholderKind.ORGANISATION)
        sector = cells.code("sector", Sector, "sector", None)
        resources = {
            key: cells.value(key, partial(parsing.parse_int, low=0, high=4)) for key in RESOURCES
        }
        if not cells.ok:
            continue
        earlier = context.repeated(("stakeholder", name_key(name)), row.number)
        if earlier is not None:
            same = text(SAME_AS_ROW, record=name, row=str(earlier))
            context.result(row.number, Action.SKIP, "stakeholder", same)
            continue
        known = context.index.known(name)
        if known:
            found = min(known)
            context.result(
                row.number,
                Action.SKIP,
                "stakeholder",
                text(
                    N_("%(record)s: already registered as %(name)s"),
                    record=name,
                    name=context.index.labels[found],
                ),
                found,
            )
            continue
        data = {
            "name": name,
            "aliases": split_aliases(cells.text("aliases")),
            "kind": kind,
            "sector": sector,
            "description": cells.text("description"),
            "resources": resources,
            "contact": {key: cells.text(key) for key in CONTACT},
        }
        created = context.create(
            row.number,
            stakeholder_service.create,
            StakeholderCreate,
            data,
            {f"contact.{key}": key for key in CONTACT}
            | {f"resources.{key}": key for key in RESOURCES}
            | {f"aliases[{i}]": "aliases" for i in range(30)},
        )
        if created is not None:
            context.index.add(created.id, created.name, created.aliases)
            context.result(row.number, Action.ADD, "stakeholder", written(created.name), created.id)


def relationships(context: Context, rows: Sequence[Row]) -> None:
    session = context.session
    for row in rows:
        cells = Cells(context, row)
        source = cells.stakeholder("source", required=True)
        target = cells.stakeholder("target", required=True)
        kind = cells.code("type", RelationshipType, "relationship_type", None)
        started_on = cells.date("started_on")
        ended_on = cells.date("ended_on")
        strength = cells.value("strength", partial(parsing.parse_int, low=1, high=3), default=2)
        if not cells.ok or source is None or target is None:
            continue
        symmetric = RELATIONSHIP_LABELS[kind].symmetric
        ends = tuple(sorted((source, target))) if symmetric else (source, target)
        summary = text(
            N_("%(source)s %(tie)s %(target)s"),
            source=cells.label(source),
            tie=term("relationship_type", kind, RELATIONSHIP_LABELS[kind].forward),
            target=cells.label(target),
        )
        earlier = context.repeated(("relationship", *ends, kind, started_on), row.number)
        if earlier is not None:
            same = text(SAME_AS_ROW, record=summary, row=str(earlier))
            context.result(row.number, Action.SKIP, "relationship", same)
            continue
        pairs = [and_(Relationship.source_id == source, Relationship.target_id == target)]
        if symmetric:
            pairs.append(and_(Relationship.source_id == target, Relationship.target_id == source))
        existing = session.scalar(
            select(Relationship.id)
            .where(
                or_(*pairs),
                Relationship.type == kind,
                Relationship.started_on.is_(None)
                if started_on is None
                else Relationship.started_on == started_on,
                Relationship.deleted_at.is_(None),
            )
            .limit(1)
        )
        if existing is not None:
            known = text(ALREADY_RECORDED, record=summary)
            context.result(row.number, Action.SKIP, "relationship", known, existing)
            continue
        data = {
            "source_id": source,
            "target_id": target,
            "type": kind,
            "started_on": started_on,
            "ended_on": ended_on,
            "strength": strength or 2,
            "note": cells.text("note"),
        }
        created = context.create(
            row.number,
            relationship_service.create,
            RelationshipCreate,
            data,
            {"source_id": "source", "target_id": "target"},
        )
        if created is not None:
            context.result(row.number, Action.ADD, "relationship", summary, created.id)


def participations(context: Context, rows: Sequence[Row]) -> None:
    session = context.session
    assert context.collaboration_id is not None
    for row in rows:
        cells = Cells(context, row)
        stakeholder = cells.stakeholder("stakeholder", required=True)
        role = cells.code(
            "role", ParticipationRole, "participation_role", ParticipationRole.PARTICIPANT
        )
        joined_on = cells.date("joined_on")
        left_on = cells.date("left_on")
        if not cells.ok or stakeholder is None:
            continue
        name = cells.label(stakeholder)
        earlier = context.repeated(("participation", stakeholder), row.number)
        if earlier is not None:
            same = text(SAME_AS_ROW, record=name, row=str(earlier))
            context.result(row.number, Action.SKIP, "participation", same)
            continue
        existing = session.scalar(
            select(Participation.id).where(
                Participation.collaboration_id == context.collaboration_id,
                Participation.stakeholder_id == stakeholder,
                Participation.deleted_at.is_(None),
            )
        )
        if existing is not None:
            taking_part = text(N_("%(record)s: already takes part"), record=name)
            context.result(row.number, Action.SKIP, "participation", taking_part, existing)
            continue
        data = {
            "collaboration_id": context.collaboration_id,
            "stakeholder_id": stakeholder,
            "role": role,
            "joined_on": joined_on,
            "left_on": left_on,
            "incentives": cells.text("incentives"),
            "constraints": cells.text("constraints"),
        }
        created = context.create(
            row.number,
            participation_service.create,
            ParticipationCreate,
            data,
            {"stakeholder_id": "stakeholder"},
        )
        if created is not None:
            context.result(row.number, Action.ADD, "participation", written(name), created.id)
