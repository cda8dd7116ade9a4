"""Card testing held to a trickle, whatever address the attempts come from.

Every attempt goes through the real checkout view to localstripe. Attempts come from a new
address each time (REMOTE_ADDR, X-Forwarded-For and X-Real-IP all rotate), so the per-address
limit never sees two; what holds them is counted without the address: declines across the site,
attempts per e-mail and per card, and the wait during an episode.
"""

from __future__ import annotations

import itertools
import time

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from samizdat.payments.providers.stripe import StripeProvider
from samizdat.support.giving import cardtesting
from samizdat.support.giving.forms import Gift, sign_gift
from samizdat.support.models import CardTestingEpisode, Donation
from tests.localstripe import CARD_DECLINED, CARD_OK, card_token
from tests.support.factories import DonationFormFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

PAY = "/en/support/pay/"
CHECKOUT = "/en/support/checkout/"
# Numbers localstripe declines when the card is attached: a card tester's list, mostly dead.
DECLINED = [
    "4000000000000002",
    "4000000000009995",
    "4000000000009987",
    "4000000000009979",
    "4000000000000069",
    "4000000000000127",
    "4000000000000119",
    "4242424242424241",
]
_addresses = itertools.count(1)


class Calls:
    """How often checkout reached the provider: each charge tried, each fingerprint read."""

    def __init__(self, monkeypatch):
        self.charges = 0
        self.fingerprints = 0
        start, fingerprint = StripeProvider.start_checkout, StripeProvider.card_fingerprint

        def counted_start(provider, request):
            self.charges += 1
            return start(provider, request)

        def counted_fingerprint(provider, token):
            self.fingerprints += 1
            return fingerprint(provider, token)

        monkeypatch.setattr(StripeProvider, "start_checkout", counted_start)
        monkeypatch.setattr(StripeProvider, "card_fingerprint", counted_fingerprint)


class Clock:
    """The wait tickets' clock, moved by hand."""

    def __init__(self, monkeypatch):
        self.now = time.time()
        monkeypatch.setattr(cardtesting.time, "time", lambda: self.now)

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def stripe_gifts(stripe_settings, localstripe):
    DonationFormFactory(currency="usd")
    return localstripe


@pytest.fixture
def calls(monkeypatch):
    return Calls(monkeypatch)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def new_address() -> dict[str, str]:
    n = next(_addresses)
    address = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
    return {
        "REMOTE_ADDR": address,
        "HTTP_X_FORWARDED_FOR": f"203.0.{n // 256 % 256}.{n % 256}",
        "HTTP_X_REAL_IP": f"198.51.{n // 256 % 256}.{n % 256}",
    }


def attempt(client, payment_token: str, email: str, **extra):
    """One card payment posted as the checkout page posts it, from a new address."""
    data = {
        "token": sign_gift(Gift(500, "usd", "once")),
        "email": email,
        "name": "",
        "payment_token": payment_token,
        **extra,
    }
    return client.post(PAY, data, **new_address())


def form_of(response) -> dict[str, str]:
    """What the waiting page's form posts when the reader presses Continue (no JavaScript)."""
    form = BeautifulSoup(response.content, "html.parser").select_one("form#wait-form")
    assert form is not None and form["action"] == PAY
    return {i["name"]: i.get("value", "") for i in form.select("input[name]")}


def continue_from(client, response):
    return client.post(PAY, form_of(response), **new_address())


def trip(client, base_url: str) -> CardTestingEpisode:
    """Declined cards from new addresses and e-mails until the site-wide defence trips."""
    for n in range(cardtesting.option("DECLINES")):
        token = card_token(base_url, DECLINED[n % len(DECLINED)])
        attempt(client, token, f"tester{n}@example.org")
    return CardTestingEpisode.objects.get(challenge=True)


# The attack -------------------------------------------------------------------------------------


