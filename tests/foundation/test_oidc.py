"""Production verification against an identity provider's JWKS (the provider is simulated)."""

import json
import time

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.auth import Role
from shared.auth.jwks import KeysUnavailable
from shared.auth.tokens import OidcTokenVerifier
from shared.errors import Unauthorized
from shared.settings import ServiceSettings

ISSUER = "https://sso.example.gov.vn/realms/ctxh"


def _settings() -> ServiceSettings:
    return ServiceSettings(
        auth_mode="oidc",
        jwks_url=f"{ISSUER}/protocol/openid-connect/certs",
        jwt_issuer=ISSUER,
        jwt_audience="ctxh",
        jwt_algorithms=["RS256"],
    )


def _jwks(key: rsa.RSAPrivateKey, kid: str) -> dict:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return {"keys": [{**jwk, "kid": kid, "use": "sig", "alg": "RS256"}]}


def _keycloak_token(key: rsa.RSAPrivateKey, kid: str) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": "ctxh",
        "sub": "kc-123",
        "iat": now,
        "exp": now + 300,
        "preferred_username": "officer.hp",
        "realm_access": {"roles": ["province_officer", "offline_access"]},
        "scope": "openid sensitive:read",
        "province_code": "31",
    }
    return jwt.encode(claims, key, "RS256", headers={"kid": kid})


async def test_keycloak_token_verifies_against_jwks() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=_jwks(key, "k1")))
    verifier = OidcTokenVerifier(_settings(), httpx.AsyncClient(transport=transport))
    principal = await verifier.verify(_keycloak_token(key, "k1"))
    assert principal.subject == "kc-123"
    assert principal.name == "officer.hp"
    assert principal.roles == frozenset({Role.PROVINCE_OFFICER})
    assert principal.province_code == "31"
    assert principal.can_read_sensitive
    await verifier.close()


async def test_token_with_unknown_kid_is_refused() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=_jwks(key, "k1")))
    verifier = OidcTokenVerifier(_settings(), httpx.AsyncClient(transport=transport))
    with pytest.raises(Unauthorized, match="unknown key"):
        await verifier.verify(_keycloak_token(other, "k2"))


async def test_unreachable_provider_is_503_not_401_or_500() -> None:
    """The caller's token is not at fault: a 401 would send a user to sign in again."""

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    verifier = OidcTokenVerifier(
        _settings(), httpx.AsyncClient(transport=httpx.MockTransport(down))
    )
    with pytest.raises(KeysUnavailable, match="signing keys could not be fetched") as refused:
        await verifier.verify(_keycloak_token(key, "k1"))
    assert refused.value.status == 503


def test_symmetric_algorithms_are_refused_in_settings() -> None:
    with pytest.raises(ValueError, match="asymmetric"):
        ServiceSettings(jwt_algorithms=["HS256"])
    with pytest.raises(ValueError, match="asymmetric"):
        ServiceSettings(jwt_algorithms=["none"])
