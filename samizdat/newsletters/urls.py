"""Reader pages of the newsletter, under each language: /en/newsletter/, /ru/newsletter/…

Reversed as "newsletters:<name>".
"""

from django.urls import path

from . import views

app_name = "newsletters"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
