"""Alembic environment of the cases service (its own version table and database)."""

from alembic import context

from services.cases.settings import get_settings
from services.cases.tables import metadata
from shared.migrations import run_env

url = context.config.attributes.get("url") or get_settings().sqlalchemy_url()
run_env(context, version_table="alembic_version_cases", metadata=metadata, url=url)
