"""Every domain router of the reporting service, mounted under /api/v1 by create_app."""

from services.reporting.agency.router import router as agency_router
from services.reporting.contribution.router import reminders_router
from services.reporting.contribution.router import router as contribution_router
from services.reporting.dashboard.router import router as dashboard_router
from services.reporting.events.router import router as events_router
from services.reporting.events.webhooks import router as webhooks_router
from services.reporting.manual.router import router as manual_router
from services.reporting.ministry.router import router as ministry_router
from services.reporting.plan.router import router as plan_router
from services.reporting.report.router import router as report_router

routers = [
    plan_router,
    report_router,
    dashboard_router,
    manual_router,
    agency_router,
    contribution_router,
    reminders_router,
    ministry_router,
    events_router,
    webhooks_router,
]
