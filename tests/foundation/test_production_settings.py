"""A production process refuses to start on what is meant for development, and says which
setting to change: development auth, the development issuer, SQLite, and the reporting
service without its own client credentials."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from services.cases.settings import CasesSettings
from services.reporting.settings import ReportingSettings
from shared.auth.tokens import issue_dev_token
from shared.paths import PROJECT_ROOT

PRODUCTION = {
    "environment": "production",
    "auth_mode": "oidc",
    "jwks_url": "https://id.example.gov.vn/realms/ctxh/protocol/openid-connect/certs",
    "jwt_issuer": "https://id.example.gov.vn/realms/ctxh",
    "jwt_algorithms": ["RS256"],
    "database_url": "postgresql://ctxh:secret@db/cases",
}
CREDENTIALS = {
    "service_token_url": "https://id.example.gov.vn/realms/ctxh/protocol/openid-connect/token",
    "service_client_id": "ctxh-reporting",
    "service_client_secret": "s3cret",
}


def test_a_production_setup_starts() -> None:
    assert CasesSettings(**PRODUCTION).environment == "production"
    assert ReportingSettings(**PRODUCTION, **CREDENTIALS).service_client_id == "ctxh-reporting"


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"auth_mode": "dev"}, "CASES_AUTH_MODE=dev accepts tokens signed with a development key"),
        ({"jwks_url": None}, "CASES_AUTH_MODE=oidc needs CASES_JWKS_URL"),
        ({"jwt_issuer": "ctxh-dev"}, "CASES_JWT_ISSUER is the development issuer"),
        ({"database_url": None}, "CASES_DATABASE_URL is unset, which means embedded SQLite"),
        ({"database_url": "sqlite+aiosqlite:///x.db"}, "CASES_DATABASE_URL is not PostgreSQL"),
    ],
)
def test_production_refuses_what_is_meant_for_development(change: dict, named: str) -> None:
    with pytest.raises(ValidationError, match=named):
        CasesSettings(**(PRODUCTION | change))


def test_every_wrong_setting_is_named_at_once() -> None:
    with pytest.raises(ValidationError) as refused:
        CasesSettings(environment="production")
    message = str(refused.value)
    for setting in ("CASES_AUTH_MODE", "CASES_JWT_ISSUER", "CASES_DATABASE_URL"):
        assert setting in message


@pytest.mark.parametrize("missing", sorted(CREDENTIALS))
def test_reporting_in_oidc_mode_refuses_to_start_without_its_credentials(missing: str) -> None:
    with pytest.raises(ValidationError, match=f"set REPORTING_{missing.upper()}"):
        ReportingSettings(**PRODUCTION, **{k: v for k, v in CREDENTIALS.items() if k != missing})


def test_development_tokens_are_not_issued_in_production() -> None:
    with pytest.raises(ValueError, match="refused in production"):
        issue_dev_token(CasesSettings(**PRODUCTION), roles=[])


def test_a_production_service_on_development_auth_exits_naming_the_setting(
    tmp_path: Path,
) -> None:
    """The process itself: it stops before serving, writes no development key, and shows
    the reasons without the values (the database URL holds a password)."""
    key = tmp_path / "dev-key.pem"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CASES_")},
        "CASES_ENVIRONMENT": "production",
        "CASES_DEV_KEY_PATH": str(key),
        "CASES_DATABASE_URL": "postgresql://ctxh:hunter2@db/cases",
    }
    command = [sys.executable, "-m", "tools.cli", "serve", "cases", "--port", "1"]
    ended = subprocess.run(
        command, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60
    )
    assert ended.returncode == 2
    assert "CASES_AUTH_MODE=dev" in ended.stderr
    assert "CASES_JWT_ISSUER" in ended.stderr
    assert "hunter2" not in ended.stderr + ended.stdout
    assert not key.exists()
