"""Manual figures: entered once, corrected only by someone who saw the figure replaced."""

import httpx

BASELINE = {
    "territory_scheme": "legacy",
    "territory_code": "30",
    "metric": "people_supported",
    "period_id": "2020",
    "value": 120,
}
URL = "/api/v1/manual-values"


async def test_correcting_a_figure_needs_the_etag_of_the_one_replaced(
    reporting_client: httpx.AsyncClient, officer_31: dict
) -> None:
    entered = await reporting_client.put(URL, json=BASELINE, headers=officer_31)
    assert entered.status_code == 200, entered.text
    assert entered.headers["ETag"] == '"1"'
    corrected = {**BASELINE, "value": 95}

    blind = await reporting_client.put(URL, json=corrected, headers=officer_31)
    assert blind.status_code == 428
    stale = await reporting_client.put(
        URL, json=corrected, headers={**officer_31, "If-Match": '"7"'}
    )
    assert stale.status_code == 412
    seen = await reporting_client.put(
        URL, json=corrected, headers={**officer_31, "If-Match": entered.headers["ETag"]}
    )
    assert seen.status_code == 200, seen.text
    assert (seen.json()["value"], seen.headers["ETag"]) == (95, '"2"')
    again = await reporting_client.put(
        URL, json={**BASELINE, "value": 1}, headers={**officer_31, "If-Match": '"1"'}
    )
    assert again.status_code == 412  # the first officer's ETag no longer names the figure


async def test_an_etag_for_a_figure_not_entered_yet_is_412(
    reporting_client: httpx.AsyncClient, officer_31: dict
) -> None:
    body = {**BASELINE, "metric": "workshops", "period_id": "2025"}
    response = await reporting_client.put(URL, json=body, headers={**officer_31, "If-Match": '"1"'})
    assert response.status_code == 412