def test_a_thousand_card_tests_from_rotating_addresses_reach_the_provider_at_most_five_times(
    client, stripe_gifts, calls, settings
):
    # The README's proxy setup: nginx sets X-Real-IP to the address that called it, which an
    # attacker with many addresses rotates like the rest.
    settings.SAMIZDAT_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    started = time.monotonic()
    statuses = []
    for n in range(1000):
        # A stolen card per attempt (a token of a declined number), a new e-mail, a new address.
        token = card_token(stripe_gifts, DECLINED[n % len(DECLINED)])
        statuses.append(attempt(client, token, f"tester{n}@example.org").status_code)
    elapsed = time.monotonic() - started

    assert calls.charges <= 5, f"{calls.charges} of 1,000 attempts reached the provider"
    assert calls.fingerprints <= 5
    assert set(statuses) == {200}  # the checkout page with the decline, then the waiting page
    assert not Donation.objects.filter(status=Donation.Status.PAID).exists()
    episode = CardTestingEpisode.objects.get(challenge=True)
    assert episode.challenged == 1000 - calls.charges
    assert episode.admitted == 0
    print(f"\n{calls.charges} of 1,000 reached localstripe in {elapsed:.1f} s")


def test_without_the_defence_the_attack_reaches_the_provider_every_time(
    client, stripe_gifts, calls, settings
):
    # The same attack with the limits out of reach: proof the test above counts what it says.
    settings.SAMIZDAT_CARD_TESTING = {"DECLINES": 10_000}
    for n in range(20):
        attempt(client, card_token(stripe_gifts, DECLINED[n % 8]), f"t{n}@example.org")
    assert calls.charges == 20


# Site-wide velocity -----------------------------------------------------------------------------


def test_a_few_declines_across_the_site_make_the_next_card_payment_wait(
    client, stripe_gifts, calls
):
    episode = trip(client, stripe_gifts)
    assert calls.charges == 4

    response = attempt(client, card_token(stripe_gifts, CARD_OK), "reader@example.org")

    assert calls.charges == 4
    assert response.status_code == 200
    page = response.content.decode()
    assert "every card payment waits a little" in page
    assert "Please wait 5 seconds, then press Continue." in page
    assert not response.cookies
    fields = form_of(response)
    assert fields["email"] == "reader@example.org"
    assert fields["payment_token"].startswith("tok_")
    episode.refresh_from_db()
    assert episode.challenged == 1


def test_declines_spread_over_more_than_the_window_trip_nothing(
    client, stripe_gifts, calls, settings
):
    settings.SAMIZDAT_CARD_TESTING = {"DECLINES": 4}
    for n in range(3):
        attempt(client, card_token(stripe_gifts, DECLINED[n]), f"t{n}@example.org")
    assert not CardTestingEpisode.objects.exists()
    # A reader who pays after three declines is not slowed.
    response = attempt(client, card_token(stripe_gifts, CARD_OK), "reader@example.org")
    assert response.status_code == 302
    assert calls.charges == 4


def test_a_provider_that_is_down_is_not_counted_as_card_testing(client, stripe_gifts, settings):
    settings.SAMIZDAT_PAYMENT_PROVIDERS["stripe"]["OPTIONS"]["api_base"] = "http://127.0.0.1:9"
    settings.SAMIZDAT_PAYMENT_PROVIDERS["stripe"]["OPTIONS"]["max_network_retries"] = 0
    from samizdat.payments import registry

    registry.reset()
    for n in range(6):
        attempt(client, card_token(stripe_gifts, CARD_OK), f"reader{n}@example.org")
    assert not CardTestingEpisode.objects.exists()


# The wait ticket --------------------------------------------------------------------------------


def test_a_reader_who_waits_and_presses_continue_gives(client, stripe_gifts, calls, clock):
    trip(client, stripe_gifts)
    waiting = attempt(client, card_token(stripe_gifts, CARD_OK), "reader@example.org")

    too_early = continue_from(client, waiting)
    assert "That was a little early." in too_early.content.decode()
    assert calls.charges == 4
    # Pressing early keeps the same ticket: the wait is not started again.
    assert form_of(too_early)["wait_ticket"] == form_of(waiting)["wait_ticket"]

    clock.advance(5)
    paid = continue_from(client, too_early)

    assert paid.status_code == 302 and "/thanks/" in paid["Location"]
    assert calls.charges == 5
    assert Donation.objects.get(status=Donation.Status.PAID).amount_minor == 500
    assert CardTestingEpisode.objects.get(challenge=True).admitted == 1


