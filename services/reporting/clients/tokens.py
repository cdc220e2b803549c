"""The reporting service's own credentials towards the other services (role `service`)."""

import time

import httpx

from services.reporting.settings import ReportingSettings
from shared.auth.principal import Role
from shared.auth.tokens import issue_dev_token

_REFRESH_MARGIN = 60


class TokenRefused(Exception):
    """The identity provider answered, but gave the reporting service no usable token."""


class ServiceTokens:
    """A bearer token for calling cases and workforce, renewed before it expires.

    In development it is signed with the shared dev key; with an OIDC provider it is
    obtained by the client-credentials grant.
    """

    def __init__(self, settings: ReportingSettings, client: httpx.AsyncClient) -> None:
        self.settings = settings
        self.client = client
        self._token: str | None = None
        self._expires_at = 0.0

    async def bearer(self) -> str:
        if self._token is None or time.time() > self._expires_at - _REFRESH_MARGIN:
            self._token, lifetime = await self._fetch()
            self._expires_at = time.time() + lifetime
        return self._token

    async def _fetch(self) -> tuple[str, float]:
        if self.settings.auth_mode == "dev":
            lifetime = 3600
            token = issue_dev_token(
                self.settings,
                roles=[Role.SERVICE],
                subject="reporting",
                name="reporting service",
                ttl_seconds=lifetime,
            )
            return token, lifetime
        secret = self.settings.service_client_secret
        # A transport error is left to the caller, which retries it like a source's own.
        response = await self.client.post(
            self.settings.service_token_url or "",
            data={
                "grant_type": "client_credentials",
                "client_id": self.settings.service_client_id or "",
                "client_secret": secret.get_secret_value() if secret else "",
            },
        )
        try:
            response.raise_for_status()
            body = response.json()
            return str(body["access_token"]), float(body.get("expires_in", 300))
        except (httpx.HTTPStatusError, ValueError, KeyError, TypeError) as exc:
            raise TokenRefused(f"token endpoint answered {response.status_code}") from exc
