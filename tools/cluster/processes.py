"""Processes that outlive the command that started them, found again by their pid files."""

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path


class Detached:
    """A process in a session of its own (so a signal reaches its children too), logging to
    `logs/<name>.log` and known by `pids/<name>.pid` under the cluster's directory."""

    def __init__(
        self, name: str, command: list[str], directory: Path, env: dict[str, str] | None = None
    ) -> None:
        self.name = name
        self.command = command
        self.env = env
        self.pid_file = directory / "pids" / f"{name}.pid"
        self.log_file = directory / "logs" / f"{name}.log"

    def start(self, user: str | None = None) -> None:
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as log:
            process = subprocess.Popen(
                self.command,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
                user=user,
                cwd=self.log_file.parent,
            )
        self.pid_file.write_text(str(process.pid))

    @property
    def pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text())
        except (FileNotFoundError, ValueError):
            return None

    def alive(self) -> bool:
        pid = self.pid
        if pid is None:
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        # A child we started and that died stays a zombie until reaped.
        try:
            return os.waitpid(pid, os.WNOHANG) == (0, 0)
        except ChildProcessError:
            return True  # not our child: it exists

    def kill(self, sig: signal.Signals = signal.SIGTERM) -> None:
        pid = self.pid
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, sig)  # its session's group: the process and what it started

    def stop(self, timeout: float = 15.0) -> None:
        stop_together([self], timeout)

    def tail(self, lines: int = 30) -> str:
        if not self.log_file.exists():
            return ""
        return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])


def stop_together(processes: list[Detached], timeout: float = 15.0) -> None:
    """SIGTERM to all, then SIGKILL to whatever is still running after `timeout`."""
    for process in processes:
        process.kill(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while any(p.alive() for p in processes) and time.monotonic() < deadline:
        time.sleep(0.1)
    for process in processes:
        if process.alive():
            process.kill(signal.SIGKILL)
        process.pid_file.unlink(missing_ok=True)