def test_one_payment_goes_through_per_turn_however_many_tickets_were_gathered(
    client, stripe_gifts, calls, clock
):
    trip(client, stripe_gifts)
    # An attacker gathers tickets in parallel, then waits once for all of them.
    waiting = [
        attempt(client, card_token(stripe_gifts, DECLINED[n]), f"t{n}@example.org")
        for n in range(5)
    ]
    clock.advance(5)
    outcomes = [continue_from(client, page) for page in waiting]

    assert calls.charges == 4 + 1
    stale = [o for o in outcomes[1:] if "Another payment went ahead first" in o.content.decode()]
    assert len(stale) == 4


def test_a_ticket_cannot_be_used_twice(client, stripe_gifts, calls, clock):
    trip(client, stripe_gifts)
    waiting = attempt(client, card_token(stripe_gifts, DECLINED[0]), "t@example.org")
    clock.advance(5)
    continue_from(client, waiting)
    assert calls.charges == 5

    again = continue_from(client, waiting)

    assert calls.charges == 5
    assert "Another payment went ahead first" in again.content.decode()


def test_an_expired_or_forged_ticket_is_refused(client, stripe_gifts, calls, clock):
    trip(client, stripe_gifts)
    waiting = attempt(client, card_token(stripe_gifts, CARD_OK), "reader@example.org")
    clock.advance(21 * 60)
    expired = continue_from(client, waiting)
    assert "The wait has expired" in expired.content.decode()

    forged = {**form_of(expired), "wait_ticket": form_of(expired)["wait_ticket"][:-2] + "xx"}
    clock.advance(10 * 60)
    answer = client.post(PAY, forged, **new_address())
    assert answer.status_code == 200
    assert "The wait has expired" in answer.content.decode()
    assert calls.charges == 4


def test_each_decline_during_an_episode_doubles_the_wait(client, stripe_gifts, calls, clock):
    trip(client, stripe_gifts)
    waiting = attempt(client, card_token(stripe_gifts, DECLINED[0]), "t@example.org")
    clock.advance(5)
    declined = continue_from(client, waiting)
    assert "Your card was declined" in declined.content.decode()

    next_one = attempt(client, card_token(stripe_gifts, DECLINED[1]), "u@example.org")

    assert "Please wait 10 seconds" in next_one.content.decode()
    episode = CardTestingEpisode.objects.get(challenge=True)
    assert (episode.declines, episode.admitted) == (1, 1)


def test_during_an_episode_the_checkout_page_starts_the_wait_while_the_reader_types(
    client, stripe_gifts, calls, clock
):
    trip(client, stripe_gifts)
    page = client.post(CHECKOUT, {"currency": "usd", "frequency": "once", "custom_amount": "25"})
    form = BeautifulSoup(page.content, "html.parser").select_one("form#checkout-form")
    fields = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    assert fields["wait_ticket"]

    clock.advance(30)  # typing the e-mail and the card
    fields.update(email="reader@example.org", payment_token=card_token(stripe_gifts, CARD_OK))
    paid = client.post(PAY, fields, **new_address())

    assert paid.status_code == 302
    assert calls.charges == 5


def test_after_the_episode_card_payments_no_longer_wait(client, stripe_gifts, calls):
    episode = trip(client, stripe_gifts)
    CardTestingEpisode.objects.filter(pk=episode.pk).update(ends_at=episode.started_at)

    paid = attempt(client, card_token(stripe_gifts, CARD_OK), "reader@example.org")

    assert paid.status_code == 302


# Per e-mail and per card ------------------------------------------------------------------------


def test_one_email_address_gets_five_card_attempts_an_hour(client, stripe_gifts, calls, settings):
    settings.SAMIZDAT_CARD_TESTING = {"DECLINES": 10_000}
    for n in range(5):
        attempt(client, card_token(stripe_gifts, DECLINED[n]), "Tester@Example.org")
    refused = attempt(client, card_token(stripe_gifts, DECLINED[5]), "tester@example.org")

    assert refused.status_code == 429
    assert "This e-mail address or card was used for too many" in refused.content.decode()
    assert calls.charges == 5
    # Another address still gives.
    assert (
        attempt(client, card_token(stripe_gifts, CARD_OK), "other@example.org").status_code == 302
    )
    episode = CardTestingEpisode.objects.get()
    assert (episode.trigger, episode.refused, episode.challenge) == ("email", 1, False)


