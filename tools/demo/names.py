"""Vietnamese names as they are spread in the Red River delta: a few family names carry most
people, and middle and given names differ between generations and sexes."""

import random

from tools.demo.common import weighted

FAMILY_NAMES = {
    "Nguyễn": 32,
    "Trần": 10,
    "Lê": 8,
    "Phạm": 8,
    "Vũ": 6,
    "Hoàng": 4,
    "Đỗ": 4,
    "Bùi": 4,
    "Đặng": 3,
    "Ngô": 2,
    "Đào": 2,
    "Đinh": 2,
    "Dương": 2,
    "Phan": 2,
    "Mạc": 1,
    "Lương": 1,
    "Trịnh": 1,
    "Cao": 1,
    "Tô": 1,
    "Hà": 1,
}

MIDDLE_NAMES = {
    ("male", "old"): ["Văn", "Văn", "Văn", "Đức", "Hữu", "Quang", "Xuân", "Công"],
    ("female", "old"): ["Thị", "Thị", "Thị", "Thị", "Thu", "Ngọc", "Kim"],
    ("male", "young"): ["Văn", "Đức", "Minh", "Quang", "Gia", "Anh", "Tuấn", "Hoàng", "Bảo"],
    ("female", "young"): ["Thị", "Thu", "Ngọc", "Phương", "Minh", "Khánh", "Bảo", "Thùy", "Gia"],
}

GIVEN_NAMES = {
    ("male", "old"): [
        "Hùng", "Dũng", "Thắng", "Lợi", "Bình", "Sơn", "Hải", "Thịnh", "Cường", "Toàn",
        "Tâm", "Hòa", "Khoa", "Phong", "Thành", "Chiến", "Quý", "Vinh", "Tiến", "Hưng",
    ],
    ("female", "old"): [
        "Lan", "Hoa", "Mai", "Hương", "Nga", "Hằng", "Cúc", "Đào", "Sen", "Loan",
        "Nhung", "Thủy", "Tuyết", "Dung", "Hạnh", "Liên", "Xuân", "Vân", "Hiền", "Lý",
    ],
    ("male", "young"): [
        "Minh", "Nam", "Huy", "Quân", "Khánh", "Phúc", "An", "Khôi", "Đăng", "Lâm",
        "Việt", "Trung", "Hiếu", "Tùng", "Kiên", "Long", "Tuấn", "Duy", "Hoàng", "Bách",
    ],
    ("female", "young"): [
        "Linh", "Trang", "Thảo", "Ngọc", "Huyền", "Phương", "Yến", "Hà", "Anh", "Vy",
        "Chi", "My", "Nhi", "An", "Ngân", "Thư", "Hân", "Diệp", "Trâm", "Giang",
    ],
}  # fmt: skip


def full_name(rng: random.Random, sex: str, birth_year: int, family: str | None = None) -> str:
    generation = "old" if birth_year < 1985 else "young"
    family = family or weighted(rng, FAMILY_NAMES)
    middle = rng.choice(MIDDLE_NAMES[(sex, generation)])
    given = rng.choice(GIVEN_NAMES[(sex, generation)])
    return f"{family} {middle} {given}"


def family_name(name: str) -> str:
    return name.split(" ", 1)[0]
