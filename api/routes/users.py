"""User accounts, for admins: list, create, change role or disable, reset a password,
and see or revoke a user's API tokens.

Nothing here ever answers with a password hash or a token hash; a changed role or a
disabled account takes effect on the user's very next request (sessions and tokens are
looked up every time).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from api.auth import Access
from api.deps import ActorDep, RecordId, SessionDep
from api.errors import ERROR_RESPONSES
from governance.records import DEFAULT_LIMIT, MAX_LIMIT
from governance.schemas import PageOut
from governance.users import service as user_service
from governance.users.models import User
from governance.users.schemas import (
    PasswordReset,
    TokenRead,
    UserCreate,
    UserOverview,
    UserPatch,
    UserRead,
)

ACCESS = Access.ADMIN

router = APIRouter(prefix="/users", tags=["users"])

_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: ERROR_RESPONSES[404], 422: ERROR_RESPONSES[422]}


def overview(user: User, last_signed_in: Mapping[int, dt.datetime]) -> UserOverview:
    """A user with the time of their last sign-in."""
    return UserOverview.model_validate(
        UserRead.model_validate(user).model_dump()
        | {"last_signed_in_at": last_signed_in.get(user.id)}
    )


@router.get(
    "",
    response_model=PageOut[UserOverview],
    summary="List users",
    operation_id="list_users",
    responses={422: ERROR_RESPONSES[422]},
)
def list_users(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> PageOut[UserOverview]:
    """Every account, disabled and deleted ones too, by name, with its last sign-in."""
    users = user_service.list_users(session)
    last = user_service.last_sign_ins(session)
    return PageOut[UserOverview](
        items=[overview(user, last) for user in users[offset : offset + limit]],
        total=len(users),
        limit=limit,
        offset=offset,
    )


@router.post(
    "",
    response_model=UserRead,
    status_code=status.HTTP_201_CREATED,
    summary="Create a user",
    operation_id="create_user",
    responses={422: ERROR_RESPONSES[422]},
)
def create_user(session: SessionDep, actor: ActorDep, data: UserCreate) -> UserRead:
    """A new account; the password must follow the policy (12+ characters, not a common one)."""
    user = user_service.create_user(
        session,
        name=data.name,
        role=data.role,
        password=data.password.get_secret_value(),
        actor=actor,
    )
    session.commit()
    return UserRead.model_validate(user)


@router.get(
    "/{user_id}",
    response_model=UserOverview,
    summary="Get a user",
    operation_id="get_user",
    responses=_NOT_FOUND,
)
def get_user(session: SessionDep, user_id: RecordId) -> UserOverview:
    user = user_service.get(session, user_id, include_deleted=True)
    return overview(user, user_service.last_sign_ins(session))


@router.patch(
    "/{user_id}",
    response_model=UserRead,
    summary="Change a user's role or disable the account (send the version you read)",
    operation_id="update_user",
    responses=ERROR_RESPONSES,
)
def update_user(
    session: SessionDep, actor: ActorDep, user_id: RecordId, data: UserPatch
) -> UserRead:
    """A stale ``version`` gets 409 and changes nothing. Disabling ends the user's sessions
    at once; an admin cannot demote or disable themselves (422)."""
    user = user_service.get(session, user_id)
    changes = data.changes()
    user_service.update_user(
        session,
        user=user,
        version=data.version,
        role=changes.get("role"),
        active=changes.get("active"),
        actor=actor,
    )
    session.commit()
    return UserRead.model_validate(user)


@router.post(
    "/{user_id}/password",
    response_model=UserRead,
    summary="Set a user's password (a reset); every session of theirs ends",
    operation_id="reset_user_password",
    responses=_NOT_FOUND,
)
def reset_password(
    session: SessionDep, actor: ActorDep, user_id: RecordId, data: PasswordReset
) -> UserRead:
    user = user_service.get(session, user_id)
    user_service.set_password(
        session, user=user, password=data.password.get_secret_value(), actor=actor
    )
    session.commit()
    return UserRead.model_validate(user)


@router.get(
    "/{user_id}/tokens",
    response_model=PageOut[TokenRead],
    summary="List a user's API tokens",
    operation_id="list_user_tokens",
    responses=_NOT_FOUND,
)
def list_user_tokens(session: SessionDep, user_id: RecordId) -> PageOut[TokenRead]:
    """Oldest first, revoked ones included; never the tokens themselves."""
    user = user_service.get(session, user_id, include_deleted=True)
    tokens = [TokenRead.model_validate(row) for row in user_service.list_tokens(session, user=user)]
    return PageOut[TokenRead](items=tokens, total=len(tokens), limit=len(tokens), offset=0)


@router.delete(
    "/{user_id}/tokens/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Revoke one of a user's API tokens",
    operation_id="revoke_user_token",
    responses=_NOT_FOUND,
)
def revoke_user_token(
    session: SessionDep, actor: ActorDep, user_id: RecordId, token_id: RecordId
) -> Response:
    """The token stops working at once; revoking it again changes nothing."""
    user = user_service.get(session, user_id, include_deleted=True)
    user_service.revoke_token(session, token_id=token_id, actor=actor, owner_id=user.id)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
