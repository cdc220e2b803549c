"""The report events as webhook deliveries: the worker reads them exactly as the feed shows
them to the subscriber (services.reporting.events.service), and each body is the feed's
item."""

from sqlalchemy.ext.asyncio import AsyncConnection

from services.reporting.common import idempotency
from services.reporting.events import service
from services.reporting.events.schemas import (
    REPORT_EVENT_TYPES,
    ReportEventRead,
    ReportEventType,
)
from services.reporting.models import metadata
from shared.auth import Principal
from shared.webhooks.documents import webhook_documents
from shared.webhooks.router import webhook_router
from shared.webhooks.source import OutboxEvent
from shared.webhooks.tables import webhook_tables

tables = webhook_tables(metadata)


class ReportEvents:
    async def head(self, connection: AsyncConnection) -> int:
        return await service.last_seq(connection)

    async def events(
        self,
        connection: AsyncConnection,
        principal: Principal,
        *,
        after: int,
        upto: int,
        types: list[str],
        limit: int,
    ) -> list[OutboxEvent]:
        rows = await service.events_after(
            connection,
            principal,
            after=after,
            upto=upto,
            types=[ReportEventType(t) for t in types],
            limit=limit,
        )
        return [
            OutboxEvent(row.seq, row.id, row.type, service.event_read(row).model_dump(mode="json"))
            for row in rows[:limit]
        ]


source = ReportEvents()
router = webhook_router(tables, ReportEventType, service.last_seq, idempotency, kind="report")
documents = webhook_documents(ReportEventType, REPORT_EVENT_TYPES, ReportEventRead)
