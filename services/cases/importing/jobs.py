"""Import jobs of the cases service: a people sheet of up to 200,000 rows, checked and written
off the request (shared.sheets.jobs)."""

from typing import Any

from services.cases.common import idempotency, import_jobs
from services.cases.importing.bulk import PersonImporter
from services.cases.importing.schemas import PersonImportJob, PersonSheetKind
from shared.auth import Principal
from shared.sheets.desk import ImportJobDesk


def _people(principal: Principal, options: dict[str, Any]) -> PersonImporter:
    return PersonImporter(principal, bool(options.get("allow_likely_duplicates")))


DESK = ImportJobDesk(
    jobs=import_jobs,
    idempotency=idempotency,
    answer=PersonImportJob,
    importers={PersonSheetKind.PEOPLE: _people},
)
