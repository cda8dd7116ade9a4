"""What readers reach under /<lang>/support/: reversed as "support:<name>"."""

from django.urls import path

from .giving import chain_views, giving_safely, upsell, views

urlpatterns = [
    path("", views.support_page, name="support"),
    path("goal/", views.goal, name="goal"),
    path("giving-safely/", giving_safely.giving_safely, name="giving_safely"),
    path("checkout/", views.checkout, name="checkout"),
    path("pay/", views.pay, name="pay"),
    path("confirm/", views.confirm, name="confirm"),
    path("pay/address/", chain_views.pay_to_address, name="pay_to_address"),
    path("payment/<str:reference>/", chain_views.payment_page, name="payment"),
    path("thanks/<str:ref>/", views.thanks, name="thanks"),
    path("upsell/", upsell.upsell, name="upsell"),
    path("remind/", views.remind, name="remind"),
    path("stats/", views.stats, name="stats"),
]
