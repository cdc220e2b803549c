"""What clients send and receive for merges of two records of one person."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.labels import LabelledEnum, labelled
from shared.pagination import ListOf


class MergeField(LabelledEnum):
    """A field of the person whose surviving value a merge chooses."""

    FULL_NAME = "full_name"
    SEX = "sex"
    BIRTH_DATE = "birth_date"
    BIRTH_DATE_ESTIMATED = "birth_date_estimated"
    NATIONAL_ID = "national_id"
    BIRTH_REGISTRATION_NO = "birth_registration_no"
    PHONE = "phone"
    WARD_CODE = "ward_code"
    ADDRESS_LINE = "address_line"
    CAREGIVERS = "caregivers"
    DISABILITY_TYPE = "disability_type"
    DISABILITY_SEVERITY = "disability_severity"
    ETHNICITY = "ethnicity"
    HIV_STATUS = "hiv_status"
    HEALTH_NOTES = "health_notes"
    DRUG_USE = "drug_use"
    CRIMINAL_RECORD = "criminal_record"


MERGE_FIELDS = labelled(
    MergeField,
    (MergeField.FULL_NAME, "Họ và tên", "Full name"),
    (MergeField.SEX, "Giới tính", "Sex"),
    (MergeField.BIRTH_DATE, "Ngày sinh", "Date of birth"),
    (MergeField.BIRTH_DATE_ESTIMATED, "Ngày sinh ước tính", "Date of birth estimated"),
    (MergeField.NATIONAL_ID, "Số định danh cá nhân", "National ID"),
    (MergeField.BIRTH_REGISTRATION_NO, "Số đăng ký khai sinh", "Birth registration number"),
    (MergeField.PHONE, "Số điện thoại", "Phone"),
    (MergeField.WARD_CODE, "Xã, phường nơi ở (cùng xã cũ)", "Ward (with its former commune)"),
    (MergeField.ADDRESS_LINE, "Địa chỉ", "Address"),
    (MergeField.CAREGIVERS, "Người chăm sóc", "Caregivers"),
    (MergeField.DISABILITY_TYPE, "Dạng khuyết tật", "Type of disability"),
    (MergeField.DISABILITY_SEVERITY, "Mức độ khuyết tật", "Severity of disability"),
    (MergeField.ETHNICITY, "Dân tộc (nhạy cảm)", "Ethnicity (sensitive)"),
    (MergeField.HIV_STATUS, "Tình trạng HIV (nhạy cảm)", "HIV status (sensitive)"),
    (MergeField.HEALTH_NOTES, "Ghi chú sức khỏe (nhạy cảm)", "Health notes (sensitive)"),
    (MergeField.DRUG_USE, "Sử dụng ma túy (nhạy cảm)", "Drug use (sensitive)"),
    (MergeField.CRIMINAL_RECORD, "Tiền án, tiền sự (nhạy cảm)", "Criminal record (sensitive)"),
)


class MergeSide(LabelledEnum):
    """Whose value of a field the surviving record keeps."""

    SURVIVOR = "survivor"
    MERGED = "merged"


MERGE_SIDES = labelled(
    MergeSide,
    (MergeSide.SURVIVOR, "Giữ giá trị của hồ sơ được giữ lại", "The surviving record's value"),
    (MergeSide.MERGED, "Lấy giá trị của hồ sơ được gộp vào", "The merged record's value"),
)


class MergeStatus(LabelledEnum):
    MERGED = "merged"
    UNMERGED = "unmerged"


MERGE_STATUSES = labelled(
    MergeStatus,
    (MergeStatus.MERGED, "Đã gộp", "Merged"),
    (MergeStatus.UNMERGED, "Đã tách lại", "Merge undone"),
)


class PersonMergeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    survivor_id: UUID = Field(description="The record that stays")
    merged_id: UUID = Field(
        description="The record merged into it: it stays as an archived alias whose reads "
        "redirect to the survivor"
    )
    keep: dict[MergeField, MergeSide] = Field(
        default_factory=dict,
        max_length=len(MergeField),
        description="Whose value each field keeps; a field not named keeps the survivor's. "
        "The merged record's value of a sensitive field needs scope sensitive:read. "
        "Categories are always the union of both records'.",
    )


class MovedRows(BaseModel):
    """What the merge moved from the merged record to the survivor (and an undo moves back)."""

    cases: list[UUID] = Field(description="Cases, with everything inside them")
    service_deliveries: list[UUID] = Field(description="Services of those cases")
    access_log_entries: int = Field(description="Entries of the merged record's access log")


class PersonMergeRead(BaseModel):
    id: UUID
    survivor_id: UUID
    merged_id: UUID
    province_code: str
    status: MergeStatus
    kept: dict[MergeField, MergeSide]
    changed_fields: list[MergeField] = Field(
        description="The survivor's fields the merge changed (the merged record's value kept)"
    )
    moved: MovedRows
    merged_by: str
    merged_at: datetime
    unmerged_by: str | None
    unmerged_at: datetime | None
    version: int


class PersonMergeList(ListOf[PersonMergeRead]):
    pass
