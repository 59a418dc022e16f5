from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, SecretStr, StringConstraints

from governance.schemas import Input, RecordRead
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
