"""A real OpenID Connect provider (oidc-provider, tests/e2e/identity/provider.mjs) run as a
process on loopback, and a user's sign-in through its pages as a browser would do it.

Its keys are a file it reads at start: a test rotates or withdraws a key by rewriting the
file and restarting the process on the same port (`restart`), which is also what an outage
and a return look like to the services.
"""

import asyncio
import base64
import hashlib
import html
import json
import os
import re
import secrets
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from shared.testing import free_port

DIRECTORY = Path(__file__).parent / "identity"
SCRIPT = DIRECTORY / "provider.mjs"
INSTALLED = DIRECTORY / "node_modules" / "oidc-provider" / "package.json"
SERVICE_CLIENT = "ctxh-reporting"
USER_CLIENT = "ctxh-web"
# Never visited: the code is read from the provider's redirect to it.
REDIRECT_URI = "http://127.0.0.1/callback"


def missing() -> str | None:
    """Why the provider cannot run here, if it cannot."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not INSTALLED.exists():
        return "oidc-provider is not installed: run `make test` (npm ci in tests/e2e/identity)"
    return None


def new_key(kid: str) -> dict[str, Any]:
    """A private RSA signing key as a JWK, as the provider's key file holds it."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(key))
    return {**jwk, "kid": kid, "alg": "RS256", "use": "sig"}


def kid_of(token: str) -> str:
    kid: str = jwt.get_unverified_header(token)["kid"]
    return kid


class IdentityProvider:
    def __init__(
        self,
        directory: Path,
        users: dict[str, dict[str, Any]],
        *,
        service_secret: str,
        service_token_seconds: int,
        user_token_seconds: int = 600,
        audience: str = "ctxh",
    ) -> None:
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.service_secret = service_secret
        self.keys_path = directory / "provider-keys.json"
        self.config_path = directory / "provider-config.json"
        self.log_path = directory / "provider.log"
        self.keys: list[dict[str, Any]] = []
        self.signing = ""
        self.process: subprocess.Popen[bytes] | None = None
        self.users = users
        self.audience = audience
        self.user_token_seconds = user_token_seconds
        # Read at each start: a test may restart the provider with shorter-lived tokens.
        self.service_token_seconds = service_token_seconds

    def _write_config(self) -> None:
        config = {
            "port": self.port,
            "keys_file": str(self.keys_path),
            "audience": self.audience,
            "service_client": {
                "client_id": SERVICE_CLIENT,
                "client_secret": self.service_secret,
                "roles": ["service"],
                "token_ttl_seconds": self.service_token_seconds,
            },
            "user_client": {"client_id": USER_CLIENT, "redirect_uri": REDIRECT_URI},
            "user_token_ttl_seconds": self.user_token_seconds,
            "users": self.users,
        }
        self.config_path.write_text(json.dumps(config), encoding="utf-8")

    @property
    def jwks_url(self) -> str:
        return f"{self.issuer}/jwks"

    @property
    def token_url(self) -> str:
        return f"{self.issuer}/token"

    def use_keys(self, keys: list[dict[str, Any]], signing: str) -> None:
        """Publish `keys` from the next start on, signing access tokens with `signing`."""
        self.keys, self.signing = keys, signing
        document = {"keys": keys, "signing_kid": signing}
        self.keys_path.write_text(json.dumps(document), encoding="utf-8")

    def launch(self) -> subprocess.Popen[bytes]:
        self._write_config()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                ["node", str(SCRIPT), str(self.config_path)],
                cwd=DIRECTORY,
                stdout=log,
                stderr=log,
                env={**os.environ, "NODE_ENV": "test"},
            )
        return self.process

    async def start(self, timeout: float = 15.0) -> None:
        """Start the process and wait until its discovery document answers."""
        process = self.launch()
        deadline = time.monotonic() + timeout
        discovery = f"{self.issuer}/.well-known/openid-configuration"
        async with httpx.AsyncClient(timeout=2.0) as client:
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    break
                try:
                    answer = await client.get(discovery)
                    if answer.status_code == 200 and answer.json()["issuer"] == self.issuer:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        raise RuntimeError(f"the identity provider did not start:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    async def restart(self, keys: list[dict[str, Any]], signing: str) -> None:
        self.stop()
        self.use_keys(keys, signing)
        await self.start()

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def issued(self, client_id: str) -> int:
        """How many tokens the provider has issued to `client_id`, over all its starts."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return sum(1 for line in text.splitlines() if line.split()[2:3] == [client_id])

    async def sign_in(self, login: str, scopes: tuple[str, ...] = ()) -> str:
        """An access token for `login`, by the authorization-code flow with PKCE: the
        provider's login page and consent page are filled in and posted as a browser would,
        the code is exchanged at the token endpoint."""
        verifier = secrets.token_urlsafe(48)
        digest = hashlib.sha256(verifier.encode()).digest()
        challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        state = secrets.token_urlsafe(16)
        async with httpx.AsyncClient(base_url=self.issuer, timeout=10.0) as browser:
            answer = await browser.get(
                "/auth",
                params={
                    "client_id": USER_CLIENT,
                    "response_type": "code",
                    "redirect_uri": REDIRECT_URI,
                    "scope": " ".join(("openid", "profile", *scopes)),
                    "code_challenge": challenge,
                    "code_challenge_method": "S256",
                    "state": state,
                },
            )
            for _ in range(10):
                if answer.is_redirect:
                    location = answer.headers["location"]
                    if location.startswith(REDIRECT_URI):
                        break
                    answer = await browser.get(location)
                    continue
                assert answer.status_code == 200, answer.text
                form = re.search(r'<form[^>]*action="([^"]+)"', answer.text)
                prompt = re.search(r'name="prompt" value="(\w+)"', answer.text)
                assert form, answer.text
                assert prompt, answer.text
                fields = {"prompt": prompt[1], "login": login, "password": "any"}
                answer = await browser.post(html.unescape(form[1]), data=fields)
            else:
                raise AssertionError(f"no code after ten pages: {answer.text[:500]}")
            query = parse_qs(urlsplit(location).query)
            assert query.get("state") == [state], location
            assert "code" in query, location
            exchanged = await browser.post(
                "/token",
                data={
                    "grant_type": "authorization_code",
                    "code": query["code"][0],
                    "redirect_uri": REDIRECT_URI,
                    "code_verifier": verifier,
                    "client_id": USER_CLIENT,
                },
            )
        assert exchanged.status_code == 200, exchanged.text
        token: str = exchanged.json()["access_token"]
        return token
