"""The matching rules alone (services/cases/duplicates/matching.py), on real Vietnamese name
patterns: what makes two records one likely person, and what must not."""

import unicodedata
from datetime import date
from typing import Any

import pytest

from services.cases.duplicates.matching import (
    DuplicateReason,
    Facts,
    birth_date_reason,
    facts,
    match,
    phone_key,
    within,
)

R = DuplicateReason
WARD_A, WARD_B = "10525", "10507"
GRANDMOTHER = {"full_name": "Trần Thị Hoa", "relationship": "bà ngoại"}


def person(**overrides: Any) -> Facts:
    values: dict[str, Any] = {
        "full_name": "Nguyễn Văn Đức",
        "birth_date": date(2015, 3, 2),
        "ward_code": WARD_A,
    }
    values.update(overrides)
    return facts(**values)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Nguyễn Văn Đức", "Nguyen Van Duc"),  # no diacritics
        ("Nguyễn Văn Đức", "Nguyễn Văn Dức"),  # Đ typed as D
        ("Nguyễn Văn Đức", "NGUYỄN VĂN ĐỨC"),  # upper case
        ("Nguyễn Văn Đức", "  Nguyễn   Văn  Đức "),  # extra spaces
        ("Nguyễn Văn Đức", unicodedata.normalize("NFD", "Nguyễn Văn Đức")),  # NFD
        ("Huỳnh Thị Ngọc Ánh", "huynh thi ngoc anh"),
        ("Đặng Hữu Phước", "Dang Huu Phuoc"),
        ("Võ Thanh Tâm", unicodedata.normalize("NFD", "VÕ THANH TÂM")),
        ("Lý Minh Khôi", "Ly  Minh Khoi"),
    ],
)
def test_names_differing_only_in_accents_case_spacing_or_unicode_form_match(
    first: str, second: str
) -> None:
    found = match(person(full_name=first), person(full_name=second))
    assert found is not None
    assert found.reasons == (R.SAME_NAME, R.SAME_BIRTH_DATE, R.SAME_WARD)
    assert found.score == 80


def test_a_day_and_month_transposed_match() -> None:
    found = match(person(birth_date=date(2015, 3, 2)), person(birth_date=date(2015, 2, 3)))
    assert found is not None
    assert R.BIRTH_DATE_DAY_MONTH_SWAPPED in found.reasons


def test_a_day_and_month_transposed_in_another_year_do_not_match() -> None:
    assert match(person(birth_date=date(2015, 3, 2)), person(birth_date=date(2012, 2, 3))) is None


def test_recorded_dates_a_few_days_apart_are_near_but_not_weeks_apart() -> None:
    near = birth_date_reason(
        person(birth_date=date(2015, 3, 2)), person(birth_date=date(2015, 3, 9))
    )
    far = birth_date_reason(
        person(birth_date=date(2015, 3, 2)), person(birth_date=date(2015, 3, 10))
    )
    assert (near, far) == (R.BIRTH_DATE_NEAR, None)


def test_an_estimated_date_is_near_any_date_of_the_year_before_or_after() -> None:
    estimated = person(birth_date=date(2015, 1, 1), birth_date_estimated=True)
    assert birth_date_reason(estimated, person(birth_date=date(2016, 11, 30))) == R.BIRTH_DATE_NEAR
    assert birth_date_reason(estimated, person(birth_date=date(2014, 6, 1))) == R.BIRTH_DATE_NEAR
    assert birth_date_reason(estimated, person(birth_date=date(2017, 1, 1))) is None


def test_near_dates_across_a_new_year_match() -> None:
    found = match(person(birth_date=date(2014, 12, 30)), person(birth_date=date(2015, 1, 2)))
    assert found is not None
    assert R.BIRTH_DATE_NEAR in found.reasons


def test_the_same_national_id_is_always_a_pair() -> None:
    found = match(
        person(full_name="Phạm Thị Lan", national_id="031099000123", ward_code=WARD_A),
        person(
            full_name="Phạm Thị Lan Anh",
            national_id="031099000123",
            birth_date=None,
            ward_code=WARD_B,
        ),
    )
    assert found is not None
    assert (found.score, found.reasons) == (100, (R.SAME_NATIONAL_ID,))


def test_two_different_national_ids_are_two_people_whatever_else_they_share() -> None:
    same = {"caregivers": [GRANDMOTHER], "phone": "0912345678"}
    assert (
        match(
            person(national_id="031099000123", **same), person(national_id="031099000124", **same)
        )
        is None
    )


