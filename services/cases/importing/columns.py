"""The columns of a people sheet, with the Vietnamese headers a department's registry uses.
One row is one person; a caregiver, if any, in the last three columns."""

from typing import Any

from contracts.categories import CATEGORIES
from services.cases.reference.codes import DISABILITY_SEVERITIES, DISABILITY_TYPES
from shared.labels import SEXES
from shared.sheets import cells
from shared.sheets.cells import Column

PERSON_COLUMNS = [
    Column("full_name", "Họ và tên", required=True),
    Column("sex", "Giới tính", cells.coded(SEXES), required=True),
    Column("birth_date", "Ngày sinh", cells.a_date),
    Column("birth_date_estimated", "Ngày sinh ước tính", cells.yes_no),
    Column("national_id", "Số CCCD", cells.digits_text),
    Column("birth_registration_no", "Số giấy khai sinh"),
    Column("phone", "Điện thoại", cells.digits_text),
    Column("ward_code", "Mã xã, phường", cells.digits_text, required=True),
    Column("legacy_ward_code", "Mã xã, phường cũ (trước 07/2025)", cells.digits_text),
    Column("address_line", "Địa chỉ"),
    Column("categories", "Nhóm đối tượng", cells.coded_list(dict(CATEGORIES))),
    Column("disability_type", "Dạng khuyết tật", cells.coded(DISABILITY_TYPES)),
    Column("disability_severity", "Mức độ khuyết tật", cells.coded(DISABILITY_SEVERITIES)),
    Column("caregiver_name", "Người chăm sóc"),
    Column("caregiver_relationship", "Quan hệ với người chăm sóc"),
    Column("caregiver_phone", "Điện thoại người chăm sóc", cells.digits_text),
]
BY_KEY = {c.key: c for c in PERSON_COLUMNS}
# The model's name for the caregiver's three cells, for its problems.
BY_KEY["caregivers"] = Column("caregivers", "Người chăm sóc")


def with_caregiver(values: dict[str, Any]) -> dict[str, Any]:
    """The row's caregiver cells as the API's one caregiver."""
    name = values.pop("caregiver_name", None)
    relationship = values.pop("caregiver_relationship", None)
    phone = values.pop("caregiver_phone", None)
    if name or relationship or phone:
        caregiver = {"full_name": name, "relationship": relationship or "người chăm sóc"}
        values["caregivers"] = [caregiver | ({"phone": phone} if phone else {})]
    return values
