"""The columns of each spreadsheet, with the Vietnamese headers departments use. Import reads
what export writes, so a department can export, edit and import back."""

from typing import Any

from services.workforce.reference import codes
from shared.labels import Code
from shared.sheets import cells
from shared.sheets.cells import Column


def _labels(**pairs: str) -> dict[str, Code]:
    return {k: Code(k, v, k) for k, v in pairs.items()}


SEX = _labels(male="Nam", female="Nữ")
OWNERSHIP = _labels(public="Công lập", private="Ngoài công lập")
TITLES = _labels(grade_i="Hạng I", grade_ii="Hạng II", grade_iii="Hạng III", grade_iv="Hạng IV")

FACILITY_COLUMNS = [
    Column("code", "Mã cơ sở", required=True),
    Column("name", "Tên cơ sở", required=True),
    Column("kind", "Loại cơ sở", cells.coded(codes.FACILITY_KINDS), required=True),
    Column("sector", "Ngành, lĩnh vực", cells.coded(codes.SECTORS), required=True),
    Column("ownership", "Loại hình", cells.coded(OWNERSHIP)),
    Column("in_sector", "Thuộc ngành quản lý CTXH", cells.yes_no),
    Column("in_network_plan", "Trong quy hoạch mạng lưới", cells.yes_no),
    Column("provides_services", "Cung cấp dịch vụ CTXH", cells.yes_no),
    Column("services", "Dịch vụ CTXH", cells.code_list),
    Column("ward_code", "Mã xã, phường", cells.digits_text, required=True),
    Column("legacy_ward_code", "Mã xã, phường cũ (trước 07/2025)", cells.digits_text),
    Column("wage_region_override", "Vùng lương (nếu khác vùng của xã)", cells.region),
    Column("wage_region_override_reason", "Lý do vùng khác"),
    Column("address_line", "Địa chỉ"),
    Column("active_from", "Hoạt động từ ngày", cells.a_date),
    Column("active_to", "Ngừng hoạt động từ ngày", cells.a_date),
]

WORKER_COLUMNS = [
    Column("full_name", "Họ và tên", required=True),
    Column("sex", "Giới tính", cells.coded(SEX), required=True),
    Column("birth_date", "Ngày sinh", cells.a_date),
    Column("national_id", "Số CCCD", cells.digits_text),
    Column("phone", "Điện thoại", cells.digits_text),
    Column("email", "Thư điện tử"),
    Column("qualification", "Trình độ CTXH", cells.coded(codes.QUALIFICATIONS)),
    Column("professional_title", "Chức danh nghề nghiệp", cells.coded(TITLES)),
    Column("facility_code", "Mã cơ sở"),
    Column("position_kind", "Vị trí", cells.coded(codes.POSITION_KINDS)),
    Column("is_ctxh", "Làm công tác xã hội", cells.yes_no),
    Column("start_date", "Từ ngày", cells.a_date),
    Column("end_date", "Đến ngày", cells.a_date),
    Column("monthly_allowance_vnd", "Phụ cấp hằng tháng (đồng)", cells.whole_number),
]

PARTICIPATION_COLUMNS = [
    # The course's own fields first (a row per participant repeats them), then the person's.
    Column("code", "Mã khóa học", required=True),
    Column("kind", "Loại khóa học", cells.coded(codes.COURSE_KINDS), required=True),
    Column("topic", "Chủ đề", required=True),
    Column("organiser", "Đơn vị tổ chức", required=True),
    Column("start_date", "Ngày bắt đầu", cells.a_date, required=True),
    Column("end_date", "Ngày kết thúc", cells.a_date, required=True),
    Column("national_id", "Số CCCD học viên", cells.digits_text, required=True),
    Column("completed", "Hoàn thành", cells.yes_no),
    Column("completed_on", "Ngày hoàn thành", cells.a_date),
    Column("certificate_no", "Số chứng chỉ"),
]

WARD_REGION_COLUMNS = [
    Column("ward_code", "Mã xã, phường", cells.digits_text, required=True),
    Column("ward_name", "Tên xã, phường"),  # for people reading the sheet; the code decides
    Column("region", "Vùng", cells.region, required=True),
    Column("valid_from", "Áp dụng từ ngày", cells.a_date, required=True),
    Column("valid_to", "Đến ngày", cells.a_date),
    Column("legal_source", "Căn cứ pháp lý", required=True),
]

SHEETS: dict[str, list[Column]] = {
    "facilities": FACILITY_COLUMNS,
    "workers": WORKER_COLUMNS,
    "participations": PARTICIPATION_COLUMNS,
    "ward-wage-regions": WARD_REGION_COLUMNS,
}


def label_of(table: dict[str, Code], code: Any) -> Any:
    """The Vietnamese label to write for a code on export."""
    return table[code].label_vi if code in table else code
