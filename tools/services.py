"""The three services as the development tools run them: where each one's app and
migrations are, and the port it listens on in development (`<SVC>_PORT` overrides it).
Nothing under services/ or shared/ names the services; this module does, for the tools."""

import os
from dataclasses import dataclass
from pathlib import Path

from shared.paths import PROJECT_ROOT


@dataclass(frozen=True, slots=True)
class Service:
    name: str
    default_port: int
    # Writes integration events, so `ctxh worker` delivers its webhooks.
    writes_events: bool = False

    @property
    def app_factory(self) -> str:
        """Found by import path, so the CLI starts without importing every service."""
        return f"services.{self.name}.main:create_app"

    @property
    def settings_module(self) -> str:
        """Where its get_settings() is, to check the settings before serving."""
        return f"services.{self.name}.settings"

    @property
    def webhooks(self) -> str:
        """The module with the service's webhook `tables` and event `source`."""
        return f"services.{self.name}.events.webhooks"

    @property
    def migrations(self) -> Path:
        return PROJECT_ROOT / "services" / self.name / "migrations"

    @property
    def port(self) -> int:
        return int(os.environ.get(f"{self.name.upper()}_PORT", self.default_port))


SERVICES: dict[str, Service] = {
    service.name: service
    for service in (
        Service("cases", 8001, writes_events=True),
        Service("workforce", 8002),
        Service("reporting", 8003, writes_events=True),
    )
}


def migrations_of(name: str) -> Path:
    return SERVICES[name].migrations
