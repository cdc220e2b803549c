"""The reporting service's own credentials towards the other services (role `service`)."""

import asyncio
import contextlib
import time

import httpx

from services.reporting.settings import ReportingSettings
from shared.auth.principal import Role
from shared.auth.tokens import issue_dev_token

_DEV_LIFETIME = 3600.0
_DEFAULT_LIFETIME = 300.0  # when the provider does not say (expires_in is optional)


class TokenRefused(Exception):
    """The identity provider answered, but gave the reporting service no usable token (a
    wrong client secret, an unknown client): asking again will not help."""


class TokenEndpointUnavailable(Exception):
    """The identity provider could not be reached or failed (5xx): worth a retry."""


def renewal_margin(lifetime: float) -> float:
    """How long before expiry a token is renewed: a quarter of its life, at most a minute, so
    a 60 s token is fetched every 45 s, not before every report."""
    return min(60.0, lifetime / 4)


class ServiceTokens:
    """A bearer token for calling cases and workforce, renewed before it expires.

    In development it is signed with the shared dev key; with an OIDC provider it is
    obtained by the client-credentials grant. However many calls need a token at once, one
    request goes to the provider, and they all share its outcome.
    """

    def __init__(self, settings: ReportingSettings, client: httpx.AsyncClient) -> None:
        self.settings = settings
        self.client = client
        self._token: str | None = None
        self._renew_at = 0.0
        self._renewing: asyncio.Task[tuple[str, float]] | None = None

    async def bearer(self) -> str:
        if self._token is not None and time.time() < self._renew_at:
            return self._token
        if self._renewing is None:
            self._renewing = asyncio.create_task(self._fetch())
        renewing = self._renewing
        try:
            # shield: a caller cancelled by its deadline must not cancel the others' fetch.
            token, lifetime = await asyncio.shield(renewing)
        finally:
            if renewing.done() and self._renewing is renewing:
                self._renewing = None
        if self._token != token:
            self._token = token
            self._renew_at = time.time() + lifetime - renewal_margin(lifetime)
        return token

    def forget(self, token: str) -> None:
        """A source refused `token` (401): the next call fetches a new one. Only the token
        refused is dropped, so that many calls refused at once renew it once."""
        if self._token == token:
            self._token = None

    async def _fetch(self) -> tuple[str, float]:
        if self.settings.auth_mode == "dev":
            token = issue_dev_token(
                self.settings,
                roles=[Role.SERVICE],
                subject="reporting",
                name="reporting service",
                ttl_seconds=int(_DEV_LIFETIME),
            )
            return token, _DEV_LIFETIME
        secret = self.settings.service_client_secret
        try:
            response = await self.client.post(
                self.settings.service_token_url or "",
                data={
                    "grant_type": "client_credentials",
                    "client_id": self.settings.service_client_id or "",
                    "client_secret": secret.get_secret_value() if secret else "",
                },
            )
        except httpx.HTTPError as exc:
            failed = f"the token endpoint failed: {type(exc).__name__}"
            raise TokenEndpointUnavailable(failed) from exc
        if response.status_code >= 500:
            raise TokenEndpointUnavailable(f"the token endpoint answered {response.status_code}")
        return _token_from(response)


def _token_from(response: httpx.Response) -> tuple[str, float]:
    if response.status_code != 200:
        error = ""
        with contextlib.suppress(ValueError, AttributeError):  # OAuth's error code, if any
            error = str(response.json().get("error", ""))[:60]
        raise TokenRefused(f"the token endpoint answered {response.status_code} {error}".strip())
    try:
        body = response.json()
        token = body["access_token"]
        lifetime = float(body.get("expires_in") or _DEFAULT_LIFETIME)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise TokenRefused("the token endpoint answered without an access token") from None
    if not isinstance(token, str) or not token or lifetime <= 0:
        raise TokenRefused("the token endpoint answered without an access token")
    return token, lifetime
