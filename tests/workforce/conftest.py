import pytest

from shared.auth import Role
from tests.conftest import TokenFactory


@pytest.fixture
def officer(token: TokenFactory) -> dict[str, str]:
    return token(Role.PROVINCE_OFFICER, province_code="31")


@pytest.fixture
def other_officer(token: TokenFactory) -> dict[str, str]:
    return token(Role.PROVINCE_OFFICER, province_code="52")
