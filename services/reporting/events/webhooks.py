"""The report events as webhook deliveries: the worker reads them exactly as the feed shows
them to the subscriber (services.reporting.events.service), and each body is the feed's
item."""

from services.reporting.common import idempotency
from services.reporting.events import service
from services.reporting.events.schemas import (
    REPORT_EVENT_TYPES,
    ReportEventRead,
    ReportEventType,
)
from services.reporting.models import metadata
from shared.webhooks.documents import webhook_documents
from shared.webhooks.router import webhook_router
from shared.webhooks.source import FeedSource
from shared.webhooks.tables import webhook_tables

tables = webhook_tables(metadata)
source = FeedSource(service.last_seq, service.events_after, ReportEventType, service.event_read)
router = webhook_router(tables, ReportEventType, service.last_seq, idempotency, kind="report")
documents = webhook_documents(ReportEventType, REPORT_EVENT_TYPES, ReportEventRead)
