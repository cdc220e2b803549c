"""Transfer rows as responses."""

from services.cases.person.service import codes_of
from services.cases.reference.codes import SENSITIVE_CATEGORIES
from services.cases.transfer.schemas import TransferPerson, TransferRead
from shared.db import AnyRow


def transfer_read(row: AnyRow) -> TransferRead:
    person = TransferPerson(
        full_name=row.full_name,
        sex=row.sex,
        birth_date=row.birth_date,
        national_id=row.national_id,
        categories=[c for c in codes_of(row) if c not in SENSITIVE_CATEGORIES],
    )
    fields = {k: getattr(row, k) for k in TransferRead.model_fields if k != "person"}
    return TransferRead(**fields, person=person)
