"""One request per operation of the three OpenAPI documents, aimed at the world's records.

`kind` says what an answer to a caller outside the records' unit may be:
- "one": a record of the unit, by id: 403 or 404;
- "list": a list or count: the unit's records must not be in it;
- "own": acts in the caller's own unit (or on shared reference data): nothing of the unit's
  records in the answer either.

A new operation without an entry here fails the matrix test.
"""

import csv
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shared.auth import Role
from tests.access.world import OTHER_WARD, WARD, World

Body = Callable[[World], Any]
FIRST_VERSION = {"If-Match": '"1"'}  # for records with no read of their own


@dataclass(frozen=True)
class Call:
    method: str
    path: str  # formatted with the world's ids
    kind: str
    json: Body | None = None
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    content: Body | None = None
    # Returns the sensitive part to a reader with sensitive:read and a purpose (a positive
    # control: the markers must then be there).
    shows_sensitive: bool = False
    # What an outside caller may get for a "one" call: a record named in the body is 422.
    outside: tuple[int, ...] = (403, 404)
    # Roles for which the unit does not bound this call (facilities register anyone).
    unbounded: frozenset[Role] = frozenset()
    # A change sends If-Match with the ETag read here just before (by the unit's officer, or
    # by the ministry for its own routes).
    etag_from: str | None = None
    etag_reader: Role = Role.PROVINCE_OFFICER


def _unique() -> str:
    return uuid.uuid4().hex[:8]


def _facilities_csv(_: World) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Mã cơ sở", "Tên cơ sở", "Loại hình", "Lĩnh vực", "Mã xã, phường"])
    writer.writerow([f"IMP-{_unique()}", "Cơ sở nhập", "school", "education", WARD])
    return buffer.getvalue().encode()


def _people_csv(_: World) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Họ và tên", "Giới tính", "Ngày sinh", "Mã xã, phường"])
    writer.writerow(["Đích Thị Nhập", "Nữ", "01/05/2016", WARD])
    return buffer.getvalue().encode()


def _workers_csv(_: World) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Họ và tên", "Giới tính", "Số CCCD"])
    writer.writerow(["Cán bộ Nhập", "Nam", f"0319{uuid.uuid4().int % 10**8:08d}"])
    return buffer.getvalue().encode()


# A job belongs to whoever started it: nobody else reads it, in the unit or not.
SOMEONE_ELSES_JOB = "/api/v1/import-jobs/" + str(uuid.UUID(int=7))

WINDOW = {"from": "2025-01-01", "to": "2025-12-31", "province": "31"}
STATS = {**WINDOW, "on": "2025-06-30"}


def webhook_calls(event_type: str, kind: str = "") -> dict[str, Call]:
    """The webhook routes of a service that writes events (shared.webhooks.router), by
    their operation ids with the service's `kind` in them. A subscription is its owner's:
    another caller's id answers 404, as a random one does."""
    calls = {
        "create_webhook_subscription": Call(
            "POST",
            "/api/v1/webhooks/subscriptions",
            "own",
            json=lambda w: {"url": "https://93.184.215.14/ctxh", "event_types": [event_type]},
        ),
        "list_webhook_subscriptions": Call("GET", "/api/v1/webhooks/subscriptions", "own"),
        "get_webhook_subscription": Call(
            "GET", f"/api/v1/webhooks/subscriptions/{uuid.uuid4()}", "own"
        ),
        "update_webhook_subscription": Call(
            "PATCH",
            f"/api/v1/webhooks/subscriptions/{uuid.uuid4()}",
            "own",
            json=lambda w: {"status": "paused"},
            headers=FIRST_VERSION,
        ),
        "archive_webhook_subscription": Call(
            "POST",
            f"/api/v1/webhooks/subscriptions/{uuid.uuid4()}/archive",
            "own",
            headers=FIRST_VERSION,
        ),
        "list_webhook_deliveries": Call(
            "GET", f"/api/v1/webhooks/subscriptions/{uuid.uuid4()}/deliveries", "own"
        ),
        "get_webhook_delivery": Call("GET", f"/api/v1/webhooks/deliveries/{uuid.uuid4()}", "own"),
        "redeliver_webhook": Call(
            "POST", f"/api/v1/webhooks/deliveries/{uuid.uuid4()}/redeliver", "own"
        ),
    }
    if not kind:
        return calls
    return {name.replace("webhook", f"{kind}_webhook", 1): call for name, call in calls.items()}


