"""The identity provider's signing keys, as the services hold them between fetches.

What a deployment needs from them, and what each rule here is for:
- A key the provider withdraws stops verifying as soon as we next fetch the set
  (`jwks_cache_seconds` at most), tokens verified earlier included (shared.auth.tokens).
- A token signed by a key we have not seen yet (the provider rotated) causes a fetch at once;
  fetches for unknown key ids are at most one per `jwks_min_refresh_seconds`, so forged key
  ids cannot make us hammer the provider, and a caller waits that long at most.
- One fetch at a time: callers arriving during a fetch share its result.
- When the provider is down, the last good keys keep serving for `jwks_max_stale_seconds`
  after they were fetched; after that, callers get 503 (we cannot tell), never 401 (we do not
  know the token is bad). Fetches back off, doubling from one second up to a minute.
"""

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt
import structlog

from shared.errors import ServiceUnavailable
from shared.settings import ServiceSettings

log = structlog.get_logger("ctxh.auth")

_FIRST_BACKOFF = 1.0
_MAX_BACKOFF = 60.0


class KeysUnavailable(ServiceUnavailable):
    """503: the provider's keys could not be fetched and the last good ones are too old."""


class ProviderKeys:
    def __init__(
        self,
        settings: ServiceSettings,
        client: httpx.AsyncClient,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = settings.jwks_url or ""
        self.fresh_for = float(settings.jwks_cache_seconds)
        self.stale_for = float(settings.jwks_max_stale_seconds)
        self.min_interval = float(settings.jwks_min_refresh_seconds)
        self.client = client
        self.clock = clock
        self.keys: dict[str, jwt.PyJWK] = {}
        self._material: dict[str, str] = {}
        self.fetched_at: float | None = None  # of the keys held, last good fetch
        self._attempted_at = -float("inf")  # last fetch begun, good or not
        self._backoff = 0.0  # after a failed fetch, none before _attempted_at + this
        self._fetching: asyncio.Task[None] | None = None

    def current(self, kid: str | None) -> jwt.PyJWK | None:
        """The key `kid` names in the set held now, if it is still usable (not too stale)."""
        self._check_not_too_stale()
        return self.keys.get(kid) if kid is not None else None

    async def key(self, kid: str | None) -> jwt.PyJWK | None:
        """The key for `kid`, fetching the set when it is due, or when `kid` is new to us."""
        now = self.clock()
        if self.fetched_at is None or now - self.fetched_at > self.fresh_for:
            await self._refresh(wait_for_interval=False)
        elif kid not in self.keys:
            await self._refresh(wait_for_interval=True)
        return self.current(kid)

    def _check_not_too_stale(self) -> None:
        if self.fetched_at is None:
            raise KeysUnavailable("the identity provider's signing keys could not be fetched")
        if self.clock() - self.fetched_at > self.stale_for:
            raise KeysUnavailable("the identity provider's signing keys are out of date")

    async def _refresh(self, *, wait_for_interval: bool) -> None:
        """One fetch for everyone waiting; failures are logged and leave the keys held."""
        if self._fetching is None:
            wait = self._attempted_at + max(self._backoff, self.min_interval) - self.clock()
            if wait > 0 and not wait_for_interval:
                return  # due, but too soon after the last try: keep what we have
            self._fetching = asyncio.create_task(self._fetch_after(max(wait, 0.0)))
        fetching = self._fetching
        try:
            # shield: a caller cancelled (its client went away) must not cancel the others' fetch.
            await asyncio.shield(fetching)
        finally:
            if fetching.done() and self._fetching is fetching:
                self._fetching = None

    async def _fetch_after(self, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        self._attempted_at = self.clock()
        try:
            response = await self.client.get(self.url)
            response.raise_for_status()
            found = _signing_keys(response.json())
        except (httpx.HTTPError, ValueError, TypeError) as exc:
            self._backoff = min(max(self._backoff * 2, _FIRST_BACKOFF), _MAX_BACKOFF)
            log.error("jwks_fetch_failed", error=str(exc)[:200], retry_in_s=self._backoff)
            return
        self._backoff = 0.0
        self._replace(found)
        self.fetched_at = self._attempted_at

    def _replace(self, found: dict[str, tuple[jwt.PyJWK, str]]) -> None:
        # A key unchanged keeps its object, so that tokens verified with it stay verified
        # (shared.auth.tokens compares the objects); a changed or withdrawn one does not.
        keys = {
            kid: held
            if (held := self.keys.get(kid)) and self._material.get(kid) == material
            else key
            for kid, (key, material) in found.items()
        }
        withdrawn = sorted(set(self.keys) - set(keys))
        if set(keys) != set(self.keys):
            log.info("jwks_changed", keys=sorted(keys), withdrawn=withdrawn)
        self.keys = keys
        self._material = {kid: material for kid, (_key, material) in found.items()}


def _signing_keys(document: Any) -> dict[str, tuple[jwt.PyJWK, str]]:
    """The set's signature keys by kid, each with its JSON to tell a changed key. Keys for
    encryption, without a kid, or of a type we cannot use are left out. A set with none left
    is the provider saying that no token is good now, and is taken as it is."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("the JWKS document has no list of keys")
    found: dict[str, tuple[jwt.PyJWK, str]] = {}
    for entry in document["keys"]:
        if not isinstance(entry, dict) or entry.get("use", "sig") != "sig":
            continue
        if not isinstance(kid := entry.get("kid"), str) or not kid:
            continue
        try:
            found[kid] = (jwt.PyJWK(entry), json.dumps(entry, sort_keys=True))
        except jwt.PyJWTError:
            continue
    return found
