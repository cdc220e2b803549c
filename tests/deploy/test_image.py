"""The image built from the Containerfile (`make test-image` only: it needs podman).

The build runs as production's would (deploy/build-image.sh). Running containers needs
more of the kernel than every machine gives (this one refuses the OCI runtime's rlimits),
so the image's files are exported and run under chroot, as its own unprivileged user:
the migration command and a service answering its probes.
"""

import os
import shutil
import socket
import subprocess
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from shared.paths import PROJECT_ROOT

if os.environ.get("CTXH_TEST_IMAGE") != "1":
    pytest.skip("builds the image with podman: make test-image", allow_module_level=True)

TAG = "localhost/ctxh:test"
ENV = {**os.environ, "STORAGE_DRIVER": os.environ.get("STORAGE_DRIVER", "vfs")}
SITE = "app/.venv/lib/python3.11/site-packages"


def _podman(*args: str) -> str:
    done = subprocess.run(["podman", *args], env=ENV, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture(scope="module")
def image() -> str:
    subprocess.run(["bash", str(PROJECT_ROOT / "deploy" / "build-image.sh"), TAG], check=True)
    return TAG


@pytest.fixture(scope="module")
def root(image: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The image's files, as a container of it would see them."""
    directory = tmp_path_factory.mktemp("image")
    container = _podman("create", image)
    try:
        archive = directory / "rootfs.tar"
        _podman("export", "--output", str(archive), container)
    finally:
        _podman("rm", container)
    rootfs = directory / "rootfs"
    with tarfile.open(archive) as tar:
        tar.extractall(rootfs, filter="fully_trusted")  # noqa: S202 - the image we just built
    (rootfs / "tmp").chmod(0o1777)
    yield rootfs
    shutil.rmtree(rootfs, ignore_errors=True)


def test_the_image_runs_as_an_unprivileged_user_with_ctxh_as_its_command(image: str) -> None:
    assert _podman("image", "inspect", image, "--format", "{{.Config.User}}") == "10001:10001"
    assert _podman("image", "inspect", image, "--format", "{{.Config.Entrypoint}}") == "[ctxh]"


def test_the_image_carries_the_services_and_no_development_tools(root: Path) -> None:
    site = root / SITE
    for needed in ("services/cases/main.py", "services/reporting/migrations", "contracts"):
        assert (site / needed).exists(), needed
    assert (site / "tools" / "cli.py").exists()
    for left_out in ("tools/demo", "tools/cluster", "tests", "bench"):
        assert not (site / left_out).exists(), left_out
    assert not (root / "opt" / "uv").exists()  # the build's own tools stay in the build


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_image_migrates_and_serves_as_its_own_user(root: Path) -> None:
    # Paths inside the image, where /tmp is the one writable place (as on Kubernetes).
    env = {
        "PATH": "/app/.venv/bin:/usr/bin:/bin",
        "HOME": "/tmp",  # noqa: S108
        "CASES_DATABASE_URL": "sqlite+aiosqlite:////tmp/cases.db",
        "CASES_DEV_KEY_PATH": "/tmp/dev-key.pem",  # noqa: S108
    }
    chroot = shutil.which("chroot") or "/usr/sbin/chroot"
    as_user = [chroot, "--userspec=10001:10001", str(root)]
    subprocess.run([*as_user, "ctxh", "migrate", "cases"], env=env, check=True)
    port = _free_port()
    command = [*as_user, "ctxh", "serve", "cases", "--port", str(port)]
    server = subprocess.Popen(command, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, "the service exited"
                assert time.monotonic() < deadline, "the service did not start"
                time.sleep(0.2)
        assert ready.status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=15)
