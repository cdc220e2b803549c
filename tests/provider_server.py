"""A small identity provider on loopback for the tests of verification and of the reporting
service's own token: real HTTP, a key set the test changes as a provider would (rotation,
withdrawal), a client-credentials token endpoint, and an outage switch. A real, certified
provider is run in tests/e2e/test_identity_provider.py."""

import json
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

ISSUER = "https://id.test/realms/ctxh"


@dataclass
class SigningKey:
    kid: str
    private: RSAPrivateKey

    def jwk(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private.public_key()))
        return {**public, "kid": self.kid, "use": "sig", "alg": "RS256"}

    def sign(self, **claims: Any) -> str:
        now = int(time.time())
        body = {"iss": ISSUER, "aud": "ctxh", "sub": "u1", "iat": now, "exp": now + 600}
        body |= {"roles": ["admin"], **claims}
        return jwt.encode(body, self.private, "RS256", headers={"kid": self.kid})


def new_key() -> SigningKey:
    return SigningKey(f"k-{uuid.uuid4().hex[:8]}", rsa.generate_private_key(65537, 2048))


@dataclass
class KeyServer:
    keys: list[SigningKey]
    down: bool = False
    fetches: int = 0  # of the key set
    extra: list[dict[str, Any]] = field(default_factory=list)  # entries served as they are
    port: int = 0
    # The token endpoint: one client, and the lifetime of what it issues.
    client: tuple[str, str] = ("ctxh-reporting", "s3cret")
    lifetime: int = 300
    token_requests: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/jwks"

    @property
    def token_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/token"

    def document(self) -> bytes:
        return json.dumps({"keys": [*self.extra, *(k.jwk() for k in self.keys)]}).encode()

    def grant(self, form: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        self.token_requests += 1
        given = (form.get("client_id", [""])[0], form.get("client_secret", [""])[0])
        if form.get("grant_type") != ["client_credentials"] or given != self.client:
            return 401, {"error": "invalid_client"}
        token = self.keys[0].sign(
            sub=self.client[0],
            roles=["service"],
            exp=int(time.time()) + self.lifetime,
            jti=uuid.uuid4().hex,
        )
        return 200, {"access_token": token, "expires_in": self.lifetime, "token_type": "Bearer"}


def serving(server: KeyServer) -> Iterator[KeyServer]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server.fetches += 1
            self._answer(*((503, {}) if server.down else (200, server.document())))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = urllib.parse.parse_qs(self.rfile.read(length).decode())
            self._answer(*((503, {}) if server.down else server.grant(form)))

        def _answer(self, status: int, body: dict[str, Any] | bytes) -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_args: Any) -> None:
            return None

    http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.port = http.server_address[1]
    thread = threading.Thread(target=http.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        http.shutdown()
        http.server_close()
