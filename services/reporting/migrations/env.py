"""Alembic environment of the reporting service (its own version table and database)."""

from alembic import context

from services.reporting.settings import get_settings
from services.reporting.tables import metadata
from shared.migrations import run_env

url = context.config.attributes.get("url") or get_settings().sqlalchemy_url()
run_env(context, version_table="alembic_version_reporting", metadata=metadata, url=url)
