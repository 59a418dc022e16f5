"""What an import says to people: message ids with typed parameters, as the diagnosis does.

Every problem an import finds and every row summary it writes is a
:class:`~governance.diagnosis.messages.Message`: an English message id marked with
:func:`N_` (so ``pybabel extract`` puts it in the catalog) and its parameters. ``str()``
of a message is the English sentence the command line and the JSON API have always
written; the web pages render the same message through the request language's catalog
(:meth:`governance.report.wording.Wording.text`). The domain translates nothing itself.

What someone typed is quoted the way Python quotes it (``%(text)r``), so the English
reads ``'SPRl'`` as before. A vocabulary code is a :class:`Term`: written in English as
the import always wrote it, as the code's label on a page.

A sentence from outside the import — a service refusing a value, a parser's reason —
is carried whole as a :func:`rule` message, which the pages translate as they translate
the services' messages elsewhere.

Examples
--------
>>> late = text(N_("no stakeholder is registered as %(text)r"), text="SPRl")
>>> str(late), late.message_id
("no stakeholder is registered as 'SPRl'", 'no stakeholder is registered as %(text)r')
>>> str(Unreadable(late))
"no stakeholder is registered as 'SPRl'"
"""

from __future__ import annotations

from collections.abc import Mapping

from governance.diagnosis.messages import N_, Label, Message, Param, day, number, text
from governance.errors import Invalid

__all__ = [
    "AS_WRITTEN",
    "N_",
    "RULE",
    "Message",
    "Param",
    "Refused",
    "Term",
    "Unreadable",
    "day",
    "message_of",
    "number",
    "rule",
    "term",
    "text",
    "written",
]

#: The id of a message carried whole from outside the import (see :func:`rule`); not a
#: catalog entry: the one parameter, ``rule``, is the sentence.
RULE = "%(rule)s"
#: The id of what someone wrote, shown as it is (a name, a title): nothing to translate.
AS_WRITTEN = "%(text)s"

#: A row's summary when the file or the database already has the record.
SAME_AS_ROW = N_("%(record)s: same as row %(row)s")
SAME_AS_ROW_DASHED = N_("%(record)s — same as row %(row)s")
ALREADY_RECORDED = N_("%(record)s: already recorded")
ALREADY_RECORDED_DASHED = N_("%(record)s — already recorded")


class Term(Label):
    """A vocabulary code (or a tie's words) in a sentence: ``english`` as the command line
    writes it, the code's label on a page."""

    english_text: str

    def english(self) -> str:
        return self.english_text


def term(vocabulary: str, code: object, english: str | None = None) -> Term:
    """The code ``code`` of ``vocabulary``, written ``english`` (the code itself) in English.

    >>> str(text(N_("is required when the status is %(status)s"),
    ...          status=term("commitment_status", "partly_fulfilled")))
    'is required when the status is partly_fulfilled'
    """
    code_text = str(getattr(code, "value", code))
    return Term(
        vocabulary=vocabulary,
        code=code_text,
        english_text=code_text if english is None else english,
    )


def written(value: str) -> Message:
    """What someone wrote (a stakeholder's name), as a message that says just that."""
    return Message(message_id=AS_WRITTEN, params={"text": value})


def rule(sentence: str) -> Message:
    """A sentence from outside the import (a service's rule), carried as it is."""
    return Message(message_id=RULE, params={"rule": sentence})


class Unreadable(ValueError):
    """A cell (or a name) that cannot be read; ``message`` says why, ``str()`` in English."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


def message_of(error: Exception) -> Message:
    """What ``error`` says: its message when it is ours, else its text as a :func:`rule`."""
    if isinstance(error, Unreadable):
        return error.message
    return rule(str(error))


class Refused(Invalid):
    """An :class:`Invalid` whose per-field messages are also :class:`Message` s.

    ``errors`` holds the English (for the API and the command line), ``messages`` the
    same sentences for the pages to translate.
    """

    def __init__(self, messages: Mapping[str, Message]) -> None:
        super().__init__({name: str(message) for name, message in messages.items()})
        self.messages = dict(messages)

    @classmethod
    def one(cls, name: str, message: Message) -> Refused:
        return cls({name: message})
