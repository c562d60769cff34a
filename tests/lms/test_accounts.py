"""Signing in, signing out and resetting a password."""

import re

from django.core import mail

from tests.factories import PASSWORD, UserFactory


def test_sign_in_page_is_styled_and_signs_in(client, home):
    """Does the sign-in page use the site's layout and take a person home?"""
    user = UserFactory(username="rosa", first_name="Rosa", last_name="Delgado")
    page = client.get("/accounts/login/").content.decode()
    assert "site.css" in page and "Forgot your password?" in page
    response = client.post("/accounts/login/", {"username": "rosa", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").context["user"] == user


def test_wrong_password_says_so_and_keeps_the_user_name(client, home):
    """Is a wrong password met with a clear message and the user name kept in the form?"""
    UserFactory(username="rosa")
    response = client.post("/accounts/login/", {"username": "rosa", "password": "nope"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Please enter a correct" in content
    assert 'value="rosa"' in content


def test_inactive_accounts_cannot_sign_in(client, home):
    """Can a deactivated account still sign in?"""
    UserFactory(username="gone", is_active=False)
    response = client.post("/accounts/login/", {"username": "gone", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_out_needs_a_post_and_ends_the_session(client, home):
    """Does signing out end the session and go back to the sign-in page?"""
    client.force_login(UserFactory())
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_password_reset_round_trip(client, home, settings):
    """Can a person who forgot their password set a new one from the e-mailed link?"""
    settings.LMS_PROGRAM_NAME = "Commons Code Residency"
    user = UserFactory(username="kai", email="kai@example.org")
    response = client.post("/accounts/password_reset/", {"email": "kai@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Commons Code Residency" in message.subject
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(
        form_url,
        {"new_password1": "a-new-long-password-42", "new_password2": "a-new-long-password-42"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-long-password-42")


def test_password_reset_for_unknown_address_reveals_nothing(client, home):
    """Does asking for an unknown address look the same and send nothing?"""
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change_in_the_sites_design(client, home):
    """Can a signed-in person change their password on a styled page, a wrong current password
    refused with a message, and sign in with the new one afterwards?"""
    user = UserFactory(username="rosa")
    client.force_login(user)
    page = client.get("/accounts/password_change/")
    assert page.status_code == 200 and "site.css" in page.content.decode()
    refused = client.post(
        "/accounts/password_change/",
        {
            "old_password": "nope",
            "new_password1": "tenants-union-42",
            "new_password2": "tenants-union-42",
        },
    )
    assert (
        refused.status_code == 200
        and "Your old password was entered incorrectly" in refused.content.decode()
    )
    done = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "tenants-union-42",
            "new_password2": "tenants-union-42",
        },
        follow=True,
    )
    assert "Your new password is saved" in done.content.decode()
    client.logout()
    assert client.login(username="rosa", password="tenants-union-42")
