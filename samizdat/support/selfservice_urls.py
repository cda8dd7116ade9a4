"""Donor self-service and reminder unsubscribes, under /<lang>/support/manage/.

Reversed as "support:<name>" (the namespace is on the include in support/urls.py).
"""

from django.urls import path

import samizdat.ids  # noqa: F401 -- registers <id:…>

from .donors.selfservice import views
from .giving import views as giving_views

urlpatterns = [
    path("", views.request_link, name="manage"),
    # Before "<token>/": a fixed prefix is never read as a donor's token.
    path(
        "reminders/unsubscribe/<str:token>/",
        giving_views.reminder_unsubscribe,
        name="reminder_unsubscribe",
    ),
    # A failed renewal's e-mail: one gift's card page, and nothing else.
    path("card/<str:card_token>/", views.card_link, name="manage_card_link"),
    path("<str:token>/", views.gifts, name="manage_gifts"),
    path("<str:token>/gifts/<id:pk>/change/", views.change, name="manage_change"),
    path("<str:token>/gifts/<id:pk>/cancel/", views.cancel, name="manage_cancel"),
    path("<str:token>/gifts/<id:pk>/card/", views.card, name="manage_card"),
    path("<str:token>/receipts/<int:year>/", views.yearly_receipt, name="manage_yearly"),
]
