"""localstripe (the fake Stripe of `make demo`, the tests and the benches), taught the parameters
Samizdat sends that it does not know:

- a PaymentIntent's `setup_future_usage` (the card saved for the thank-you page's monthly offer);
- a Subscription's `default_payment_method`, refused unless it is the customer's (localstripe
  charges the customer's default card), and `off_session`, on create and update;
- a change from the next payment, as Stripe does it: `proration_behavior=none` leaves no credit,
  and with `trial_end` (a change of interval) nothing is charged now, the subscription is
  `trialing` until the new price is first charged.

Run it as `python -m samizdat.demo.localstripe --port 8420 --from-scratch`; `command(port)`.
"""

from __future__ import annotations

import sys
import time

from localstripe import resources, server
from localstripe.errors import UserError

FUTURE_USAGES = ("off_session", "on_session")


def command(port: int) -> list[str]:
    """The arguments that start this localstripe on 127.0.0.1:`port`, empty."""
    return [
        sys.executable,
        "-m",
        "samizdat.demo.localstripe",
        "--port",
        str(port),
        "--from-scratch",
    ]


def _payment_intent_init(original):
    def init(self, setup_future_usage=None, **kwargs):
        if setup_future_usage is not None and (
            setup_future_usage not in FUTURE_USAGES or not kwargs.get("customer")
        ):
            raise UserError(400, "Bad request")  # Stripe saves a card only to a customer
        original(self, **kwargs)
        self.setup_future_usage = setup_future_usage

    return init


def _check_default(customer_id, payment_method: str) -> None:
    default = resources.Customer._api_retrieve(customer_id)._get_default_payment_method_or_source()
    if default is None or default.id != payment_method:
        raise UserError(400, "The customer does not have a payment method with this ID as default")


def _subscription_init(original):
    def init(self, default_payment_method=None, off_session=None, **kwargs):
        if off_session is not None and resources.try_convert_to_bool(off_session) not in (
            True,
            False,
        ):
            raise UserError(400, "Bad request")
        if default_payment_method is not None:
            _check_default(kwargs.get("customer"), default_payment_method)
        original(self, **kwargs)
        self.default_payment_method = default_payment_method

    return init


def _subscription_update(original):
    def update(self, proration_behavior=None, default_payment_method=None, **data):
        if proration_behavior not in (None, "none", "create_prorations"):
            raise UserError(400, "Bad request")
        if default_payment_method is not None:
            _check_default(self.customer, default_payment_method)
            self.default_payment_method = default_payment_method
        trial_end = resources.try_convert_to_int(data.get("trial_end"))
        deferred = isinstance(trial_end, int) and trial_end > time.time()
        self._samizdat_deferring = deferred  # Stripe charges nothing before trial_end
        try:
            original(self, **data)
        finally:
            self._samizdat_deferring = False
        if proration_behavior == "none":
            for item in resources.InvoiceItem._api_list_all(
                None, customer=self.customer, limit=99
            )._list:
                if item.invoice is None and item.proration and item.subscription == self.id:
                    resources.InvoiceItem._api_delete(item.id)
        if deferred:
            self._samizdat_trial_end = trial_end
            self.status = "trialing"

    return update


def _create_invoice(original):
    def create_invoice(self):
        if not getattr(self, "_samizdat_deferring", False):
            original(self)

    return create_invoice


def _period_end(original):
    def period_end(self):
        trial_end = getattr(self, "_samizdat_trial_end", None)
        if trial_end is not None and trial_end > time.time():
            return trial_end
        return original.fget(self)

    return property(period_end)


def patch() -> None:
    if getattr(resources, "_samizdat_patched", False):
        return
    resources.PaymentIntent.__init__ = _payment_intent_init(resources.PaymentIntent.__init__)
    resources.Subscription.__init__ = _subscription_init(resources.Subscription.__init__)
    resources.Subscription._update = _subscription_update(resources.Subscription._update)
    resources.Subscription._create_invoice = _create_invoice(resources.Subscription._create_invoice)
    resources.Subscription.current_period_end = _period_end(
        resources.Subscription.current_period_end
    )
    resources._samizdat_patched = True


if __name__ == "__main__":
    patch()
    server.start()
