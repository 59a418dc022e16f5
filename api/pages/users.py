"""User administration, for admins: the list of accounts, a new account, and a user's page
to change the role, disable or enable the account, reset the password and revoke tokens.

A role change or a disabled account takes effect on the user's very next request. An
admin cannot demote or disable themselves (the service refuses), so a deployment
always keeps someone who can undo a mistake. Role and state are saved at the version
the form was loaded with: a stale form is refused and shows what changed meanwhile.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from api import auth
from api.deps import RecordId, SessionDep
from api.i18n import Language
from api.pages import editing, notices
from api.pages.account import account_errors, repeat_error
from api.pages.editing import Saved
from api.pages.forms import Change, FormDep, FormState, RawForm, text
from api.pages.labels import N_
from api.web import LanguageDep, WebActorDep, path_for, render
from governance.audit.models import AuditEntry
from governance.errors import Invalid
from governance.users import passwords
from governance.users import service as user_service
from governance.users.models import User
from governance.users.schemas import UserPatch

router = APIRouter()
ACCESS = auth.Access.ADMIN

#: The fields of the role-and-state form, the only ones a stale edit reports.
EDIT_FIELDS = ("role", "active", "password")


@router.get("/users", name="user_list")
def user_list(request: Request, session: SessionDep) -> HTMLResponse:
    """Every account with its role, whether it may sign in, and its last sign-in."""
    return render(
        request,
        "users/list.html",
        {
            "users": user_service.list_users(session),
            "last_sign_ins": user_service.last_sign_ins(session),
        },
    )


@router.api_route("/users/new", methods=["GET", "POST"], name="user_new", response_model=None)
def new_user(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
) -> HTMLResponse | RedirectResponse:
    """Create an account: name, role, and a first password the user should change."""
    context = {"password_min": passwords.MIN_LENGTH}
    if request.method == "GET":
        return render(
            request, "users/new.html", context | {"form": FormState(values={"role": "viewer"})}
        )
    name = text(form, "name").strip()
    password = text(form, "password")
    state = FormState(values={"name": name, "role": text(form, "role")})
    if not name:
        state.errors["name"] = language.gettext(N_("This field is required."))
    if not password:
        state.errors["password"] = language.gettext(N_("Enter a password."))
    mismatch = repeat_error(password, text(form, "password_repeat"), language)
    if mismatch:
        state.errors["password_repeat"] = mismatch
    try:
        user = user_service.create_user(
            session, name=name, role=text(form, "role"), password=password, actor=actor
        )
    except Invalid as error:
        # Every rule at once: the service's errors join the form's own.
        state.errors = account_errors(error, language) | state.errors
    if state.invalid:
        session.rollback()
        return render(request, "users/new.html", context | {"form": state}, status_code=400)
    session.commit()
    return notices.redirect(
        request,
        path_for(request, "user_detail", user_id=user.id),
        notices.Notice(N_("User %(name)s created."), {"name": user.name}),
    )


def _stored(user: User) -> dict[str, Any]:
    return {
        "role": user.role.value,
        "active": "1" if user.active else "",
        "version": user.version,
    }


def _detail(
    request: Request,
    session: Session,
    user: User,
    *,
    edit_form: FormState | None = None,
    password_form: FormState | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    principal: auth.Principal = request.state.principal
    return render(
        request,
        "users/detail.html",
        {
            "user": user,
            "is_self": user.id == principal.user_id,
            "last_sign_in": user_service.last_sign_ins(session).get(user.id),
            "tokens": list(reversed(user_service.list_tokens(session, user=user))),
            "edit_form": edit_form or FormState(values=_stored(user)),
            "password_form": password_form or FormState(),
            "password_min": passwords.MIN_LENGTH,
        },
        status_code=status_code,
        section="user_list",
    )


@router.get("/users/{user_id:int}", name="user_detail")
def user_detail(request: Request, session: SessionDep, user_id: RecordId) -> HTMLResponse:
    """A user: role and state (editable), last sign-in, password reset, API tokens."""
    user = user_service.get(session, user_id, include_deleted=True)
    return _detail(request, session, user)


def _typed(form: RawForm) -> dict[str, Any]:
    return {
        "role": text(form, "role"),
        "active": "1" if text(form, "active") else "",
        "version": text(form, "version"),
    }


@router.post("/users/{user_id:int}", name="user_update", response_model=None)
def update_user(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    user_id: RecordId,
) -> HTMLResponse | RedirectResponse:
    """Change the role or whether the account may sign in, at the version shown."""
    user = user_service.get(session, user_id, include_deleted=True)
    version = editing.form_version(form) or 1
    valid, errors = editing.validated(
        UserPatch,
        {"role": text(form, "role"), "active": bool(text(form, "active")), "version": version},
        language,
    )
    result = editing.update(
        session,
        record=user,
        form=form,
        values=_typed(form),
        valid=valid,
        errors=errors,
        save=lambda record, data, at: _save(session, record, data, at, actor, language),
        reload=lambda: user_service.get(session, user_id, include_deleted=True),
        language=language,
    )
    if isinstance(result, Saved):
        return notices.redirect(
            request,
            path_for(request, "user_detail", user_id=user_id),
            notices.Notice(N_("User %(name)s saved."), {"name": user.name}),
        )
    state = result.state
    if result.status_code == 409 and not user.is_deleted:
        _explain_conflict(session, user, editing.form_version(form) or 0, state, language)
    return _detail(request, session, user, edit_form=state, status_code=result.status_code)


def _save(
    session: Session, user: User, data: UserPatch, version: int, actor: Any, language: Language
) -> User:
    try:
        return user_service.update_user(
            session, user=user, version=version, role=data.role, active=data.active, actor=actor
        )
    except Invalid as error:
        # Translated here: editing.update would show the service's English text.
        raise Invalid(account_errors(error, language)) from error


def _explain_conflict(
    session: Session, user: User, version: int, state: FormState, language: Language
) -> None:
    """What changed since ``version``, from the user's update entries only.

    The audit log also files sign-ins and sign-outs under the user, and those do not
    move the version; counting them would show the wrong changes.
    """
    missed = user.version - version
    entries = (
        session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.record_type == "user",
                AuditEntry.record_id == user.id,
                AuditEntry.action == "update",
            )
            .order_by(AuditEntry.id.desc())
            .limit(max(1, min(missed, 100)))
        ).all()
        if missed > 0
        else []
    )
    changes: dict[str, Change] = {}
    for entry in reversed(entries):
        for name, pair in (entry.changes or {}).items():
            if name in EDIT_FIELDS and isinstance(pair, list) and len(pair) == 2:
                start = changes[name].before if name in changes else pair[0]
                changes[name] = Change(before=start, after=pair[1], actor=entry.actor, at=entry.at)
    state.changes = {
        name: change for name, change in changes.items() if change.before != change.after
    }
    state.problems = []
    if not state.changes:
        state.problems.append(
            language.gettext(
                N_("This record was changed meanwhile; check the values and save again.")
            )
        )


@router.post("/users/{user_id:int}/password", name="user_password", response_model=None)
def reset_password(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    user_id: RecordId,
) -> HTMLResponse | RedirectResponse:
    """Set a user's password (they forgot theirs); every session of theirs ends."""
    user = user_service.get(session, user_id)
    principal: auth.Principal = request.state.principal
    password = text(form, "password")
    state = FormState()
    if user.id == principal.user_id:
        state.problems.append(
            language.gettext(N_("Change your own password on your account page."))
        )
    elif not password:
        state.errors["password"] = language.gettext(N_("Enter a password."))
    else:
        mismatch = repeat_error(password, text(form, "password_repeat"), language)
        if mismatch:
            state.errors["password_repeat"] = mismatch
    if not state.invalid:
        try:
            user_service.set_password(session, user=user, password=password, actor=actor)
        except Invalid as error:
            state.errors = account_errors(error, language)
        else:
            session.commit()
            return notices.redirect(
                request,
                path_for(request, "user_detail", user_id=user_id),
                notices.Notice(
                    N_("New password set for %(name)s; their sessions were signed out."),
                    {"name": user.name},
                ),
            )
    return _detail(request, session, user, password_form=state, status_code=400)


@router.post(
    "/users/{user_id:int}/tokens/{token_id:int}/revoke",
    name="user_token_revoke",
    response_model=None,
)
def revoke_token(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    user_id: RecordId,
    token_id: RecordId,
) -> RedirectResponse:
    """Stop one of the user's tokens working; a token of someone else is not found (404)."""
    user = user_service.get(session, user_id, include_deleted=True)
    row = user_service.revoke_token(session, token_id=token_id, actor=actor, owner_id=user.id)
    session.commit()
    return notices.redirect(
        request,
        path_for(request, "user_detail", user_id=user_id),
        notices.Notice(
            N_("API token “%(token)s” of %(name)s revoked."), {"token": row.name, "name": user.name}
        ),
    )
