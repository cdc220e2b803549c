"""`ctxh token` mints tokens the services accept."""

from pathlib import Path

import httpx
import pytest

from services.cli import main


async def test_token_command_prints_a_token_the_services_accept(
    any_client: httpx.AsyncClient,
    dev_key_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CTXH_DEV_KEY_PATH", str(dev_key_path))
    assert (
        main(
            ["token", "--role", "province_officer", "--province", "31", "--scope", "sensitive:read"]
        )
        == 0
    )
    token = capsys.readouterr().out.strip()
    response = await any_client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["roles"] == ["province_officer"]
    assert response.json()["province_code"] == "31"
    assert response.json()["scopes"] == ["sensitive:read"]


def test_token_command_refuses_an_unknown_role(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["token", "--role", "superuser"])
    assert exited.value.code == 2
