"""Every domain router of the cases service, mounted under /api/v1 by create_app."""

from services.cases.case.router import router as case_router
from services.cases.casework.referral_router import router as referral_router
from services.cases.casework.router import router as casework_router
from services.cases.changes.router import router as changes_router
from services.cases.conflicts.router import router as conflicts_router
from services.cases.duplicates.router import router as duplicates_router
from services.cases.events.router import router as events_router
from services.cases.events.webhooks import router as webhooks_router
from services.cases.importing.router import router as importing_router
from services.cases.inbox.router import router as inbox_router
from services.cases.merge.router import router as merge_router
from services.cases.person.router import router as person_router
from services.cases.reference.router import router as reference_router
from services.cases.stats.router import router as stats_router
from services.cases.sync.router import router as sync_router
from services.cases.transfer.router import router as transfer_router

routers = [
    person_router,
    transfer_router,
    merge_router,
    case_router,
    casework_router,
    referral_router,
    changes_router,
    conflicts_router,
    sync_router,
    events_router,
    webhooks_router,
    inbox_router,
    stats_router,
    reference_router,
    duplicates_router,
    importing_router,
]
