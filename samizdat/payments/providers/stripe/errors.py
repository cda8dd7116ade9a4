"""The SDK's exceptions as the interface's, with donor-readable, translatable messages."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import stripe
from django.utils.translation import gettext

from samizdat.payments.base import OutcomeUnknown, PaymentError, ProviderUnavailable
from samizdat.payments.providers.stripe.client import BudgetedClient

logger = logging.getLogger(__name__)


def decline_message(code: str | None) -> str:
    """A donor-readable, translatable sentence for Stripe's decline or error code.

    Stripe's own messages are English only; these follow the donor's language.
    """
    messages = {
        "insufficient_funds": gettext("Your card has insufficient funds. Try another card."),
        "expired_card": gettext("Your card has expired. Try another card."),
        "incorrect_cvc": gettext("Your card's security code is incorrect."),
        "invalid_cvc": gettext("Your card's security code is incorrect."),
        "incorrect_number": gettext("Your card number is incorrect."),
        "invalid_number": gettext("Your card number is incorrect."),
        "invalid_expiry_month": gettext("Your card's expiry date is incorrect."),
        "invalid_expiry_year": gettext("Your card's expiry date is incorrect."),
        "processing_error": gettext(
            "Your card could not be processed just now. Nothing was charged; please try again."
        ),
        "authentication_required": gettext(
            "Your bank asked to confirm this payment and it was not confirmed. "
            "Please try again or use another card."
        ),
        "payment_intent_authentication_failure": gettext(
            "Your bank could not confirm this payment. Please try again or use another card."
        ),
    }
    return messages.get(
        code or "",
        gettext("Your card was declined. Nothing was charged; please try another card."),
    )


def generic_failure() -> str:
    return gettext("The payment could not be completed. Nothing was charged; please try again.")


class StripeErrors:
    """Wraps each call to Stripe: `with self._errors(): …`."""

    _http: BudgetedClient

    @contextmanager
    def _errors(self, charging: bool = False) -> Iterator[None]:
        """Translate the SDK's exceptions into the interface's, with donor-readable messages."""
        sent_before = self._http.sent()
        try:
            yield
        except stripe.CardError as exc:
            body = exc.json_body if isinstance(exc.json_body, Mapping) else {}
            error = body.get("error") or {}
            code = error.get("decline_code") or exc.code or "card_declined"
            raise PaymentError(
                decline_message(code), code=code, retryable=code == "processing_error"
            ) from exc
        except (stripe.APIConnectionError, stripe.RateLimitError) as exc:
            # A charge that never left (no time left to send it) charged nothing.
            raise self._unavailable(charging and self._http.sent() > sent_before) from exc
        except stripe.APIError as exc:
            if exc.http_status is None or exc.http_status >= 500:
                raise self._unavailable(charging) from exc
            raise PaymentError(generic_failure(), code=exc.code or "api_error") from exc
        except stripe.StripeError as exc:
            # Not Stripe's message: it can quote what was sent. The request id finds it in
            # Stripe's dashboard.
            logger.error(
                "Stripe refused a request: %s, code %s, parameter %s, request %s",
                type(exc).__name__,
                exc.code,
                getattr(exc.error, "param", None),
                exc.request_id,
            )
            # Stripe names a missing object "resource_missing"; localstripe only answers 404.
            missing = "resource_missing" if exc.http_status == 404 else "stripe_error"
            raise PaymentError(generic_failure(), code=exc.code or missing) from exc

    @staticmethod
    def _unavailable(charging: bool) -> ProviderUnavailable:
        """`charging`: the request that failed may have charged."""
        if charging:
            # The request may have reached Stripe before the connection failed: do not promise
            # that nothing was charged. A charge that did happen arrives by webhook, and
            # `reconcile` settles one that did not.
            return OutcomeUnknown(
                gettext(
                    "The payment service did not answer in time. If the payment went through, "
                    "you will receive a receipt by e-mail; please check before trying again."
                )
            )
        return ProviderUnavailable(
            gettext("The payment service is not answering. Nothing was charged; please try again.")
        )
