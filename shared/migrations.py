"""Alembic, one environment per service: helpers for each env.py and for the CLI and tests."""

import asyncio
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

from shared.db import is_sqlite, make_engine


def alembic_config(directory: Path, url: str) -> Config:
    """A config for a service's migrations directory (its env.py imports the service's models;
    nothing is imported here)."""
    config = Config()
    config.set_main_option("script_location", str(directory))
    config.attributes["url"] = url
    return config


def upgrade(directory: Path, url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(directory, url), revision)


def downgrade(directory: Path, url: str, revision: str) -> None:
    command.downgrade(alembic_config(directory, url), revision)


def revision(directory: Path, url: str, message: str) -> None:
    """Autogenerate a revision from the models; review and edit it before committing."""
    command.revision(alembic_config(directory, url), message=message, autogenerate=True)


def check(directory: Path, url: str) -> None:
    """Raises if the models describe a schema the migrations do not produce."""
    command.check(alembic_config(directory, url))


def run_env(context: Any, *, version_table: str, metadata: sa.MetaData, url: str) -> None:
    """The body of every service's env.py: online migrations over our async engine."""

    def migrate(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table=version_table,
            render_as_batch=is_sqlite(url),
            compare_type=True,
            include_object=_include_object,
        )
        with context.begin_transaction():
            context.run_migrations()

    async def run() -> None:
        engine = make_engine(url, pool_size=1)
        try:
            async with engine.connect() as connection:
                await connection.run_sync(migrate)
                await connection.commit()
        finally:
            await engine.dispose()

    asyncio.run(run())


def _include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    # Indexes that exist only on Postgres (trigram, partial) are declared in migrations alone.
    return not (
        type_ == "index" and reflected and compare_to is None and (name or "").startswith("pgonly_")
    )
