"""Verification follows the provider's keys: a withdrawn key stops verifying, tokens seen
before included; a new key works at once; an outage keeps the last good keys for a while,
then answers 503, never 401; fetches are shared and rate-limited."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from fastapi import FastAPI
from structlog.testing import capture_logs

from shared.auth.jwks import KeysUnavailable
from shared.auth.tokens import OidcTokenVerifier
from shared.errors import Unauthorized
from shared.settings import ServiceSettings
from tests.provider_server import ISSUER, KeyServer, SigningKey, new_key, serving

FRESH_FOR = 300
STALE_FOR = 3600


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def signing() -> list[SigningKey]:
    return [new_key(), new_key()]


@pytest.fixture
def provider(signing: list[SigningKey]) -> Iterator[KeyServer]:
    yield from serving(KeyServer(keys=[signing[0]]))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def verifier(provider: KeyServer, clock: Clock) -> AsyncIterator[OidcTokenVerifier]:
    settings = ServiceSettings(
        auth_mode="oidc",
        jwks_url=provider.url,
        jwt_issuer=ISSUER,
        jwt_algorithms=["RS256"],
        jwks_cache_seconds=FRESH_FOR,
        jwks_min_refresh_seconds=0.05,
        jwks_max_stale_seconds=STALE_FOR,
    )
    verifier = OidcTokenVerifier(settings, clock=clock)
    yield verifier
    await verifier.close()


async def test_a_withdrawn_key_stops_verifying_tokens_it_verified_before(
    verifier: OidcTokenVerifier, provider: KeyServer, clock: Clock, signing: list[SigningKey]
) -> None:
    token = signing[0].sign(sub="seen-before")
    assert (await verifier.verify(token)).subject == "seen-before"
    provider.keys = [signing[1]]
    clock.now += FRESH_FOR + 1
    with pytest.raises(Unauthorized, match="unknown key"):
        await verifier.verify(token)


async def test_a_key_replaced_under_the_same_kid_no_longer_verifies(
    verifier: OidcTokenVerifier, provider: KeyServer, clock: Clock, signing: list[SigningKey]
) -> None:
    token = signing[0].sign()
    await verifier.verify(token)
    provider.keys = [SigningKey(signing[0].kid, new_key().private)]
    clock.now += FRESH_FOR + 1
    with pytest.raises(Unauthorized, match="invalid"):
        await verifier.verify(token)


async def test_an_unchanged_key_keeps_its_verified_tokens_across_fetches(
    verifier: OidcTokenVerifier, provider: KeyServer, clock: Clock, signing: list[SigningKey]
) -> None:
    token = signing[0].sign()
    await verifier.verify(token)
    clock.now += FRESH_FOR + 1
    await verifier.verify(token)
    assert provider.fetches == 2
    hit = verifier.verified.hit(token)
    assert hit is not None
    assert hit.key is verifier.keys.keys[signing[0].kid]


async def test_a_new_key_is_accepted_at_once_after_a_fetch(
    verifier: OidcTokenVerifier, provider: KeyServer, signing: list[SigningKey]
) -> None:
    await verifier.verify(signing[0].sign())
    provider.keys = [signing[0], signing[1]]
    assert (await verifier.verify(signing[1].sign(sub="rotated"))).subject == "rotated"
    assert provider.fetches == 2


async def test_made_up_key_ids_fetch_once_per_interval_not_once_per_token(
    verifier: OidcTokenVerifier, provider: KeyServer, signing: list[SigningKey]
) -> None:
    await verifier.verify(signing[0].sign())
    forged = [SigningKey(f"forged-{n}", new_key().private) for n in range(3)]
    tokens = [forged[n % 3].sign() for n in range(20)]
    results = await asyncio.gather(*(verifier.verify(t) for t in tokens), return_exceptions=True)
    assert all(isinstance(r, Unauthorized) for r in results)
    assert provider.fetches == 2  # the first fetch, and one for all the unknown key ids
    await asyncio.sleep(0.06)
    with pytest.raises(Unauthorized):
        await verifier.verify(forged[0].sign(sub="later"))
    assert provider.fetches == 3  # an interval later, a made-up key id may fetch again


async def test_ten_first_requests_share_one_fetch(
    verifier: OidcTokenVerifier, provider: KeyServer, signing: list[SigningKey]
) -> None:
    tokens = [signing[0].sign(sub=f"u{n}") for n in range(10)]
    await asyncio.gather(*(verifier.verify(t) for t in tokens))
    assert provider.fetches == 1


async def test_an_outage_keeps_the_last_keys_then_answers_503_and_recovers(
    verifier: OidcTokenVerifier, provider: KeyServer, clock: Clock, signing: list[SigningKey]
) -> None:
    seen = signing[0].sign()
    await verifier.verify(seen)
    provider.down = True
    clock.now += FRESH_FOR + 1
    assert await verifier.verify(signing[0].sign(sub="during-outage"))
    assert await verifier.verify(seen)
    assert provider.fetches == 2  # one failed try; the others wait out its backoff
    clock.now += STALE_FOR
    for token in (seen, signing[0].sign(sub="too-late")):
        with pytest.raises(KeysUnavailable) as unavailable:
            await verifier.verify(token)
        assert unavailable.value.status == 503
        assert unavailable.value.headers["Retry-After"]
    provider.down = False
    clock.now += 120  # past the longest backoff
    assert (await verifier.verify(seen)).subject == "u1"


async def test_a_provider_down_from_the_start_is_503_not_401(
    verifier: OidcTokenVerifier, provider: KeyServer, signing: list[SigningKey]
) -> None:
    provider.down = True
    with pytest.raises(KeysUnavailable):
        await verifier.verify(signing[0].sign())


async def test_an_encryption_key_listed_first_is_passed_over(
    verifier: OidcTokenVerifier, provider: KeyServer, signing: list[SigningKey]
) -> None:
    provider.extra = [{**new_key().jwk(), "kid": "enc-1", "use": "enc", "alg": "RSA-OAEP"}]
    assert await verifier.verify(signing[0].sign())
    assert set(verifier.keys.keys) == {signing[0].kid}


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"exp": 1_000}, "token has expired"),
        ({"aud": "someone-else"}, "token is invalid: Audience doesn't match"),
        ({"iss": "https://evil.example"}, "token is invalid: Invalid issuer"),
        ({"roles": "admin"}, "claim roles is malformed"),
    ],
)
async def test_every_rejection_is_logged_with_its_reason(
    verifier: OidcTokenVerifier, signing: list[SigningKey], claims: dict, reason: str
) -> None:
    with capture_logs() as logs, pytest.raises(Unauthorized):
        await verifier.verify(signing[0].sign(iat=900, **claims))
    rejected = [entry for entry in logs if entry["event"] == "token_rejected"]
    assert [entry["reason"] for entry in rejected] == [reason]


async def test_an_unknown_key_and_a_malformed_token_are_logged_too(
    verifier: OidcTokenVerifier,
) -> None:
    unknown = SigningKey(f"k-{uuid.uuid4().hex[:6]}", new_key().private).sign()
    with capture_logs() as logs:
        for token in (unknown, "not-a-jwt"):
            with pytest.raises(Unauthorized):
                await verifier.verify(token)
    reasons = [entry["reason"] for entry in logs if entry["event"] == "token_rejected"]
    assert reasons == ["token signed with an unknown key", "token is malformed"]


def test_the_verifier_needs_the_key_set_address() -> None:
    with pytest.raises(ValueError, match="jwks_url"):
        OidcTokenVerifier(ServiceSettings(auth_mode="oidc"), client=httpx.AsyncClient())


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("GET", "/api/v1/me", None), ("POST", "/api/v1/persons", {"full_name": "Lê Văn Tám"})],
)
async def test_a_service_answers_503_with_retry_after_while_the_keys_are_out(
    apps: dict[str, FastAPI],
    cases_client: httpx.AsyncClient,
    verifier: OidcTokenVerifier,
    provider: KeyServer,
    signing: list[SigningKey],
    method: str,
    path: str,
    body: dict | None,
) -> None:
    """Both ways in: the route's dependency, and the body limit's check before reading."""
    provider.down = True
    app = apps["cases"]
    original, app.state.token_verifier = app.state.token_verifier, verifier
    try:
        headers = {"Authorization": f"Bearer {signing[0].sign()}"}
        response = await cases_client.request(method, path, json=body, headers=headers)
    finally:
        app.state.token_verifier = original
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"]
    assert response.json()["code"] == "service_unavailable"