def test_one_card_gets_five_attempts_a_day_whatever_the_email(
    client, stripe_gifts, calls, settings
):
    settings.SAMIZDAT_CARD_TESTING = {"DECLINES": 10_000}
    for n in range(5):
        attempt(client, card_token(stripe_gifts, CARD_DECLINED), f"t{n}@example.org")
    # A new token of the same card: the provider's fingerprint is the same.
    refused = attempt(client, card_token(stripe_gifts, CARD_DECLINED), "new@example.org")

    assert refused.status_code == 429
    assert calls.charges == 5
    assert attempt(client, card_token(stripe_gifts, CARD_OK), "x@example.org").status_code == 302
    assert CardTestingEpisode.objects.get().trigger == "card"


def test_localstripe_reports_one_fingerprint_per_card_number(stripe_gifts):
    from samizdat.payments import registry

    stripe = registry.get_provider("stripe")
    first = stripe.card_fingerprint(card_token(stripe_gifts, CARD_DECLINED))
    second = stripe.card_fingerprint(card_token(stripe_gifts, CARD_DECLINED))
    other = stripe.card_fingerprint(card_token(stripe_gifts, CARD_OK))

    assert first and first == second
    assert other and other != first
    assert stripe.card_fingerprint("tok_nobody_made") == ""


# The newsroom sees it ---------------------------------------------------------------------------


def test_the_revenue_team_sees_when_the_defence_tripped(client, stripe_gifts, calls):
    trip(client, stripe_gifts)
    for n in range(3):
        attempt(client, card_token(stripe_gifts, DECLINED[n]), f"t{n}@example.org")

    user = get_user_model().objects.create_user("fundraiser", "f@newsroom.test", "pw-12345")
    user.groups.add(Group.objects.get(name="Revenue team"))
    client.force_login(user)
    page = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "html.parser")

    panel = page.select_one("#card-testing-section")
    assert panel is not None
    row = [td.get_text(" ", strip=True) for td in panel.select("tbody tr")[0].select("td")]
    assert "active now" in row[1]
    assert row[2] == "Declined card payments across the site — card payments wait"
    assert row[3:] == ["0", "3", "0", "0"]


def test_the_panel_is_absent_without_episodes_and_hidden_from_reporters(client, stripe_gifts):
    user = get_user_model().objects.create_user("fundraiser", "f@newsroom.test", "pw-12345")
    user.groups.add(Group.objects.get(name="Revenue team"))
    client.force_login(user)
    assert "card-testing" not in client.get(reverse("wagtailadmin_home")).content.decode()

    trip(client, stripe_gifts)
    reporter = get_user_model().objects.create_user("reporter", "r@newsroom.test", "pw-12345")
    reporter.groups.add(Group.objects.get(name="Reporters"))
    client.force_login(reporter)
    assert "card-testing" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_waiting_page_speaks_the_readers_language_and_sets_no_cookie(
    client, stripe_gifts, calls
):
    trip(client, stripe_gifts)
    data = {
        "token": sign_gift(Gift(500, "usd", "once")),
        "email": "chitatel@example.org",
        "payment_token": card_token(stripe_gifts, CARD_OK),
    }
    response = client.post("/ru/support/pay/", data, **new_address())

    page = response.content.decode()
    assert "Пожалуйста, подождите 5 секунд, затем нажмите «Продолжить»." in page
    assert "украденные номера карт" in page
    assert not response.cookies
    assert calls.charges == 4


def test_two_payments_racing_for_one_turn_let_one_through(client, stripe_gifts, clock):
    # Two requests whose tickets both passed the check before either took the turn.
    episode = trip(client, stripe_gifts)
    first, second = cardtesting.issue(episode), cardtesting.issue(episode)
    clock.advance(5)
    assert cardtesting.check(first.sign(), episode)[0] is cardtesting.Verdict.GOOD
    assert cardtesting.check(second.sign(), episode)[0] is cardtesting.Verdict.GOOD

    assert [cardtesting.take_turn(first), cardtesting.take_turn(second)] == [True, False]
    episode.refresh_from_db()
    assert episode.admitted == 1
