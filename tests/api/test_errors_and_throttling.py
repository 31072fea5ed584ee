import pytest

from tests.api.conftest import url

pytestmark = pytest.mark.django_db


def test_every_error_has_the_same_shape(reporter_api, other_reporter_api, incident):
    responses = [
        reporter_api.post(url("incidents/"), {}, format="json"),  # 400
        reporter_api.post(url(f"incidents/{incident.number}/acknowledge/"), format="json"),  # 403
        other_reporter_api.get(url(f"incidents/{incident.number}/")),  # 404
        reporter_api.post(url(f"incidents/{incident.number}/close/"), format="json"),  # 409
        reporter_api.post(url("incidents/"), "x", content_type="text/csv"),  # 415
    ]
    assert [r.status_code for r in responses] == [400, 403, 404, 409, 415]
    for response in responses:
        body = response.json()
        assert body["status"] == response.status_code
        assert isinstance(body["code"], str) and body["message"]


def test_an_unknown_incident_number_is_404(responder_api):
    for number in ("INC9999999", "nonsense", "a" * 300):
        assert responder_api.get(url(f"incidents/{number}/")).status_code == 404


def test_requests_over_the_rate_are_429_with_retry_after(reporter_api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "3/minute"},
    }
    codes = [reporter_api.get(url("users/me/")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = reporter_api.get(url("users/me/"))
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) >= 1


def test_each_token_has_its_own_budget(client_for, reporter, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "2/minute"},
    }
    script, bot = client_for(reporter), client_for(reporter)
    assert [script.get(url("users/me/")).status_code for _ in range(3)] == [200, 200, 429]
    assert bot.get(url("users/me/")).status_code == 200
