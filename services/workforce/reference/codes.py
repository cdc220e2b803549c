"""The codes workforce records carry. Values are English snake_case; labels are data."""

# Kinds of facility, sectors and kinds of post are part of what reporting reads, so they are
# declared in contracts; workforce code imports them from here like its other codes.
from contracts.workforce_codes import FACILITY_KINDS as FACILITY_KINDS
from contracts.workforce_codes import POSITION_KINDS as POSITION_KINDS
from contracts.workforce_codes import SECTORS as SECTORS
from contracts.workforce_codes import FacilityKind as FacilityKind
from contracts.workforce_codes import PositionKind as PositionKind
from contracts.workforce_codes import Sector as Sector
from shared.labels import LabelledEnum, codes, labelled


class Ownership(LabelledEnum):
    PUBLIC = "public"
    PRIVATE = "private"


OWNERSHIPS = labelled(
    Ownership,
    (Ownership.PUBLIC, "Công lập", "Public"),
    (Ownership.PRIVATE, "Ngoài công lập", "Non-public"),
)


class Qualification(LabelledEnum):
    NONE = "none"
    INTERMEDIATE = "intermediate"
    COLLEGE = "college"
    UNIVERSITY = "university"
    MASTER = "master"
    DOCTORATE = "doctorate"


QUALIFICATIONS = labelled(
    Qualification,
    (Qualification.NONE, "Chưa qua đào tạo CTXH", "No social work qualification"),
    (Qualification.INTERMEDIATE, "Trung cấp", "Intermediate"),
    (Qualification.COLLEGE, "Cao đẳng", "College"),
    (Qualification.UNIVERSITY, "Đại học", "University"),
    (Qualification.MASTER, "Thạc sĩ", "Master"),
    (Qualification.DOCTORATE, "Tiến sĩ", "Doctorate"),
)


class ProfessionalTitle(LabelledEnum):
    # Circular 26/2022/TT-BLĐTBXH: social work civil-servant titles, grade I (highest) to IV.
    GRADE_I = "grade_i"
    GRADE_II = "grade_ii"
    GRADE_III = "grade_iii"
    GRADE_IV = "grade_iv"


PROFESSIONAL_TITLES = labelled(
    ProfessionalTitle,
    (ProfessionalTitle.GRADE_I, "Viên chức công tác xã hội hạng I", "Social worker, grade I"),
    (ProfessionalTitle.GRADE_II, "Viên chức công tác xã hội hạng II", "Social worker, grade II"),
    (ProfessionalTitle.GRADE_III, "Viên chức công tác xã hội hạng III", "Social worker, grade III"),
    (ProfessionalTitle.GRADE_IV, "Viên chức công tác xã hội hạng IV", "Social worker, grade IV"),
)


class WorkerStatus(LabelledEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"  # has left (nghỉ việc)
    RETIRED = "retired"


WORKER_STATUSES = labelled(
    WorkerStatus,
    (WorkerStatus.ACTIVE, "Đang làm việc", "Active"),
    (WorkerStatus.INACTIVE, "Đã nghỉ việc", "Has left"),
    (WorkerStatus.RETIRED, "Đã nghỉ hưu", "Retired"),
)


# CTXH staff for every target (Decision 112 and both plans: "chuyên trách, không chuyên trách
# hoặc cộng tác viên"); volunteers are counted apart and never as staff.
STAFF_POSITION_KINDS = (PositionKind.FULL_TIME, PositionKind.PART_TIME, PositionKind.COLLABORATOR)


class CourseKind(LabelledEnum):
    DEGREE_INTERMEDIATE = "degree_intermediate"
    DEGREE_COLLEGE = "degree_college"
    DEGREE_UNIVERSITY = "degree_university"
    DEGREE_POSTGRADUATE = "degree_postgraduate"
    IN_DEPTH_SKILLS = "in_depth_skills"
    SHORT_SKILLS = "short_skills"


COURSE_KINDS = labelled(
    CourseKind,
    (CourseKind.DEGREE_INTERMEDIATE, "Đào tạo trình độ trung cấp CTXH", "Intermediate degree"),
    (CourseKind.DEGREE_COLLEGE, "Đào tạo trình độ cao đẳng CTXH", "College degree"),
    (CourseKind.DEGREE_UNIVERSITY, "Đào tạo trình độ đại học CTXH", "University degree"),
    (CourseKind.DEGREE_POSTGRADUATE, "Đào tạo sau đại học CTXH", "Postgraduate degree"),
    (CourseKind.IN_DEPTH_SKILLS, "Đào tạo kỹ năng CTXH chuyên sâu", "In-depth skills training"),
    (CourseKind.SHORT_SKILLS, "Tập huấn kỹ năng CTXH", "Short skills training"),
)
DEGREE_COURSES = frozenset(k for k in CourseKind if k.value.startswith("degree_"))


class CourseFundingSource(LabelledEnum):
    STATE_BUDGET = "state_budget"
    SOCIALISED = "socialised"
    INTERNATIONAL = "international"
    SELF_FUNDED = "self_funded"
    OTHER = "other"


# Who paid for a course, as the plans fund CTXH training (Decision 112 and both plans, "Kinh
# phí thực hiện"): the state budget (its programmes and projects included), contributions of
# businesses, organisations and people at home or abroad, and other lawful sources; people
# studying for a degree often pay their own way.
COURSE_FUNDING_SOURCES = labelled(
    CourseFundingSource,
    (CourseFundingSource.STATE_BUDGET, "Ngân sách nhà nước", "State budget"),
    (CourseFundingSource.SOCIALISED, "Nguồn lực xã hội hóa", "Socialised resources"),
    (CourseFundingSource.INTERNATIONAL, "Tài trợ, viện trợ quốc tế", "International aid"),
    (CourseFundingSource.SELF_FUNDED, "Học viên tự chi trả", "Paid by the participants"),
    (CourseFundingSource.OTHER, "Nguồn hợp pháp khác", "Other lawful sources"),
)

CTXH_SERVICES = codes(
    ("counselling", "Tư vấn", "Counselling"),
    ("psychosocial_support", "Hỗ trợ tâm lý - xã hội", "Psychosocial support"),
    ("case_management", "Quản lý trường hợp", "Case management"),
    ("emergency_protection", "Bảo vệ khẩn cấp", "Emergency protection"),
    ("care_and_rehabilitation", "Chăm sóc, phục hồi chức năng", "Care and rehabilitation"),
    ("referral", "Kết nối, chuyển gửi dịch vụ", "Linking and referral"),
    ("family_support", "Hỗ trợ gia đình, cộng đồng", "Family and community support"),
    ("communication", "Truyền thông, nâng cao nhận thức", "Communication and awareness"),
)


class WageKind(LabelledEnum):
    BASE = "base"
    REGIONAL_MINIMUM = "regional_minimum"


WAGE_KINDS = labelled(
    WageKind,
    (WageKind.BASE, "Lương cơ sở", "Base wage"),
    (WageKind.REGIONAL_MINIMUM, "Lương tối thiểu vùng", "Regional minimum wage"),
)


class Finding(LabelledEnum):
    COMPLIANT = "compliant"
    MINOR_ISSUES = "minor_issues"
    VIOLATION = "violation"


FINDINGS = labelled(
    Finding,
    (Finding.COMPLIANT, "Đạt yêu cầu", "Compliant"),
    (Finding.MINOR_ISSUES, "Có thiếu sót nhỏ cần khắc phục", "Minor issues to correct"),
    (Finding.VIOLATION, "Có vi phạm", "Violation"),
)
