"""One's own account: signing out."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from api import auth
from api.deps import SessionDep
from api.web import path_for
from governance.users import signin

router = APIRouter()
ACCESS = auth.Access.SIGNED_IN


@router.post("/logout", name="logout")
def logout(
    request: Request, session: SessionDep, principal: auth.PrincipalDep
) -> RedirectResponse:
    """End this session now: the old cookie opens nothing afterwards, even if copied."""
    signin.end_session(session, key=principal.session_key, actor=principal.actor)
    session.commit()
    response = RedirectResponse(path_for(request, "login"), status_code=303)
    auth.clear_session_cookie(response, request.app.state.settings)
    return response
