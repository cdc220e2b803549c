"""Append-only history of who changed what, one table per service.

`HistoryEvent` is one schema in the three services' documents (their clients share one
namespace), so its kinds of record and its actions are one vocabulary for all three."""

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.auth.principal import Principal, Role
from shared.db import UTCDateTime, utcnow
from shared.labels import LabelledEnum, labelled
from shared.pagination import ListOf

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class HistoryEntityType(LabelledEnum):
    """The kind of record an event happened to."""

    PERSON = "person"
    CASE = "case"
    ASSESSMENT = "assessment"
    SUPPORT_PLAN = "support_plan"
    SERVICE_DELIVERY = "service_delivery"
    FOLLOW_UP = "follow_up"
    CASE_NOTE = "case_note"
    CONSENT = "consent"
    REFERRAL = "referral"
    FACILITY = "facility"
    WORKER = "worker"
    ASSIGNMENT = "assignment"
    COURSE = "course"
    PARTICIPATION = "participation"
    SUPERVISION = "supervision"
    WARD_WAGE_REGION = "ward_wage_region"
    PLAN = "plan"
    REPORT = "report"
    MANUAL_VALUE = "manual_value"
    AGENCY = "agency"
    CONTRIBUTION = "contribution"


HISTORY_ENTITY_TYPES = labelled(
    HistoryEntityType,
    (HistoryEntityType.PERSON, "Người được hỗ trợ", "Person"),
    (HistoryEntityType.CASE, "Hồ sơ trường hợp", "Case"),
    (HistoryEntityType.ASSESSMENT, "Đánh giá", "Assessment"),
    (HistoryEntityType.SUPPORT_PLAN, "Kế hoạch hỗ trợ", "Support plan"),
    (HistoryEntityType.SERVICE_DELIVERY, "Dịch vụ đã cung cấp", "Service delivered"),
    (HistoryEntityType.FOLLOW_UP, "Theo dõi, rà soát", "Follow-up"),
    (HistoryEntityType.CASE_NOTE, "Ghi chép về trường hợp", "Case note"),
    (HistoryEntityType.CONSENT, "Sự đồng ý", "Consent"),
    (HistoryEntityType.REFERRAL, "Chuyển gửi", "Referral"),
    (HistoryEntityType.FACILITY, "Cơ sở", "Facility"),
    (HistoryEntityType.WORKER, "Người làm công tác xã hội", "Worker"),
    (HistoryEntityType.ASSIGNMENT, "Vị trí công tác", "Post"),
    (HistoryEntityType.COURSE, "Khóa đào tạo, bồi dưỡng", "Course"),
    (HistoryEntityType.PARTICIPATION, "Lượt tham gia đào tạo", "Course participation"),
    (HistoryEntityType.SUPERVISION, "Kiểm tra, giám sát", "Supervision"),
    (HistoryEntityType.WARD_WAGE_REGION, "Vùng lương của xã, phường", "Ward wage region"),
    (HistoryEntityType.PLAN, "Kế hoạch", "Plan"),
    (HistoryEntityType.REPORT, "Báo cáo", "Report"),
    (HistoryEntityType.MANUAL_VALUE, "Số liệu nhập tay", "Manually entered figure"),
    (HistoryEntityType.AGENCY, "Cơ quan, đơn vị báo cáo", "Reporting agency"),
    (HistoryEntityType.CONTRIBUTION, "Báo cáo của cơ quan, đơn vị", "Agency's contribution"),
)


