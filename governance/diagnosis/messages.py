"""What the diagnosis says to people: message ids with named, typed parameters.

Every sentence the diagnosis and the case report produce — a warning sign, the reason
a phase is reached, why a link is the bottleneck, why an indicator has no value — is a
:class:`Message`: an English message id (a literal marked with :func:`N_`, so that
``pybabel extract`` puts it in the catalog) and its parameters. A parameter is typed
by what it is — a share, a number, a date, a vocabulary code, a name someone typed, or
another message — so that each language writes it its own way ("67%", "+0,83",
"30 Jun 2022").

``str(message)`` is the English sentence, written as the API has always written it
(ISO dates, Python number formats); the web layer renders the same message through the
request language's catalog (:meth:`governance.report.wording.Wording.text`). The
domain never translates anything itself.

Examples
--------
>>> late = text(N_("%(count)s of %(live)s open commitments (%(ratio)s) are late."),
...             count=2, live=3, ratio=Share(value=2 / 3))
>>> str(late)
'2 of 3 open commitments (67%) are late.'
>>> late.message_id
'%(count)s of %(live)s open commitments (%(ratio)s) are late.'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional marker name
    """Mark ``message`` as a message id for extraction; answer it unchanged (no translation)."""
    return message


class _Param(BaseModel):
    model_config = ConfigDict(frozen=True)


class Number(_Param):
    """A number: with ``digits`` decimals (else as short as it goes), a sign when ``signed``."""

    type: Literal["number"] = "number"
    value: float
    digits: int | None = None
    signed: bool = False

    def english(self) -> str:
        sign = "+" if self.signed else ""
        if self.digits is None:
            return f"{self.value:{sign}g}"
        return f"{self.value:{sign}.{self.digits}f}"


class Share(_Param):
    """A share of 0–1, written in whole percent."""

    type: Literal["share"] = "share"
    value: float

    def english(self) -> str:
        return f"{self.value:.0%}"


class Day(_Param):
    """A date (ISO in English; the language's medium format on the pages)."""

    type: Literal["date"] = "date"
    value: dt.date

    def english(self) -> str:
        return self.value.isoformat()


class Label(_Param):
    """A code of a vocabulary (``sector``: ``civil_society``), written as its label."""

    type: Literal["label"] = "label"
    vocabulary: str
    code: str

    def english(self) -> str:
        return self.code.replace("_", " ")


class Message(_Param):
    """A sentence: an English message id and the parameters its ``%(name)s`` placeholders take.

    A plain string parameter is inserted as it is (a name, a title someone typed); an
    integer is a count.
    """

    type: Literal["message"] = "message"
    message_id: str
    params: dict[str, Param] = Field(default_factory=dict)

    def english(self) -> str:
        if not self.params:
            return self.message_id
        return self.message_id % {name: english(value) for name, value in self.params.items()}

    def __str__(self) -> str:
        return self.english()


class Joined(_Param):
    """Several messages in a row, separated by ``separator`` (a list of problems)."""

    type: Literal["list"] = "list"
    items: list[Message]
    separator: str = "; "

    def english(self) -> str:
        return self.separator.join(item.english() for item in self.items)


Typed = Annotated[Number | Share | Day | Label | Message | Joined, Field(discriminator="type")]
#: What a placeholder takes: a string as it is, a count, or a typed value.
Param = str | int | Typed

Message.model_rebuild()
Joined.model_rebuild()


def english(value: Param) -> str:
    """A parameter as the English sentence writes it."""
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    return value.english()


def text(message_id: str, /, **params: Param) -> Message:
    """The message ``message_id`` (mark the literal with :func:`N_`) with its parameters."""
    return Message(message_id=message_id, params=params)


def number(value: float, digits: int | None = None, *, signed: bool = False) -> Number:
    return Number(value=value, digits=digits, signed=signed)


def share(value: float) -> Share:
    return Share(value=value)


def day(value: dt.date) -> Day:
    return Day(value=value)


def label(vocabulary: str, code: str) -> Label:
    return Label(vocabulary=vocabulary, code=code)


def joined(items: Iterable[Message], separator: str = "; ") -> Joined:
    return Joined(items=list(items), separator=separator)


#: A list of messages as one message: nothing to translate but the items themselves.
LIST = "%(items)s"


def all_of(messages: list[Message], separator: str = "; ") -> Message:
    """One message saying each of ``messages``, in order ("a; b").

    Examples
    --------
    >>> str(all_of([text(N_("no final outcome measured")), text(N_("no decision"))]))
    'no final outcome measured; no decision'
    """
    if len(messages) == 1:
        return messages[0]
    return Message(message_id=LIST, params={"items": joined(messages, separator)})


def of(message_id: str, params: Mapping[str, Param] | None) -> Message:
    """The message with this id and these parameters, as the API carries them."""
    return Message(message_id=message_id, params=dict(params or {}))
