"""The three services in OIDC mode against a real, OpenID-certified provider (oidc-provider,
tests/e2e/identity), all as processes on loopback: users sign in at the provider, reporting
gets its own token there by client credentials, and the provider's keys are rotated,
withdrawn and taken away while the services run.

The provider is restarted on the same port whenever a test changes its keys, so every test
begins by putting the keys it needs in place (`keys`)."""

import asyncio
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import jwt
import pytest

from services.reporting.plan.service import seed_plans
from shared.testing import server_url
from tests.e2e import oidc_provider
from tests.e2e.conftest import IN_CLUSTER, SERVICES, Stack, running_stack
from tests.e2e.oidc_provider import SERVICE_CLIENT, IdentityProvider, kid_of, new_key
from tests.reporting.helpers import HD_WARD, child, post, value
from tools.processes import ServiceProcess

pytestmark = pytest.mark.e2e

_missing = oidc_provider.missing()
if IN_CLUSTER:
    pytest.skip(
        "starts a stack of its own against the provider; `make test` runs it",
        allow_module_level=True,
    )
elif not server_url():
    # Sign-in does not depend on the database; one pass keeps make test short.
    pytest.skip("runs on PostgreSQL (make test's first pass)", allow_module_level=True)
elif _missing and os.environ.get("CI") == "true":
    pytest.fail(f"the real identity provider cannot run: {_missing}", pytrace=False)
elif _missing:
    pytest.skip(f"the real identity provider cannot run: {_missing}", allow_module_level=True)

# Withdrawn keys stop verifying within a second or two; an outage is served from the last
# keys for four seconds, then answered 503.
JWKS_CACHE_SECONDS = 1
JWKS_MAX_STALE_SECONDS = 4
SECRET = "reporting-secret-for-tests"
COMMUNE_WORKER = "worker-10525"
OFFICER = "officer-31"
ADMIN = "admin"
AGENCY_OFFICER = "agency-officer-31"
AGENCY_ID = "01a20000-0000-7000-8000-0000000000a1"
USERS: dict[str, dict[str, Any]] = {
    COMMUNE_WORKER: {
        "name": "Nguyễn Thị Lan",
        "roles": ["commune_worker"],
        "province_code": "31",
        "commune_code": HD_WARD,
    },
    OFFICER: {"name": "Trần Văn Minh", "roles": ["province_officer"], "province_code": "31"},
    ADMIN: {"name": "Quản trị", "roles": ["admin"]},
    AGENCY_OFFICER: {
        "name": "Phạm Thu Hà",
        "roles": ["agency_officer"],
        "province_code": "31",
        "agency_id": AGENCY_ID,
    },
}
# The department reads breakdowns that include sensitive groups.
PURPOSE = {"X-Access-Purpose": quote("lập báo cáo kế hoạch")}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def oidc_settings(provider: IdentityProvider) -> dict[str, str]:
    settings = {
        "REPORTING_SERVICE_TOKEN_URL": provider.token_url,
        "REPORTING_SERVICE_CLIENT_ID": SERVICE_CLIENT,
        "REPORTING_SERVICE_CLIENT_SECRET": SECRET,
    }
    for name in SERVICES:
        prefix = name.upper()
        settings |= {
            f"{prefix}_AUTH_MODE": "oidc",
            f"{prefix}_JWKS_URL": provider.jwks_url,
            f"{prefix}_JWT_ISSUER": provider.issuer,
            f"{prefix}_JWT_AUDIENCE": "ctxh",
            f"{prefix}_JWT_ALGORITHMS": '["RS256"]',
            f"{prefix}_JWKS_CACHE_SECONDS": str(JWKS_CACHE_SECONDS),
            f"{prefix}_JWKS_MIN_REFRESH_SECONDS": "0.2",
            f"{prefix}_JWKS_MAX_STALE_SECONDS": str(JWKS_MAX_STALE_SECONDS),
        }
    return settings


