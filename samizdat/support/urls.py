"""Reader revenue URLs, under each language prefix: /en/support/…, /ru/support/…"""

from django.urls import include, path

app_name = "support"

urlpatterns = [
    path("manage/", include("samizdat.support.selfservice_urls")),
    path("", include("samizdat.support.reader_urls")),
]
