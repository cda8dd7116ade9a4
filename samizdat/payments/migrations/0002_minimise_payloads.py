"""Minimise the provider payloads stored before intake did: the same allow-list as
samizdat/payments/intake.py at the time of writing, copied so that this migration means the same
thing whatever intake.py becomes."""

from collections.abc import Mapping

from django.db import migrations

KEPT_KEYS = frozenset(
    {
        "id",
        "object",
        "type",
        "api_version",
        "livemode",
        "data",
        "previous_attributes",
        "deleted",
        "customer",
        "subscription",
        "subscription_item",
        "invoice",
        "payment_intent",
        "charge",
        "latest_invoice",
        "latest_charge",
        "payment",
        "payments",
        "plan",
        "price",
        "product",
        "items",
        "lines",
        "charges",
        "refunds",
        "parent",
        "subscription_details",
        "subscription_item_details",
        "pricing",
        "price_details",
        "amount",
        "amount_due",
        "amount_paid",
        "amount_remaining",
        "amount_received",
        "amount_refunded",
        "amount_captured",
        "unit_amount",
        "quantity",
        "subtotal",
        "total",
        "currency",
        "status",
        "paid",
        "refunded",
        "captured",
        "attempted",
        "attempt_count",
        "billing_reason",
        "cancel_at_period_end",
        "interval",
        "interval_count",
        "recurring",
        "last_payment_error",
        "code",
        "decline_code",
        "failure_code",
        "created",
        "period",
        "start",
        "end",
        "current_period_start",
        "current_period_end",
        "start_date",
        "billing_cycle_anchor",
        "cancel_at",
        "canceled_at",
        "ended_at",
        "trial_start",
        "trial_end",
        "status_transitions",
        "finalized_at",
        "paid_at",
        "voided_at",
        "marked_uncollectible_at",
    }
)
KEPT_METADATA = frozenset({"donation_id", "variant_id", "frequency"})
BATCH = 500


def minimise_payload(value):
    if isinstance(value, Mapping):
        kept = {}
        for key, item in value.items():
            if key == "metadata":
                if isinstance(item, Mapping):
                    kept[key] = {
                        k: str(v) for k, v in item.items() if k in KEPT_METADATA and v is not None
                    }
            elif key in KEPT_KEYS:
                kept[key] = minimise_payload(item)
        return kept
    if isinstance(value, list | tuple):
        return [minimise_payload(item) for item in value]
    return value


def minimise_stored_payloads(apps, schema_editor):
    WebhookEvent = apps.get_model("payments", "WebhookEvent")
    events = WebhookEvent.objects.using(schema_editor.connection.alias)
    # Ids first, rows a batch at a time: no cursor stays open on the table being rewritten.
    pks = list(events.exclude(payload={}).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        changed = []
        for event in events.filter(pk__in=pks[start : start + BATCH]).only("pk", "payload"):
            minimised = minimise_payload(event.payload)
            if minimised != event.payload:
                event.payload = minimised
                changed.append(event)
        events.bulk_update(changed, ["payload"])


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [
        # What was removed is gone: going back leaves the payloads minimised.
        migrations.RunPython(minimise_stored_payloads, migrations.RunPython.noop, elidable=True),
    ]
