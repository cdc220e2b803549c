"""What clients send and receive for people."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool

from services.cases.access.sensitive import AccessedRecord
from services.cases.reference.codes import DisabilitySeverity, DisabilityType, HivStatus, Sex
from services.cases.validation import (
    Categories,
    CategoryCode,
    LegacyWardCode,
    NationalId,
    PastDate,
    Phone,
    ProvinceCode,
    WardCode,
    check_legacy_ward,
    check_province,
    check_ward,
)
from shared.auth import Role
from shared.pagination import ListOf, Page
from shared.values import ClientId, FullName, left_out


class Caregiver(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: FullName
    relationship: str = Field(min_length=1, max_length=60, examples=["mẹ", "ông nội"])
    phone: Phone | None = None
    is_legal_guardian: StrictBool = False


class PersonSensitiveFields(BaseModel):
    """Sensitive personal data: needs scope sensitive:read (and a purpose) to read."""

    ethnicity: str | None = Field(default=None, max_length=60)
    hiv_status: HivStatus | None = None
    health_notes: str | None = Field(default=None, max_length=2000)
    drug_use: StrictBool | None = None
    criminal_record: StrictBool | None = None


class PersonSensitive(PersonSensitiveFields):
    categories: list[CategoryCode] = Field(description="Sensitive categories the person belongs to")


class PersonFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: FullName
    sex: Sex
    birth_date: PastDate | None = None
    birth_date_estimated: StrictBool = False
    national_id: NationalId | None = None
    birth_registration_no: str | None = Field(default=None, max_length=40)
    phone: Phone | None = None
    province_code: Annotated[ProvinceCode | None, AfterValidator(check_province)] = Field(
        default=None, description="Derived from the ward when omitted"
    )
    ward_code: Annotated[WardCode, AfterValidator(check_ward)]
    legacy_ward_code: Annotated[LegacyWardCode | None, AfterValidator(check_legacy_ward)] = None
    address_line: str | None = Field(default=None, max_length=300)
    caregivers: list[Caregiver] = Field(default_factory=list, max_length=10)
    categories: Categories = Field(default_factory=list)
    disability_type: DisabilityType | None = None
    disability_severity: DisabilitySeverity | None = None


class PersonCreate(PersonFields, PersonSensitiveFields):
    """A new person. Sensitive fields and categories need scope sensitive:read."""

    id: ClientId | None = None


class PersonUpdate(PersonSensitiveFields):
    """Only the fields sent change; send null to clear an optional field."""

    model_config = ConfigDict(extra="forbid")

    # What a person must have may be left out, but not cleared: null is a 422.
    full_name: FullName = left_out()
    sex: Sex = left_out()
    birth_date: PastDate | None = None
    birth_date_estimated: StrictBool = left_out()
    national_id: NationalId | None = None
    birth_registration_no: str | None = Field(default=None, max_length=40)
    phone: Phone | None = None
    ward_code: Annotated[WardCode | None, AfterValidator(check_ward)] = Field(
        default=None,
        description="The province follows the ward; another province's ward is "
        "a transfer (POST /persons/{id}/transfers), not a change",
    )
    legacy_ward_code: Annotated[LegacyWardCode | None, AfterValidator(check_legacy_ward)] = None
    address_line: str | None = Field(default=None, max_length=300)
    caregivers: list[Caregiver] | None = Field(default=None, max_length=10)
    categories: Categories | None = None
    disability_type: DisabilityType | None = None
    disability_severity: DisabilitySeverity | None = None


class PersonSummary(BaseModel):
    id: UUID
    full_name: str
    sex: Sex
    birth_date: date | None
    birth_date_estimated: bool
    national_id: str | None
    phone: str | None
    province_code: str
    ward_code: str
    legacy_ward_code: str | None
    categories: list[CategoryCode] = Field(description="Non-sensitive categories")
    archived: bool
    merged_into_id: UUID | None = Field(
        default=None,
        description="Set on a record merged into another of the same person (an archived "
        "alias): the surviving record to use instead",
    )
    version: int


class PersonRead(PersonSummary):
    birth_registration_no: str | None
    address_line: str | None
    caregivers: list[Caregiver]
    disability_type: DisabilityType | None
    disability_severity: DisabilitySeverity | None
    registered_by_facility_id: UUID | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None
    sensitive: PersonSensitive | None = Field(
        description="Present only for callers with sensitive:read who state a purpose"
    )


PersonPage = Page[PersonSummary]


class DuplicateCandidate(BaseModel):
    id: UUID
    full_name: str
    birth_date: date | None
    ward_code: str


class AccessEntry(BaseModel):
    at: datetime
    actor: str
    actor_roles: list[Role]
    record_type: AccessedRecord
    case_id: UUID | None
    sensitive: bool
    purpose: str | None


class AccessLogPage(ListOf[AccessEntry]):
    pass
