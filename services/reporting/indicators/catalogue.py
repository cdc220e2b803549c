"""The indicator catalogue: definitions as data, served by GET /api/v1/indicators.

Each definition is stated in the plans' own terms: who counts, over which dates, what is left
out, how the target is judged and how the value is broken down. The computation follows
these words (indicators/calculations.py and the sources' /stats endpoints).

Besides the plans' targets, a few indicators are *monitored*: every report computes them
for its territory and window, with no target, so that they are frozen, shown and disclosed
exactly as the targets' values are.
"""

from dataclasses import dataclass

from shared.labels import LabelledEnum, labelled


class IndicatorUnit(LabelledEnum):
    PERCENT = "percent"
    GROWTH_PERCENT = "growth_percent"
    COUNT = "count"


INDICATOR_UNITS = labelled(
    IndicatorUnit,
    (IndicatorUnit.PERCENT, "Tỷ lệ (%)", "Percentage"),
    (IndicatorUnit.GROWTH_PERCENT, "Mức tăng so với năm 2020 (%)", "Growth over 2020 (%)"),
    (IndicatorUnit.COUNT, "Số người, số lượt", "Number of people or turns"),
)


class FacilityGroup(LabelledEnum):
    """Hải Dương sets target #2 apart for two groups of facilities."""

    COMMUNES_AND_SECTOR = "communes_and_sector"
    JUSTICE_AND_MASS = "justice_and_mass"


FACILITY_GROUPS = labelled(
    FacilityGroup,
    (
        FacilityGroup.COMMUNES_AND_SECTOR,
        "Xã, phường và cơ sở cung cấp dịch vụ CTXH trong ngành",
        "Communes and the sector's service facilities",
    ),
    (
        FacilityGroup.JUSTICE_AND_MASS,
        "Trại giam, trường giáo dưỡng, tư pháp, đoàn thể",
        "Prisons, reformatory schools, justice, mass organisations",
    ),
)

STAFF = (
    "CTXH staff on a day: people holding a CTXH post that is full-time (chuyên trách), "
    "part-time (kiêm nhiệm, không chuyên trách) or collaborator (cộng tác viên) that day, at a "
    "facility active that day, who have not retired, left or been archived by then; a person "
    "with several posts counts once"
)
STAFF_EXCLUDED = (
    "volunteers (reported in their own column); posts of people who retired, left or were "
    "archived, from that day; posts outside their facility's active dates; archived posts"
)
TRAINED_STAFF = (
    "a completed course counts when, on the day it was completed, its participant was CTXH "
    "staff at a facility of the territory"
)
SERVICES = (
    "a service counts when it was delivered in the window on a case that is not archived "
    "(an archived case was recorded in error) and not dated after its case closed"
)
PER_YEAR = (
    "per-year targets: judged in the annual report; a multi-year report gives each year and "
    "judges its last full year; a shorter window shows the pro-rata share of a year. "
    "Whole-plan targets: counted since the plan began, judged in the report that closes the "
    "plan (the annual report of its last year, the end-of-phase report); earlier reports "
    "show the pro-rata target"
)
TERRITORY = (
    "Records in the plan's territory. For a plan on a legacy province: the 2025 wards its "
    "former communes became; in a ward it shares with another former province, records "
    "carrying one of its legacy communes count, and unmarked ones as the plan sets "
    "(shared_wards), their number stated in the report"
)
REFERRALS = (
    "referrals (chuyển gửi) made in the window from cases of people in the territory: counts "
    "of referrals, not of people (a person referred twice counts twice)"
)
REFERRALS_EXCLUDED = (
    "referrals on cases archived as recorded in error; referrals made before deadlines were "
    "kept have no respond_by, so they count in made and accepted only"
)
MONITORED = "not judged: no plan sets a target on it; every report gives it for monitoring"
FACILITY_PLACES = ["by_kind_sector"]
PEOPLE_PLACES = ["by_ward", "by_former_district"]


@dataclass(frozen=True)
class Indicator:
    code: str
    target_no: str
    name_vi: str
    name_en: str
    unit: IndicatorUnit
    numerator: str
    denominator: str
    source: str
    taken: str
    about_people: bool
    excluded: str
    judged: str
    breakdowns: tuple[str, ...]
    territory: str = TERRITORY
    monitoring: bool = False  # computed in every report, never a plan's target


