import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from shared import clock as shared_clock
from shared.auth import Role
from tests.cases.factories import FACILITY_X, FACILITY_Y, HP, WARD_A, officer
from tests.conftest import TokenFactory

MoveClock = Callable[..., None]


@pytest.fixture
def officer_hp(token: TokenFactory) -> dict[str, str]:
    return officer(token)


@pytest.fixture
def officer_sensitive(token: TokenFactory) -> dict[str, str]:
    return officer(token, sensitive=True)


@pytest.fixture
def worker_id() -> uuid.UUID:
    return uuid.uuid4()


@pytest.fixture
def commune_worker(token: TokenFactory, worker_id: uuid.UUID) -> dict[str, str]:
    return token(Role.COMMUNE_WORKER, subject=str(worker_id), province_code=HP, commune_code=WARD_A)


@pytest.fixture
def facility_x(token: TokenFactory) -> dict[str, str]:
    return token(Role.FACILITY_WORKER, subject=str(uuid.uuid4()), facility_id=FACILITY_X)


@pytest.fixture
def facility_y(token: TokenFactory) -> dict[str, str]:
    return token(Role.FACILITY_WORKER, subject=str(uuid.uuid4()), facility_id=FACILITY_Y)


@pytest.fixture
def clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MoveClock:
    """`clock(hours=5)` moves every timestamp of the in-process apps 5 hours past the real
    time (shared.clock), for as long as the test runs."""
    path = tmp_path / "clock-offset"
    monkeypatch.setenv(shared_clock.OFFSET_FILE_VARIABLE, str(path))

    def move(**delta: float) -> None:
        shared_clock.write_offset(path, timedelta(**delta))

    return move
