"""Bearer tokens: every kind of bad token is a 401 with a challenge; a wrong role is a 403."""

import base64
import hashlib
import hmac
import json
import time
import uuid
from pathlib import Path

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.auth import Role
from shared.auth.dev_keys import load_or_create_private_key
from tests.conftest import TokenFactory


def _claims(**overrides: object) -> dict:
    now = int(time.time())
    claims = {
        "iss": "ctxh-dev",
        "aud": "ctxh",
        "sub": "u1",
        "iat": now,
        "exp": now + 600,
        "roles": ["admin"],
    }
    claims.update(overrides)
    return claims


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _assert_401(response: httpx.Response) -> dict:
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith('Bearer realm="ctxh"')
    body = response.json()
    assert body["status"] == 401
    assert body["code"] == "unauthorized"
    return body


async def test_missing_token_is_401_with_challenge(any_client: httpx.AsyncClient) -> None:
    body = _assert_401(await any_client.get("/api/v1/me"))
    assert body["detail"] == "a bearer token is required"


async def test_non_bearer_scheme_is_401(any_client: httpx.AsyncClient) -> None:
    _assert_401(await any_client.get("/api/v1/me", headers={"Authorization": "Basic dTpw"}))


async def test_malformed_token_is_401(any_client: httpx.AsyncClient) -> None:
    response = await any_client.get("/api/v1/me", headers=_bearer("not-a-jwt"))
    _assert_401(response)
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


async def test_expired_token_is_401(any_client: httpx.AsyncClient, dev_key_path: Path) -> None:
    key = load_or_create_private_key(dev_key_path)
    token = jwt.encode(
        _claims(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600), key, "EdDSA"
    )
    body = _assert_401(await any_client.get("/api/v1/me", headers=_bearer(token)))
    assert body["detail"] == "token has expired"


async def test_token_signed_with_another_key_is_401(any_client: httpx.AsyncClient) -> None:
    forged = jwt.encode(_claims(), Ed25519PrivateKey.generate(), "EdDSA")
    _assert_401(await any_client.get("/api/v1/me", headers=_bearer(forged)))


async def test_unsigned_alg_none_token_is_401(any_client: httpx.AsyncClient) -> None:
    unsigned = jwt.encode(_claims(), None, algorithm="none")
    _assert_401(await any_client.get("/api/v1/me", headers=_bearer(unsigned)))


async def test_hmac_token_keyed_with_the_public_key_is_401(
    any_client: httpx.AsyncClient, dev_key_path: Path
) -> None:
    public_pem = (
        load_or_create_private_key(dev_key_path)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    header = base64.urlsafe_b64encode(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = base64.urlsafe_b64encode(json.dumps(_claims()).encode())
    signing_input = header.rstrip(b"=") + b"." + payload.rstrip(b"=")
    signature = base64.urlsafe_b64encode(
        hmac.new(public_pem, signing_input, hashlib.sha256).digest()
    )
    confused = (signing_input + b"." + signature.rstrip(b"=")).decode()
    _assert_401(await any_client.get("/api/v1/me", headers=_bearer(confused)))


@pytest.mark.parametrize("claim", [{"aud": "someone-else"}, {"iss": "https://evil.example"}])
async def test_wrong_audience_or_issuer_is_401(
    any_client: httpx.AsyncClient, dev_key_path: Path, claim: dict
) -> None:
    token = jwt.encode(_claims(**claim), load_or_create_private_key(dev_key_path), "EdDSA")
    _assert_401(await any_client.get("/api/v1/me", headers=_bearer(token)))


async def test_malformed_unit_claim_is_401(
    any_client: httpx.AsyncClient, dev_key_path: Path
) -> None:
    token = jwt.encode(
        _claims(province_code="'; drop"), load_or_create_private_key(dev_key_path), "EdDSA"
    )
    body = _assert_401(await any_client.get("/api/v1/me", headers=_bearer(token)))
    assert "province_code" in body["detail"]


async def test_valid_token_becomes_the_principal(
    any_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    headers = token(
        Role.COMMUNE_WORKER,
        subject="worker-7",
        name="Nguyễn Thị Lan",
        province_code="31",
        commune_code="10526",
        scopes=["sensitive:read"],
    )
    response = await any_client.get("/api/v1/me", headers=headers)
    assert response.status_code == 200
    assert response.json() == {
        "subject": "worker-7",
        "name": "Nguyễn Thị Lan",
        "roles": ["commune_worker"],
        "province_code": "31",
        "commune_code": "10526",
        "facility_id": None,
        "agency_id": None,
        "scopes": ["sensitive:read"],
    }


async def test_an_agency_officer_carries_its_agency(
    any_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    agency = uuid.uuid4()
    headers = token(Role.AGENCY_OFFICER, province_code="31", agency_id=agency)
    me = (await any_client.get("/api/v1/me", headers=headers)).json()
    assert (me["roles"], me["province_code"], me["agency_id"]) == (
        ["agency_officer"],
        "31",
        str(agency),
    )


async def test_role_without_permission_is_403(
    probe_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    response = await probe_client.get("/api/v1/admin-only", headers=token(Role.COMMUNE_WORKER))
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "forbidden"
    assert "admin" in response.json()["detail"]


async def test_role_with_permission_passes(
    probe_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    response = await probe_client.get("/api/v1/admin-only", headers=token(Role.ADMIN, subject="a1"))
    assert response.status_code == 200
    assert response.json() == {"subject": "a1"}
