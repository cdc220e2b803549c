"""Calls to the cases and workforce /stats endpoints: concurrent, bounded by a timeout, and
retried with backoff (they are reads). A source that still cannot answer is named."""

import asyncio
import time
from datetime import date
from typing import TypeVar

import httpx
import structlog
from pydantic import BaseModel, ValidationError
from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from contracts import cases_stats, workforce_stats
from services.reporting.clients.tokens import (
    ServiceTokens,
    TokenEndpointUnavailable,
    TokenRefused,
)
from services.reporting.settings import ReportingSettings
from shared.errors import ServiceUnavailable
from shared.labels import LabelledEnum, labelled
from shared.metrics import Metrics

log = structlog.get_logger("ctxh.sources")

Answer = TypeVar("Answer", bound=BaseModel)


class SourceService(LabelledEnum):
    """A service the reports take their numbers from."""

    CASES = "cases"
    WORKFORCE = "workforce"


SOURCE_SERVICES = labelled(
    SourceService,
    (SourceService.CASES, "Dịch vụ quản lý trường hợp", "Case management service"),
    (SourceService.WORKFORCE, "Dịch vụ nhân lực, cơ sở CTXH", "Workforce and facilities service"),
)


class SourceUnavailable(ServiceUnavailable):
    code = "source_unavailable"
    title = "A source service could not answer"
    # How the call ended, for the metrics: unavailable, refused, broke_contract, no_token.
    outcome = "unavailable"


class _Retryable(Exception):
    pass


def _ended(outcome: str, detail: str, source: SourceService) -> SourceUnavailable:
    unavailable = SourceUnavailable(detail, source=source)
    unavailable.outcome = outcome
    return unavailable


