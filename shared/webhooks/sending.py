"""One attempt at a delivery: signed to the Standard Webhooks specification, sent to the
checked address, and measured. Nothing here touches the database."""

import asyncio
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from standardwebhooks.webhooks import Webhook

from shared.webhooks.targets import TargetRefused, pinned

USER_AGENT = "ctxh-webhooks/1"


@dataclass(frozen=True, slots=True)
class Outcome:
    started_at: datetime
    duration_ms: int
    status_code: int | None
    error: str | None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def signed_headers(secret: str, message_id: str, body: str) -> dict[str, str]:
    """The three headers a Standard Webhooks library verifies. The time is the real one,
    never the clock tests may move: receivers refuse a timestamp five minutes off theirs."""
    now = datetime.now(UTC)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, now, body),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }


async def attempt(
    client: httpx.AsyncClient,
    *,
    url: str,
    secret: str,
    message_id: str,
    body: str,
    timeout: float,
    allow_private: bool,
) -> Outcome:
    started_at = datetime.now(UTC)
    began = time.perf_counter()
    status_code: int | None = None
    error: str | None = None
    try:
        # One bound on the whole attempt, name lookup included: httpx's own timeout is per
        # phase, and the worker's lease must outlast the attempt.
        async with asyncio.timeout(timeout):
            target = await pinned(url, allow_private=allow_private)
            request = client.build_request(
                "POST",
                target.url,
                content=body.encode(),
                headers={**signed_headers(secret, message_id, body), **target.headers},
                extensions=target.extensions,
            )
            # The status is all we read: a receiver's body, however large, is never loaded.
            response = await client.send(request, stream=True)
            await response.aclose()
        status_code = response.status_code
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}"
    except TargetRefused as refused:
        error = refused.message[:200]
    except (TimeoutError, httpx.TimeoutException):
        error = f"no answer within {timeout:g} s"
    except httpx.HTTPError as failure:
        error = f"{type(failure).__name__}: {failure}"[:200]
    duration_ms = round((time.perf_counter() - began) * 1000)
    return Outcome(started_at, duration_ms, status_code, error)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff: first × 4^(n-1), capped, each wait ±20 % so that receivers
    coming back from an outage are not hit by every sender at the same instant."""

    first: float
    max_delay: float
    retry_for: float

    def delay(self, failed_attempts: int) -> timedelta:
        base = min(self.first * 4 ** (failed_attempts - 1), self.max_delay)
        return timedelta(seconds=base * random.uniform(0.8, 1.2))  # noqa: S311 - not a secret