CASES: dict[str, Call] = {
    "healthz": Call("GET", "/healthz", "own"),
    "readyz": Call("GET", "/readyz", "own"),
    "metrics": Call("GET", "/metrics", "own"),
    "get_me": Call("GET", "/api/v1/me", "own"),
    "create_person": Call(
        "POST",
        "/api/v1/persons",
        "one",
        json=lambda w: {"full_name": f"Người {_unique()}", "sex": "male", "ward_code": WARD},
        unbounded=frozenset({Role.FACILITY_WORKER, Role.INTEGRATION}),
    ),
    "list_persons": Call("GET", "/api/v1/persons", "list"),
    "get_person": Call("GET", "/api/v1/persons/{person}", "one", shows_sensitive=True),
    "update_person": Call(
        "PATCH",
        "/api/v1/persons/{person}",
        "one",
        json=lambda w: {"address_line": f"Số {_unique()}"},
        etag_from="/api/v1/persons/{person}",
    ),
    "archive_person": Call(
        "POST", "/api/v1/persons/{moving}/archive", "one", etag_from="/api/v1/persons/{moving}"
    ),
    "get_person_history": Call(
        "GET", "/api/v1/persons/{person}/history", "one", shows_sensitive=True
    ),
    "get_person_access_log": Call("GET", "/api/v1/persons/{person}/access-log", "one"),
    "request_transfer": Call(
        "POST",
        "/api/v1/persons/{person}/transfers",
        "one",
        json=lambda w: {"ward_code": OTHER_WARD, "reason": "Chuyển nơi ở"},
    ),
    # Both provinces of a transfer see it: the other province is party to it, not outside.
    "list_transfers": Call("GET", "/api/v1/transfers", "own"),
    "get_transfer": Call("GET", "/api/v1/transfers/{transfer}", "own"),
    "step_transfer": Call(
        "POST",
        "/api/v1/transfers/{transfer}/transitions",
        "own",
        json=lambda w: {"status": "declined"},
        etag_from="/api/v1/transfers/{transfer}",
    ),
    "create_person_merge": Call(
        "POST",
        "/api/v1/person-merges",
        "one",
        json=lambda w: {"survivor_id": w["twin"], "merged_id": w["other_twin"]},
    ),
    "list_person_merges": Call("GET", "/api/v1/person-merges", "list"),
    "get_person_merge": Call("GET", "/api/v1/person-merges/{merge}", "one"),
    "unmerge_person_merge": Call(
        "POST",
        "/api/v1/person-merges/{merge}/unmerge",
        "one",
        etag_from="/api/v1/person-merges/{merge}",
    ),
    "scan_duplicates": Call("POST", "/api/v1/duplicates/scan", "own"),
    # The target's own data: a caller outside its unit must get no match back.
    "check_duplicates": Call(
        "POST",
        "/api/v1/duplicates/check",
        "own",
        json=lambda w: {
            "rows": [
                {
                    "full_name": "Đích Thị Mẫu",
                    "birth_date": "2016-05-01",
                    "ward_code": WARD,
                    "national_id": "031099000777",
                }
            ]
        },
    ),
    "list_duplicates": Call("GET", "/api/v1/duplicates", "list"),
    "start_people_import_job": Call(
        "POST",
        "/api/v1/import-jobs",
        "own",
        params={"kind": "people", "dry_run": "true"},
        headers={"Content-Type": "text/csv"},
        content=_people_csv,
    ),
    "get_people_import_job": Call("GET", SOMEONE_ELSES_JOB, "own"),
    "list_people_import_jobs": Call("GET", "/api/v1/import-jobs", "list"),
    "get_duplicate": Call("GET", "/api/v1/duplicates/{duplicate}", "one"),
    "dismiss_duplicate": Call(
        "POST",
        "/api/v1/duplicates/{duplicate}/dismiss",
        "one",
        json=lambda w: {"note": "Khác người"},
        etag_from="/api/v1/duplicates/{duplicate}",
    ),
    "create_case": Call(
        "POST",
        "/api/v1/cases",
        "one",
        json=lambda w: {"person_id": w["person"], "intake_source": "community"},
    ),
    "list_cases": Call("GET", "/api/v1/cases", "list"),
    "get_case": Call("GET", "/api/v1/cases/{case}", "one"),
    "update_case": Call(
        "PATCH",
        "/api/v1/cases/{case}",
        "one",
        json=lambda w: {"risk_level": "high"},
        etag_from="/api/v1/cases/{case}",
    ),
    "transition_case": Call(
        "POST",
        "/api/v1/cases/{case}/transitions",
        "one",
        json=lambda w: {"to_stage": "assessment"},
        etag_from="/api/v1/cases/{case}",
    ),
    "archive_case": Call(
        "POST", "/api/v1/cases/{case}/archive", "one", etag_from="/api/v1/cases/{case}"
    ),
    "get_case_history": Call("GET", "/api/v1/cases/{case}/history", "one"),
    "list_overdue": Call("GET", "/api/v1/overdue", "list"),
    "create_assessment": Call(
        "POST",
        "/api/v1/cases/{case}/assessments",
        "one",
        json=lambda w: {
            "kind": "detailed_needs",
            "assessed_on": "2024-06-05",
            "risk_level": "medium",
            "summary": "Đánh giá lại",
        },
    ),
    "list_assessments": Call(
        "GET", "/api/v1/cases/{case}/assessments", "one", shows_sensitive=True
    ),
    "create_support_plan": Call(
        "POST",
        "/api/v1/cases/{case}/plans",
        "one",
        json=lambda w: {"drafted_on": "2024-06-05", "goals": [{"description": "Khám sức khỏe"}]},
    ),
    "list_support_plans": Call("GET", "/api/v1/cases/{case}/plans", "one"),
    "approve_support_plan": Call(
        "POST",
        "/api/v1/cases/{case}/plans/{case_plan}/approval",
        "one",
        json=lambda w: {
            "approved_by": "Nguyễn Văn A",
            "approver_title": "Chủ tịch UBND phường",
            "approved_on": "2024-06-06",
        },
    ),
    "create_service_delivery": Call(
        "POST",
        "/api/v1/cases/{case}/services",
        "one",
        json=lambda w: {
            "service_type": "counselling",
            "funding_source": "state_budget",
            "delivered_on": "2025-04-01",
        },
    ),
    "list_service_deliveries": Call("GET", "/api/v1/cases/{case}/services", "one"),
    "create_follow_up": Call(
        "POST",
        "/api/v1/cases/{case}/follow-ups",
        "one",
        json=lambda w: {"start_date": "2025-01-01", "due_date": "2025-02-01"},
    ),
    "list_follow_ups": Call("GET", "/api/v1/cases/{case}/follow-ups", "one"),
    "complete_follow_up": Call(
        "PATCH",
        "/api/v1/cases/{case}/follow-ups/{follow_up}",
        "one",
        json=lambda w: {"done_date": "2024-06-20"},
        headers=FIRST_VERSION,
    ),
    "create_note": Call(
        "POST", "/api/v1/cases/{case}/notes", "one", json=lambda w: {"body": "Đã thăm nhà"}
    ),
    "list_notes": Call("GET", "/api/v1/cases/{case}/notes", "one", shows_sensitive=True),
    "create_consent": Call(
        "POST",
        "/api/v1/cases/{case}/consents",
        "one",
        json=lambda w: {"purpose": "services", "given_by": "both", "given_on": "2024-06-02"},
    ),
    "list_consents": Call("GET", "/api/v1/cases/{case}/consents", "one"),
    "withdraw_consent": Call(
        "POST",
        "/api/v1/cases/{case}/consents/{consent}/withdrawal",
        "one",
        json=lambda w: {"withdrawn_on": "2024-07-01"},
    ),
    "create_referral": Call(
        "POST",
        "/api/v1/cases/{case}/referrals",
        "one",
        json=lambda w: {
            "to_facility_id": w["referred_facility"],
            "reason": "Hỗ trợ học tập",
            "consent_confirmed": True,
        },
    ),
    "list_case_referrals": Call("GET", "/api/v1/cases/{case}/referrals", "one"),
    "list_referrals": Call("GET", "/api/v1/referrals", "list"),
    "list_overdue_referrals": Call("GET", "/api/v1/referrals/overdue", "list"),
    "get_referral": Call("GET", "/api/v1/referrals/{referral}", "one"),
    "step_referral": Call(
        "POST",
        "/api/v1/referrals/{referral}/transitions",
        "one",
        json=lambda w: {"status": "accepted"},
        etag_from="/api/v1/referrals/{referral}",
    ),
    "list_changes": Call("GET", "/api/v1/changes", "list"),
    "list_events": Call("GET", "/api/v1/events", "list"),
    # A conflict is its worker's own: nobody else's is found, whoever asks.
    "list_conflicts": Call("GET", "/api/v1/conflicts", "own"),
    "get_conflict": Call("GET", f"/api/v1/conflicts/{uuid.uuid4()}", "own"),
    "resolve_conflict": Call(
        "POST",
        f"/api/v1/conflicts/{uuid.uuid4()}/resolve",
        "own",
        json=lambda w: {"values": {"phone": "0912345678"}},
    ),
    "dismiss_conflict": Call("POST", f"/api/v1/conflicts/{uuid.uuid4()}/dismiss", "own"),
    # The batch answers 200 to everyone; an item on a record outside the caller's unit is
    # refused inside it, with nothing of the record.
    "sync_batch": Call(
        "POST",
        "/api/v1/sync/batch",
        "own",
        json=lambda w: {
            "items": [
                {
                    "ref": "a",
                    "op": "update_person",
                    "record_id": w["person"],
                    "if_match": '"1"',
                    "body": {"address_line": "Thôn Mới"},
                }
            ]
        },
        headers={"Idempotency-Key": f"matrix-{uuid.uuid4().hex}"},
    ),
    "get_inbox": Call("GET", "/api/v1/inbox", "list"),
    "mark_inbox_done": Call(
        "POST", "/api/v1/inbox/done", "own", json=lambda w: {"keys": ["plan_awaiting_approval:x"]}
    ),
    **webhook_calls("referral.made"),
    "get_priority_children": Call("GET", "/api/v1/stats/priority-children", "one", params=WINDOW),
    "count_people_by": Call(
        "GET", "/api/v1/stats/people", "one", params={**WINDOW, "group_by": "category"}
    ),
    "count_people_supported": Call("GET", "/api/v1/stats/people-supported", "one", params=WINDOW),
    "count_referrals": Call("GET", "/api/v1/stats/referrals", "one", params=WINDOW),
    "list_categories": Call("GET", "/api/v1/reference/categories", "own"),
    "list_service_types": Call("GET", "/api/v1/reference/service-types", "own"),
    "list_funding_sources": Call("GET", "/api/v1/reference/funding-sources", "own"),
    "list_stages": Call("GET", "/api/v1/reference/stages", "own"),
    "list_risk_levels": Call("GET", "/api/v1/reference/risk-levels", "own"),
    "list_intake_sources": Call("GET", "/api/v1/reference/intake-sources", "own"),
    "list_closure_reasons": Call("GET", "/api/v1/reference/closure-reasons", "own"),
    "list_provinces": Call("GET", "/api/v1/reference/provinces", "own"),
    "list_wards": Call("GET", "/api/v1/reference/provinces/31/wards", "own"),
}

