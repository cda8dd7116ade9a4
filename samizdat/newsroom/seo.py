"""What search engines and feed readers see: sitemaps, robots.txt, structured data."""

from django.http import HttpResponse


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def sitemap(request):
    raise NotImplementedError


def news_sitemap(request):
    raise NotImplementedError
