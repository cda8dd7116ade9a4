import pytest
from django.core.cache import cache, caches
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Revision

from samizdat.imports.models import ImportedItem
from samizdat.newsroom.models import Photo


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test starts without structure entries or pages cached by another test."""
    cache.clear()
    caches["pages"].clear()
    yield
    cache.clear()
    caches["pages"].clear()


def counts() -> dict[str, int]:
    """What an import writes, counted: a second run must leave every figure as it was."""
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "photos": Photo.objects.count(),
        "redirects": Redirect.objects.count(),
        "items": ImportedItem.objects.count(),
    }
