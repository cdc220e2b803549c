"""What clients send and receive for people's import jobs."""

from shared.labels import LabelledEnum, labelled
from shared.pagination import Page
from shared.sheets.jobs import ImportJobFields


class PersonSheetKind(LabelledEnum):
    """The sheets the cases service imports."""

    PEOPLE = "people"


PERSON_SHEET_KINDS = labelled(
    PersonSheetKind,
    (PersonSheetKind.PEOPLE, "Danh sách đối tượng", "People"),
)


class PersonImportJob(ImportJobFields):
    """A people sheet being imported, or imported: poll it until `status` is done, rejected
    or failed."""

    kind: PersonSheetKind
    allow_likely_duplicates: bool


class PersonImportJobList(Page[PersonImportJob]):
    pass
