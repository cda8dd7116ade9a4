"""Stripe behind the PaymentProvider interface: the only package in Samizdat that imports `stripe`.

- `client`: the HTTP client and its time budget per operation;
- `errors`: the SDK's exceptions as the interface's, with donor-readable messages;
- `objects`: reading Stripe's plans, subscriptions and invoices in either API version's shape;
- `checkout`: a gift's first payment, once or recurring, and what became of it;
- `recurring`: plans, and a donor's changes to a subscription;
- `webhooks`: signed events checked and translated;
- `reconcile`: recent objects replayed as events;
- `provider`: `StripeProvider`, all of these on one configured instance.
"""

from samizdat.payments.providers.stripe.objects import plan_id_for
from samizdat.payments.providers.stripe.provider import StripeProvider

__all__ = ["StripeProvider", "plan_id_for"]
