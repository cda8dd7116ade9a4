"""Reach URLs under each language prefix: /en/reach/…, /ru/reach/…"""

from django.urls import path

import samizdat.ids  # noqa: F401 -- registers <id:…>

from . import views

app_name = "reach"

urlpatterns = [
    path("mirror-checks/", views.mirror_report, name="mirror_report"),
    path("viewed/<id:page_id>/", views.viewed, name="viewed"),
]
