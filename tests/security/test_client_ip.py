"""Which address login lockouts count against, behind the reverse proxy or not."""

from django.test import RequestFactory

from itsm.client_ip import client_ip


def _request(forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **extra)


def test_without_a_trusted_proxy_a_forwarded_header_is_not_believed(settings):
    settings.ITSM_TRUSTED_PROXIES = 0
    assert client_ip(_request("203.0.113.9")) == "10.0.0.2"


def test_behind_one_proxy_the_client_is_the_address_the_proxy_appended(settings):
    settings.ITSM_TRUSTED_PROXIES = 1
    assert client_ip(_request("198.51.100.1, 203.0.113.9")) == "203.0.113.9"


def test_a_header_shorter_than_the_proxy_chain_falls_back_to_the_connection(settings):
    settings.ITSM_TRUSTED_PROXIES = 2
    assert client_ip(_request("203.0.113.9")) == "10.0.0.2"
