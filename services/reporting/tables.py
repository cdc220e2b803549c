"""Every table of the reporting service, imported so that `metadata` is complete."""

from services.reporting import common
from services.reporting.disclosure import models as disclosure_models
from services.reporting.events import models as event_models
from services.reporting.events import webhooks as event_webhooks
from services.reporting.manual import models as manual_models
from services.reporting.models import metadata
from services.reporting.plan import models as plan_models
from services.reporting.report import models as report_models

__all__ = [
    "common",
    "disclosure_models",
    "event_models",
    "event_webhooks",
    "manual_models",
    "metadata",
    "plan_models",
    "report_models",
]
