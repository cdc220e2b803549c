"""The sources' aggregates for one territory, each asked once however many targets need it,
and all of them within one deadline: retries included, a report never waits longer."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, TypeVar, cast

from pydantic import BaseModel

from contracts import cases_stats, workforce_stats
from services.reporting.clients.sources import Sources, SourceUnavailable
from services.reporting.territory import Territory

Answer = TypeVar("Answer", bound=BaseModel)


class Fetch:
    def __init__(self, sources: Sources, territory: Territory, deadline_seconds: float) -> None:
        self.sources = sources
        self.territory = territory
        self.units = territory.params()
        self.deadline = asyncio.get_running_loop().time() + deadline_seconds
        self._tasks: dict[tuple[Any, ...], asyncio.Task[BaseModel]] = {}

    def _once(
        self, source: str, key: tuple[Any, ...], call: Callable[[], Awaitable[Answer]]
    ) -> Awaitable[Answer]:
        if key not in self._tasks:
            self._tasks[key] = asyncio.ensure_future(self._by_deadline(source, call))
        # The key names the call, so the task under it answers what that call answers.
        return cast("asyncio.Task[Answer]", self._tasks[key])

    async def _by_deadline(self, source: str, call: Callable[[], Awaitable[Answer]]) -> Answer:
        try:
            async with asyncio.timeout_at(self.deadline):
                return await call()
        except TimeoutError:
            raise SourceUnavailable(
                f"{source} did not answer within the report's deadline", source=source
            ) from None

    def facilities(self, on: date) -> Awaitable[workforce_stats.FacilityStats]:
        return self._once(
            "workforce",
            ("facilities", on),
            lambda: self.sources.workforce.facilities(on, self.units),
        )

    def workers(
        self, on: date, start: date, group: str | None = None
    ) -> Awaitable[workforce_stats.WorkerStats]:
        units = self.units + ([("facility_group", group)] if group else [])
        return self._once(
            "workforce",
            ("workers", on, start, group),
            lambda: self.sources.workforce.workers(on, start, on, units),
        )

    def training(self, start: date, end: date) -> Awaitable[workforce_stats.TrainingStats]:
        return self._once(
            "workforce",
            ("training", start, end),
            lambda: self.sources.workforce.training(start, end, self.units),
        )

    def service_staff(
        self, start: date, end: date
    ) -> Awaitable[workforce_stats.ServiceStaffTrained]:
        return self._once(
            "workforce",
            ("service_staff", start, end),
            lambda: self.sources.workforce.service_staff(start, end, self.units),
        )

    def priority_children(self, start: date, end: date) -> Awaitable[cases_stats.PriorityChildren]:
        return self._once(
            "cases",
            ("children", start, end),
            lambda: self.sources.cases.priority_children(start, end, self.units),
        )

    def people_supported(self, start: date, end: date) -> Awaitable[cases_stats.PeopleSupported]:
        return self._once(
            "cases",
            ("supported", start, end),
            lambda: self.sources.cases.people_supported(start, end, self.units),
        )

    def referrals(self, start: date, end: date) -> Awaitable[cases_stats.ReferralStats]:
        return self._once(
            "cases",
            ("referrals", start, end),
            lambda: self.sources.cases.referrals(start, end, self.units),
        )

    def cancel(self) -> None:
        for task in self._tasks.values():
            task.cancel()
