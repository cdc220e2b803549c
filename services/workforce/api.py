"""Every domain router of the workforce service, mounted under /api/v1 by create_app."""

from services.workforce.assignment.router import router as assignment_router
from services.workforce.facility.router import router as facility_router
from services.workforce.importing.router import router as import_router
from services.workforce.reference.router import router as reference_router
from services.workforce.stats.router import router as stats_router
from services.workforce.supervision.router import router as supervision_router
from services.workforce.training.router import router as training_router
from services.workforce.wage.router import router as wage_router
from services.workforce.worker.router import router as worker_router

routers = [
    facility_router,
    worker_router,
    assignment_router,
    training_router,
    supervision_router,
    wage_router,
    import_router,
    stats_router,
    reference_router,
]
