"""Every table of the workforce service, imported so that `metadata` is complete."""

from services.workforce import common
from services.workforce.assignment import models as assignment_models
from services.workforce.facility import models as facility_models
from services.workforce.models import metadata
from services.workforce.supervision import models as supervision_models
from services.workforce.training import models as training_models
from services.workforce.wage import models as wage_models
from services.workforce.worker import models as worker_models

__all__ = [
    "assignment_models",
    "common",
    "facility_models",
    "metadata",
    "supervision_models",
    "training_models",
    "wage_models",
    "worker_models",
]
