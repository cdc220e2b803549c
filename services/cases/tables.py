"""Every table of the cases service, imported so that `metadata` is complete (alembic, tests)."""

from services.cases import common
from services.cases.access import models as access_models
from services.cases.case import models as case_models
from services.cases.casework import models as casework_models
from services.cases.duplicates import models as duplicate_models
from services.cases.events import models as event_models
from services.cases.events import webhooks as event_webhooks
from services.cases.inbox import models as inbox_models
from services.cases.merge import models as merge_models
from services.cases.models import metadata
from services.cases.person import models as person_models
from services.cases.transfer import models as transfer_models

__all__ = [
    "access_models",
    "case_models",
    "casework_models",
    "common",
    "duplicate_models",
    "event_models",
    "event_webhooks",
    "inbox_models",
    "merge_models",
    "metadata",
    "person_models",
    "transfer_models",
]
