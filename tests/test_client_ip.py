"""The sign-in lock-out counts failures per user name and real client address."""

import pytest
from django.test import RequestFactory

from kb.client_ip import client_ip


@pytest.mark.parametrize(
    "proxies, remote, forwarded, expected",
    [
        (0, "10.0.0.5", "", "10.0.0.5"),
        (0, "10.0.0.5", "203.0.113.7", "10.0.0.5"),  # no proxy configured: the header is not trusted
        (1, "10.0.0.5", "203.0.113.7", "203.0.113.7"),
        (1, "10.0.0.5", "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # a client-written entry is ignored
        (2, "10.0.0.5", "198.51.100.1, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (2, "10.0.0.5", "203.0.113.7", "10.0.0.5"),  # fewer entries than proxies: fall back
        (1, "10.0.0.5", "not-an-address", "10.0.0.5"),
        (1, "10.0.0.5", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_behind_proxies(settings, proxies, remote, forwarded, expected):
    settings.KB_TRUSTED_PROXY_COUNT = proxies
    headers = {"REMOTE_ADDR": remote}
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/admin/login/", **headers)
    assert client_ip(request) == expected


def test_axes_uses_it(settings):
    from axes.helpers import get_client_ip_address

    settings.KB_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/admin/login/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert get_client_ip_address(request) == "203.0.113.7"
