"""Records inside a case. Each belongs to one case and is never hard-deleted."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field

from services.cases.common import ChildRecord
from shared.db import UTCDateTime
from shared.models import table_of


class Assessment(ChildRecord, table=True):
    __tablename__ = "assessment"

    kind: str = Field(max_length=20)  # initial_risk | detailed_needs
    assessed_on: date
    risk_level: str = Field(max_length=20)
    needs: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    summary: str = Field(max_length=2000)
    # Sensitive: details of abuse, health or offences found during the assessment.
    findings: str | None = Field(default=None, max_length=5000)


IN_FORCE = sa.text("status = 'approved'")


class SupportPlan(ChildRecord, table=True):
    __tablename__ = "support_plan"
    # One plan in force per case, whatever order concurrent approvals commit in.
    __table_args__ = (
        sa.Index(
            "uq_support_plan_in_force",
            "case_id",
            unique=True,
            postgresql_where=IN_FORCE,
            sqlite_where=IN_FORCE,
        ),
    )

    drafted_on: date
    goals: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    planned_services: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    status: str = Field(default="draft", max_length=20)  # draft | approved | superseded
    approved_by: str | None = Field(default=None, max_length=200)
    approver_title: str | None = Field(default=None, max_length=200)
    approved_on: date | None = None


class ServiceDelivery(ChildRecord, table=True):
    __tablename__ = "service_delivery"
    __table_args__ = (
        sa.Index("ix_service_delivery_person_date", "person_id", "delivered_on"),
        # A window's services that count, read from the index alone (migration 0017).
        sa.Index(
            "ix_service_delivery_counting",
            "delivered_on",
            postgresql_include=["person_id", "service_type", "funding_source"],
            postgresql_where=sa.text("counts_for_targets"),
            sqlite_where=sa.text("counts_for_targets"),
        ),
    )

    person_id: UUID = Field(foreign_key="person.id")
    service_type: str = Field(max_length=40, index=True)
    delivered_on: date = Field(index=True)
    provider_facility_id: UUID | None = None
    worker_id: UUID | None = None
    funding_source: str = Field(max_length=20)
    amount_vnd: int | None = Field(default=None, sa_type=sa.BigInteger)
    note: str | None = Field(default=None, max_length=1000)
    # Whether it counts for targets #4 and #5: its case not archived, and it not dated after
    # the case closed. Kept by triggers (migration 0017), never written here.
    counts_for_targets: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})


class FollowUp(ChildRecord, table=True):
    __tablename__ = "follow_up"

    kind: str = Field(default="follow_up", max_length=20)  # follow_up | review
    start_date: date
    due_date: date = Field(index=True)
    done_date: date | None = Field(default=None, index=True)
    assigned_worker_id: UUID | None = Field(default=None, index=True)
    note: str | None = Field(default=None, max_length=1000)
    version: int = 1


class CaseNote(ChildRecord, table=True):
    __tablename__ = "case_note"

    body: str = Field(max_length=10000)
    sensitive: bool = False


class Referral(ChildRecord, table=True):
    __tablename__ = "referral"

    from_facility_id: UUID | None = None
    to_facility_id: UUID = Field(index=True)
    reason: str = Field(max_length=1000)
    services_requested: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    consent_confirmed: bool
    status: str = Field(default="pending", max_length=20, index=True)
    response_note: str | None = Field(default=None, max_length=1000)
    responded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = 1
    # The clocks (casework/deadlines.py): null on referrals made before they existed.
    respond_by: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    first_contact_by: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    first_contacted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Set once each, by the one escalation pass that wins the row.
    response_escalated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    first_contact_escalated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # What the receiving facility did, recorded as it completes the referral.
    outcome: str | None = Field(default=None, max_length=30)
    services_delivered: list[str] | None = Field(default=None, sa_type=sa.JSON)
    # The caseload sync's change number (shared.changes), taken by every write. Read by
    # case (ix_referral_case_id), never by number alone: no index of its own.
    change_seq: int = Field(default=0, sa_type=sa.BigInteger)


class Consent(ChildRecord, table=True):
    __tablename__ = "consent"

    purpose: str = Field(max_length=20)  # services | sharing | reporting | photos
    given_by: str = Field(max_length=20)  # person | guardian | both
    given_on: date
    expires_on: date | None = None
    withdrawn_on: date | None = None
    note: str | None = Field(default=None, max_length=500)


# The Core tables behind the models, derived once: queries import these.
service_t = table_of(ServiceDelivery)
assessment_t = table_of(Assessment)
plan_t = table_of(SupportPlan)
follow_up_t = table_of(FollowUp)
note_t = table_of(CaseNote)
consent_t = table_of(Consent)
referral_t = table_of(Referral)
