"""The sources' aggregates for one territory, each asked once however many targets need it,
and all of them within one deadline: retries included, a report never waits longer."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from services.reporting.clients.sources import Sources, SourceUnavailable
from services.reporting.territory import Territory


class Fetch:
    def __init__(self, sources: Sources, territory: Territory, deadline_seconds: float) -> None:
        self.sources = sources
        self.territory = territory
        self.units = territory.params()
        self.deadline = asyncio.get_running_loop().time() + deadline_seconds
        self._tasks: dict[tuple[Any, ...], asyncio.Task[Any]] = {}

    def _once(
        self, source: str, key: tuple[Any, ...], call: Callable[[], Awaitable[Any]]
    ) -> Awaitable[Any]:
        if key not in self._tasks:
            self._tasks[key] = asyncio.ensure_future(self._by_deadline(source, call))
        return self._tasks[key]

    async def _by_deadline(self, source: str, call: Callable[[], Awaitable[Any]]) -> Any:
        try:
            async with asyncio.timeout_at(self.deadline):
                return await call()
        except TimeoutError:
            raise SourceUnavailable(
                f"{source} did not answer within the report's deadline", source=source
            ) from None

    def facilities(self, on: date) -> Awaitable[Any]:
        return self._once(
            "workforce",
            ("facilities", on),
            lambda: self.sources.workforce.facilities(on, self.units),
        )

    def workers(self, on: date, start: date, group: str | None = None) -> Awaitable[Any]:
        units = self.units + ([("facility_group", group)] if group else [])
        return self._once(
            "workforce",
            ("workers", on, start, group),
            lambda: self.sources.workforce.workers(on, start, on, units),
        )

    def training(self, start: date, end: date) -> Awaitable[Any]:
        return self._once(
            "workforce",
            ("training", start, end),
            lambda: self.sources.workforce.training(start, end, self.units),
        )

    def service_staff(self, start: date, end: date) -> Awaitable[Any]:
        return self._once(
            "workforce",
            ("service_staff", start, end),
            lambda: self.sources.workforce.service_staff(start, end, self.units),
        )

    def priority_children(self, start: date, end: date) -> Awaitable[Any]:
        return self._once(
            "cases",
            ("children", start, end),
            lambda: self.sources.cases.priority_children(start, end, self.units),
        )

    def people_supported(self, start: date, end: date) -> Awaitable[Any]:
        return self._once(
            "cases",
            ("supported", start, end),
            lambda: self.sources.cases.people_supported(start, end, self.units),
        )

    def cancel(self) -> None:
        for task in self._tasks.values():
            task.cancel()
