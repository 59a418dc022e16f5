"""Settings, read once from ``COLLABGOV_*`` environment variables."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from governance.diagnosis.thresholds import Thresholds

DEFAULT_DATABASE_PATH = Path("var") / "collabgov.sqlite3"

#: Secret keys that ship in examples and must never protect a real deployment.
KNOWN_UNSAFE_SECRETS = frozenset({"", "changeme", "change-me", "secret", "development"})
MIN_SECRET_LENGTH = 32


class Settings(BaseSettings):
    """Everything a deployment can set; see the README's Configuration section."""

    model_config = SettingsConfigDict(env_prefix="COLLABGOV_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_DATABASE_PATH}",
        description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://user@host/db",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    secret_key: str = Field(
        default="development",
        description="Signs sessions and tokens; at least 32 characters outside development",
    )
    default_language: Literal["en", "id"] = "en"
    sqlite_busy_timeout_ms: int = Field(default=5000, ge=0)
    log_sql: bool = False
    session_idle_minutes: int = Field(
        default=30, ge=1, le=24 * 60, description="A sign-in ends after this long without use"
    )
    login_failures_per_name: int = Field(
        default=5, ge=1, description="Failed sign-ins allowed per user name in the window"
    )
    login_failures_per_address: int = Field(
        default=20, ge=1, description="Failed sign-ins allowed per client address in the window"
    )
    login_failure_window_minutes: int = Field(
        default=15, ge=1, description="How far back failed sign-ins count"
    )
    diagnosis_thresholds: dict[str, float] = Field(
        default_factory=dict,
        description="Diagnosis thresholds that differ from the defaults, as a JSON object, "
        'e.g. {"overdue_ratio_max": 0.4}; see docs/diagnosis.md',
    )

    @field_validator("diagnosis_thresholds")
    @classmethod
    def _known_thresholds(cls, value: dict[str, float]) -> dict[str, float]:
        try:
            Thresholds.with_overrides(value)
        except ValueError as error:
            raise ValueError(f"COLLABGOV_DIAGNOSIS_THRESHOLDS: {error}") from None
        return value

    @model_validator(mode="after")
    def _refuse_unsafe_secret(self) -> Settings:
        if self.environment == "development":
            return self
        if self.secret_key in KNOWN_UNSAFE_SECRETS or len(self.secret_key) < MIN_SECRET_LENGTH:
            raise ValueError(
                "COLLABGOV_SECRET_KEY is unsafe: outside development it must be at least "
                f"{MIN_SECRET_LENGTH} characters and not an example value. Generate one with: "
                "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        return self

    @property
    def secure_cookies(self) -> bool:
        """Cookies carry ``Secure`` in production, which must be served over HTTPS."""
        return self.environment == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def generate_secret_key() -> str:
    return secrets.token_urlsafe(48)


@lru_cache
def get_settings() -> Settings:
    return Settings()
