"""Sign-in protections: a limit per account whatever the address, and sessions that end (kb/signin.py)."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from .support.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, *, password, address):
    return client.post(reverse("admin:login"), {"username": "test-editor", "password": password}, REMOTE_ADDR=address)


def guess_from_many_addresses(client, settings, count):
    """``count`` wrong passwords, each address staying under the per-address limit."""
    per_address = settings.AXES_FAILURE_LIMIT - 1
    for n in range(count):
        response = sign_in(client, password="wrong-password", address=f"2001:db8::{n // per_address + 1:x}")
    return response


def test_many_addresses_cannot_guess_one_accounts_password_without_end(client, settings, editor):
    settings.KB_ACCOUNT_FAILURE_LIMIT = 12
    # Twelve wrong passwords, from four addresses: none of them locked out on its own.
    guess_from_many_addresses(client, settings, 12)
    refused = sign_in(client, password="wrong-password", address="2001:db8::99")
    assert refused.status_code == 429
    assert "from more than one place" in refused.content.decode()
    # Now even the right password from a new address is refused, with the same page.
    refused = sign_in(client, password=PASSWORD, address="198.51.100.7")
    assert refused.status_code == 429
    assert "paused for one hour, from every computer" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_under_the_account_limit_the_right_password_still_works(client, settings, editor):
    settings.KB_ACCOUNT_FAILURE_LIMIT = 12
    guess_from_many_addresses(client, settings, 11)
    assert sign_in(client, password=PASSWORD, address="198.51.100.7").status_code == 302


def test_staff_unlock_an_account_with_one_command(client, settings, editor):
    settings.KB_ACCOUNT_FAILURE_LIMIT = 8
    guess_from_many_addresses(client, settings, 8)
    assert sign_in(client, password=PASSWORD, address="198.51.100.7").status_code == 429
    call_command("axes_reset_username", "test-editor", verbosity=0)
    assert sign_in(client, password=PASSWORD, address="198.51.100.7").status_code == 302


def test_old_failures_do_not_count_against_the_account(client, settings, editor):
    from axes.models import AccessAttempt

    settings.KB_ACCOUNT_FAILURE_LIMIT = 8
    guess_from_many_addresses(client, settings, 8)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(hours=2))
    assert sign_in(client, password=PASSWORD, address="198.51.100.7").status_code == 302


def _age_session(client, **fields):
    session = client.session
    for key, value in fields.items():
        session[key] = value.isoformat()
    session.save()


def test_an_idle_session_ends_with_a_message(client, editor, settings):
    client.force_login(editor)
    admin = reverse("admin:index")
    assert client.get(admin).status_code == 200
    idle = datetime.timedelta(hours=settings.KB_SESSION_IDLE_HOURS, minutes=1)
    _age_session(client, kb_last_seen_at=timezone.now() - idle)
    response = client.get(admin, follow=True)
    assert response.redirect_chain and reverse("admin:login") in response.redirect_chain[-1][0]
    assert "signed out after 8 hours without activity" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_activity_keeps_a_session_but_not_beyond_its_longest(client, editor, settings):
    client.force_login(editor)
    admin = reverse("admin:index")
    assert client.get(admin).status_code == 200
    # Active an hour ago: still signed in.
    _age_session(client, kb_last_seen_at=timezone.now() - datetime.timedelta(hours=1))
    assert client.get(admin).status_code == 200
    # Signed in 15 days ago, however active since: signed out.
    _age_session(client, kb_signed_in_at=timezone.now() - datetime.timedelta(days=settings.KB_SESSION_MAX_DAYS + 1))
    response = client.get(admin, follow=True)
    assert "a session lasts at most 14 days" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_public_pages_never_touch_the_session_of_an_anonymous_visitor(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
