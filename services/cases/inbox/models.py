"""What a worker has marked done in their inbox. The items themselves are not stored: they
are what the records say needs doing now, so one resolved elsewhere leaves every inbox."""

from datetime import datetime

from sqlmodel import Field

from services.cases.models import CasesModel
from shared.models import table_of, timestamp_field


class InboxDone(CasesModel, table=True):
    __tablename__ = "inbox_done"

    subject: str = Field(max_length=200, primary_key=True)
    # The item's key (kind:record[:occasion]); a new occasion of one record is a new item.
    item_key: str = Field(max_length=120, primary_key=True)
    done_at: datetime = timestamp_field()


inbox_done_t = table_of(InboxDone)
