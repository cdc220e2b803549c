"""Every table of the workforce service, imported so that `metadata` is complete."""

from services.workforce.models import metadata

__all__ = ["metadata"]