@pytest.fixture(scope="module")
async def provider(test_dir: Path) -> AsyncIterator[IdentityProvider]:
    directory = test_dir / "identity"
    directory.mkdir(exist_ok=True)
    # Reporting's token outlives the module: only a 401 can make it ask for another.
    started = IdentityProvider(directory, USERS, service_secret=SECRET, service_token_seconds=3600)
    started.use_keys([new_key("first")], "first")
    await started.start()
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="module")
async def oidc_stack(test_dir: Path, provider: IdentityProvider) -> AsyncIterator[Stack]:
    async with running_stack(test_dir, "oidc", oidc_settings(provider)) as running:
        yield running


@pytest.fixture(scope="module")
async def plan_id(oidc_stack: Stack, provider: IdentityProvider) -> str:
    admin = bearer(await provider.sign_in(ADMIN))
    (plan,) = [p for p in seed_plans() if p.code == "HD-2025"]
    async with httpx.AsyncClient(base_url=oidc_stack.url("reporting"), timeout=30) as client:
        created = await post(client, "/api/v1/plans", admin, plan.model_dump(mode="json"))
    plan_id: str = created["id"]
    return plan_id


async def me(stack: Stack, token: str) -> dict[str, httpx.Response]:
    """GET /api/v1/me of each service with `token`."""

    async def ask(name: str) -> httpx.Response:
        async with httpx.AsyncClient(base_url=stack.url(name), timeout=10) as client:
            return await client.get("/api/v1/me", headers=bearer(token))

    answers = await asyncio.gather(*(ask(name) for name in SERVICES))
    return dict(zip(SERVICES, answers, strict=True))


async def statuses(stack: Stack, token: str) -> dict[str, int]:
    return {name: answer.status_code for name, answer in (await me(stack, token)).items()}


async def draft(stack: Stack, token: str, plan_id: str, as_of: str) -> httpx.Response:
    """A report of HD-2025 drafted by reporting, which asks cases and workforce."""
    async with httpx.AsyncClient(base_url=stack.url("reporting"), timeout=60) as client:
        return await client.post(
            "/api/v1/reports",
            json={"plan_id": plan_id, "period": "2025", "as_of": as_of},
            headers={**bearer(token), **PURPOSE},
        )


@asynccontextmanager
async def another_reporting(stack: Stack, label: str, **settings: str) -> AsyncIterator[Stack]:
    """The stack with a second reporting process of its own settings (and so its own token)
    in place of the first, on the same database."""
    assert stack.log_dir is not None
    env = {**stack.env, **settings}
    log_dir = stack.log_dir / label
    log_dir.mkdir(exist_ok=True)
    reporting = ServiceProcess("reporting", env, log_dir)
    reporting.start()
    try:
        await reporting.wait_ready()
        yield Stack({**stack.urls, "reporting": reporting.url}, env, log_dir=log_dir)
    finally:
        reporting.stop()


async def keys(provider: IdentityProvider, *kids: str) -> dict[str, dict[str, Any]]:
    """Restart the provider publishing keys `kids` (the ones it has kept, new ones made),
    signing with the last; returns them by kid."""
    held = {key["kid"]: key for key in provider.keys}
    wanted = {kid: held.get(kid) or new_key(kid) for kid in kids}
    await provider.restart(list(wanted.values()), signing=kids[-1])
    return wanted


async def test_users_signed_in_at_the_provider_carry_their_claims_to_every_service(
    oidc_stack: Stack, provider: IdentityProvider
) -> None:
    token = await provider.sign_in(OFFICER, scopes=("sensitive:read",))
    # An RFC 9068 access token, as a deployment's provider issues them.
    header = jwt.get_unverified_header(token)
    assert (header["typ"], header["alg"]) == ("at+jwt", "RS256")
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["iss"], claims["aud"], claims["sub"]) == (provider.issuer, "ctxh", OFFICER)
    for name, answer in (await me(oidc_stack, token)).items():
        assert answer.status_code == 200, (name, answer.text)
        assert answer.json() == {
            "subject": OFFICER,
            "name": "Trần Văn Minh",
            "roles": ["province_officer"],
            "province_code": "31",
            "commune_code": None,
            "facility_id": None,
            "agency_id": None,
            "scopes": ["sensitive:read"],
        }
    worker = await provider.sign_in(COMMUNE_WORKER)
    seen = (await me(oidc_stack, worker))["cases"].json()
    assert (seen["roles"], seen["commune_code"], seen["scopes"]) == (
        ["commune_worker"],
        HD_WARD,
        [],
    )
    agency = (await me(oidc_stack, await provider.sign_in(AGENCY_OFFICER)))["reporting"].json()
    assert (agency["roles"], agency["province_code"], agency["agency_id"]) == (
        ["agency_officer"],
        "31",
        AGENCY_ID,
    )


