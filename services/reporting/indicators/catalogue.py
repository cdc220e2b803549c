"""The indicator catalogue: definitions as data, served by GET /api/v1/indicators."""

from dataclasses import dataclass
from typing import Literal

Unit = Literal["percent", "growth_percent", "count"]


@dataclass(frozen=True)
class Indicator:
    code: str
    target_no: str
    name_vi: str
    name_en: str
    unit: Unit
    numerator: str
    denominator: str
    source: str
    taken: str
    about_people: bool


CATALOGUE: dict[str, Indicator] = {
    i.code: i
    for i in [
        Indicator(
            "I01",
            "1",
            "Tỷ lệ cơ quan, tổ chức, cơ sở bố trí 01–02 người làm CTXH có phụ cấp hằng tháng tối thiểu "
            "bằng mức lương tối thiểu (hoặc lương cơ sở)",
            "Facilities assigning 1–2 CTXH staff with a monthly allowance at least the minimum (or base) wage",
            "percent",
            "facilities with at least one CTXH worker paid at least the threshold (the plan's wage "
            "basis: regional minimum for the facility's region, or base wage) on the date",
            "facilities in the registry active on the date",
            "workforce /stats/facilities",
            "on the window's last day",
            False,
        ),
        Indicator(
            "I02",
            "2",
            "Tỷ lệ cán bộ, nhân viên, cộng tác viên CTXH được đào tạo, bồi dưỡng",
            "CTXH staff and collaborators trained or retrained",
            "percent",
            "CTXH workers on the date (in the target's facility group) who completed training between "
            "the plan's start and the date",
            "CTXH workers on the date (in the target's facility group)",
            "workforce /stats/workers",
            "on the window's last day; training since the plan began",
            True,
        ),
        Indicator(
            "I03A",
            "3a",
            "Tỷ lệ cơ sở trợ giúp xã hội thuộc ngành có cung cấp dịch vụ CTXH",
            "The sector's social assistance facilities providing CTXH services",
            "percent",
            "the sector's social assistance facilities providing services",
            "the sector's social assistance facilities",
            "workforce /stats/facilities",
            "on the window's last day",
            False,
        ),
        Indicator(
            "I03B",
            "3b",
            "Tỷ lệ cơ sở trợ giúp xã hội, y tế, giáo dục và cơ sở khác trong quy hoạch có cung cấp dịch vụ CTXH",
            "Planned social assistance, health, education and other facilities providing CTXH services",
            "percent",
            "facilities in the network plan providing services",
            "facilities in the network plan",
            "workforce /stats/facilities",
            "on the window's last day",
            False,
        ),
        Indicator(
            "I04",
            "4",
            "Tăng số người có hoàn cảnh khó khăn được tư vấn, hỗ trợ CTXH so với năm 2020",
            "Growth of people in difficult circumstances counselled or supported, versus 2020",
            "growth_percent",
            "distinct people with at least one service delivered in the window",
            "the 2020 baseline entered by the department (manual value people_supported_2020)",
            "cases /stats/people-supported + manual value",
            "over the window",
            True,
        ),
        Indicator(
            "I05",
            "5",
            "Tỷ lệ trẻ em thuộc sáu nhóm ưu tiên được trợ giúp và cung cấp dịch vụ CTXH từ nguồn lực xã hội hóa",
            "Priority children (six groups) served from socialised resources",
            "percent",
            "children in the six groups with a service funded by socialised resources in the window",
            "children (under 16 at the window's end) in the six groups",
            "cases /stats/priority-children",
            "over the window",
            True,
        ),
        Indicator(
            "I06",
            "6",
            "Số người được đào tạo trình độ trung cấp, cao đẳng, đại học, sau đại học về CTXH",
            "People trained to a social work degree (intermediate to postgraduate)",
            "count",
            "distinct people completing a degree course",
            "—",
            "workforce /stats/training",
            "the year (per-year targets) or since the plan began",
            True,
        ),
        Indicator(
            "I07",
            "7",
            "Số lượt đào tạo kỹ năng CTXH chuyên sâu",
            "In-depth skills training places",
            "count",
            "completed in-depth course participations (turns)",
            "—",
            "workforce /stats/training",
            "the year (per-year targets) or since the plan began",
            True,
        ),
        Indicator(
            "I08",
            "8",
            "Số cán bộ y tế, lao động - xã hội tại cơ sở có cung cấp dịch vụ CTXH được đào tạo",
            "Health or social staff of service facilities trained",
            "count",
            "CTXH workers of health and social assistance facilities providing services who completed "
            "training",
            "—",
            "workforce /stats/workers",
            "the year (per-year targets) or since the plan began",
            True,
        ),
        Indicator(
            "I09",
            "9",
            "Số lượt người được tập huấn kỹ năng CTXH",
            "Skills training turns",
            "count",
            "completed short skills course participations (turns)",
            "—",
            "workforce /stats/training",
            "the year (per-year targets) or since the plan began",
            True,
        ),
        Indicator(
            "I10",
            "10",
            "Tỷ lệ cơ quan, đơn vị có ít nhất một người làm CTXH",
            "Agencies and units with at least one CTXH worker",
            "percent",
            "facilities with at least one CTXH worker on the date",
            "facilities active on the date",
            "workforce /stats/facilities",
            "on the window's last day",
            False,
        ),
    ]
}
