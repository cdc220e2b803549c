"""Settings of the reporting service, read from REPORTING_* environment variables."""

from functools import lru_cache
from typing import Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REPORTING_")

    service_name: str = "reporting"
    cases_url: str = "http://127.0.0.1:8001"
    workforce_url: str = "http://127.0.0.1:8002"
    # A source that cannot answer within this is reported as unavailable, not waited on.
    source_timeout_seconds: float = 10.0
    source_retries: int = 2
    # One deadline for all of a report's questions to the sources, retries included: a slow
    # source makes a report incomplete, never a request that hangs.
    report_deadline_seconds: float = Field(default=15.0, gt=0)
    # In OIDC mode the service obtains its own token by client credentials.
    service_token_url: str | None = None
    service_client_id: str | None = None
    service_client_secret: SecretStr | None = None

    @model_validator(mode="after")
    def _service_token_settings(self) -> Self:
        """In OIDC mode every draft needs the service's own token: refuse to start without
        what obtains it, rather than fail each draft."""
        if self.auth_mode == "oidc":
            fields = ("service_token_url", "service_client_id", "service_client_secret")
            if missing := [self.setting_name(f) for f in fields if not getattr(self, f)]:
                raise ValueError(
                    f"{self.setting_name('auth_mode')}=oidc needs the reporting service's "
                    f"own client credentials: set {', '.join(missing)}"
                )
        return self


@lru_cache
def get_settings() -> ReportingSettings:
    return ReportingSettings()
