"""What the API reads and writes of subscriptions and deliveries.

The subscription models are generic in the service's kind of event, so each document lists
the exact event types its service sends; their schemas are named after it
(`WebhookSubscriptionRead_EventType_`), as `ListOf_ReferralRead_` is, so two services'
subscriptions never share a name with different enums.
"""

from datetime import datetime
from enum import Enum
from typing import Any, Generic, TypeVar
from uuid import UUID

from pydantic import BaseModel, Field

from shared.labels import LabelledEnum, labelled

E = TypeVar("E", bound=Enum)

SECRET_PATTERN = r"^whsec_[A-Za-z0-9+/]{32,88}={0,2}$"  # noqa: S105 - a format, not a secret


class WebhookSubscriptionCreate(BaseModel, Generic[E]):
    url: str = Field(
        min_length=10,
        max_length=2000,
        description="https URL that receives the deliveries (POST, JSON); it must resolve to "
        "public addresses",
        examples=["https://his.benhvien.example.vn/ctxh/webhooks"],
    )
    event_types: list[E] = Field(min_length=1, max_length=50)
    description: str | None = Field(default=None, max_length=500)
    secret: str | None = Field(
        default=None,
        pattern=SECRET_PATTERN,
        description="Signing secret in Standard Webhooks form (whsec_ + base64 of 24-64 "
        "bytes); one is generated when omitted",
    )


class SubscriptionSwitch(LabelledEnum):
    """What a subscriber may set: on, or paused (archiving has its own operation)."""

    ACTIVE = "active"
    PAUSED = "paused"


SUBSCRIPTION_SWITCHES = labelled(
    SubscriptionSwitch,
    (SubscriptionSwitch.ACTIVE, "Đang hoạt động", "Active"),
    (SubscriptionSwitch.PAUSED, "Tạm dừng", "Paused"),
)


class WebhookSubscriptionUpdate(BaseModel, Generic[E]):
    url: str | None = Field(default=None, min_length=10, max_length=2000)
    event_types: list[E] | None = Field(default=None, min_length=1, max_length=50)
    description: str | None = Field(default=None, max_length=500)
    status: SubscriptionSwitch | None = Field(
        default=None, description="paused: events queue up and are sent when active again"
    )


class SubscriptionStatus(LabelledEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ARCHIVED = "archived"


SUBSCRIPTION_STATUSES = labelled(
    SubscriptionStatus,
    (SubscriptionStatus.ACTIVE, "Đang hoạt động", "Active"),
    (SubscriptionStatus.PAUSED, "Tạm dừng", "Paused"),
    (SubscriptionStatus.ARCHIVED, "Đã lưu trữ", "Archived"),
)


class WebhookSubscriptionRead(BaseModel, Generic[E]):
    id: UUID
    url: str
    event_types: list[E]
    description: str | None
    status: SubscriptionStatus
    owner_subject: str = Field(description="Who subscribed; the events follow their scope")
    after: str = Field(description="The last event seq turned into deliveries")
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Also the ETag; send it as If-Match to change")


class WebhookSubscriptionCreated(WebhookSubscriptionRead[E], Generic[E]):
    secret: str = Field(description="Shown once: keep it to verify the signatures")


class DeliveryStatus(LabelledEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    DEAD = "dead"


DELIVERY_STATUSES = labelled(
    DeliveryStatus,
    (DeliveryStatus.PENDING, "Đang chờ gửi", "Waiting to be sent"),
    (DeliveryStatus.SUCCEEDED, "Đã gửi thành công", "Delivered"),
    (DeliveryStatus.DEAD, "Gửi thất bại, ngừng thử lại", "Failed; no more retries"),
)


class WebhookAttemptRead(BaseModel):
    number: int
    started_at: datetime
    duration_ms: int
    status_code: int | None = Field(description="The receiver's HTTP status; null if none")
    error: str | None = Field(description="Why it failed, when it did: timeout, refused...")


class WebhookDeliveryRead(BaseModel):
    id: UUID
    subscription_id: UUID
    event_id: UUID = Field(description="Also the webhook-id header: the same on every retry")
    event_seq: str
    event_type: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    retry_until: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
    dead_at: datetime | None
    created_at: datetime


class WebhookDeliveryDetail(WebhookDeliveryRead):
    payload: dict[str, Any] = Field(description="The body sent, exactly as signed")
    attempt_log: list[WebhookAttemptRead]


class WebhookDeliveryPage(BaseModel):
    items: list[WebhookDeliveryRead]
    next_before: str | None = Field(
        description="Pass as `before` for older deliveries; null at the end"
    )
