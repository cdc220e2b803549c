"""Settings of the cases service, read from CASES_* environment variables."""

from functools import lru_cache

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class CasesSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CASES_")

    service_name: str = "cases"


@lru_cache
def get_settings() -> CasesSettings:
    return CasesSettings()