class Source:
    def __init__(
        self,
        name: SourceService,
        base_url: str,
        client: httpx.AsyncClient,
        tokens: ServiceTokens,
        settings: ReportingSettings,
    ) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.client = client
        self.tokens = tokens
        self.settings = settings
        self.metrics: Metrics | None = None  # set by the app (Sources.count_with)

    async def _attempt(
        self, path: str, params: list[tuple[str, str]], answer: type[Answer]
    ) -> Answer:
        limit = self.settings.source_timeout_seconds
        try:
            # An overall deadline, not only httpx's per-phase ones: a source that trickles its
            # answer must not hold a report up.
            async with asyncio.timeout(limit):
                response = await self._send(path, params, limit)
        except (httpx.TransportError, TimeoutError) as exc:
            raise _Retryable(f"{type(exc).__name__}") from exc
        except TokenEndpointUnavailable as exc:
            raise _Retryable(str(exc)) from exc
        except TokenRefused as exc:
            # Without credentials no source can answer: the report names it as missing.
            log.error("service_token_refused", source=self.name, reason=str(exc))
            raise _ended(
                "no_token",
                f"the reporting service could not sign in to {self.name}: {exc}",
                self.name,
            ) from None
        if response.status_code >= 500:
            raise _Retryable(f"HTTP {response.status_code}")
        if response.status_code != 200:
            log.error(
                "source_refused",
                source=self.name,
                path=path,
                status=response.status_code,
                body=response.text[:500],
            )
            raise _ended(
                "refused", f"{self.name} refused the request ({response.status_code})", self.name
            )
        try:
            return answer.model_validate_json(response.content)
        except ValidationError as exc:
            # A source deployed with another version of contracts/: the report names it as
            # missing rather than computing from fields it does not understand.
            log.error("source_broke_contract", source=self.name, path=path, errors=exc.errors())
            raise _ended(
                "broke_contract", f"{self.name} answered {path} outside the contract", self.name
            ) from None

    async def _send(self, path: str, params: list[tuple[str, str]], limit: float) -> httpx.Response:
        """The request with the service's token; once more with a new one if the source
        refuses it (the provider rotated its keys, or the token was revoked)."""
        for renewed in (False, True):
            token = await self.tokens.bearer()
            response = await self.client.get(
                f"{self.base_url}/api/v1{path}",
                params=httpx.QueryParams(tuple(params)),
                headers={"Authorization": f"Bearer {token}"},
                timeout=limit,
            )
            if response.status_code != 401 or renewed:
                break
            log.warning("service_token_rejected", source=self.name, path=path)
            self.tokens.forget(token)
        return response

    async def get(self, path: str, params: list[tuple[str, str]], answer: type[Answer]) -> Answer:
        started = time.perf_counter()
        outcome = "unavailable"
        try:
            found = await self._retried(path, params, answer)
            outcome = "ok"
            return found
        except SourceUnavailable as refused:
            outcome = refused.outcome
            raise
        finally:
            if self.metrics is not None:
                self.metrics.observe_upstream(
                    self.name.value, outcome, time.perf_counter() - started
                )

    async def _retried(
        self, path: str, params: list[tuple[str, str]], answer: type[Answer]
    ) -> Answer:
        retrying = AsyncRetrying(
            retry=retry_if_exception_type(_Retryable),
            stop=stop_after_attempt(self.settings.source_retries + 1),
            wait=wait_exponential(multiplier=0.2, max=2),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._attempt(path, params, answer)
        except _Retryable as exc:
            log.warning("source_unavailable", source=self.name, path=path, reason=str(exc))
            raise SourceUnavailable(
                f"{self.name} is unavailable: {exc}", source=self.name
            ) from None
        raise AssertionError("unreachable")


def _window(start: date, end: date) -> list[tuple[str, str]]:
    return [("from", start.isoformat()), ("to", end.isoformat())]


Units = list[tuple[str, str]]


class CasesSource(Source):
    async def priority_children(
        self, start: date, end: date, units: Units
    ) -> cases_stats.PriorityChildren:
        return await self.get(
            cases_stats.PRIORITY_CHILDREN,
            [*_window(start, end), *units],
            cases_stats.PriorityChildren,
        )

    async def people_supported(
        self, start: date, end: date, units: Units
    ) -> cases_stats.PeopleSupported:
        return await self.get(
            cases_stats.PEOPLE_SUPPORTED,
            [*_window(start, end), *units],
            cases_stats.PeopleSupported,
        )

    async def referrals(self, start: date, end: date, units: Units) -> cases_stats.ReferralStats:
        return await self.get(
            cases_stats.REFERRALS, [*_window(start, end), *units], cases_stats.ReferralStats
        )


class WorkforceSource(Source):
    async def facilities(self, on: date, units: Units) -> workforce_stats.FacilityStats:
        return await self.get(
            workforce_stats.FACILITIES,
            [("on", on.isoformat()), *units],
            workforce_stats.FacilityStats,
        )

    async def workers(
        self, on: date, start: date, end: date, units: Units
    ) -> workforce_stats.WorkerStats:
        return await self.get(
            workforce_stats.WORKERS,
            [("on", on.isoformat()), *_window(start, end), *units],
            workforce_stats.WorkerStats,
        )

    async def training(self, start: date, end: date, units: Units) -> workforce_stats.TrainingStats:
        return await self.get(
            workforce_stats.TRAINING, [*_window(start, end), *units], workforce_stats.TrainingStats
        )

    async def service_staff(
        self, start: date, end: date, units: Units
    ) -> workforce_stats.ServiceStaffTrained:
        return await self.get(
            workforce_stats.SERVICE_STAFF_TRAINED,
            [*_window(start, end), *units],
            workforce_stats.ServiceStaffTrained,
        )


class Sources:
    """Both sources, sharing one HTTP client and one service token."""

    def __init__(
        self, settings: ReportingSettings, client: httpx.AsyncClient | None = None
    ) -> None:
        self.client = client or httpx.AsyncClient()
        self.report_deadline_seconds = settings.report_deadline_seconds
        tokens = ServiceTokens(settings, self.client)
        self.cases = CasesSource(
            SourceService.CASES, settings.cases_url, self.client, tokens, settings
        )
        self.workforce = WorkforceSource(
            SourceService.WORKFORCE, settings.workforce_url, self.client, tokens, settings
        )

    def count_with(self, metrics: Metrics) -> None:
        """Count each call, by source and outcome, in the app's metrics."""
        self.cases.metrics = self.workforce.metrics = metrics

    async def close(self) -> None:
        await self.client.aclose()