WORKFORCE: dict[str, Call] = {
    "healthz": Call("GET", "/healthz", "own"),
    "readyz": Call("GET", "/readyz", "own"),
    "metrics": Call("GET", "/metrics", "own"),
    "get_me": Call("GET", "/api/v1/me", "own"),
    "create_facility": Call(
        "POST",
        "/api/v1/facilities",
        "one",
        json=lambda w: {
            "code": f"F-{_unique()}",
            "name": "Trường học",
            "kind": "school",
            "sector": "education",
            "ward_code": WARD,
        },
    ),
    "list_facilities": Call("GET", "/api/v1/facilities", "own"),
    "get_facility": Call("GET", "/api/v1/facilities/{facility}", "one"),
    "update_facility": Call(
        "PATCH",
        "/api/v1/facilities/{facility}",
        "one",
        json=lambda w: {"name": f"Trung tâm {_unique()}"},
        etag_from="/api/v1/facilities/{facility}",
    ),
    "archive_facility": Call(
        "POST",
        "/api/v1/facilities/{facility}/archive",
        "one",
        etag_from="/api/v1/facilities/{facility}",
    ),
    "get_facility_history": Call("GET", "/api/v1/facilities/{facility}/history", "one"),
    "create_worker": Call(
        "POST",
        "/api/v1/workers",
        "own",
        json=lambda w: {"full_name": f"Cán bộ {_unique()}", "sex": "male"},
    ),
    "list_workers": Call("GET", "/api/v1/workers", "list"),
    "get_worker": Call("GET", "/api/v1/workers/{worker}", "one"),
    "update_worker": Call(
        "PATCH",
        "/api/v1/workers/{worker}",
        "one",
        json=lambda w: {"phone": "0912345678"},
        etag_from="/api/v1/workers/{worker}",
    ),
    "archive_worker": Call(
        "POST", "/api/v1/workers/{worker}/archive", "one", etag_from="/api/v1/workers/{worker}"
    ),
    "get_worker_history": Call("GET", "/api/v1/workers/{worker}/history", "one"),
    "create_assignment": Call(
        "POST",
        "/api/v1/workers/{worker}/assignments",
        "one",
        json=lambda w: {
            "facility_id": w["facility"],
            "position_kind": "part_time",
            "start_date": "2023-01-01",
            "end_date": "2023-06-30",
        },
    ),
    "list_worker_assignments": Call("GET", "/api/v1/workers/{worker}/assignments", "one"),
    "list_facility_assignments": Call("GET", "/api/v1/facilities/{facility}/assignments", "one"),
    "get_assignment": Call("GET", "/api/v1/assignments/{assignment}", "one"),
    "end_assignment": Call(
        "PATCH",
        "/api/v1/assignments/{assignment}",
        "one",
        json=lambda w: {"end_date": "2025-12-31"},
        etag_from="/api/v1/assignments/{assignment}",
    ),
    "change_allowance": Call(
        "POST",
        "/api/v1/assignments/{assignment}/allowances",
        "one",
        json=lambda w: {"amount_vnd": 5_500_000, "start_date": "2025-01-01"},
    ),
    "create_course": Call(
        "POST",
        "/api/v1/courses",
        "own",
        json=lambda w: {
            "kind": "short_skills",
            "topic": "Kỹ năng",
            "organiser": "Sở",
            "start_date": "2025-05-01",
            "end_date": "2025-05-02",
        },
    ),
    "list_courses": Call("GET", "/api/v1/courses", "list"),
    "get_course": Call("GET", "/api/v1/courses/{course}", "one"),
    "add_participation": Call(
        "POST",
        "/api/v1/courses/{course}/participations",
        "one",
        json=lambda w: {"worker_id": w["worker"]},
    ),
    "list_course_participations": Call("GET", "/api/v1/courses/{course}/participations", "one"),
    "update_participation": Call(
        "PATCH",
        "/api/v1/participations/{participation}",
        "one",
        json=lambda w: {"certificate_no": f"CC-{_unique()}"},
        headers=FIRST_VERSION,
    ),
    "list_worker_participations": Call("GET", "/api/v1/workers/{worker}/participations", "one"),
    "create_supervision": Call(
        "POST",
        "/api/v1/supervisions",
        "one",
        json=lambda w: {"worker_id": w["worker"], "checked_on": "2025-05-05", "finding": "meets"},
        outside=(403, 404, 422),
    ),
    "list_supervisions": Call("GET", "/api/v1/supervisions", "list"),
    "list_wage_rates": Call("GET", "/api/v1/wage-rates", "own"),
    "create_wage_rate": Call(
        "POST",
        "/api/v1/wage-rates",
        "own",
        json=lambda w: {
            "kind": "base",
            "amount_vnd": 2_340_000 + int(_unique(), 16) % 1000,
            "effective_from": f"20{30 + int(_unique(), 16) % 60}-01-01",
        },
    ),
    "get_rates_in_force": Call(
        "GET", "/api/v1/wage-rates/in-force", "own", params={"on": "2025-01-01", "region": "1"}
    ),
    "list_ward_regions": Call("GET", "/api/v1/ward-wage-regions", "own", params={"ward": WARD}),
    "get_facility_region": Call(
        "GET", "/api/v1/facilities/{facility}/wage-region", "one", params={"on": "2025-01-01"}
    ),
    "import_sheet": Call(
        "POST",
        "/api/v1/imports/facilities",
        "own",
        params={"dry_run": "true"},
        headers={"Content-Type": "text/csv"},
        content=_facilities_csv,
    ),
    "export_sheet": Call("GET", "/api/v1/exports/workers", "list", params={"format": "csv"}),
    "start_sheet_import_job": Call(
        "POST",
        "/api/v1/import-jobs",
        "own",
        params={"kind": "workers", "dry_run": "true"},
        headers={"Content-Type": "text/csv"},
        content=_workers_csv,
    ),
    "get_sheet_import_job": Call("GET", SOMEONE_ELSES_JOB, "own"),
    "list_sheet_import_jobs": Call("GET", "/api/v1/import-jobs", "list"),
    "get_facility_stats": Call("GET", "/api/v1/stats/facilities", "one", params=STATS),
    "get_worker_stats": Call("GET", "/api/v1/stats/workers", "one", params=STATS),
    "get_training_stats": Call("GET", "/api/v1/stats/training", "one", params=WINDOW),
    "get_service_staff_trained": Call(
        "GET", "/api/v1/stats/service-staff-trained", "one", params=WINDOW
    ),
    "list_facility_kinds": Call("GET", "/api/v1/reference/facility-kinds", "own"),
    "list_sectors": Call("GET", "/api/v1/reference/sectors", "own"),
    "list_position_kinds": Call("GET", "/api/v1/reference/position-kinds", "own"),
    "list_qualifications": Call("GET", "/api/v1/reference/qualifications", "own"),
    "list_course_kinds": Call("GET", "/api/v1/reference/course-kinds", "own"),
    "list_ctxh_services": Call("GET", "/api/v1/reference/ctxh-services", "own"),
}