async def test_a_commune_workers_case_reaches_the_provinces_report(
    oidc_stack: Stack, provider: IdentityProvider, plan_id: str
) -> None:
    worker = bearer(await provider.sign_in(COMMUNE_WORKER))
    async with httpx.AsyncClient(base_url=oidc_stack.url("cases"), timeout=30) as cases:
        person = await child(
            cases, worker, HD_WARD, "orphan_without_support", [("socialised", "2025-03-10")]
        )
    # Recorded as the provider's subject for the user.
    assert person["case"]["created_by"] == COMMUNE_WORKER
    officer = await provider.sign_in(OFFICER, scopes=("sensitive:read",))
    asked = provider.issued(SERVICE_CLIENT)
    drafted = await draft(oidc_stack, officer, plan_id, as_of="2025-11-01")
    assert drafted.status_code == 201, drafted.text
    report = drafted.json()
    assert (report["complete"], report["missing_sources"]) == (True, [])
    # The child the commune worker registered, served in 2025, counted by reporting from cases.
    supported = value(report, "I04")
    assert supported["numerator"] == 1, supported
    # Reporting signed in at the provider once, by client credentials, for both sources.
    assert provider.issued(SERVICE_CLIENT) - asked <= 1


async def test_a_new_signing_key_is_accepted_at_once(
    oidc_stack: Stack, provider: IdentityProvider
) -> None:
    before = await provider.sign_in(OFFICER)
    assert await statuses(oidc_stack, before) == dict.fromkeys(SERVICES, 200)
    old = kid_of(before)
    await keys(provider, old, f"{old}-next")
    after = await provider.sign_in(OFFICER)
    assert kid_of(after) == f"{old}-next"
    # No wait: a key id the services have not seen makes them fetch the keys.
    assert await statuses(oidc_stack, after) == dict.fromkeys(SERVICES, 200)
    assert await statuses(oidc_stack, before) == dict.fromkeys(SERVICES, 200)


