"""Password hashing (Argon2id, argon2-cffi's defaults) and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from governance.errors import Invalid

MIN_LENGTH = 12
MAX_LENGTH = 256

#: Passwords long enough for the length rule that attackers still try first. Compared
#: case-insensitively; the length rule already stops the short favourites.
COMMON_PASSWORDS = frozenset(
    {
        "password1234",
        "password12345",
        "password123!",
        "passw0rd1234",
        "p@ssw0rd1234",
        "passwordpassword",
        "123456789012",
        "1234567890123",
        "123456123456",
        "123123123123",
        "111111111111",
        "000000000000",
        "abcdefghijkl",
        "abc123456789",
        "aaaaaaaaaaaa",
        "qwertyuiop12",
        "qwertyuiopasdf",
        "qwerty123456",
        "qwertyqwerty",
        "asdfghjkl123",
        "1q2w3e4r5t6y",
        "1qaz2wsx3edc",
        "zaq12wsxcde3",
        "iloveyou1234",
        "letmein12345",
        "welcome12345",
        "admin1234567",
        "administrator",
        "changeme1234",
        "football1234",
        "sunshine1234",
        "princess1234",
        "superman1234",
        "rahasia12345",
        "bismillah123",
    }
)

#: The hasher in use; its parameters decide when a stored hash is due for rehashing.
hasher = PasswordHasher()


def password_problem(password: str) -> str | None:
    """What is wrong with a proposed password under the policy, or None if it is fine."""
    if len(password) < MIN_LENGTH:
        return f"must be at least {MIN_LENGTH} characters long"
    if len(password) > MAX_LENGTH:
        return f"must be at most {MAX_LENGTH} characters long"
    if password.casefold() in COMMON_PASSWORDS:
        return "is one of the most common passwords; choose another"
    return None


def check_password(password: str) -> None:
    """Refuse a password the policy does not allow, as ``Invalid`` on ``password``."""
    problem = password_problem(password)
    if problem is not None:
        raise Invalid.field("password", problem)


def hash_password(password: str) -> str:
    """An Argon2id hash of the password, with its own random salt."""
    return hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    """Whether ``password`` matches ``password_hash``; a malformed hash never matches."""
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than the hasher's current ones."""
    try:
        return hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True
