"""Readers never wait for the same render twice: a crowd asking at once for a page nobody has
stored (after a deploy, a list never visited, a publish) costs one render, and while a page is
rendered again the others get the previous copy."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import Client

from samizdat.newsroom.models import ArticlePage
from samizdat.newsroom.structure import bump

pytestmark = pytest.mark.django_db(transaction=True)

READERS = 8
RENDER_SECONDS = 0.5


@pytest.fixture
def slow_renders(monkeypatch):
    """Each article render takes RENDER_SECONDS; yields the list of renders made."""
    renders: list[str] = []
    serve = ArticlePage.serve

    def slow_serve(self, request, *args, **kwargs):
        renders.append(request.path)
        time.sleep(RENDER_SECONDS)
        return serve(self, request, *args, **kwargs)

    monkeypatch.setattr(ArticlePage, "serve", slow_serve)
    return renders


def crowd(url: str) -> list:
    """READERS readers asking for `url` at the same moment; each answer has the seconds it
    took as `.seconds`."""
    start = threading.Barrier(READERS)

    def read(_n: int):
        start.wait()
        started = time.monotonic()
        response = Client().get(url)
        response.seconds = time.monotonic() - started
        return response

    with ThreadPoolExecutor(READERS) as pool:
        return list(pool.map(read, range(READERS)))


def test_a_crowd_asking_for_a_page_nobody_has_stored_costs_one_render(newsroom, slow_renders):
    story = newsroom.article("Ferry strike ends", section="news")

    responses = crowd(story.url)

    assert [response.status_code for response in responses] == [200] * READERS
    assert len(slow_renders) == 1
    assert len({response.content for response in responses}) == 1
    assert b"Ferry strike ends" in responses[0].content
    assert sorted(response["X-Cache"] for response in responses) == ["hit"] * 7 + ["miss"]


def test_while_a_page_is_rendered_again_readers_get_the_previous_copy(newsroom, slow_renders):
    story = newsroom.article("Ferry strike ends", section="news")
    first = Client().get(story.url)
    bump()  # the structure changed: every stored page is to be rendered again

    responses = crowd(story.url)

    assert len(slow_renders) == 2  # the first visit, and once again
    statuses = sorted(response["X-Cache"] for response in responses)
    assert statuses == ["miss"] + ["stale"] * (READERS - 1)
    stale = [response for response in responses if response["X-Cache"] == "stale"]
    assert all(response.content == first.content for response in stale)
    # nginx in front and CDNs keep none of them: the new page is on its way.
    assert not any(response.has_header("X-Accel-Expires") for response in stale)
    assert all("s-maxage=0" in response["Cache-Control"] for response in stale)
    assert max(response.seconds for response in stale) < RENDER_SECONDS  # none waited for it
