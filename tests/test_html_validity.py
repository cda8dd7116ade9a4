"""Every kind of reader page is valid HTML, in both languages and on a static mirror.

The pages are checked by the Nu HTML Checker (https://validator.github.io/validator/, the npm
package vnu-jar, run with Java), the checker behind validator.w3.org/nu. Browsers forgive
invalid markup in different ways, and Tor Browser with JavaScript off, screen readers and feed
readers are the ones that forgive least.

vnu is a JVM program that takes seconds to start, so every page is written to a folder first and
the checker runs once over all of them. Where it looks for vnu.jar: $SAMIZDAT_VNU_JAR, else
the npm folder .ci/run installs it into ($SAMIZDAT_VNU_DIR, by default ~/.cache/samizdat/vnu).
Without Java or vnu.jar the test is skipped, and fails under CI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from samizdat.newsletters.models import Subscriber
from samizdat.newsletters.subscriptions import confirm_token, unsubscribe_token
from samizdat.reach.mirror import MirrorOptions, build_mirror
from samizdat.reach.models import ReachPage
from samizdat.support.donors.selfservice import LINK_FORM, form_token, gift_form, make_link_token
from samizdat.support.giving.forms import Gift, sign_gift
from samizdat.support.giving.reminders import unsubscribe_token as reminder_token
from samizdat.support.giving.views import thanks_url
from samizdat.support.models import Donation, ExchangeRate
from tests.factories import PhotoFactory, publish
from tests.newsletters.conftest import subscriber
from tests.reader_pages import every_kind_of_reader_page
from tests.support import fake_coins
from tests.support.factories import (
    DonationFactory,
    DonationFormFactory,
    RecurringDonationFactory,
    ReminderFactory,
)

pytestmark = pytest.mark.django_db

VNU_DIR = Path(os.environ.get("SAMIZDAT_VNU_DIR", Path.home() / ".cache" / "samizdat" / "vnu"))
VNU_IN_DIR = Path("node_modules", "vnu-jar", "build", "dist", "vnu.jar")
MIRROR_CHECKOUT = "https://give.example"


def vnu_command() -> list[str]:
    """java -jar vnu.jar, or skip (fail under CI) saying what is missing."""
    jar = Path(os.environ.get("SAMIZDAT_VNU_JAR") or VNU_DIR / VNU_IN_DIR)
    missing = []
    if shutil.which("java") is None:
        missing.append("java (apt-get install default-jre-headless)")
    if not jar.is_file():
        missing.append(f"{jar} (npm install --prefix {VNU_DIR} vnu-jar, as .ci/run does)")
    if missing:
        message = "The Nu HTML Checker needs " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return ["java", "-Xss4m", "-jar", str(jar)]


# Tor Browser's <meta http-equiv="onion-location">, which mirror pages carry because a static
# host sends no Onion-Location header: the Tor Project documents it, the HTML standard's list of
# http-equiv values does not have it (browsers ignore a value they do not know).
TOR_ONION_LOCATION = "Bad value “onion-location” for attribute “http-equiv” on element “meta”."


def vnu_errors(files: dict[str, Path]) -> dict[str, list[str]]:
    """The checker's errors (warnings left out), by the name of the page they are in."""
    names = {str(path.resolve()): name for name, path in files.items()}
    result = subprocess.run(
        [*vnu_command(), "--errors-only", "--format", "json", "--exit-zero-always", *names],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(result.stderr or result.stdout)
    errors = defaultdict(list)
    for message in report["messages"]:
        if message["message"] == TOR_ONION_LOCATION:
            continue
        path = message.get("url", "").removeprefix("file:")
        name = names.get(str(Path(path).resolve()), path)
        where = f"line {message['lastLine']}: " if "lastLine" in message else ""
        errors[name].append(f"{where}{message['message']} {message.get('extract', '')!r}")
    return dict(errors)


# The pages ----------------------------------------------------------------------------------


@pytest.fixture
def providers(settings):
    """Stripe as settings.py configures it, and a coin paid to an address (the fake chain)."""
    fake_coins.configure(
        settings,
        stripe=fake_coins.stripe(settings),
        fakecoin={"CLASS": "tests.support.fake_chain.FakeChain"},
    )
    yield
    fake_coins.configure(settings)


def russian_edition(newsroom) -> dict[str, str]:
    """The Russian counterparts of every_kind_of_reader_page's English pages."""
    author = newsroom.author("Вера Острова", "ru")
    article = newsroom.article(
        "Паромщики бастуют из-за долгов по зарплате",
        language="ru",
        authors=[author],
        tags=["река"],
        lead_image=PhotoFactory(),
        standfirst="Последняя переправа встала на рассвете.",
    )
    reach = ReachPage(
        title="Как нас читать",
        slug="kak-nas-chitat",
        locale=newsroom.locale("ru"),
        mirrors=[("mirror", {"url": "https://lantern-mirror.example.net/", "note": "каждый час"})],
        onion_text="<p>Откройте в Tor Browser.</p>",
        other_ways="<p>Пишите на <b>mirrors@lantern.example</b>.</p>",
    )
    newsroom.homes["ru"].add_child(instance=reach)
    publish(reach)
    return {
        "section (ru)": newsroom.section("news", "ru").url,
        "article (ru)": article.url,
        "authors index (ru)": "/ru/authors/",
        "author (ru)": author.url,
        "tag (ru)": article.tags.first() and f"/ru/tags/{article.tags.first().slug}/",
        "search (ru)": "/ru/search/?q=паром",
        "how to reach us (ru)": reach.url,
    }


def reader_pages(client: Client, newsroom) -> dict[str, str]:
    """Every kind of page a reader can reach, in both languages, as HTML by name."""
    paths = {**every_kind_of_reader_page(newsroom), **russian_edition(newsroom)}
    ExchangeRate.objects.create(coin="fkc", currency="usd", minor_per_coin=20_000)
    ExchangeRate.objects.create(coin="fkc", currency="rub", minor_per_coin=2_000_000)
    DonationFormFactory(currency="rub", minimum_minor=10_000, maximum_minor=100_000_000)
    pages: dict[str, str] = {}

    def keep(name: str, response, status: int | None = 200) -> None:
        """status None: whatever the page answers, short of a server error."""
        if status is None:
            assert response.status_code < 500, f"{name}: {response.status_code}"
        else:
            assert response.status_code == status, f"{name}: {response.status_code}"
        pages[name] = response.content.decode()

    for name, path in paths.items():
        keep(name, client.get(path))
    keep("not found", client.get("/en/no-such-page/"), 404)
    keep("server error", server_error(RequestFactory().get("/en/")), 500)
    donor_gift = RecurringDonationFactory(provider="fakecoin", amount_minor=1000)
    paid = DonationFactory()
    waiting = DonationFactory(status=Donation.Status.PENDING, paid_at=None)
    declined = DonationFactory(status=Donation.Status.FAILED, paid_at=None)
    reminder = ReminderFactory()
    for lang in ("en", "ru"):
        currency = "usd" if lang == "en" else "rub"
        amount = "25" if lang == "en" else "500"
        support = f"/{lang}/support"
        keep(f"support ({lang})", client.get(f"{support}/"))
        keep(f"giving safely ({lang})", client.get(f"{support}/giving-safely/"))
        keep(
            f"checkout ({lang})",
            client.post(
                f"{support}/checkout/",
                {"currency": currency, "frequency": "once", "custom_amount": amount},
            ),
        )
        keep(
            f"checkout, monthly by card ({lang})",
            client.post(
                f"{support}/checkout/",
                {"currency": currency, "frequency": "monthly", "custom_amount": amount},
            ),
        )
        keep(
            f"checkout with errors ({lang})",
            client.post(f"{support}/checkout/", {"currency": currency, "custom_amount": "x"}),
            None,
        )
        token = sign_gift(Gift(int(amount) * 100, currency, "once"))
        payment = client.post(f"{support}/pay/address/", {"token": token, "method": "fakecoin"})
        keep(f"payment to an address ({lang})", client.get(payment["Location"]))
        keep(f"thanks ({lang})", client.get(thanks_url(paid).replace("/en/", f"/{lang}/")))
        keep(
            f"still confirming ({lang})",
            client.get(thanks_url(waiting).replace("/en/", f"/{lang}/")),
        )
        keep(f"not paid ({lang})", client.get(thanks_url(declined).replace("/en/", f"/{lang}/")))
        keep(
            f"remind me later, done ({lang})",
            client.post(f"{support}/remind/", {"email": "later@example.org", "consent": "1"}),
        )
        keep(
            f"remind me later, refused ({lang})",
            client.post(f"{support}/remind/", {"email": "x"}),
            400,
        )
        keep(f"ask for a link ({lang})", client.get(f"{support}/manage/"))
        keep(
            f"link sent ({lang})",
            client.post(
                f"{support}/manage/",
                {"email": "nobody@example.org", "form_token": form_token(LINK_FORM)},
            ),
        )
        gifts = f"{support}/manage/{make_link_token(donor_gift.donor)}/"
        keep(f"my gifts ({lang})", client.get(gifts))
        keep(
            f"change a gift, refused ({lang})",
            client.post(
                f"{gifts}gifts/{donor_gift.pk}/change/",
                {
                    "amount": "x",
                    "form_token": form_token(gift_form("change", donor_gift.donor, donor_gift)),
                },
            ),
            400,
        )
        keep(f"cancel a gift ({lang})", client.get(f"{gifts}gifts/{donor_gift.pk}/cancel/"))
        keep(f"expired link ({lang})", client.get(f"{support}/manage/forged/"), 403)
        keep(
            f"reminder unsubscribe ({lang})",
            client.get(f"{support}/manage/reminders/unsubscribe/{reminder_token(reminder)}/"),
        )
        newsletter = f"/{lang}/newsletter"
        reader = subscriber(f"reader-{lang}@example.org", lang, status=Subscriber.Status.PENDING)
        keep(f"newsletter ({lang})", client.get(f"{newsletter}/"))
        keep(
            f"newsletter, subscribed ({lang})",
            client.post(f"{newsletter}/", {"email": f"new-{lang}@example.org", "digest": "on"}),
        )
        keep(f"newsletter, refused ({lang})", client.post(f"{newsletter}/", {"email": "x"}), 400)
        confirm = f"{newsletter}/confirm/{confirm_token(reader, digest=True, breaking=False)}/"
        keep(f"newsletter confirm ({lang})", client.get(confirm))
        keep(f"newsletter confirmed ({lang})", client.post(confirm))
        keep(f"newsletter bad link ({lang})", client.get(f"{newsletter}/confirm/x/"), 400)
        unsubscribe = f"{newsletter}/unsubscribe/{unsubscribe_token(reader)}/"
        keep(f"newsletter unsubscribe ({lang})", client.get(unsubscribe))
        keep(f"newsletter unsubscribed ({lang})", client.post(unsubscribe))
    return pages


def mirror_pages(tmp_path: Path, settings) -> dict[str, Path]:
    """A sample of a static mirror's pages: every kind the mirror rewrites, in both languages."""
    settings.SAMIZDAT_CHECKOUT_URL = MIRROR_CHECKOUT
    for name in ("default", "renditions"):
        caches[name].clear()
    out = tmp_path / "mirror"
    build_mirror(MirrorOptions(base_url="https://mirror.example/", out=out, full=True))
    files = sorted(out.rglob("*.html"))
    sample: dict[str, Path] = {}
    shapes = set()
    wanted = ("en/how-to-reach-us/", "ru/kak-nas-chitat/", "en/support/giving-safely/")
    for path in files:
        relative = path.relative_to(out)
        # One page of each shape (the top level, and per language every depth of the tree),
        # and the pages that carry the ways in.
        shape = (relative.parts[0], len(relative.parts)) if len(relative.parts) > 1 else relative
        if shape not in shapes or str(relative).startswith(wanted):
            shapes.add(shape)
            sample[f"mirror {relative}"] = path
    return sample


def test_every_reader_page_is_valid_html_in_both_languages_and_on_the_mirror(
    client, newsroom, providers, settings, tmp_path
):
    vnu_command()  # skip before building anything when the checker is missing
    settings.SAMIZDAT_ONION_HOST = "lanternxyzxyzxyzxyzxyzxyzxyzxyzxyzxyzxyzxyzxyzxyzxyzxyz.onion"
    pages = reader_pages(client, newsroom)
    folder = tmp_path / "pages"
    folder.mkdir()
    files = {}
    for number, (name, html) in enumerate(pages.items()):
        files[name] = folder / f"{number:03}.html"
        files[name].write_text(html, "utf-8")
    mirror = mirror_pages(tmp_path, settings)
    files.update(mirror)
    assert len(pages) >= 68 and len(mirror) >= 8  # every kind was reached: nothing is skipped

    errors = vnu_errors(files)

    assert errors == {}, "\n".join(
        f"{name}:\n  " + "\n  ".join(found) for name, found in sorted(errors.items())
    )


def test_the_checker_finds_an_error_when_there_is_one(tmp_path):
    """The test above is only as good as its checker: broken markup is reported, by page."""
    page = tmp_path / "broken.html"
    page.write_text(
        '<!doctype html><html lang="en"><head><title>x</title></head>'
        "<body><p><div>a block in a paragraph</p></div><a href='x' href='y'>z</a></body></html>",
        "utf-8",
    )
    errors = vnu_errors({"broken page": page})
    assert list(errors) == ["broken page"]
    assert any("Duplicate attribute" in message for message in errors["broken page"])
