"""What the API reads and writes about users, tokens and sessions; never a hash."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SecretStr, StringConstraints

from governance.schemas import KEEP, Input, Patch, RecordRead
from governance.users import passwords
from governance.vocab import UserRole

UserName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


def _allowed(password: SecretStr) -> SecretStr:
    problem = passwords.password_problem(password.get_secret_value())
    if problem is not None:
        raise ValueError(problem)
    return password


#: A password under the policy; kept secret so it never shows in a repr or a log.
Password = Annotated[SecretStr, AfterValidator(_allowed)]


class UserCreate(Input):
    name: UserName
    role: UserRole
    password: Password


class UserRead(RecordRead):
    """A user as others see it: never the password hash."""

    name: str
    role: UserRole
    active: bool


#: A password as typed, not yet judged: the service applies the policy and names the field.
#: Bounded so that no one can make the server hash megabytes.
TypedPassword = Annotated[SecretStr, Field(min_length=1, max_length=1000)]
TokenName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class UserPatch(Patch):
    """An admin's change to an account: its role, or whether it may sign in."""

    role: UserRole = KEEP
    active: bool = KEEP


class PasswordChange(Input):
    """Changing one's own password: the current one proves it is you."""

    current_password: TypedPassword
    new_password: TypedPassword


class PasswordReset(Input):
    """An admin sets someone's password; every session of theirs ends."""

    password: TypedPassword


class TokenCreate(Input):
    """A new API token; the name says what it is for ("export script")."""

    name: TokenName


class TokenRead(BaseModel):
    """An API token as its owner sees it: never the token nor its hash."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreated(TokenRead):
    """A token just created: the only answer that carries the token itself."""

    token: str = Field(description="Send it as 'Authorization: Bearer <token>'; shown only once")


class SessionRead(BaseModel):
    """A signed-in browser of the user: where from, which browser, when last seen."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    address: str
    user_agent: str
    created_at: dt.datetime
    last_seen_at: dt.datetime
    current: bool = False


class MeRead(UserRead):
    """The signed-in user, and how this request was authenticated."""

    via: str = Field(description='"session" (a browser) or "token" (an API token)')


class UserOverview(UserRead):
    """A user in the admins' list: also when they last signed in."""

    last_signed_in_at: dt.datetime | None = None
