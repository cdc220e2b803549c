"""Import jobs of the workforce service: a workers sheet of up to 200,000 rows, checked and
written off the request (shared.sheets.jobs)."""

from services.workforce.common import idempotency, import_jobs
from services.workforce.importing.bulk import WorkerImporter
from services.workforce.importing.schemas import ImportJob, JobSheetKind
from shared.sheets.desk import ImportJobDesk

DESK = ImportJobDesk(
    jobs=import_jobs,
    idempotency=idempotency,
    answer=ImportJob,
    importers={JobSheetKind.WORKERS: lambda principal, options: WorkerImporter(principal)},
)
