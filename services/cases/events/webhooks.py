"""The cases events as webhook deliveries: the worker reads them exactly as the feed shows
them to the subscriber (services.cases.events.service), and each body is the feed's item."""

from services.cases.common import idempotency
from services.cases.events import service
from services.cases.events.schemas import EVENT_TYPES, EventRead, EventType
from services.cases.models import metadata
from shared.webhooks.documents import webhook_documents
from shared.webhooks.router import webhook_router
from shared.webhooks.source import FeedSource
from shared.webhooks.tables import webhook_tables

tables = webhook_tables(metadata)
source = FeedSource(service.last_seq, service.events_after, EventType, service.event_read)
router = webhook_router(tables, EventType, service.last_seq, idempotency)
documents = webhook_documents(EventType, EVENT_TYPES, EventRead)
