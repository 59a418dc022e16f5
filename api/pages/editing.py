"""Saving a form: validate with the domain's schema, write through its service, and on
refusal say why without losing the user's input.

The edit of a stale version is refused (409) and shows what changed meanwhile, field
by field; nothing is overwritten. Pages call :func:`create` or :func:`update` and
either redirect (saved) or render the form again with the returned state.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from api.i18n import Language
from api.pages.changes import changes_since
from api.pages.forms import FormState, RawForm, field_errors, text
from api.pages.labels import N_
from governance.base import Record
from governance.errors import Conflict, Invalid

R = TypeVar("R", bound=Record)
S = TypeVar("S", bound=BaseModel)


@dataclass(frozen=True)
class Saved(Generic[R]):
    record: R


@dataclass(frozen=True)
class Refused:
    """The form to show again, and with which status (400 invalid, 409 stale)."""

    state: FormState
    status_code: int


def form_version(form: RawForm) -> int | None:
    """The ``version`` the form was loaded with, if it is a valid one."""
    try:
        version = int(text(form, "version"))
    except ValueError:
        return None
    return version if 1 <= version <= 2**31 - 1 else None


def validated(
    schema: type[S],
    data: dict[str, Any],
    language: Language,
    *,
    line_fields: Collection[str] = (),
) -> tuple[S | None, dict[str, str]]:
    """``data`` checked by the domain's schema, or the errors by field."""
    try:
        return schema.model_validate(data), {}
    except ValidationError as error:
        return None, field_errors(error, language, line_fields=line_fields)


def create(
    session: Session,
    *,
    values: dict[str, Any],
    valid: S | None,
    errors: dict[str, str],
    save: Callable[[S], R],
    language: Language,
    line_fields: Collection[str] = (),
) -> Saved[R] | Refused:
    """Create a record from a valid form, or refuse with the errors by field (400)."""
    if valid is not None and not errors:
        try:
            record = save(valid)
        except Invalid as error:
            errors = field_errors(error, language, line_fields=line_fields)
        else:
            session.commit()
            return Saved(record)
    return Refused(FormState(values=values, errors=errors), 400)


def update(
    session: Session,
    *,
    record: R,
    form: RawForm,
    values: dict[str, Any],
    valid: S | None,
    errors: dict[str, str],
    save: Callable[[R, S, int], R],
    reload: Callable[[], R],
    language: Language,
    line_fields: Collection[str] = (),
) -> Saved[R] | Refused:
    """Apply a valid form to ``record`` at the version the form was loaded with.

    A record changed since is not written: the form comes back (409) with the user's
    input, the other changes under each field, and the current version, so saving
    again is a deliberate choice.
    """
    version = form_version(form)
    state = FormState(values=dict(values), errors=dict(errors))
    if record.is_deleted:
        state.problems.append(
            language.gettext(N_("This record was deleted meanwhile. Restore it to edit it again."))
        )
        return Refused(state, 409)
    if version is None:
        state.values["version"] = record.version
        state.problems.append(
            language.gettext(
                N_("The form was missing its version; check the values and save again.")
            )
        )
        return Refused(state, 400)
    if version != record.version:
        return _stale(session, record, version, state, language)
    if valid is None or errors:
        return Refused(state, 400)
    try:
        saved = save(record, valid, version)
    except Invalid as error:
        state.errors = field_errors(error, language, line_fields=line_fields)
        return Refused(state, 400)
    except Conflict:
        # Someone saved between our read and our write: show their change instead.
        session.rollback()
        return _stale(session, reload(), version, state, language)
    session.commit()
    return Saved(saved)


def _stale(
    session: Session, record: Record, version: int, state: FormState, language: Language
) -> Refused:
    state.changes = changes_since(session, record, version)
    state.values["version"] = record.version
    if not state.changes:
        state.problems.append(
            language.gettext(
                N_("This record was changed meanwhile; check the values and save again.")
            )
        )
    return Refused(state, 409)


def patch_of(schema: type[S], valid: BaseModel, version: int) -> S:
    """The whole form as a patch at ``version``: the service logs only what differs."""
    return schema.model_validate(valid.model_dump() | {"version": version})
