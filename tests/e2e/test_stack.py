"""The three services run as real processes and share one identity model."""

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.e2e.conftest import SERVICES, Stack

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("name", SERVICES)
async def test_service_serves_operations_endpoints(stack: Stack, name: str) -> None:
    async with httpx.AsyncClient(base_url=stack.url(name)) as client:
        document = (await client.get("/openapi.json")).json()
        assert document["info"]["title"] == f"ctxh {name}"
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        assert (await client.get("/readyz")).json() == {"status": "ready"}
        metrics = await client.get("/metrics")
        assert "http_requests_total" in metrics.text


async def test_one_ctxh_token_is_accepted_by_all_three(stack: Stack) -> None:
    token = stack.ctxh("token", "--role", "province_officer", "--province", "31")
    for name in SERVICES:
        async with httpx.AsyncClient(base_url=stack.url(name)) as client:
            response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, name
        assert response.json()["roles"] == ["province_officer"]


async def test_a_forged_token_is_refused_by_all_three(stack: Stack) -> None:
    genuine = stack.ctxh("token", "--role", "admin")
    claims = jwt.decode(genuine, options={"verify_signature": False})
    forged = jwt.encode(claims, Ed25519PrivateKey.generate(), algorithm="EdDSA")
    for name in SERVICES:
        async with httpx.AsyncClient(base_url=stack.url(name)) as client:
            response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {forged}"})
        assert response.status_code == 401, name
        assert response.headers["content-type"] == "application/problem+json"
