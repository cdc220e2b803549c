"""The settings every service shares; each service subclasses with its own env prefix."""

import os
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.clock import OFFSET_FILE_VARIABLE
from shared.paths import VAR_DIR

# Only asymmetric algorithms: a public key can never be mistaken for an HMAC secret.
ASYMMETRIC_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
# Tokens of `ctxh token` name this issuer; production refuses it.
DEV_ISSUER = "ctxh-dev"


class ServiceSettings(BaseSettings):
    """Defaults make `make dev` work with no configuration at all."""

    # CTXH_ is for the CLI; each service's subclass sets its own prefix (CASES_, ...).
    model_config = SettingsConfigDict(
        env_prefix="CTXH_", extra="ignore", env_file=".env", env_file_encoding="utf-8"
    )

    service_name: str = "ctxh"
    environment: Literal["development", "test", "production"] = "development"
    database_url: SecretStr | None = None
    database_pool_size: int = 10
    database_echo: bool = False
    # A request waiting longer than these on the database is answered 503 with Retry-After.
    database_statement_timeout_ms: int = Field(default=5000, ge=100)
    database_pool_timeout_seconds: float = Field(default=5.0, gt=0)
    database_connect_timeout_seconds: float = Field(default=3.0, gt=0)
    # Signs list cursors; the replicas of a service must share it. Unset, it is derived from
    # the database URL, which they share already (with its password, in production).
    cursor_secret: SecretStr | None = None

    # Stored answers to Idempotency-Key requests hold whole response bodies, personal data
    # included: keep them only as long as a client could plausibly retry.
    idempotency_ttl_hours: int = Field(default=24, ge=1)

    log_level: str = "INFO"
    log_json: bool = True

    # "dev": tokens signed with a key generated under var/; "oidc": tokens from the JWKS below.
    auth_mode: Literal["dev", "oidc"] = "dev"
    dev_key_path: Path = VAR_DIR / "dev-signing-key.pem"
    jwt_issuer: str = DEV_ISSUER
    jwt_audience: str = "ctxh"
    jwt_algorithms: list[str] = ["EdDSA"]
    jwks_url: str | None = None
    # The provider's keys are fetched again after this long; a key it withdrew stops
    # verifying then, for tokens verified before as well (shared.auth.jwks).
    jwks_cache_seconds: int = Field(default=300, ge=1)
    # A token naming a key we do not hold fetches the keys at once, but at most once in this
    # long, so that made-up key ids cannot flood the provider.
    jwks_min_refresh_seconds: float = Field(default=1.0, gt=0, le=60)
    # While the provider cannot be reached, the last keys fetched keep serving this long
    # after their fetch; then requests are answered 503 until it is back.
    jwks_max_stale_seconds: int = Field(default=3600, ge=1)
    clock_skew_seconds: int = 30

    # Who clients write to about the API (the OpenAPI document's info.contact).
    api_contact_name: str = "Đơn vị vận hành hệ thống CTXH"
    api_contact_email: str | None = None

    # Request bodies are refused (413) past these sizes before they are read into memory;
    # spreadsheet uploads under /api/v1/imports/ get the larger one.
    max_body_bytes: int = Field(default=1024 * 1024, ge=1)
    max_upload_bytes: int = Field(default=6 * 1024 * 1024, ge=1)
    # An import job's file (POST /api/v1/import-jobs) is written to import_directory (the
    # system's temporary directory when unset) as it arrives, up to this size.
    max_import_job_bytes: int = Field(default=64 * 1024 * 1024, ge=1)
    import_directory: Path | None = None

    # Traces of each request (OpenTelemetry): "none", "console" (printed), or "otlp" to an
    # OpenTelemetry Collector at tracing_otlp_endpoint (its standard OTEL_EXPORTER_OTLP_*
    # variables apply when unset). Off by default, as in development.
    tracing: Literal["none", "console", "otlp"] = "none"
    tracing_otlp_endpoint: str | None = None

    # The hot reads (GET of one person or case) resolve their arguments by a plan made at
    # start-up instead of FastAPI's per-request solving (shared.lean); false serves them
    # the ordinary way, with the same answers.
    lean_routes: bool = True

    # Webhook delivery (shared.webhooks; `ctxh worker`). A subscriber's URL must resolve to
    # public addresses, so a subscription cannot make us call into our own network; true
    # allows loopback and private ranges, for development, tests and a receiver on a
    # private network the operator trusts.
    webhook_allow_private_targets: bool = False
    # One attempt's whole time, connecting included; the receiver should answer at once and
    # do its work afterwards.
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    # Retries wait 5 s, 20 s, 80 s... (×4 each time, ±20 % jitter, at most 4 h), for 24 h
    # after the first attempt; then the delivery is dead until redelivered by hand.
    webhook_retry_first_seconds: float = Field(default=5.0, gt=0)
    webhook_retry_max_delay_seconds: float = Field(default=4 * 3600.0, gt=0)
    webhook_retry_for_seconds: float = Field(default=24 * 3600.0, gt=0)
    # How often a worker looks for new events, and how many subscribers it serves at once.
    webhook_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    webhook_concurrency: int = Field(default=32, ge=1, le=1000)

    @field_validator("jwt_algorithms")
    @classmethod
    def _only_asymmetric(cls, algorithms: list[str]) -> list[str]:
        refused = [a for a in algorithms if a not in ASYMMETRIC_ALGORITHMS]
        if refused or not algorithms:
            raise ValueError(
                f"only asymmetric JWT algorithms are accepted, not {refused or 'none'}"
            )
        return algorithms

    @model_validator(mode="after")
    def _production_fails_closed(self) -> Self:
        """A production process refuses to start on anything meant for development, naming
        each setting to change, rather than run with it and log nothing."""
        if self.environment == "production" and (problems := self.production_problems()):
            raise ValueError("refusing to start in production: " + "; ".join(problems))
        return self

    def setting_name(self, field: str) -> str:
        """`field` as the environment variable that sets it (CASES_AUTH_MODE, ...)."""
        return f"{self.model_config.get('env_prefix', '')}{field}".upper()

    def production_problems(self) -> list[str]:
        name = self.setting_name
        problems = []
        if os.environ.get(OFFSET_FILE_VARIABLE):
            # CTXH_CLOCK_OFFSET_FILE moves shared.clock for tests and development; it is one
            # variable for every service, so a stack's processes move together.
            problems.append(
                f"{OFFSET_FILE_VARIABLE} moves the clock for tests and development; "
                "production runs on the real clock: unset it"
            )
        if self.auth_mode != "oidc":
            problems.append(
                f"{name('auth_mode')}={self.auth_mode} accepts tokens signed with a development "
                f"key made on this machine: set it to oidc, with {name('jwks_url')}"
            )
        elif not self.jwks_url:
            problems.append(f"{name('auth_mode')}=oidc needs {name('jwks_url')}")
        if self.jwt_issuer == DEV_ISSUER:
            problems.append(
                f"{name('jwt_issuer')} is the development issuer {DEV_ISSUER!r}: "
                "set it to the identity provider's issuer"
            )
        url = self.database_url.get_secret_value() if self.database_url else ""
        if not url.startswith(("postgresql", "postgres://")):
            problems.append(
                f"{name('database_url')} is "
                + ("unset, which means embedded SQLite" if not url else "not PostgreSQL")
                + ": production runs on PostgreSQL"
            )
        return problems

    def sqlalchemy_url(self) -> str:
        if self.database_url is not None:
            url = self.database_url.get_secret_value()
            # A plain libpq URL, as CloudNativePG's `<cluster>-app` secret gives it (`uri`),
            # is served by the driver the services use.
            for plain in ("postgresql://", "postgres://"):
                if url.startswith(plain):
                    return "postgresql+asyncpg://" + url.removeprefix(plain)
            return url
        return f"sqlite+aiosqlite:///{VAR_DIR / (self.service_name + '.db')}"
