"""Pages of a long list: which rows a page shows and the links to its neighbours."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

PAGE_SIZE = 25
#: Far enough for any real list; beyond it the offset would leave the database's range.
MAX_PAGE = 100_000


def page_number(text: str | None) -> int | None:
    """The page asked for (1-based), or None when the text is not a page number."""
    if text is None or text.strip() == "":
        return 1
    try:
        page = int(text)
    except ValueError:
        return None
    return page if 1 <= page <= MAX_PAGE else None


@dataclass(frozen=True)
class Pager:
    """Page ``page`` of ``total`` rows, ``size`` a page; ``params`` are the list's filters."""

    page: int
    total: int
    size: int = PAGE_SIZE
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        """The 1-based position of the page's first row (0 when the list is empty)."""
        return min(self.offset + 1, self.total)

    @property
    def last(self) -> int:
        return min(self.offset + self.size, self.total)

    @property
    def previous(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None

    def url(self, page: int) -> str:
        """The query string of another page of the same list."""
        params = {key: value for key, value in self.params.items() if value}
        if page > 1:
            params["page"] = str(page)
        return "?" + urlencode(params) if params else "?"
