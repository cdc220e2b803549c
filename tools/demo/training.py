"""A dozen courses of every kind from 2021 to 2026, so that training counts people and turns
(lượt) over degree programmes, in-depth and short skills training alike."""

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from tools.demo.staff import WORKERS, WorkerSpec

_HD_DOLISA = "Sở Lao động - Thương binh và Xã hội tỉnh Hải Dương (cũ)"
_HP_HEALTH = "Sở Y tế thành phố Hải Phòng"
# (kind, topic, organiser, start, end, funding source code, fewest and most participants)
COURSES: tuple[tuple[str, str, str, date, date, str, int, int], ...] = (
    ("degree_intermediate", "Trung cấp Công tác xã hội (vừa làm vừa học) khóa 2021–2023",
     "Trường Cao đẳng Y tế Hải Dương", date(2021, 9, 6), date(2023, 6, 30), "state_budget", 3, 6),
    ("degree_college", "Cao đẳng Công tác xã hội khóa 2022–2025",
     "Trường Cao đẳng Kinh tế - Kỹ thuật Hải Dương", date(2022, 9, 5), date(2025, 6, 30),
     "self_funded", 2, 5),
    ("degree_university", "Đại học Công tác xã hội (liên thông) khóa 2021–2025",
     "Trường Đại học Lao động - Xã hội", date(2021, 10, 4), date(2025, 9, 30),
     "state_budget", 3, 6),
    ("degree_university", "Đại học Công tác xã hội (văn bằng 2) khóa 2024–2026",
     "Trường Đại học Hải Phòng", date(2024, 10, 7), date(2026, 12, 25),
     "state_budget", 2, 5),
    ("degree_postgraduate", "Thạc sĩ Công tác xã hội khóa 2023–2025", "Học viện Phụ nữ Việt Nam",
     date(2023, 10, 16), date(2025, 10, 31), "state_budget", 2, 4),
    ("in_depth_skills", "Quản lý trường hợp trẻ em có hoàn cảnh đặc biệt", _HD_DOLISA,
     date(2022, 5, 9), date(2022, 5, 20), "international", 12, 20),
    ("in_depth_skills", "Công tác xã hội trong bệnh viện", _HP_HEALTH, date(2024, 3, 11),
     date(2024, 3, 22), "state_budget", 10, 16),
    ("in_depth_skills", "Hỗ trợ tâm lý - xã hội cho nạn nhân bạo lực, xâm hại", _HP_HEALTH,
     date(2025, 9, 8), date(2025, 9, 19), "state_budget", 12, 18),
    ("short_skills", "Kỹ năng công tác xã hội cho cán bộ, cộng tác viên cấp xã", _HD_DOLISA,
     date(2021, 11, 15), date(2021, 11, 17), "state_budget", 20, 30),
    ("short_skills", "Phòng ngừa, phát hiện và can thiệp xâm hại trẻ em",
     "Sở Lao động - Thương binh và Xã hội thành phố Hải Phòng", date(2023, 6, 19),
     date(2023, 6, 21), "international", 18, 28),
    ("short_skills", "Tư vấn và kết nối dịch vụ sau sắp xếp đơn vị hành chính", _HP_HEALTH,
     date(2025, 8, 11), date(2025, 8, 13), "state_budget", 20, 30),
    ("short_skills", "Cập nhật chính sách trợ giúp xã hội năm 2026", _HP_HEALTH,
     date(2026, 4, 20), date(2026, 4, 22), "state_budget", 15, 25),
)  # fmt: skip


@dataclass(slots=True)
class CourseSpec:
    index: int
    payload: dict[str, Any]
    participants: list[tuple[int, dict[str, Any]]]  # (worker index, participation sans worker)


def _participation(
    rng: random.Random, kind: str, end: date, today: date, serial: int
) -> dict[str, Any]:
    if end > today or rng.random() < 0.1:
        return {"completed": False}
    prefix = "VB" if kind.startswith("degree_") else "CN"
    return {"completed": True, "certificate_no": f"{prefix}-{end.year}-{serial:04d}"}


def course_specs(rng: random.Random, workers: list[WorkerSpec], today: date) -> list[CourseSpec]:
    """Course sizes are for the full workforce of WORKERS, and shrink with a smaller one."""
    specs = []
    for index, row in enumerate(COURSES):
        kind, topic, organiser, start, end, funding, fewest, most = row
        payload = {
            "code": f"31-DT-{start.year}-{index + 1:02d}",
            "kind": kind,
            "topic": topic,
            "organiser": organiser,
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "funding_source": funding,
        }
        places = round(rng.randint(fewest, most) * min(1.0, len(workers) / WORKERS))
        chosen = rng.sample(range(len(workers)), max(1, min(places, len(workers))))
        participants = [
            (w, _participation(rng, kind, end, today, index * 100 + n))
            for n, w in enumerate(chosen)
        ]
        specs.append(CourseSpec(index, payload, participants))
    return specs
