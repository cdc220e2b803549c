"""Every error path answers RFC 9457 problem+json with a stable code and nothing internal."""

import httpx
from structlog.contextvars import merge_contextvars
from structlog.testing import capture_logs

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance", "code", "request_id"}


def _assert_problem(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body.keys() >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"urn:ctxh:problem:{code}"
    assert body["request_id"] == response.headers["x-request-id"]
    return body


async def test_unknown_route_is_404_problem(any_client: httpx.AsyncClient) -> None:
    body = _assert_problem(await any_client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert body["instance"] == "/api/v1/no-such-thing"


async def test_wrong_method_is_405_problem_with_allow(any_client: httpx.AsyncClient) -> None:
    response = await any_client.delete("/healthz")
    _assert_problem(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "GET"


async def test_malformed_json_is_422_problem(probe_client: httpx.AsyncClient) -> None:
    response = await probe_client.post(
        "/api/v1/things", content=b'{"name": ', headers={"content-type": "application/json"}
    )
    body = _assert_problem(response, 422, "validation_failed")
    assert body["errors"][0]["type"] == "json_invalid"


async def test_every_wrong_field_is_listed(probe_client: httpx.AsyncClient) -> None:
    response = await probe_client.post("/api/v1/things", json={"name": "", "count": -1, "extra": 1})
    body = _assert_problem(response, 422, "validation_failed")
    locations = sorted(tuple(error["loc"]) for error in body["errors"])
    assert locations == [("body", "count"), ("body", "name")]
    assert all({"loc", "msg", "type"} == error.keys() for error in body["errors"])


async def test_validation_errors_do_not_echo_input(probe_client: httpx.AsyncClient) -> None:
    response = await probe_client.post(
        "/api/v1/things", json={"name": "079301000123", "count": "x"}
    )
    assert "079301000123" not in response.text


async def test_internal_error_is_500_problem_that_reveals_nothing(
    probe_client: httpx.AsyncClient,
) -> None:
    with capture_logs(processors=[merge_contextvars]) as logs:
        response = await probe_client.get("/api/v1/boom", headers={"X-Request-ID": "req-boom-1"})
    body = _assert_problem(response, 500, "internal_error")
    assert body["request_id"] == "req-boom-1"
    assert "SELECT" not in response.text
    assert "hunter2" not in response.text
    logged = [entry for entry in logs if entry["event"] == "unhandled_error"]
    assert logged
    assert logged[0]["request_id"] == "req-boom-1"
    assert logged[0]["exc_info"] is True


async def test_request_id_is_generated_when_absent(any_client: httpx.AsyncClient) -> None:
    response = await any_client.get("/healthz")
    assert len(response.headers["x-request-id"]) == 32


async def test_unsafe_request_id_is_replaced(any_client: httpx.AsyncClient) -> None:
    response = await any_client.get("/healthz", headers={"X-Request-ID": "bad id <script>"})
    assert response.headers["x-request-id"] != "bad id <script>"


async def test_valid_request_passes_through(probe_client: httpx.AsyncClient) -> None:
    response = await probe_client.post("/api/v1/things", json={"name": "a", "count": 2})
    assert response.status_code == 200
    assert response.json() == {"name": "a", "count": 2}
