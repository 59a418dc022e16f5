"""Fixtures of the audit tests: counting queries, as the page tests do."""

from tests.pages.conftest import count_queries

__all__ = ["count_queries"]
