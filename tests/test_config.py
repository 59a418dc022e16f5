"""Settings come from COLLABGOV_* variables and refuse unsafe secrets outside development."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from governance.config import Settings


class TestSettings:
    def test_defaults_to_an_sqlite_file_under_var(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("COLLABGOV_DATABASE_URL", raising=False)

        settings = Settings(_env_file=None)

        assert settings.database_url == "sqlite:///var/collabgov.sqlite3"
        assert (settings.host, settings.port, settings.default_language) == (
            "127.0.0.1",
            8000,
            "en",
        )

    def test_reads_prefixed_environment_variables(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("COLLABGOV_PORT", "9001")
        monkeypatch.setenv("COLLABGOV_DEFAULT_LANGUAGE", "id")

        settings = Settings(_env_file=None)

        assert (settings.port, settings.default_language) == (9001, "id")

    @pytest.mark.parametrize("secret", ["development", "changeme", "short-but-not-32-chars"])
    def test_refuses_an_unsafe_secret_in_production(self, secret: str) -> None:
        with pytest.raises(ValidationError, match="COLLABGOV_SECRET_KEY is unsafe"):
            Settings(environment="production", secret_key=secret, _env_file=None)

    def test_accepts_a_long_random_secret_in_production(self) -> None:
        settings = Settings(environment="production", secret_key="k" * 48, _env_file=None)

        assert settings.environment == "production"

    def test_refuses_an_unknown_language(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("COLLABGOV_DEFAULT_LANGUAGE", "fr")

        with pytest.raises(ValidationError, match="default_language"):
            Settings(_env_file=None)
