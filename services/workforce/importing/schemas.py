"""What clients send and receive for spreadsheet imports and exports."""

from pydantic import BaseModel

from shared.labels import LabelledEnum, labelled
from shared.pagination import Page
from shared.sheets.jobs import ImportJobFields, ImportProblem


class SheetKind(LabelledEnum):
    """The spreadsheets a department exchanges with the service."""

    FACILITIES = "facilities"
    WORKERS = "workers"
    PARTICIPATIONS = "participations"
    WARD_WAGE_REGIONS = "ward-wage-regions"


SHEET_KINDS = labelled(
    SheetKind,
    (SheetKind.FACILITIES, "Danh sách cơ sở", "Facilities"),
    (SheetKind.WORKERS, "Danh sách người làm CTXH", "Social workers and collaborators"),
    (SheetKind.PARTICIPATIONS, "Học viên các khóa đào tạo", "Course participants"),
    (SheetKind.WARD_WAGE_REGIONS, "Vùng lương tối thiểu của xã", "Wards' minimum-wage regions"),
)


class JobSheetKind(LabelledEnum):
    """The sheets an import job takes: those that run to tens of thousands of rows."""

    WORKERS = "workers"


JOB_SHEET_KINDS = labelled(
    JobSheetKind,
    (JobSheetKind.WORKERS, "Danh sách người làm CTXH", "Social workers and collaborators"),
)


class ImportJob(ImportJobFields):
    """A sheet being imported, or imported: poll it until `status` is done, rejected or
    failed."""

    kind: JobSheetKind


class ImportJobList(Page[ImportJob]):
    pass


class ImportReport(BaseModel):
    kind: SheetKind
    dry_run: bool
    rows: int
    written: int
    errors: list[ImportProblem]
