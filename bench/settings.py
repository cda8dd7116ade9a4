"""Samizdat's own settings plus the bench's reference page model, with no full-page cache.

The plain Wagtail reference (bench/plainwagtail) must be served uncached, so this module drops
any page-cache middleware. Samizdat itself is measured with samizdat.settings, unchanged.
"""

from samizdat.settings import *  # noqa: F403
from samizdat.settings import INSTALLED_APPS, MIDDLEWARE

INSTALLED_APPS = [*INSTALLED_APPS, "bench.plainwagtail"]

MIDDLEWARE = [
    name
    for name in MIDDLEWARE
    if "pagecache" not in name and not name.startswith("django.middleware.cache.")
]
