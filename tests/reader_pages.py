"""One of each kind of reader page, for the tests that check every page's promises to readers
(tests/reach/test_security_headers.py with the test client, tests/browser/test_no_third_parties.py
in a real browser)."""

from __future__ import annotations

from samizdat.reach.models import ReachPage
from tests.factories import PhotoFactory, publish
from tests.support.factories import AppealFactory, CampaignFactory, DonationFormFactory


def every_kind_of_reader_page(newsroom) -> dict[str, str]:
    """Build them in `newsroom` (the article with every appeal showing and the monthly goal)
    and return their paths by kind."""
    DonationFormFactory()
    CampaignFactory(goal_minor=1_000_000)
    AppealFactory(kind="modal", show_goal=True)
    AppealFactory(kind="banner")
    AppealFactory(kind="end_of_article")
    author = newsroom.author("Vera Ostrova")
    article = newsroom.article(
        "Ferry crews strike over six months of unpaid wages",
        authors=[author],
        tags=["river"],
        lead_image=PhotoFactory(),
        standfirst="The river's last crossing stopped at dawn.",
        body=[
            ("paragraph", "<p>Crews <b>stopped</b> work at <a href='/en/'>dawn</a>.</p>"),
            ("image", {"image": PhotoFactory(), "caption": "The north pier"}),
            ("quote", {"text": "We will sail when we are paid.", "attribution": "A deckhand"}),
        ],
    )
    newsroom.article("An earlier river story", authors=[author], tags=["river"])
    reach = ReachPage(
        title="How to reach us",
        slug="how-to-reach-us",
        mirrors=[("mirror", {"url": "https://lantern-mirror.example.net/", "note": "hourly"})],
        onion_text="<p>Use Tor Browser.</p>",
        other_ways="<p>Write to <b>mirrors@lantern.example</b>.</p>",
    )
    newsroom.homes["en"].add_child(instance=reach)
    publish(reach)
    return {
        "home": "/en/",
        "home in Russian": "/ru/",
        "section": "/en/news/",
        "article with appeals": article.url,
        "authors index": "/en/authors/",
        "author": author.url,
        "tag": "/en/tags/river/",
        "search": "/en/search/?q=ferry",
        "how to reach us": "/en/how-to-reach-us/",
        "support": "/en/support/",
        "newsletter": "/en/newsletter/",
    }
