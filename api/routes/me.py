"""One's own account through the API: who am I, change my password, my API tokens.

Any signed-in user may use these, by session or by token. A token is answered in full
only once, when it is created; afterwards only its name and dates are shown.
"""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth import Access, Principal, PrincipalDep
from api.deps import RecordId, SessionDep
from api.errors import ERROR_RESPONSES
from governance.schemas import PageOut
from governance.users import service as user_service
from governance.users.models import ApiToken, User
from governance.users.schemas import (
    MeRead,
    PasswordChange,
    TokenCreate,
    TokenCreated,
    TokenRead,
    UserRead,
)

ACCESS = Access.SIGNED_IN

router = APIRouter(prefix="/me", tags=["me"])


def _me(session: Session, principal: Principal) -> User:
    assert principal.user_id is not None  # the guard admits only signed-in users here
    return user_service.get(session, principal.user_id)


@router.get("", response_model=MeRead, summary="Who am I", operation_id="get_me")
def get_me(session: SessionDep, principal: PrincipalDep) -> MeRead:
    """The signed-in user (never the password hash) and how this request signed in."""
    user = _me(session, principal)
    return MeRead.model_validate(
        UserRead.model_validate(user).model_dump() | {"via": principal.via}
    )


@router.post(
    "/password",
    response_model=UserRead,
    summary="Change my password (other sessions end)",
    operation_id="change_my_password",
    responses={422: ERROR_RESPONSES[422]},
)
def change_password(session: SessionDep, principal: PrincipalDep, data: PasswordChange) -> UserRead:
    """Prove the current password; every other session of yours ends (this one stays)."""
    user = _me(session, principal)
    user_service.change_password(
        session,
        user=user,
        current=data.current_password.get_secret_value(),
        new=data.new_password.get_secret_value(),
        actor=principal.actor,
        keep_session=principal.session_id,
    )
    session.commit()
    return UserRead.model_validate(user)


@router.get(
    "/tokens",
    response_model=PageOut[TokenRead],
    summary="List my API tokens",
    operation_id="list_my_tokens",
)
def list_tokens(session: SessionDep, principal: PrincipalDep) -> PageOut[TokenRead]:
    """Oldest first, revoked ones included; never the tokens themselves."""
    user = _me(session, principal)
    tokens = [TokenRead.model_validate(row) for row in user_service.list_tokens(session, user=user)]
    return PageOut[TokenRead](items=tokens, total=len(tokens), limit=len(tokens), offset=0)


@router.post(
    "/tokens",
    response_model=TokenCreated,
    status_code=status.HTTP_201_CREATED,
    summary="Create an API token (the answer is the only time it is shown)",
    operation_id="create_my_token",
    responses={422: ERROR_RESPONSES[422]},
)
def create_token(session: SessionDep, principal: PrincipalDep, data: TokenCreate) -> TokenCreated:
    user = _me(session, principal)
    token = user_service.create_token(session, user=user, name=data.name, actor=principal.actor)
    row = session.scalars(
        select(ApiToken).where(ApiToken.token_hash == user_service.token_digest(token))
    ).one()
    session.commit()
    return TokenCreated.model_validate(
        TokenRead.model_validate(row).model_dump() | {"token": token}
    )


@router.delete(
    "/tokens/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Revoke one of my API tokens",
    operation_id="revoke_my_token",
    responses={404: ERROR_RESPONSES[404], 422: ERROR_RESPONSES[422]},
)
def revoke_token(session: SessionDep, principal: PrincipalDep, token_id: RecordId) -> Response:
    """It stops working at once. Another user's token is not found (404), never revoked."""
    assert principal.user_id is not None
    user_service.revoke_token(
        session, token_id=token_id, actor=principal.actor, owner_id=principal.user_id
    )
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
