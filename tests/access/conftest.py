"""The access matrix needs the reporting service's sources and plans as well."""

from tests.reporting.conftest import live_sources, plans, use_sources

__all__ = ["live_sources", "plans", "use_sources"]
