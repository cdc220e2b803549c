"""Importing department spreadsheets (dry run and all-or-nothing) and exporting them back."""

import asyncio
import csv
import functools
import io
import threading
import time
import uuid
import zipfile
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy.ext.asyncio import AsyncConnection

from services.workforce.facility.models import facility_t
from services.workforce.importing import router
from shared.sheets import cells, reader
from shared.sheets.cells import Column
from tests.workforce.factories import facility, worker

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FACILITY_HEADERS = [
    "Mã cơ sở",
    "Tên cơ sở",
    "Loại cơ sở",
    "Ngành, lĩnh vực",
    "Vùng lương (nếu khác vùng của xã)",
    "Mã xã, phường",
    "Cung cấp dịch vụ CTXH",
    "Hoạt động từ ngày",
    "Lý do vùng khác",
]


def workbook(headers: list[str], rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD = [
    [
        "HD-01",
        "Trung tâm CTXH Hải Dương",
        "Cơ sở trợ giúp xã hội",
        "Bảo trợ xã hội, công tác xã hội",
        "II",
        "10525",
        "Có",
        "01/01/2020",
        "Trụ sở ở khu công nghiệp",
    ],
    [
        "HD-02",
        "UBND phường Thành Đông",
        "commune_committee",
        "local_government",
        None,
        "10507",
        "không",
        None,
        None,
    ],
]


async def _import(
    client: httpx.AsyncClient,
    headers: dict,
    content: bytes,
    dry_run: bool,
    kind: str = "facilities",
    media_type: str = XLSX,
) -> httpx.Response:
    return await client.post(
        f"/api/v1/imports/{kind}",
        content=content,
        params={"dry_run": dry_run},
        headers={**headers, "Content-Type": media_type},
    )


async def test_dry_run_reports_every_bad_row_and_writes_nothing(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    await facility(workforce_client, officer, code="HD-EXISTS")
    bad = GOOD + [
        ["HD-03", "Sai loại", "tàu vũ trụ", "health", "V", "10525", "có lẽ", "32/13/2020", "x"],
        ["HD-01", "Trùng mã", "school", "education", "", "99999", "", "", ""],
        ["HD-EXISTS", "Đã có", "school", "education", "", "10525", "", "", ""],
    ]
    response = await _import(
        workforce_client, officer, workbook(FACILITY_HEADERS, bad), dry_run=True
    )
    assert response.status_code == 200
    report = response.json()
    assert report["rows"] == 5
    assert report["written"] == 0
    problems = {(e["row"], e["column"]) for e in report["errors"]}
    assert {
        (4, "Loại cơ sở"),
        (4, "Vùng lương (nếu khác vùng của xã)"),
        (4, "Cung cấp dịch vụ CTXH"),
        (4, "Hoạt động từ ngày"),
        (5, "Mã xã, phường"),
        (5, "Mã cơ sở"),
        (6, "Mã cơ sở"),
    } <= problems
    assert not {row for row, _ in problems} & {2, 3}
    listed = await workforce_client.get("/api/v1/facilities", headers=officer)
    assert [f["code"] for f in listed.json()["items"]] == ["HD-EXISTS"]


async def test_real_run_with_one_bad_row_writes_nothing(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    rows = GOOD + [["HD-09", "Sai", "school", "education", "", "99999", "", "", ""]]
    response = await _import(
        workforce_client, officer, workbook(FACILITY_HEADERS, rows), dry_run=False
    )
    assert response.status_code == 422
    assert response.json()["code"] == "import_rejected"
    assert response.json()["errors"][0]["loc"] == ["file", 4, "Mã xã, phường"]
    listed = await workforce_client.get("/api/v1/facilities", headers=officer)
    assert listed.json()["items"] == []


async def test_real_run_writes_every_row_and_export_reads_back(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    response = await _import(
        workforce_client, officer, workbook(FACILITY_HEADERS, GOOD), dry_run=False
    )
    assert response.status_code == 200
    assert response.json()["written"] == 2
    exported = await workforce_client.get("/api/v1/exports/facilities", headers=officer)
    assert exported.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(exported.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("Mã cơ sở", "Tên cơ sở", "Loại cơ sở")
    assert [row[0] for row in values[1:]] == ["HD-01", "HD-02"]
    assert values[1][2] == "Cơ sở trợ giúp xã hội"
    again = await _import(workforce_client, officer, exported.content, dry_run=True)
    assert {e["reason"] for e in again.json()["errors"]} == {
        "code HD-01 is already registered",
        "code HD-02 is already registered",
    }


async def test_an_export_is_plain_bytes_for_a_client_that_asks_for_them(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    """Generated clients read application/octet-stream as bytes, whatever the file is."""
    await _import(workforce_client, officer, workbook(FACILITY_HEADERS, GOOD), dry_run=False)
    own = await workforce_client.get("/api/v1/exports/facilities", headers=officer)
    plain = await workforce_client.get(
        "/api/v1/exports/facilities", headers={**officer, "Accept": "application/octet-stream"}
    )
    either = await workforce_client.get(
        "/api/v1/exports/facilities", headers={**officer, "Accept": f"{XLSX}, */*"}
    )
    assert own.headers["content-type"] == XLSX
    assert plain.headers["content-type"] == "application/octet-stream"
    assert either.headers["content-type"] == XLSX
    assert plain.headers["content-disposition"] == own.headers["content-disposition"]
    rows = [list(load_workbook(io.BytesIO(r.content)).active.values) for r in (own, plain)]
    assert rows[0] == rows[1]


async def test_wrong_headers_are_reported_not_a_500(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    content = workbook(["Mã cơ sở", "Tên", "Cột lạ"], [["X", "Y", "Z"]])
    report = (await _import(workforce_client, officer, content, dry_run=True)).json()
    reasons = {(e["column"], e["reason"]) for e in report["errors"]}
    assert ("Cột lạ", "unknown column") in reasons
    assert ("Tên cơ sở", "required column is missing") in reasons


async def test_unreadable_and_oversized_files_get_clear_answers(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    garbage = await _import(workforce_client, officer, b"PK\x03\x04 not really a zip", dry_run=True)
    assert garbage.status_code == 200
    assert "not a readable" in garbage.json()["errors"][0]["reason"]
    wrong_type = await _import(
        workforce_client, officer, b"{}", dry_run=True, media_type="application/json"
    )
    assert wrong_type.status_code == 415
    huge = await _import(
        workforce_client, officer, b"a" * (5 * 1024 * 1024 + 1), dry_run=True, media_type="text/csv"
    )
    assert huge.status_code == 413


async def test_a_form_s_file_imports_like_the_file_sent_alone(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    """Generated clients send files as multipart forms; a form's file is read by its own
    media type or, labelled application/octet-stream, by its name."""
    content = workbook(FACILITY_HEADERS, GOOD)
    for name, media_type in [("co-so.xlsx", XLSX), ("co-so.xlsx", "application/octet-stream")]:
        response = await workforce_client.post(
            "/api/v1/imports/facilities",
            params={"dry_run": True},
            headers=officer,
            files={"file": (name, content, media_type)},
        )
        assert response.status_code == 200, response.text
        assert (response.json()["rows"], response.json()["errors"]) == (2, [])
    written = await workforce_client.post(
        "/api/v1/imports/workers",
        headers=officer,
        files={"file": ("nhan-vien.csv", WORKER_HEADER.encode(), "text/csv")},
    )
    assert (written.status_code, written.json()["rows"]) == (200, 0)


async def test_a_form_without_a_spreadsheet_gets_a_clear_answer(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    async def send(**form: Any) -> httpx.Response:
        return await workforce_client.post(
            "/api/v1/imports/facilities", params={"dry_run": True}, headers=officer, **form
        )

    no_file = await send(files={"other": ("x.csv", b"a", "text/csv")})
    assert (no_file.status_code, no_file.json()["errors"][0]["loc"]) == (422, ["body", "file"])
    two_files = await send(
        files=[("file", ("a.csv", b"a", "text/csv")), ("file", ("b.csv", b"b", "text/csv"))]
    )
    assert two_files.status_code == 422
    a_picture = await send(files={"file": ("anh.png", b"\x89PNG", "image/png")})
    assert a_picture.status_code == 415
    huge = await send(files={"file": ("big.csv", b"a" * (5 * 1024 * 1024 + 1), "text/csv")})
    assert huge.status_code == 413


WORKER_HEADER = (
    "Họ và tên,Giới tính,Số CCCD,Trình độ CTXH,Mã cơ sở,Vị trí,Từ ngày,Phụ cấp hằng tháng (đồng)\n"
)
AN_FULL_TIME = "Nguyễn Văn An,Nam,030190000011,Đại học,CTXH-01,Chuyên trách,01/01/2024,2.500.000\n"
AN_OVERLAP = "Nguyễn Văn An,Nam,030190000011,Đại học,CTXH-01,Cộng tác viên,01/06/2024,500000\n"
BINH = "Lê Thị Bình,Nữ,030190000012,Trung cấp,CTXH-01,Cộng tác viên,01/02/2024,\n"


async def test_workers_with_assignments_import_from_csv(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    await facility(workforce_client, officer, code="CTXH-01")
    overlapping = (WORKER_HEADER + AN_FULL_TIME + AN_OVERLAP + BINH).encode()
    dry = await _import(
        workforce_client, officer, overlapping, dry_run=True, kind="workers", media_type="text/csv"
    )
    assert [(e["row"], e["column"]) for e in dry.json()["errors"]] == [(3, "Từ ngày")]
    clean = (WORKER_HEADER + AN_FULL_TIME + BINH).encode()
    written = await _import(
        workforce_client, officer, clean, dry_run=False, kind="workers", media_type="text/csv"
    )
    assert written.status_code == 200, written.text
    assert written.json()["written"] == 2
    listed = (await workforce_client.get("/api/v1/workers", headers=officer)).json()["items"]
    assert sorted(w["full_name"] for w in listed) == ["Lê Thị Bình", "Nguyễn Văn An"]
    an = next(w for w in listed if w["full_name"] == "Nguyễn Văn An")
    positions = await workforce_client.get(
        f"/api/v1/workers/{an['id']}/assignments", headers=officer
    )
    assert positions.json()["items"][0]["allowances"][0]["amount_vnd"] == 2_500_000


async def test_participations_import_creates_the_course_once(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    for i in (1, 2):
        await workforce_client.post(
            "/api/v1/workers",
            headers=officer,
            json={"full_name": f"Học viên {i}", "sex": "female", "national_id": f"03019000010{i}"},
        )
    headers = [
        "Mã khóa học",
        "Loại khóa học",
        "Chủ đề",
        "Đơn vị tổ chức",
        "Ngày bắt đầu",
        "Ngày kết thúc",
        "Số CCCD học viên",
        "Hoàn thành",
    ]
    course = [
        "TH-25-01",
        "Tập huấn kỹ năng CTXH",
        "Kỹ năng tư vấn",
        "Sở Y tế",
        "01/03/2025",
        "03/03/2025",
    ]
    rows = [course + ["030190000101", "Có"], course + ["030190000102", "Không"]]
    response = await _import(
        workforce_client, officer, workbook(headers, rows), dry_run=False, kind="participations"
    )
    assert response.status_code == 200, response.text
    assert response.json()["written"] == 2
    courses = (await workforce_client.get("/api/v1/courses", headers=officer)).json()["items"]
    assert [c["code"] for c in courses] == ["TH-25-01"]
    people = await workforce_client.get(
        f"/api/v1/courses/{courses[0]['id']}/participations", headers=officer
    )
    assert sorted(p["completed"] for p in people.json()["items"]) == [False, True]


async def _stored_name(client: httpx.AsyncClient, facility_id: str, name: str) -> None:
    """A name stored before the API refused control characters (data from older imports)."""
    session: AsyncConnection = client.session  # type: ignore[attr-defined]
    await session.execute(
        facility_t.update().where(facility_t.c.id == uuid.UUID(facility_id)).values(name=name)
    )


async def test_export_survives_control_characters_in_names(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    made = await facility(workforce_client, officer, code="CTRL-1", name="Trung tâm")
    await _stored_name(workforce_client, made["id"], "Trung tâm\x01\x02 CTXH")
    exported = await workforce_client.get("/api/v1/exports/facilities", headers=officer)
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(exported.content)).active
    assert list(sheet.iter_rows(values_only=True))[1][1] == "Trung tâm CTXH"


LINK = '=HYPERLINK("http://x","y")'
FORMULA = "starts with a formula character"


def csv_file(headers: list[str], rows: list[list]) -> bytes:
    """CSV, not XLSX: openpyxl would store "=..." as a formula, and import reads none back."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([headers, *rows])
    return buffer.getvalue().encode()


@pytest.mark.parametrize(
    ("cell", "parser", "expected"),
    [
        ("+84 912 345 678", cells.digits_text, "+84912345678"),
        ("0912.345.678", cells.digits_text, "0912345678"),
        ("'+84912345678", cells.digits_text, "+84912345678"),  # as export writes it
        ("-5", cells.whole_number, -5),
        ("-2.500.000", cells.whole_number, -2_500_000),
        ("Trung tâm = CTXH", cells.text, "Trung tâm = CTXH"),
        (-5, cells.text, "-5"),
    ],
)
def test_phones_and_signed_numbers_still_read(
    cell: object, parser: cells.Parser, expected: object
) -> None:
    assert parser(cell) == expected


@pytest.mark.parametrize(
    "cell", [LINK, "'" + LINK, "@SUM(A1)", "\tAn", "\r\nAn", "+cmd", "-1+2", "-x", "  =1"]
)
def test_formula_looking_text_is_refused(cell: str) -> None:
    with pytest.raises(ValueError, match=FORMULA):
        cells.text(cell)
    with pytest.raises(ValueError, match=FORMULA):
        cells.digits_text(cell)


@pytest.mark.parametrize("cell", ["-", " -- "])
def test_a_dash_left_for_nothing_reads_as_empty(cell: str) -> None:
    assert cells.text(cell) is None


async def test_import_refuses_formula_looking_cells_by_row_and_column(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    rows = [
        ["HD-03", LINK, "school", "education", "", "10525", "", "", ""],
        ["HD-04", "Trường", "school", "education", "", "10525", "", "", "@SUM(A1:A9)"],
        ["-1+2", "Trường", "school", "education", "", "10525", "", "", ""],
        ["HD-06", "Trường", "school", "education", "", "+10525", "", "", ""],
    ]
    content = csv_file(FACILITY_HEADERS, GOOD + rows)
    response = await _import(
        workforce_client, officer, content, dry_run=True, media_type="text/csv"
    )
    assert response.status_code == 200
    errors = {(e["row"], e["column"], e["reason"]) for e in response.json()["errors"]}
    assert {
        (4, "Tên cơ sở", FORMULA),
        (5, "Lý do vùng khác", FORMULA),
        (6, "Mã cơ sở", FORMULA),
    } <= errors
    assert {row for row, _, reason in errors if reason == FORMULA} == {4, 5, 6}
    assert {row for row, _, _ in errors} == {4, 5, 6, 7}  # "+10525" is a number: no ward


async def test_export_writes_a_formula_looking_name_as_inert_text(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    await facility(workforce_client, officer, code="INJ-1", name=LINK)
    made = await facility(workforce_client, officer, code="INJ-2", name="Tên")
    await _stored_name(workforce_client, made["id"], "\x01=1+1")
    as_csv = await workforce_client.get(
        "/api/v1/exports/facilities", params={"format": "csv"}, headers=officer
    )
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    # CSV keeps the control character, so the text does not start like a formula.
    assert [row[1] for row in rows[1:]] == ["'" + LINK, "\x01=1+1"]
    as_xlsx = await workforce_client.get("/api/v1/exports/facilities", headers=officer)
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    names = [sheet.cell(row=row, column=2) for row in (2, 3)]
    assert [(c.value, c.data_type) for c in names] == [("'" + LINK, "s"), ("'=1+1", "s")]


async def test_exported_phone_behind_a_quote_imports_back(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    await worker(workforce_client, officer, national_id="030190000077", phone="+84912345678")
    exported = await workforce_client.get(
        "/api/v1/exports/workers", params={"format": "csv"}, headers=officer
    )
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0]["Điện thoại"] == "'+84912345678"
    again = await _import(
        workforce_client,
        officer,
        exported.content,
        dry_run=True,
        kind="workers",
        media_type="text/csv",
    )
    # Only the duplicate is reported: the phone read back as "+84912345678", a valid phone.
    assert [(e["column"], e["reason"]) for e in again.json()["errors"]] == [
        ("Số CCCD", "a worker with this ID is already registered")
    ]


TOO_MANY = "more than 5000 rows; at most 5000"
MB = 1024 * 1024


def _rezipped(content: bytes, change: dict[str, Callable[[bytes], bytes]]) -> bytes:
    """The same XLSX with some parts' bytes changed by the given functions."""
    with zipfile.ZipFile(io.BytesIO(content)) as original:
        parts = {name: original.read(name) for name in original.namelist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as changed:
        for name, data in parts.items():
            changed.writestr(name, change[name](data) if name in change else data)
    return out.getvalue()


@functools.cache
def tall_workbook(rows: int) -> bytes:
    """FACILITY_HEADERS over `rows` rows of one number each; 600,000 rows make the tester's
    4.5 MB file. openpyxl's write-only mode writes about 70,000 rows a second, too slow for
    600,000 in a test: it writes the workbook with the header and one row, and the other rows
    are the XML it wrote for that one, numbered on."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("facilities")
    sheet.append(FACILITY_HEADERS)
    sheet.append([2])
    buffer = io.BytesIO()
    book.save(buffer)
    one = b'<row r="2"><c r="A2" t="n"><v>2</v></c></row>'
    more = b"".join(
        b'<row r="%d"><c r="A%d" t="n"><v>%d</v></c></row>' % (n, n, n) for n in range(3, rows + 2)
    )

    def lengthen(part: bytes) -> bytes:
        assert one in part
        return part.replace(one, one + more)

    return _rezipped(buffer.getvalue(), {"xl/worksheets/sheet1.xml": lengthen})


@pytest.mark.once  # reading a workbook does not touch the database
async def test_a_600000_row_workbook_is_refused_without_reading_it_all(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    content = tall_workbook(600_000)
    assert len(content) < 5 * MB  # within the upload limit, as the tester's file was
    started = time.perf_counter()
    dry = await _import(workforce_client, officer, content, dry_run=True)
    real = await _import(workforce_client, officer, content, dry_run=False)
    elapsed = time.perf_counter() - started
    assert dry.status_code == 200
    assert dry.json()["rows"] == 0
    assert dry.json()["errors"] == [{"row": 0, "column": None, "reason": TOO_MANY}]
    assert real.status_code == 422
    assert real.json()["code"] == "import_rejected"
    assert [(e["loc"], e["msg"]) for e in real.json()["errors"]] == [(["file", 0, ""], TOO_MANY)]
    # Both, in a worker thread: openpyxl still scans a sheet to size it as it opens it, but
    # no row past the limit is kept. Reading every row took about 15 s a request, on the loop.
    assert elapsed < 20


@pytest.mark.once  # reading a workbook does not touch the database
async def test_other_requests_are_answered_while_a_workbook_is_read(
    workforce_client: httpx.AsyncClient, officer: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reading waits in its thread until /healthz has answered; were it on the event loop,
    the health check could not even start, and the wait would run out."""
    reading, answered = threading.Event(), threading.Event()
    waits: list[bool] = []

    def held_read(*args: Any) -> reader.Sheet:
        reading.set()
        waits.append(answered.wait(timeout=5))
        return reader.read_sheet(*args)

    monkeypatch.setattr(router, "read_sheet", held_read)

    async def health_while_reading() -> tuple[httpx.Response, float]:
        assert await asyncio.to_thread(reading.wait, 5)
        started = time.perf_counter()
        response = await workforce_client.get("/healthz")
        elapsed = time.perf_counter() - started
        answered.set()
        return response, elapsed

    imported, (health, elapsed) = await asyncio.gather(
        _import(workforce_client, officer, tall_workbook(600_000), dry_run=True),
        health_while_reading(),
    )
    assert waits == [True]
    assert health.status_code == 200
    assert elapsed < 1
    assert imported.json()["errors"] == [{"row": 0, "column": None, "reason": TOO_MANY}]


async def test_a_csv_past_the_limit_is_refused_without_reading_the_rest(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    header = ",".join(FACILITY_HEADERS) + "\n"
    # A field the csv module refuses to read: the import fails on it wherever it is read.
    unreadable = "x" * (csv.field_size_limit() + 1) + "\n"
    short = (header + "HD-01\n" + unreadable).encode()
    refused = await _import(workforce_client, officer, short, dry_run=True, media_type="text/csv")
    assert "not a readable" in refused.json()["errors"][0]["reason"]
    tall = (header + "".join(f"{n}\n" for n in range(600_000)) + unreadable).encode()
    assert len(tall) < 5 * MB
    started = time.perf_counter()
    response = await _import(workforce_client, officer, tall, dry_run=True, media_type="text/csv")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert response.json()["errors"] == [{"row": 0, "column": None, "reason": TOO_MANY}]
    assert elapsed < 3


CODE_ONLY = [Column("code", "Mã cơ sở")]


def test_the_limit_counts_rows_with_something_in_them() -> None:
    # Every other line is blank: not counted, but counted in the row numbers errors give.
    rows = "".join(f"HD-{n},\n,\n" for n in range(reader.MAX_ROWS))
    full = reader.read_sheet(f"Mã cơ sở,\n{rows}".encode(), "text/csv", CODE_ONLY)
    assert full.errors == []
    assert len(full.rows) == reader.MAX_ROWS
    assert full.rows[-1] == (2 * reader.MAX_ROWS, {"code": f"HD-{reader.MAX_ROWS - 1}"})
    over = reader.read_sheet(f"Mã cơ sở,\n{rows}HD-X,\n".encode(), "text/csv", CODE_ONLY)
    assert over.rows == []
    assert [e.reason for e in over.errors] == [TOO_MANY]


@pytest.mark.once  # reading a workbook does not touch the database
def test_the_workbook_is_closed_when_reading_stops_early(monkeypatch: pytest.MonkeyPatch) -> None:
    closed: list[bool] = []
    load = reader.load_workbook

    def noting_load(*args: Any, **kwargs: Any) -> Any:
        book = load(*args, **kwargs)
        close = book.close

        def noting_close() -> None:
            closed.append(True)
            close()

        book.close = noting_close
        return book

    monkeypatch.setattr(reader, "load_workbook", noting_load)
    sheet = reader.read_sheet(tall_workbook(600_000), XLSX, CODE_ONLY)
    assert [e.reason for e in sheet.errors] == [TOO_MANY]
    assert closed == [True]


async def test_a_workbook_that_unpacks_past_100_mb_is_refused_unopened(
    workforce_client: httpx.AsyncClient, officer: dict
) -> None:
    """The styles are read whole as the workbook opens, so a bomb there would be unpacked whole."""

    def padded(part: bytes) -> bytes:
        return part + b" " * (101 * MB)  # space after the root element: still well-formed

    bomb = _rezipped(workbook(FACILITY_HEADERS, GOOD), {"xl/styles.xml": padded})
    assert len(bomb) < MB
    started = time.perf_counter()
    dry = await _import(workforce_client, officer, bomb, dry_run=True)
    real = await _import(workforce_client, officer, bomb, dry_run=False)
    elapsed = time.perf_counter() - started
    reason = "the workbook unpacks to 101 MB; at most 100 MB"
    assert dry.json()["errors"] == [{"row": 0, "column": None, "reason": reason}]
    assert real.status_code == 422
    assert real.json()["errors"][0]["msg"] == reason
    assert elapsed < 1
