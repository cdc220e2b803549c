"""Settings of the workforce service, read from WORKFORCE_* environment variables."""

from functools import lru_cache

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class WorkforceSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="WORKFORCE_")

    service_name: str = "workforce"


@lru_cache
def get_settings() -> WorkforceSettings:
    return WorkforceSettings()
