"""Tables every reporting domain shares."""

from services.reporting.models import metadata
from shared.changes import change_counter_table
from shared.history import history_table
from shared.idempotency import idempotency_table

history = history_table(metadata)
idempotency = idempotency_table(metadata)
# Numbers the events feed in commit order (shared.changes).
change_counter = change_counter_table(metadata)