REPORTING: dict[str, Call] = {
    "healthz": Call("GET", "/healthz", "own"),
    "readyz": Call("GET", "/readyz", "own"),
    "metrics": Call("GET", "/metrics", "own"),
    "get_me": Call("GET", "/api/v1/me", "own"),
    "list_indicators": Call("GET", "/api/v1/indicators", "own"),
    "create_plan": Call(
        "POST",
        "/api/v1/plans",
        "one",
        json=lambda w: {
            "code": f"P-{_unique()}",
            "name_vi": "Kế hoạch thử",
            "name_en": "A trial plan",
            "level": "province",
            "territory": {"scheme": "2025", "code": "31"},
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "targets": [{"indicator": "I05", "value": 80}],
        },
    ),
    "list_plans": Call("GET", "/api/v1/plans", "own"),
    "get_plan": Call("GET", "/api/v1/plans/{plan}", "one"),
    "list_periods": Call("GET", "/api/v1/periods", "own", params={"year": "2025"}),
    "create_report": Call(
        "POST",
        "/api/v1/reports",
        "one",
        json=lambda w: {"plan_id": w["plan"], "period": "2025-01-01..2025-03-31"},
    ),
    "list_reports": Call("GET", "/api/v1/reports", "list"),
    "get_report": Call("GET", "/api/v1/reports/{report}", "one"),
    "recompute_report": Call(
        "POST",
        "/api/v1/reports/{report}/recomputation",
        "one",
        etag_from="/api/v1/reports/{report}",
    ),
    "submit_report": Call(
        "POST", "/api/v1/reports/{report}/submission", "one", etag_from="/api/v1/reports/{report}"
    ),
    "export_report": Call("GET", "/api/v1/reports/{report}/export", "one"),
    "get_report_history": Call("GET", "/api/v1/reports/{report}/history", "one"),
    "get_report_document": Call("GET", "/api/v1/reports/{report}/document", "one"),
    "get_report_annex": Call("GET", "/api/v1/reports/{report}/annex", "one"),
    "list_report_events": Call("GET", "/api/v1/events", "list"),
    **webhook_calls("report.submitted", "report"),
    "get_dashboard": Call(
        "GET", "/api/v1/plans/{plan}/dashboard", "one", params={"as_of": "2025-06-30"}
    ),
    "put_manual_value": Call(
        "PUT",
        "/api/v1/manual-values",
        "one",
        json=lambda w: {
            "territory_scheme": "legacy",
            "territory_code": "30",
            "metric": "workshops",
            "period_id": "2025",
            "value": 3,
        },
    ),
    "list_manual_values": Call(
        "GET",
        "/api/v1/manual-values",
        "one",
        params={"territory_scheme": "legacy", "territory_code": "30"},
    ),
    "create_agency": Call(
        "POST",
        "/api/v1/agencies",
        "own",
        json=lambda w: {"code": f"A-{_unique()}", "name_vi": "Sở Tư pháp", "kind": "department"},
    ),
    "list_agencies": Call("GET", "/api/v1/agencies", "list"),
    "get_agency": Call("GET", "/api/v1/agencies/{agency}", "one"),
    "request_contribution": Call(
        "POST",
        "/api/v1/contributions",
        "one",
        # The world's agency is asked already: the unit's officer gets 409, an outsider 404.
        json=lambda w: {
            "plan_id": w["plan"],
            "period": "2025",
            "agency_id": w["agency"],
            "due_date": "2025-11-20",
        },
    ),
    "remind_overdue_contributions": Call(
        "POST",
        "/api/v1/contribution-reminders",
        "list",
        json=lambda w: {"plan_id": w["plan"], "period": "2025"},
    ),
    "list_contributions": Call("GET", "/api/v1/contributions", "list"),
    "get_contribution": Call("GET", "/api/v1/contributions/{contribution}", "one"),
    "update_contribution": Call(
        "PATCH",
        "/api/v1/contributions/{contribution}",
        "one",
        json=lambda w: {"proposals_vi": "Bố trí thêm kinh phí truyền thông"},
        etag_from="/api/v1/contributions/{contribution}",
    ),
    "submit_contribution": Call(
        "POST",
        "/api/v1/contributions/{contribution}/submission",
        "one",
        etag_from="/api/v1/contributions/{contribution}",
    ),
    "review_contribution": Call(
        "POST",
        "/api/v1/contributions/{contribution}/review",
        "one",
        json=lambda w: {"decision": "returned", "note": "Bổ sung số liệu kinh phí"},
        etag_from="/api/v1/contributions/{contribution}",
    ),
    "get_contribution_history": Call("GET", "/api/v1/contributions/{contribution}/history", "one"),
    "list_indicator_values": Call("GET", "/api/v1/ministry/indicator-values", "own"),
    "get_data_value_set": Call("GET", "/api/v1/ministry/data-value-sets", "own"),
    "get_submitted_report": Call("GET", "/api/v1/ministry/reports/{submitted}", "own"),
    "list_submitted_reports": Call("GET", "/api/v1/ministry/reports", "own"),
    "review_report": Call(
        "POST",
        "/api/v1/ministry/reports/{submitted}/review",
        "own",
        json=lambda w: {"decision": "accepted"},
        etag_from="/api/v1/ministry/reports/{submitted}",
        etag_reader=Role.MINISTRY,
    ),
}

# The ministry's pulls, in each format: every one leaves the province.
MINISTRY_FORMATS = ("json", "csv", "dhis2")
