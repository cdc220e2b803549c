import uuid

import pytest

from shared.auth import Role
from tests.cases.factories import FACILITY_X, FACILITY_Y, HP, WARD_A, officer
from tests.conftest import TokenFactory


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
