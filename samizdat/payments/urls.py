"""Payment URLs, outside the language prefixes: providers call them, not readers."""

from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("webhooks/<slug:provider>/", views.webhook, name="webhook"),
]
