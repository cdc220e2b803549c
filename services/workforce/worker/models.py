"""Workers: CTXH staff, collaborators and volunteers."""

from datetime import date

from sqlmodel import Field

from services.workforce.common import Tracked
from shared.models import table_of


class Worker(Tracked, table=True):
    __tablename__ = "worker"

    full_name: str = Field(max_length=200)
    name_key: str = Field(max_length=200, index=True)
    sex: str = Field(max_length=10)
    birth_date: date | None = None
    national_id: str | None = Field(default=None, max_length=12, unique=True)
    phone: str | None = Field(default=None, max_length=15)
    email: str | None = Field(default=None, max_length=200)
    qualification: str = Field(default="none", max_length=20, index=True)
    professional_title: str | None = Field(default=None, max_length=20)
    status: str = Field(default="active", max_length=20)
    # The first day the worker is no longer staff: retired, left, or archived. Their positions
    # end on that day, and no statistic counts them from it.
    left_on: date | None = None
    # The province whose department keeps the worker's record.
    province_code: str = Field(max_length=2, index=True)


# The Core tables behind the models, derived once: queries import these.
worker_t = table_of(Worker)
