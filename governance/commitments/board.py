"""The commitments board: a collaboration's commitments grouped by status, the overdue first.

:func:`board_rows` reads the commitments (with both sides' names, and the meeting and
forum they were made at) in one query, at most :data:`GROUP_LIMIT` per status, and
:func:`board_totals` counts every status in another, so the board stays quick on a case
of tens of thousands of commitments; :func:`timing` and :func:`grouped` are pure
functions over those rows, so the ordering rules are testable without a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import Field
from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from governance import records
from governance.commitments.models import Commitment
from governance.forums.models import Forum
from governance.meetings.models import Meeting
from governance.schemas import Id, Input
from governance.stakeholders.sides import two_sides
from governance.vocab import CommitmentStatus, Sector

S = TypeVar("S", bound=Select[*tuple[Any, ...]])

#: A commitment due within this many days (and still open or in progress) is "due soon".
DUE_SOON_DAYS = 14
#: The board shows at most this many cards of each status still to act on (open, in
#: progress: the most urgent first), and of each settled one; a group's count says how
#: many there are, and the filters narrow a larger group down. So the board stays about
#: one page of 50-odd cards on a case of any size.
GROUP_LIMIT = 25
SETTLED_LIMIT = 5
#: Statuses in which a commitment can still be late (as ``service.ACTIVE``).
ACTIVE = frozenset({CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS})


class BoardFilter(Input):
    """What the board shows: by owner, counterpart, the owner's sector, forum, and text."""

    owner_id: Id | None = None
    counterpart_id: Id | None = None
    sector: Sector | None = Field(None, description="The owner's sector")
    forum_id: Id | None = Field(None, description="The forum of the meeting it was made at")
    q: str | None = Field(None, max_length=200, description="Text in the description or names")

    @property
    def active(self) -> bool:
        """Whether any filter narrows the board."""
        return any(value is not None for value in self.model_dump().values())


@dataclass(frozen=True)
class BoardRow:
    """One commitment as the board shows it."""

    id: int
    version: int
    description: str
    status: CommitmentStatus
    made_on: dt.date
    due_on: dt.date | None
    fulfilled_on: dt.date | None
    owner_id: int
    owner: str
    owner_sector: Sector
    counterpart_id: int | None
    counterpart: str | None
    meeting_id: int | None
    meeting: str | None
    meeting_starts_at: dt.datetime | None
    forum_id: int | None
    forum: str | None


@dataclass(frozen=True)
class Timing:
    """Where a commitment stands against its due date, as of one day.

    ``days`` is how many days late it is when ``overdue``, else how many days remain
    until it is due (0 on the day itself); None without a due date or once settled.
    """

    overdue: bool
    due_soon: bool
    days: int | None


@dataclass(frozen=True)
class Card:
    row: BoardRow
    timing: Timing


@dataclass(frozen=True)
class Totals:
    """How many commitments a status has, and how many of them are overdue."""

    count: int
    overdue: int


@dataclass(frozen=True)
class Group:
    """A status and its cards; ``totals`` counts the whole group when only some are shown."""

    status: CommitmentStatus
    cards: list[Card]
    totals: Totals | None = None

    @property
    def count(self) -> int:
        return self.totals.count if self.totals is not None else len(self.cards)

    @property
    def overdue(self) -> int:
        if self.totals is not None:
            return self.totals.overdue
        return sum(1 for card in self.cards if card.timing.overdue)

    @property
    def hidden(self) -> int:
        """Commitments of this status the board does not show (beyond its limit)."""
        return max(0, self.count - len(self.cards))


def timing(
    status: CommitmentStatus, due_on: dt.date | None, *, on: dt.date, soon: int = DUE_SOON_DAYS
) -> Timing:
    """Overdue (due before ``on``, still open or in progress) or due within ``soon`` days.

    >>> timing(CommitmentStatus.OPEN, dt.date(2021, 1, 1), on=dt.date(2021, 1, 11))
    Timing(overdue=True, due_soon=False, days=10)
    >>> timing(CommitmentStatus.IN_PROGRESS, dt.date(2021, 1, 15), on=dt.date(2021, 1, 11))
    Timing(overdue=False, due_soon=True, days=4)
    >>> timing(CommitmentStatus.FULFILLED, dt.date(2021, 1, 1), on=dt.date(2021, 1, 11))
    Timing(overdue=False, due_soon=False, days=None)
    """
    if due_on is None or status not in ACTIVE:
        return Timing(overdue=False, due_soon=False, days=None)
    remaining = (due_on - on).days
    if remaining < 0:
        return Timing(overdue=True, due_soon=False, days=-remaining)
    return Timing(overdue=False, due_soon=remaining <= soon, days=remaining)


def grouped(
    rows: Iterable[BoardRow],
    *,
    on: dt.date,
    totals: dict[CommitmentStatus, Totals] | None = None,
) -> list[Group]:
    """Every status as a group, in the vocabulary's order, even when empty.

    Within a group: the overdue first, the longest overdue leading; then by due date,
    undated last; ties by id. ``totals`` (from :func:`board_totals`) counts each whole
    group when ``rows`` holds only its first cards.

    >>> def row(i, due, status=CommitmentStatus.OPEN):
    ...     return BoardRow(i, 1, "", status, dt.date(2020, 1, 1), due, None, 1, "", Sector.OTHER,
    ...                     None, None, None, None, None, None, None)
    >>> groups = grouped([row(1, None), row(2, dt.date(2021, 3, 1)), row(3, dt.date(2021, 1, 1)),
    ...                   row(4, dt.date(2020, 12, 1))], on=dt.date(2021, 2, 1))
    >>> [card.row.id for card in groups[0].cards], groups[0].overdue
    ([4, 3, 2, 1], 2)
    """
    by_status: dict[CommitmentStatus, list[Card]] = {status: [] for status in CommitmentStatus}
    for row in rows:
        by_status[row.status].append(Card(row, timing(row.status, row.due_on, on=on)))

    def order(card: Card) -> tuple[int, dt.date, int]:
        due = card.row.due_on or dt.date.max
        return (0 if card.timing.overdue else 1, due, card.row.id)

    counted = totals if totals is not None else {}
    return [
        Group(
            status,
            sorted(cards, key=order),
            counted.get(status, Totals(0, 0)) if totals is not None else None,
        )
        for status, cards in by_status.items()
    ]