class HistoryAction(LabelledEnum):
    """What was done to the record."""

    CREATED = "created"
    UPDATED = "updated"
    ARCHIVED = "archived"
    OPENED = "opened"
    ASSIGNED = "assigned"
    STAGE_CHANGED = "stage_changed"
    REOPENED = "reopened"
    APPROVED = "approved"
    DONE = "done"
    WITHDRAWN = "withdrawn"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    CONTACTED = "contacted"
    ESCALATED = "escalated"
    TRANSFER_REQUESTED = "transfer_requested"
    TRANSFER_ACCEPTED = "transfer_accepted"
    TRANSFER_DECLINED = "transfer_declined"
    TRANSFER_CANCELLED = "transfer_cancelled"
    TRANSFERRED = "transferred"
    MERGED_INTO = "merged_into"
    ABSORBED = "absorbed"
    UNMERGED = "unmerged"
    DUPLICATE_DISMISSED = "duplicate_dismissed"
    ENDED = "ended"
    POSITIONS_ENDED = "positions_ended"
    ALLOWANCE_CHANGED = "allowance_changed"
    REPLACED = "replaced"
    TRIMMED = "trimmed"
    DRAFTED = "drafted"
    RECOMPUTED = "recomputed"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ENTERED = "entered"
    REQUESTED = "requested"
    REMINDED = "reminded"
    EDIT_MERGED = "edit_merged"


HISTORY_ACTIONS = labelled(
    HistoryAction,
    (HistoryAction.CREATED, "Tạo mới", "Created"),
    (HistoryAction.UPDATED, "Cập nhật", "Updated"),
    (HistoryAction.ARCHIVED, "Lưu trữ", "Archived"),
    (HistoryAction.OPENED, "Mở hồ sơ", "Case opened"),
    (HistoryAction.ASSIGNED, "Phân công người, cơ sở quản lý", "Assigned"),
    (HistoryAction.STAGE_CHANGED, "Chuyển bước", "Stage changed"),
    (HistoryAction.REOPENED, "Mở lại hồ sơ", "Case reopened"),
    (HistoryAction.APPROVED, "Phê duyệt", "Approved"),
    (HistoryAction.DONE, "Đã thực hiện", "Done"),
    (HistoryAction.WITHDRAWN, "Rút lại", "Withdrawn"),
    (HistoryAction.ACCEPTED, "Chấp nhận", "Accepted"),
    (HistoryAction.REJECTED, "Từ chối", "Rejected"),
    (HistoryAction.COMPLETED, "Hoàn thành", "Completed"),
    (HistoryAction.CANCELLED, "Hủy", "Cancelled"),
    (HistoryAction.CONTACTED, "Đã liên hệ lần đầu", "First contact made"),
    (HistoryAction.ESCALATED, "Quá hạn, đã báo cấp trên", "Escalated as overdue"),
    (HistoryAction.TRANSFER_REQUESTED, "Đề nghị chuyển địa bàn", "Transfer requested"),
    (HistoryAction.TRANSFER_ACCEPTED, "Chấp nhận chuyển địa bàn", "Transfer accepted"),
    (HistoryAction.TRANSFER_DECLINED, "Từ chối chuyển địa bàn", "Transfer declined"),
    (HistoryAction.TRANSFER_CANCELLED, "Hủy đề nghị chuyển địa bàn", "Transfer cancelled"),
    (HistoryAction.TRANSFERRED, "Đã chuyển địa bàn", "Transferred"),
    (
        HistoryAction.MERGED_INTO,
        "Đã gộp vào hồ sơ khác của cùng người",
        "Merged into another record",
    ),
    (HistoryAction.ABSORBED, "Đã nhận gộp một hồ sơ trùng", "Absorbed a duplicate record"),
    (HistoryAction.UNMERGED, "Đã tách lại hồ sơ đã gộp", "Merge undone"),
    (
        HistoryAction.DUPLICATE_DISMISSED,
        "Xác nhận không trùng với một đối tượng khác",
        "Confirmed not a duplicate of another person",
    ),
    (HistoryAction.ENDED, "Kết thúc", "Ended"),
    (HistoryAction.POSITIONS_ENDED, "Kết thúc các vị trí công tác", "Posts ended"),
    (HistoryAction.ALLOWANCE_CHANGED, "Thay đổi phụ cấp", "Allowance changed"),
    (HistoryAction.REPLACED, "Được thay thế", "Replaced"),
    (HistoryAction.TRIMMED, "Rút ngắn thời gian áp dụng", "Shortened"),
    (HistoryAction.DRAFTED, "Lập dự thảo", "Drafted"),
    (HistoryAction.RECOMPUTED, "Tính lại số liệu", "Recomputed"),
    (HistoryAction.SUBMITTED, "Gửi báo cáo", "Submitted"),
    (HistoryAction.RETURNED, "Trả lại", "Returned"),
    (HistoryAction.ENTERED, "Nhập số liệu", "Entered"),
    (HistoryAction.REQUESTED, "Đề nghị báo cáo", "Requested"),
    (HistoryAction.REMINDED, "Nhắc báo cáo quá hạn", "Reminded as overdue"),
    (
        HistoryAction.EDIT_MERGED,
        "Cập nhật từ bản đã cũ, được ghép với thay đổi của người khác",
        "Edit made on an older version, merged with others' changes",
    ),
)