@pytest.mark.parametrize(
    "name", ["Nguyễn Văn An", "Trần Thị Hoa", "Lê Văn Hùng", "Nguyễn Thị Mai", "Phạm Văn Nam"]
)
def test_a_common_name_with_only_the_birth_date_is_not_a_pair(name: str) -> None:
    first = person(full_name=name, ward_code=WARD_A, caregivers=[{"full_name": "Bùi Thị Nga"}])
    second = person(full_name=name, ward_code=WARD_B, caregivers=[{"full_name": "Đỗ Văn Tư"}])
    assert match(first, second) is None


def test_a_common_name_and_birth_year_in_other_wards_with_other_caregivers_is_not_a_pair() -> None:
    first = person(
        full_name="Nguyễn Văn An",
        birth_date=date(2016, 1, 1),
        birth_date_estimated=True,
        ward_code=WARD_A,
        caregivers=[{"full_name": "Nguyễn Văn Bình", "phone": "0911111111"}],
        phone="0901234567",
    )
    second = person(
        full_name="Nguyễn Văn An",
        birth_date=date(2016, 8, 20),
        ward_code=WARD_B,
        caregivers=[{"full_name": "Hồ Thị Thu", "phone": "0922222222"}],
        phone="0907654321",
    )
    assert match(first, second) is None


def test_a_shared_caregiver_is_evidence_across_wards() -> None:
    found = match(
        person(ward_code=WARD_A, caregivers=[GRANDMOTHER]),
        person(ward_code=WARD_B, caregivers=[{"full_name": "TRAN THI HOA", "relationship": "bà"}]),
    )
    assert found is not None
    assert found.reasons == (R.SAME_NAME, R.SAME_BIRTH_DATE, R.SHARED_CAREGIVER)


def test_a_caregiver_phone_in_common_is_a_shared_caregiver() -> None:
    found = match(
        person(
            ward_code=WARD_A, caregivers=[{"full_name": "Ngô Văn Tài", "phone": "+84912345678"}]
        ),
        person(ward_code=WARD_B, caregivers=[{"full_name": "Ngô Tài", "phone": "0912345678"}]),
    )
    assert found is not None
    assert R.SHARED_CAREGIVER in found.reasons


def test_the_same_phone_is_evidence_across_wards() -> None:
    found = match(
        person(ward_code=WARD_A, phone="0912345678"), person(ward_code=WARD_B, phone="+84912345678")
    )
    assert found is not None
    assert found.reasons == (R.SAME_NAME, R.SAME_BIRTH_DATE, R.SAME_PHONE)


def test_middle_names_that_differ_are_not_matched() -> None:
    assert match(person(full_name="Nguyễn Văn An"), person(full_name="Nguyễn An")) is None
    assert match(person(full_name="Trần Thị Hoa"), person(full_name="Trần Thị Ngọc Hoa")) is None


def test_a_missing_birth_date_is_never_a_match_by_name() -> None:
    assert match(person(birth_date=None), person()) is None


def test_more_evidence_scores_higher_and_never_past_100() -> None:
    base = match(person(), person())
    richer = match(person(caregivers=[GRANDMOTHER]), person(caregivers=[GRANDMOTHER]))
    everything = match(
        person(caregivers=[GRANDMOTHER], phone="0912345678"),
        person(caregivers=[GRANDMOTHER], phone="0912345678"),
    )
    weaker = match(person(), person(birth_date=date(2015, 3, 5)))
    assert base
    assert richer
    assert everything
    assert weaker
    assert weaker.score < base.score < richer.score <= everything.score == 100


def test_phone_numbers_compare_in_one_form() -> None:
    assert phone_key("+84 912 345 678") == phone_key("0912345678") == "0912345678"
    assert phone_key(None) is None


def test_rows_of_one_batch_are_matched_with_each_other_by_name_or_national_id() -> None:
    rows = [
        person(full_name="Bùi Thị Thanh Hương"),
        person(full_name="Dương Văn Long"),
        person(full_name="BUI THI THANH HUONG", birth_date=date(2015, 2, 3)),
        person(full_name="Lê Văn Tám", national_id="031099000555", birth_date=None),
        person(full_name="Le Van Tam Anh", national_id="031099000555", ward_code=WARD_B),
    ]
    found = within(rows)
    assert [[j for j, _ in row] for row in found] == [[2], [], [0], [4], [3]]
