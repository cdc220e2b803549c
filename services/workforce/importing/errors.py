"""Problems specific to spreadsheet imports."""

from shared.errors import Conflict, ValidationFailed


class RegionsChangedMeanwhile(Conflict):
    code = "ward_regions_changed_meanwhile"
    title = "Another load changed the same wards' regions at the same time; send the file again"


class ImportRejected(ValidationFailed):
    code = "import_rejected"
    title = "The file has rows that cannot be imported; nothing was written"
