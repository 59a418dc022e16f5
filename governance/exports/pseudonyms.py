"""Stable pseudonyms for stakeholders: ``S-`` and the start of an HMAC of the id.

The same key gives the same pseudonym to the same stakeholder in every export, so a
researcher can join exports made months apart; without the key the pseudonym cannot
be turned back into the stakeholder. A fresh random key per export gives pseudonyms
that join nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

#: Hex digits of the HMAC shown; more are used only where two stakeholders would collide.
DIGITS = 6
_PURPOSE = b"collabgov stakeholder pseudonyms\x00"


def derived_key(secret: str) -> bytes:
    """The deployment's pseudonym key, derived from its secret key (never the secret itself)."""
    return hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()


def fresh_key() -> bytes:
    """A key for one export only."""
    return secrets.token_bytes(32)


def pseudonym(key: bytes, stakeholder_id: int, digits: int = DIGITS) -> str:
    """``S-`` and the first ``digits`` hex digits of HMAC-SHA256(key, id).

    >>> pseudonym(b"k", 7) == pseudonym(b"k", 7) != pseudonym(b"other", 7)
    True
    >>> pseudonym(b"k", 7)[:2], len(pseudonym(b"k", 7))
    ('S-', 8)
    """
    digest = hmac.new(key, str(stakeholder_id).encode(), hashlib.sha256).hexdigest()
    return f"S-{digest[:digits]}"


def pseudonyms(key: bytes, ids: Iterable[int]) -> dict[int, str]:
    """A distinct pseudonym for each id; ids that would collide get longer ones.

    >>> names = pseudonyms(b"k", range(1, 2000))
    >>> len(set(names.values()))
    1999
    """
    wanted = sorted(set(ids))
    found = {i: pseudonym(key, i) for i in wanted}
    digits = DIGITS
    while len(set(found.values())) < len(found) and digits < 64:
        digits += 2
        counts: dict[str, int] = {}
        for value in found.values():
            counts[value] = counts.get(value, 0) + 1
        found = {
            i: pseudonym(key, i, digits) if counts[value] > 1 else value
            for i, value in found.items()
        }
    return found
