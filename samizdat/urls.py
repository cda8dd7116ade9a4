from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.http import Http404
from django.urls import include, path, re_path
from django.views.static import serve as serve_file
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from samizdat.newsroom import seo, views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("sitemap.xml", seo.sitemap, name="sitemap"),
    path("sitemap-news.xml", seo.news_sitemap, name="news_sitemap"),
    path("payments/", include("samizdat.payments.urls")),
    path("newsletters/", include("samizdat.newsletters.webhook_urls")),
]


def serve_media(request, path):
    # MEDIA_ROOT is read per request, not when this module is imported: tests move it.
    try:
        return serve_file(request, path, document_root=settings.MEDIA_ROOT)
    except OSError as exc:  # e.g. a name longer than the file system allows
        raise Http404 from exc


if settings.SERVE_MEDIA:
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", serve_media))

# Wagtail's own URLs, its page view routed from the structure cache (newsroom/views.py) under
# the same name and pattern.
reader_pages = [
    *(pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, views.serve, name="wagtail_serve"),
]

# Every reader page lives under its language prefix: /en/…, /ru/…
urlpatterns += i18n_patterns(
    path("support/", include("samizdat.support.urls")),
    path("reach/", include("samizdat.reach.urls")),
    path("newsletter/", include("samizdat.newsletters.urls")),
    path("", include(reader_pages)),
    prefix_default_language=True,
)