def history_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "history_event",
        metadata,
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("entity_type", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.Uuid, nullable=False),
        sa.Column("parent_id", sa.Uuid, nullable=True),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("actor_roles", sa.String(200), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
        # The record's version this event produced (null for events that changed no field
        # of the record's own, and for events written before versions were kept): what an
        # edit made on an older version is merged against (shared.edit_merge).
        sa.Column("version", sa.Integer, nullable=True),
        sa.Index("ix_history_event_entity_id", "entity_id", "id"),
        sa.Index("ix_history_event_parent_id", "parent_id", "id"),
    )


async def record_event(
    connection: AsyncConnection,
    table: sa.Table,
    principal: Principal,
    *,
    entity_type: str,
    entity_id: UUID,
    action: str,
    changes: dict[str, Any] | None = None,
    parent_id: UUID | None = None,
    version: int | None = None,
) -> None:
    await connection.execute(
        table.insert().values(
            # Checked on the way in: an event the answers cannot name would fail every read.
            entity_type=HistoryEntityType(entity_type),
            entity_id=entity_id,
            parent_id=parent_id,
            action=HistoryAction(action),
            actor=principal.subject,
            actor_roles=",".join(sorted(principal.roles)),
            at=utcnow(),
            changes=changes or {},
            version=version,
        )
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """{field: [old, new]} for the fields that changed, JSON-ready."""
    return {
        key: [plain(before.get(key)), plain(value)]
        for key, value in after.items()
        if before.get(key) != value
    }


def plain(value: Any) -> Any:
    """`value` as JSON keeps it: what history stores, and what stored values compare with."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return str(value)


class HistoryEvent(BaseModel):
    id: int
    entity_type: HistoryEntityType
    entity_id: UUID
    action: HistoryAction
    actor: str
    actor_roles: list[Role]
    at: datetime
    changes: dict[str, Any]
    version: int | None = Field(
        default=None,
        description="The record's version this change produced; absent when it changed none "
        "of the record's own fields",
    )


class HistoryPage(ListOf[HistoryEvent]):
    pass


async def history_of(
    connection: AsyncConnection,
    table: sa.Table,
    entity_id: UUID,
    *,
    redact: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    limit: int = 500,
) -> list[HistoryEvent]:
    """Events of a record and of the records inside it, oldest first."""
    query = (
        sa.select(table)
        .where(sa.or_(table.c.entity_id == entity_id, table.c.parent_id == entity_id))
        .order_by(table.c.id)
        .limit(limit)
    )
    return [
        HistoryEvent(
            id=row.id,
            entity_type=row.entity_type,
            entity_id=row.entity_id,
            action=row.action,
            actor=row.actor,
            actor_roles=[r for r in row.actor_roles.split(",") if r],
            at=row.at,
            changes=redact(row.changes) if redact else row.changes,
            version=row.version,
        )
        for row in await connection.execute(query)
    ]
