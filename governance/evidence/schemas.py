from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field

from governance.schemas import KEEP, Id, Input, ListQuery, Patch, RecordRead, Text, Title, Url
from governance.vocab import EvidenceKind


def _web_address(value: str) -> str:
    """An empty string (no address) or an http(s) URL with a host."""
    if not value:
        return value
    if not value.lower().startswith(("http://", "https://")):
        raise ValueError("must start with http:// or https://")
    if not urlsplit(value).netloc:
        raise ValueError("has no host after the scheme")
    return value


def _unique(ids: list[int]) -> list[int]:
    """Drop repeated ids, keeping the first of each: one link per piece of evidence."""
    return list(dict.fromkeys(ids))


WebAddress = Annotated[Url, AfterValidator(_web_address)]

#: The evidence a record rests on, by id; sending the list replaces the links.
EvidenceIds = Annotated[
    list[Id],
    Field(max_length=100, description="Ids of live evidence; sending the list replaces it"),
    AfterValidator(_unique),
]


class EvidenceCreate(Input):
    collaboration_id: Id | None = None
    kind: EvidenceKind
    title: Title
    date: dt.date | None = None
    citation: Text = ""
    url: WebAddress = ""
    excerpt: Text = ""
    confidential: bool = Field(False, description="Kept off public pages and exports")


class EvidencePatch(Patch):
    collaboration_id: Id | None = None
    kind: EvidenceKind = KEEP
    title: Title = KEEP
    date: dt.date | None = None
    citation: Text = KEEP
    url: WebAddress = KEEP
    excerpt: Text = KEEP
    confidential: bool = KEEP


class EvidenceRead(RecordRead):
    collaboration_id: int | None
    kind: EvidenceKind
    title: str
    date: dt.date | None
    citation: str
    url: str
    excerpt: str
    confidential: bool


class EvidenceQuery(ListQuery):
    q: str | None = Field(None, max_length=200, description="Text in title, citation or excerpt")
    collaboration_id: Id | None = None
    kind: EvidenceKind | None = None
    confidential: bool | None = None
