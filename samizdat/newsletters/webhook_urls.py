"""Machine-to-machine newsletter URLs, outside the language prefixes: /newsletters/…"""

from django.urls import path

from . import views

app_name = "newsletters_webhooks"

urlpatterns = [
    path("bounces/", views.bounces, name="bounces"),
]