async def test_a_withdrawn_key_stops_verifying_tokens_it_signed_before(
    oidc_stack: Stack, provider: IdentityProvider
) -> None:
    token = await provider.sign_in(OFFICER)
    assert await statuses(oidc_stack, token) == dict.fromkeys(SERVICES, 200)
    await keys(provider, "replacement")
    await asyncio.sleep(JWKS_CACHE_SECONDS + 0.5)
    for name, answer in (await me(oidc_stack, token)).items():
        assert answer.status_code == 401, (name, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        assert "unknown key" in answer.json()["detail"], answer.text
    fresh = await provider.sign_in(OFFICER)
    assert await statuses(oidc_stack, fresh) == dict.fromkeys(SERVICES, 200)


async def test_an_outage_is_served_from_the_last_keys_then_503_never_401(
    oidc_stack: Stack, provider: IdentityProvider
) -> None:
    token = await provider.sign_in(OFFICER)
    # After this request each service holds keys fetched at most JWKS_CACHE_SECONDS before.
    fetched_after = time.monotonic() - JWKS_CACHE_SECONDS
    assert await statuses(oidc_stack, token) == dict.fromkeys(SERVICES, 200)
    provider.stop()
    try:
        # The keys fetched before the provider went away keep serving...
        assert await statuses(oidc_stack, token) == dict.fromkeys(SERVICES, 200)
        seen: dict[str, httpx.Response] = {}
        first_refused: float | None = None
        while len(seen) < len(SERVICES) and time.monotonic() - fetched_after < 20:
            await asyncio.sleep(0.5)
            answers = await me(oidc_stack, token)
            answered = time.monotonic()
            for name, answer in answers.items():
                # ...and none of the answers on the way says the token is bad...
                assert answer.status_code in (200, 503), (name, answer.text)
                if answer.status_code == 503:
                    seen.setdefault(name, answer)
                    first_refused = first_refused or answered
        # ...until the keys are too old to vouch for anything.
        assert set(seen) == set(SERVICES), "no 503 after the keys went stale"
        assert first_refused is not None
        assert first_refused - fetched_after >= JWKS_MAX_STALE_SECONDS
        for name, answer in seen.items():
            assert int(answer.headers["retry-after"]) > 0, name
            assert answer.headers["content-type"] == "application/problem+json", name
            assert "out of date" in answer.json()["detail"], answer.text
    finally:
        await provider.start()
    # Back as soon as the fetches, backing off while the provider was away, find it again.
    back = time.monotonic()
    answers = await statuses(oidc_stack, token)
    while set(answers.values()) != {200} and time.monotonic() - back < 20:
        assert set(answers.values()) <= {200, 503}, answers
        await asyncio.sleep(0.5)
        answers = await statuses(oidc_stack, token)
    assert answers == dict.fromkeys(SERVICES, 200)


async def test_a_wrong_client_secret_makes_the_draft_incomplete_not_an_error(
    oidc_stack: Stack, provider: IdentityProvider, plan_id: str
) -> None:
    officer = await provider.sign_in(OFFICER, scopes=("sensitive:read",))
    wrong = {"REPORTING_SERVICE_CLIENT_SECRET": "not-the-secret"}
    async with another_reporting(oidc_stack, "wrong-secret", **wrong) as stack:
        drafted = await draft(stack, officer, plan_id, as_of="2025-10-01")
    assert drafted.status_code == 201, drafted.text
    report = drafted.json()
    assert (report["complete"], report["missing_sources"]) == (False, ["cases", "workforce"])


async def test_reporting_renews_its_token_once_when_its_key_is_withdrawn(
    oidc_stack: Stack, provider: IdentityProvider, plan_id: str
) -> None:
    officer = await provider.sign_in(OFFICER, scopes=("sensitive:read",))
    first = await draft(oidc_stack, officer, plan_id, as_of="2025-09-01")
    assert first.status_code == 201, first.text
    assert first.json()["complete"] is True, first.text
    asked = provider.issued(SERVICE_CLIENT)
    # Every key reporting's token could have been signed with goes; the sources refuse it.
    await keys(provider, f"after-{asked}")
    await asyncio.sleep(JWKS_CACHE_SECONDS + 0.5)
    officer = await provider.sign_in(OFFICER, scopes=("sensitive:read",))
    second = await draft(oidc_stack, officer, plan_id, as_of="2025-08-01")
    assert second.status_code == 201, second.text
    assert (second.json()["complete"], second.json()["missing_sources"]) == (True, [])
    # One new token after the 401s, shared by both sources' calls.
    assert provider.issued(SERVICE_CLIENT) == asked + 1


async def test_reporting_renews_a_short_lived_token_before_it_expires(
    oidc_stack: Stack, provider: IdentityProvider, plan_id: str
) -> None:
    lifetime = 4  # renewed a quarter of its life early: after 3 s
    long_lived, provider.service_token_seconds = provider.service_token_seconds, lifetime
    try:
        await provider.restart(provider.keys, provider.signing)
        officer = await provider.sign_in(OFFICER, scopes=("sensitive:read",))
        asked = provider.issued(SERVICE_CLIENT)
        async with another_reporting(oidc_stack, "short-lived") as stack:
            first = await draft(stack, officer, plan_id, as_of="2025-07-01")
            assert provider.issued(SERVICE_CLIENT) == asked + 1
            issued_at = time.monotonic()
            await asyncio.sleep(lifetime * 3 / 4 + 0.3)
            second = await draft(stack, officer, plan_id, as_of="2025-06-01")
            renewed_within = time.monotonic() - issued_at
    finally:
        provider.service_token_seconds = long_lived
        await provider.restart(provider.keys, provider.signing)
    for drafted in (first, second):
        assert drafted.status_code == 201, drafted.text
        assert (drafted.json()["complete"], drafted.json()["missing_sources"]) == (True, [])
    assert provider.issued(SERVICE_CLIENT) == asked + 2
    assert renewed_within < lifetime + 5, "the second draft was too slow to prove anything"
