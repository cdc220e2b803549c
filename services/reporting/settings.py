"""Settings of the reporting service, read from REPORTING_* environment variables."""

from functools import lru_cache

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REPORTING_")

    service_name: str = "reporting"


@lru_cache
def get_settings() -> ReportingSettings:
    return ReportingSettings()
