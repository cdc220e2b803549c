"""Every table of the reporting service, imported so that `metadata` is complete."""

from services.reporting.models import metadata

__all__ = ["metadata"]
