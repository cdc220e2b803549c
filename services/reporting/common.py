"""Tables every reporting domain shares."""

from services.reporting.models import metadata
from shared.history import history_table
from shared.idempotency import idempotency_table

history = history_table(metadata)
idempotency = idempotency_table(metadata)
