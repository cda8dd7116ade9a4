"""`StripeProvider`: the package's parts on one configured instance.

Every gift starts with a Customer holding the card the browser tokenised; a one-time gift is a
PaymentIntent confirmed on the server, a recurring one a Subscription to a Plan per amount,
currency and interval, made on demand (donors choose any amount; localstripe has no Prices
API). Fields are read tolerantly: localstripe answers in an older API version's shape.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import stripe
from django.core.exceptions import ImproperlyConfigured

from samizdat.payments.base import PaymentMethod
from samizdat.payments.descriptor import check_suffix
from samizdat.payments.providers.stripe.checkout import Checkout
from samizdat.payments.providers.stripe.client import (
    DEFAULT_BUDGET_SECONDS,
    BudgetedClient,
    within_budget,
)
from samizdat.payments.providers.stripe.reconcile import Reconcile
from samizdat.payments.providers.stripe.recurring import Recurring
from samizdat.payments.providers.stripe.webhooks import Webhooks

LIVE_API_BASE = "https://api.stripe.com"
LIVE_JS_URL = "https://js.stripe.com/v3/"
# Stripe.js opens 3-D Secure challenges in frames served from here.
LIVE_FRAME_ORIGIN = "https://hooks.stripe.com"
WEBHOOK_TOLERANCE_SECONDS = 300


class StripeProvider(Checkout, Recurring, Webhooks, Reconcile):
    """Stripe, configured per instance so each deployment (and each test) can differ."""

    name = "stripe"
    # Only what checkout really offers: the card field. Apple Pay, Google Pay, SEPA or PayPal
    # would each need their own element and flow before the form may name them.
    methods = (PaymentMethod("card", "Card", "stripe", needs_javascript=True, recurring=True),)

    def __init__(
        self,
        secret_key: str,
        publishable_key: str,
        webhook_secret: str,
        api_base: str = "",
        js_url: str = "",
        timeout: float = DEFAULT_BUDGET_SECONDS,
        max_network_retries: int = 2,
        localstripe: bool | None = None,
        statement_descriptor_suffix: str = "",
        statement_descriptor_prefix: str = "",
    ):
        try:
            # Sent with every charge; the prefix is only known to check the length.
            self.statement_descriptor_suffix = check_suffix(
                statement_descriptor_suffix, statement_descriptor_prefix
            )
        except ValueError as exc:
            raise ImproperlyConfigured(str(exc)) from None
        self.publishable_key = publishable_key
        self.webhook_secret = webhook_secret
        self.api_base = (api_base or LIVE_API_BASE).rstrip("/")
        self.js_url = js_url or LIVE_JS_URL
        # An overridden API base means localstripe, which refuses a few parameters live Stripe
        # needs; pass localstripe=False for a proxy in front of live Stripe.
        self.localstripe = bool(api_base) if localstripe is None else localstripe
        # `timeout` is the budget of one operation, all its requests and retries together.
        self._http = BudgetedClient(float(timeout))
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": self.api_base},
            # The SDK retries connection errors and 409/5xx answers with the same idempotency
            # key, so a retried create is answered from Stripe's record, never charged twice.
            max_network_retries=max_network_retries,
            http_client=self._http,
        )

    # What the browser needs ------------------------------------------------------------

    def browser_config(self) -> dict:
        return {
            "provider": self.name,
            "script_url": self.js_url,
            "publishable_key": self.publishable_key,
        }

    def script_origins(self) -> list[str]:
        origins = []
        for url in (self.js_url, self.api_base):
            parts = urlsplit(url)
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in origins:
                origins.append(origin)
        if not self.localstripe:
            origins.append(LIVE_FRAME_ORIGIN)
        return origins

    @within_budget
    def delete_customer(self, customer_id: str) -> None:
        with self._errors():
            try:
                self._client.v1.customers.delete(customer_id)
            except stripe.InvalidRequestError as exc:
                # "No such customer": deleted already (a retried erasure), so gone either way.
                if exc.http_status != 404:
                    raise
