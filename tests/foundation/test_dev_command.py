"""`ctxh dev` as a newcomer runs it: the three services and the worker come up, it says
where to go, and Ctrl-C or SIGTERM stops everything with status 0 and nothing alarming."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shared.testing import free_port, server_url
from tools.services import SERVICES

READY = "ctxh is ready"

if server_url():
    # `ctxh dev` runs on SQLite whatever the suite's database; one pass keeps make test short.
    pytest.skip("runs in make test's SQLite pass", allow_module_level=True)


def _environment(tmp_path: Path) -> dict[str, str]:
    """Databases, key and ports of its own; the log levels left to `ctxh dev`'s defaults."""
    env = {key: value for key, value in os.environ.items() if not key.endswith("_LOG_LEVEL")}
    for name in SERVICES:
        prefix = name.upper()
        env[f"{prefix}_PORT"] = str(free_port())
        env[f"{prefix}_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path}/{name}.db"
        env[f"{prefix}_DEV_KEY_PATH"] = str(tmp_path / "dev-key.pem")
    return env


def _wait_for(output: Path, text: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120  # four processes starting on a busy machine
    while text not in output.read_text(encoding="utf-8"):
        assert process.poll() is None, output.read_text(encoding="utf-8")
        assert time.monotonic() < deadline, output.read_text(encoding="utf-8")
        time.sleep(0.3)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_dev_stops_cleanly_on_a_signal(tmp_path: Path, signum: signal.Signals) -> None:
    output = tmp_path / "output.txt"
    command = [sys.executable, "-m", "tools.cli", "dev", "--no-demo"]
    env = _environment(tmp_path)
    with output.open("wb") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        _wait_for(output, READY, process)
        process.send_signal(signum)
        status = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    text = output.read_text(encoding="utf-8")
    assert status == 0, text
    assert "Traceback" not in text
    # Uvicorn's own lines follow LOG_LEVEL, which `ctxh dev` sets to WARNING.
    assert "INFO" not in text, text
    assert "ctxh report show" in text
    assert "/docs" in text
    # The children went with it: their ports are free again.
    for name in SERVICES:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", int(env[f"{name.upper()}_PORT"])))
