"""Editors sign in to the admin only as staff, are locked out after repeated failures, and their
sessions end when idle or on logout (issue 14, "Editors"; 等级保护 2.0 level 2, identity).
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-curators-passphrase-7"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("curator", "curator@example.org", PASSWORD, is_staff=True)


def sign_in(client, username, password, address="203.0.113.1"):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address
    )


def signed_in(client, address="203.0.113.1") -> bool:
    return client.get("/admin/", REMOTE_ADDR=address).status_code == 200


# ---------------------------------------------------------------- signing in


def test_a_staff_editor_signs_in_with_the_right_password(client, editor):
    assert sign_in(client, "curator", PASSWORD).status_code == 302
    assert signed_in(client)


def test_a_few_mistakes_do_not_lock_an_editor_out(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "curator", "wrong")
    sign_in(client, "curator", PASSWORD)
    assert signed_in(client)


def test_thirty_wrong_passwords_then_the_right_one_does_not_sign_in(client, editor):
    for _ in range(30):
        sign_in(client, "curator", "wrong-password")
    response = sign_in(client, "curator", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)


def test_the_lock_out_page_says_why_in_chinese(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "curator", "wrong-password")
    page = sign_in(client, "curator", PASSWORD).content.decode()
    assert "登录失败次数过多" in page and "<html" in page


def test_an_account_is_locked_whatever_address_the_attempts_come_from(client, editor):
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "curator", "wrong-password", address=f"198.51.100.{i}")
    sign_in(client, "curator", PASSWORD, address="192.0.2.200")
    assert not signed_in(client, address="192.0.2.200")


def test_an_address_is_locked_whatever_accounts_it_tries(client, editor):
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), f"guess-{i}", "wrong-password", address="198.51.100.77")
    sign_in(client, "curator", PASSWORD, address="198.51.100.77")
    assert not signed_in(client, address="198.51.100.77")


def test_a_forged_forwarded_for_does_not_escape_the_address_lock(client, editor):
    for i in range(settings.AXES_FAILURE_LIMIT):
        Client().post(
            "/admin/login/", {"username": f"guess-{i}", "password": "x"}, REMOTE_ADDR="198.51.100.88", HTTP_X_FORWARDED_FOR=f"10.9.9.{i}"
        )
    client.post("/admin/login/", {"username": "curator", "password": PASSWORD}, REMOTE_ADDR="198.51.100.88", HTTP_X_FORWARDED_FOR="10.9.9.200")
    assert not signed_in(client, address="198.51.100.88")


def test_the_lock_ends_after_the_cool_off(client, editor):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "curator", "wrong-password")
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
    sign_in(client, "curator", PASSWORD)
    assert signed_in(client)


def test_an_account_that_is_not_staff_cannot_enter_the_admin(client, django_user_model):
    django_user_model.objects.create_user("reader", "reader@example.org", PASSWORD)
    sign_in(client, "reader", PASSWORD)
    assert not signed_in(client)


# ---------------------------------------------------------------- sessions


def session_of(client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_a_session_ends_after_thirty_idle_minutes(client, editor):
    sign_in(client, "curator", PASSWORD)
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    Session.objects.filter(pk=session_of(client).pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert not signed_in(client)


def test_every_request_moves_the_idle_deadline(client, editor):
    sign_in(client, "curator", PASSWORD)
    Session.objects.filter(pk=session_of(client).pk).update(expire_date=timezone.now() + timedelta(minutes=1))
    assert signed_in(client)
    remaining = session_of(client).expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def test_the_session_cookie_lasts_only_as_long_as_the_browser(client, editor):
    sign_in(client, "curator", PASSWORD)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["httponly"]


def test_logout_deletes_the_session_on_the_server(client, editor):
    sign_in(client, "curator", PASSWORD)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/admin/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    copied = Client()
    copied.cookies[settings.SESSION_COOKIE_NAME] = key
    assert not signed_in(copied)


# ---------------------------------------------------------------- passwords


@pytest.mark.parametrize(
    "password", ["short-pw-1", "12345678901234", "password123456", "curator12345"], ids=["short", "numeric", "common", "like-the-username"]
)
def test_weak_passwords_are_refused(editor, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=editor)


def test_a_long_uncommon_password_is_accepted(editor):
    validate_password("river-lantern-73-quietly", user=editor)