#: The board's order within a status, in SQL (as :func:`grouped` orders the cards).
_BOARD_ORDER = (Commitment.due_on.asc().nulls_last(), Commitment.id)


def board_rows(
    session: Session,
    *,
    collaboration_id: int,
    filters: BoardFilter,
    per_status: int = GROUP_LIMIT,
    per_settled: int = SETTLED_LIMIT,
) -> list[BoardRow]:
    """The first ``per_status`` live commitments of each open or in-progress status and
    ``per_settled`` of each settled one matching ``filters``, in the board's order (due
    date, undated last; so the longest overdue lead), in one query."""
    owner, counterpart = two_sides()
    position = (
        func.row_number()
        .over(partition_by=Commitment.status, order_by=_BOARD_ORDER)
        .label("position")
    )
    ranked = _matching(
        select(Commitment.id.label("id"), Commitment.status.label("status"), position),
        collaboration_id,
        filters,
        owner,
        counterpart,
    ).subquery()
    chosen = select(ranked.c.id).where(
        or_(
            and_(ranked.c.status.in_(ACTIVE), ranked.c.position <= per_status),
            and_(ranked.c.status.not_in(ACTIVE), ranked.c.position <= per_settled),
        )
    )
    statement = _joined(
        select(
            Commitment,
            owner.name,
            owner.sector,
            counterpart.name,
            Meeting.title,
            Meeting.starts_at,
            Meeting.forum_id,
            Forum.name,
        ),
        owner,
        counterpart,
    ).where(Commitment.id.in_(chosen))
    rows = session.execute(statement.order_by(*_BOARD_ORDER)).all()
    found = []
    for c, owner_name, owner_sector, counterpart_name, title, starts_at, forum_id, forum in rows:
        found.append(
            BoardRow(
                id=c.id,
                version=c.version,
                description=c.description,
                status=c.status,
                made_on=c.made_on,
                due_on=c.due_on,
                fulfilled_on=c.fulfilled_on,
                owner_id=c.owner_id,
                owner=owner_name,
                owner_sector=owner_sector,
                counterpart_id=c.counterpart_id,
                counterpart=counterpart_name,
                meeting_id=c.meeting_id if title is not None else None,
                meeting=title,
                meeting_starts_at=starts_at,
                forum_id=forum_id,
                forum=forum,
            )
        )
    return found


def board_totals(
    session: Session, *, collaboration_id: int, filters: BoardFilter, on: dt.date
) -> dict[CommitmentStatus, Totals]:
    """How many live commitments matching ``filters`` each status has, and how many of
    them are overdue on ``on``, in one query."""
    owner, counterpart = two_sides()
    late = and_(
        Commitment.due_on.is_not(None), Commitment.due_on < on, Commitment.status.in_(ACTIVE)
    )
    statement = _matching(
        select(Commitment.status, func.count(), func.sum(case((late, 1), else_=0))),
        collaboration_id,
        filters,
        owner,
        counterpart,
    ).group_by(Commitment.status)
    return {
        status: Totals(count=int(count), overdue=int(overdue or 0))
        for status, count, overdue in session.execute(statement)
    }


def _joined(statement: S, owner: Any, counterpart: Any) -> S:
    """``statement`` with the owner, counterpart, meeting and forum joined in."""
    return (
        statement.join(owner, owner.id == Commitment.owner_id)
        .outerjoin(counterpart, counterpart.id == Commitment.counterpart_id)
        .outerjoin(Meeting, (Meeting.id == Commitment.meeting_id) & Meeting.deleted_at.is_(None))
        .outerjoin(Forum, Forum.id == Meeting.forum_id)
    )


def _matching(
    statement: S,
    collaboration_id: int,
    filters: BoardFilter,
    owner: Any,
    counterpart: Any,
) -> S:
    """``statement`` over the collaboration's live commitments that match ``filters``.

    Only the tables a filter needs are joined: ranking 20,000 commitments took four times
    as long with every name joined in.
    """
    if filters.sector is not None or filters.q:
        statement = statement.join(owner, owner.id == Commitment.owner_id)
    if filters.q:
        statement = statement.outerjoin(counterpart, counterpart.id == Commitment.counterpart_id)
    if filters.forum_id is not None:
        statement = statement.join(
            Meeting, (Meeting.id == Commitment.meeting_id) & Meeting.deleted_at.is_(None)
        )
    statement = statement.where(
        Commitment.collaboration_id == collaboration_id, Commitment.deleted_at.is_(None)
    )
    if filters.owner_id is not None:
        statement = statement.where(Commitment.owner_id == filters.owner_id)
    if filters.counterpart_id is not None:
        statement = statement.where(Commitment.counterpart_id == filters.counterpart_id)
    if filters.sector is not None:
        statement = statement.where(owner.sector == filters.sector)
    if filters.forum_id is not None:
        statement = statement.where(Meeting.forum_id == filters.forum_id)
    if filters.q:
        statement = statement.where(
            or_(
                records.text_filter([Commitment.description], filters.q),
                records.text_filter([owner.name, counterpart.name], filters.q),
            )
        )
    return statement
