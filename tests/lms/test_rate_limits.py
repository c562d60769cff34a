"""Rate limits on what costs mail or access: password-reset mail and the OAuth token endpoint."""

import pytest
from django.core import mail
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_password_reset_mails_stop_after_three_an_hour(client, home):
    """Do 20 requests for one address send 3 mails, the rest refused with the site's page?"""
    UserFactory(username="rosa", email="rosa@example.org")
    answers = [
        client.post("/accounts/password_reset/", {"email": "rosa@example.org"}).status_code
        for _ in range(20)
    ]
    assert answers[:3] == [302, 302, 302]
    assert set(answers[3:]) == {429}
    assert len(mail.outbox) == 3
    page = client.post("/accounts/password_reset/", {"email": "rosa@example.org"})
    assert "That was a lot at once" in page.content.decode()


def test_password_resets_from_one_address_are_limited_across_accounts(home):
    """Can one address ask for resets of many accounts? (20 an hour, then no more.)"""
    sender = Client(REMOTE_ADDR="198.51.100.20")
    answers = [
        sender.post("/accounts/password_reset/", {"email": f"p{n}@example.org"}).status_code
        for n in range(21)
    ]
    assert answers[:20] == [302] * 20 and answers[20] == 429


def test_the_token_endpoint_answers_429_as_json_after_thirty_a_minute(home):
    guesser = Client(REMOTE_ADDR="198.51.100.20")
    answers = [
        guesser.post("/oauth/token/", {"grant_type": "authorization_code", "code": str(n)})
        for n in range(31)
    ]
    assert {a.status_code for a in answers[:30]} == {401}
    assert answers[30].status_code == 429
    assert answers[30].json()["error"] == "rate_limited"
