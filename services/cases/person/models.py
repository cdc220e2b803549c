"""Person and the categories a person belongs to."""

from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field

from services.cases.common import Tracked
from services.cases.models import CasesModel
from shared.models import table_of


class Person(Tracked, table=True):
    __tablename__ = "person"
    # Lists at a million people (docs/scale.md): a ward's people in name order, read a page
    # at a time without sorting the ward (it also serves ward_code alone); the newest first.
    __table_args__ = (
        sa.Index("ix_person_ward_name", "ward_code", "name_key", "id"),
        sa.Index("ix_person_created_at", "created_at", "id"),
        # A bulk import's likely-duplicate check: people of a folded name born within a
        # year or so of each row (services/cases/importing/bulk.py).
        sa.Index("ix_person_name_birth", "name_key", "birth_date"),
    )

    full_name: str = Field(max_length=200)
    # Lower-case, diacritic-free copy of full_name: what name search matches against.
    name_key: str = Field(max_length=200, index=True)
    sex: str = Field(max_length=10)
    birth_date: date | None = Field(default=None, index=True)
    birth_date_estimated: bool = False
    national_id: str | None = Field(default=None, max_length=12, unique=True)
    birth_registration_no: str | None = Field(default=None, max_length=40)
    phone: str | None = Field(default=None, max_length=15, index=True)
    province_code: str = Field(max_length=2, index=True)
    ward_code: str = Field(max_length=5)
    # The commune (before 07/2025) the person lived in, where the ward took communes of two
    # former provinces: it decides which legacy province's plan counts them.
    legacy_ward_code: str | None = Field(default=None, max_length=5)
    address_line: str | None = Field(default=None, max_length=300)
    caregivers: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    disability_type: str | None = Field(default=None, max_length=30)
    disability_severity: str | None = Field(default=None, max_length=20)
    # Sensitive (Law 91/2025, Decree 356/2025): served only with sensitive:read and a purpose.
    ethnicity: str | None = Field(default=None, max_length=60)
    hiv_status: str | None = Field(default=None, max_length=20)
    health_notes: str | None = Field(default=None, max_length=2000)
    drug_use: bool | None = None
    criminal_record: bool | None = None
    # Stewardship: who registered the person decides who else may see them.
    registered_by_facility_id: UUID | None = Field(default=None, index=True)
    # Set when the record was merged into another (services/cases/merge): the record stays,
    # archived, as an alias whose reads redirect to the survivor.
    merged_into_id: UUID | None = Field(default=None, foreign_key="person.id", index=True)
    change_seq: int = Field(default=0, sa_type=sa.BigInteger, index=True)


class PersonCategory(CasesModel, table=True):
    __tablename__ = "person_category"

    person_id: UUID = Field(foreign_key="person.id", primary_key=True)
    category_code: str = Field(max_length=40, primary_key=True, index=True)


SENSITIVE_PERSON_FIELDS = ("ethnicity", "hiv_status", "health_notes", "drug_use", "criminal_record")


# The Core tables behind the models, derived once: queries import these.
category_t = table_of(PersonCategory)
person_t = table_of(Person)
