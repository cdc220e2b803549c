"""The deliveries as the OpenAPI document's `webhooks`: one entry per kind of event, with
the body the receiver gets and the three signature headers it verifies. Nothing here is
served; it only describes the requests we send."""

from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Header
from pydantic import BaseModel

from shared.labels import Code

SIGNATURE_HEADERS = (
    "Every delivery is signed to the Standard Webhooks specification "
    "(https://www.standardwebhooks.com): verify `webhook-signature` with the subscription's "
    "secret using any Standard Webhooks library, and refuse a `webhook-timestamp` more than "
    "five minutes off. `webhook-id` is the event's id, the same on every retry of it: use it "
    "to ignore a repeat. Answer 2xx within the timeout (10 s) and do the work afterwards; any "
    "other answer is retried with exponential backoff for 24 hours."
)


def webhook_documents(
    event_type: type[Enum], labels: dict[str, Code], payload: type[BaseModel]
) -> APIRouter:
    router = APIRouter(tags=["webhooks"])
    for kind in event_type:
        router.add_api_route(
            kind.value,
            _receiver(payload),
            methods=["POST"],
            operation_id=f"on_{kind.value.replace('.', '_')}",
            # Its first line becomes the summary, as for every operation (shared.openapi).
            description=f"{_label(kind, labels)}\n\n{SIGNATURE_HEADERS}",
            responses={
                200: {"description": "Received. Any 2xx will do; anything else is retried."}
            },
        )
    return router


def _label(kind: Enum, labels: dict[str, Code]) -> str:
    label = labels[kind.value]
    return f"{label.label_en} ({label.label_vi})"


def _receiver(payload: type[BaseModel]):  # type: ignore[no-untyped-def]
    # Each route needs a function of its own; its parameters are what the document shows.
    async def receive(
        body: payload,  # type: ignore[valid-type]
        webhook_id: Annotated[str, Header(alias="webhook-id")],
        webhook_timestamp: Annotated[
            str, Header(alias="webhook-timestamp", description="Unix seconds")
        ],
        webhook_signature: Annotated[
            str, Header(alias="webhook-signature", description="v1,<base64 HMAC-SHA256>")
        ],
    ) -> None:
        """Never called: the document describes what we send."""

    return receive
