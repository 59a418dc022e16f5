"""The schema exists only through Alembic: up, down, up again, and no drift from the models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from governance import migrations
from governance.db import make_engine
from governance.models import Base
from tests.conftest import BACKENDS, postgres_database


@pytest.fixture(params=BACKENDS)
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'migrations.sqlite3'}")
        yield engine
        engine.dispose()
        return
    with postgres_database() as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


def tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


class TestMigrations:
    def test_upgrade_creates_every_table_of_the_models(self, empty_engine: Engine) -> None:
        migrations.upgrade(empty_engine)

        assert tables(empty_engine) == set(Base.metadata.tables)
        assert migrations.current_revision(empty_engine) == migrations.head_revision()

    def test_down_to_nothing_and_up_again(self, empty_engine: Engine) -> None:
        migrations.upgrade(empty_engine)

        migrations.downgrade(empty_engine, "base")
        assert tables(empty_engine) == set()
        assert migrations.current_revision(empty_engine) is None

        migrations.upgrade(empty_engine)
        assert tables(empty_engine) == set(Base.metadata.tables)

    def test_models_and_migrations_do_not_drift(self, empty_engine: Engine) -> None:
        migrations.upgrade(empty_engine)

        with empty_engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)

        assert differences == []


class TestRevisionFiles:
    def test_revision_files_are_dated(self) -> None:
        names = [p.name for p in (migrations.SCRIPT_LOCATION / "versions").glob("*.py")]

        assert names, "no migrations found"
        for name in names:
            year, month, day = name[:4], name[5:7], name[8:10]
            assert (year.isdigit(), month.isdigit(), day.isdigit()) == (True, True, True), name