CATALOGUE: dict[str, Indicator] = {
    i.code: i
    for i in [
        Indicator(
            "I01",
            "1",
            "Tỷ lệ cơ quan, tổ chức, cơ sở bố trí 01–02 người làm CTXH có phụ cấp hằng tháng tối thiểu "
            "bằng mức lương tối thiểu (hoặc lương cơ sở)",
            "Facilities assigning 1–2 CTXH staff with a monthly allowance at least the minimum (or base) wage",
            IndicatorUnit.PERCENT,
            "facilities with at least one CTXH staff member whose monthly allowance in force on the "
            f"date is at least the plan's wage: the regional minimum of the facility's region on "
            f"that date (Hải Dương) or the base wage (Bình Định). {STAFF}",
            "facilities active on the date (not archived, within their active dates); on the "
            "regional minimum, those whose region on the date is unknown are left out",
            "workforce /stats/facilities",
            "on the window's last day",
            False,
            f"{STAFF_EXCLUDED}; closed and archived facilities; on the regional minimum, a "
            "facility with neither an officer's override nor a region for its ward on the date "
            "(listed as unresolved, never guessed)",
            "in every report, against the plan's rate",
            ("by_kind_sector", "by_staff_count (0, 1, 2, 3+)", "by_position_kind"),
        ),
        Indicator(
            "I02",
            "2",
            "Tỷ lệ cán bộ, nhân viên, cộng tác viên CTXH được đào tạo, bồi dưỡng",
            "CTXH staff and collaborators trained or retrained",
            IndicatorUnit.PERCENT,
            "distinct CTXH staff on the date (in the target's facility group) who completed a "
            "course between the plan's first reporting day and the date",
            f"distinct CTXH staff on the date (in the target's facility group). {STAFF}",
            "workforce /stats/workers",
            "on the window's last day; training since the plan began",
            True,
            f"{STAFF_EXCLUDED}. A person with posts in both of Hải Dương's groups counts once in "
            "each group",
            "in every report, against the plan's rate",
            ("by_position_kind", *PEOPLE_PLACES, "volunteers"),
        ),
        Indicator(
            "I03A",
            "3a",
            "Tỷ lệ cơ sở trợ giúp xã hội thuộc ngành có cung cấp dịch vụ CTXH",
            "The sector's social assistance facilities providing CTXH services",
            IndicatorUnit.PERCENT,
            "the sector's social assistance facilities (under the state management of CTXH) "
            "active on the date that provide CTXH services",
            "the sector's social assistance facilities active on the date",
            "workforce /stats/facilities",
            "on the window's last day",
            False,
            "closed and archived facilities; facilities not of the sector",
            "in every report, against the plan's rate",
            tuple(FACILITY_PLACES),
        ),
        Indicator(
            "I03B",
            "3b",
            "Tỷ lệ cơ sở trợ giúp xã hội, y tế, giáo dục và cơ sở khác trong quy hoạch có cung cấp dịch vụ CTXH",
            "Planned social assistance, health, education and other facilities providing CTXH services",
            IndicatorUnit.PERCENT,
            "facilities in the network plan active on the date that provide CTXH services",
            "facilities in the network plan active on the date",
            "workforce /stats/facilities",
            "on the window's last day",
            False,
            "closed and archived facilities; facilities outside the network plan",
            "in every report, against the plan's rate",
            tuple(FACILITY_PLACES),
        ),
        Indicator(
            "I04",
            "4",
            "Tăng số người có hoàn cảnh khó khăn được tư vấn, hỗ trợ CTXH so với năm 2020",
            "Growth of people in difficult circumstances counselled or supported, versus 2020",
            IndicatorUnit.GROWTH_PERCENT,
            f"distinct people with at least one service in one reporting year; {SERVICES}. A "
            "report of more than a year compares its last full year and lists each year; a "
            "shorter window is compared as it is, and the report says so",
            "the 2020 baseline entered by the department (manual value people_supported, 2020)",
            "cases /stats/people-supported + manual value",
            "one reporting year (the window, or a multi-year window's last full year)",
            True,
            "services on archived cases; services dated after their case closed; archived "
            "people; a five-year count is never compared with the one-year baseline",
            "in a report of a full year; a shorter one only when it closes the plan, with a note",
            ("by_service_type", *PEOPLE_PLACES, "years"),
        ),
        Indicator(
            "I05",
            "5",
            "Tỷ lệ trẻ em thuộc sáu nhóm ưu tiên được trợ giúp và cung cấp dịch vụ CTXH từ nguồn lực xã hội hóa",
            "Priority children (six groups) served from socialised resources",
            IndicatorUnit.PERCENT,
            f"distinct children in the six groups with a service from socialised resources in "
            f"the window; {SERVICES}",
            "distinct children (under 16 on the window's last day) in any of the six groups, "
            "not archived; a child in two groups counts once",
            "cases /stats/priority-children",
            "over the window",
            True,
            "services on archived cases or dated after their case closed; services from the "
            "state budget or international funds (they show in served_any); archived people",
            "in every report, against the plan's rate",
            ("groups", *PEOPLE_PLACES),
        ),
        Indicator(
            "I06",
            "6",
            "Số người được đào tạo trình độ trung cấp, cao đẳng, đại học, sau đại học về CTXH",
            "People trained to a social work degree (intermediate to postgraduate)",
            IndicatorUnit.COUNT,
            "distinct people who completed a degree course (intermediate, college, university, "
            f"postgraduate) in the window; {TRAINED_STAFF}. A person with two degrees counts once",
            "—",
            "workforce /stats/training",
            "each reporting year (per-year targets) or since the plan began",
            True,
            "volunteers and people not yet in a CTXH staff post when they completed the course",
            PER_YEAR,
            tuple(PEOPLE_PLACES),
        ),
        Indicator(
            "I07",
            "7",
            "Số lượt đào tạo kỹ năng CTXH chuyên sâu",
            "In-depth skills training places",
            IndicatorUnit.COUNT,
            f"completed in-depth skills course participations (turns); {TRAINED_STAFF}",
            "—",
            "workforce /stats/training",
            "each reporting year (per-year targets) or since the plan began",
            True,
            "volunteers and people not yet in a CTXH staff post when they completed the course",
            PER_YEAR,
            tuple(PEOPLE_PLACES),
        ),
        Indicator(
            "I08",
            "8",
            "Số cán bộ y tế, lao động - xã hội tại cơ sở có cung cấp dịch vụ CTXH được đào tạo",
            "Health or social staff of service facilities trained",
            IndicatorUnit.COUNT,
            "distinct people who, on the day they completed a course in the window, held a "
            "staff post (full-time, part-time or collaborator; CTXH work or not, as the plan "
            "counts the facility's health and social staff) at a health or social facility "
            "(by kind or sector) providing CTXH services; counted whether or not still in post",
            "—",
            "workforce /stats/service-staff-trained",
            "each reporting year (per-year targets) or since the plan began",
            True,
            "volunteers; people who joined such a facility only after completing the course; "
            "posts at facilities that do not provide services or are neither health nor social",
            PER_YEAR,
            tuple(PEOPLE_PLACES),
        ),
        Indicator(
            "I09",
            "9",
            "Số lượt người được tập huấn kỹ năng CTXH",
            "Skills training turns",
            IndicatorUnit.COUNT,
            f"completed short skills course participations (turns); {TRAINED_STAFF}",
            "—",
            "workforce /stats/training",
            "each reporting year (per-year targets) or since the plan began",
            True,
            "volunteers and people not yet in a CTXH staff post when they completed the course",
            PER_YEAR,
            tuple(PEOPLE_PLACES),
        ),
        Indicator(
            "I10",
            "10",
            "Tỷ lệ cơ quan, đơn vị có ít nhất một người làm CTXH",
            "Agencies and units with at least one CTXH worker",
            IndicatorUnit.PERCENT,
            f"facilities active on the date with at least one CTXH staff member. {STAFF}",
            "facilities active on the date",
            "workforce /stats/facilities",
            "on the window's last day",
            False,
            f"{STAFF_EXCLUDED}: a facility with volunteers only is not staffed (volunteers_only); "
            "closed and archived facilities",
            "in every report, against the plan's rate",
            ("by_kind_sector", "by_staff_count (0, 1, 2, 3+)"),
        ),
        Indicator(
            "R01",
            "—",
            "Tỷ lệ chuyển gửi được cơ sở tiếp nhận chấp nhận",
            "Referrals accepted by the receiving facility",
            IndicatorUnit.PERCENT,
            "of the referrals made, those the receiving facility accepted",
            REFERRALS,
            "cases /stats/referrals",
            "over the window",
            True,
            REFERRALS_EXCLUDED,
            MONITORED,
            tuple(PEOPLE_PLACES),
            monitoring=True,
        ),
        Indicator(
            "R02",
            "—",
            "Tỷ lệ chuyển gửi được trả lời đúng hạn",
            "Referrals answered on time",
            IndicatorUnit.PERCENT,
            "of the referrals made, those accepted or rejected by their respond_by deadline",
            REFERRALS,
            "cases /stats/referrals",
            "over the window",
            True,
            REFERRALS_EXCLUDED,
            MONITORED,
            tuple(PEOPLE_PLACES),
            monitoring=True,
        ),
        Indicator(
            "R03",
            "—",
            "Tỷ lệ chuyển gửi quá hạn",
            "Referrals overdue",
            IndicatorUnit.PERCENT,
            "of the referrals made, those that missed a deadline: answered after respond_by, "
            "first contacted after first_contact_by, or still waiting past either when the "
            "report was computed (details.overdue_as_of)",
            REFERRALS,
            "cases /stats/referrals",
            "made over the window; overdue as of the report's computation",
            True,
            REFERRALS_EXCLUDED,
            MONITORED,
            tuple(PEOPLE_PLACES),
            monitoring=True,
        ),
    ]
}
MONITORED_INDICATORS = [code for code, indicator in CATALOGUE.items() if indicator.monitoring]
