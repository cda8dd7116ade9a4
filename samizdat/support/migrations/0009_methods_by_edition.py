from django.db import migrations, models


class Migration(migrations.Migration):
    """The hand-typed list of payment methods goes: it named Apple Pay, Google Pay, SEPA and
    PayPal, which no provider took. Nothing of it is carried over: a form whose editions chose
    nothing shows every configured method, which for a Stripe-only site is the card it took."""

    dependencies = [
        ("support", "0008_payment_requests"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="donationform",
            name="payment_methods",
        ),
        migrations.AddField(
            model_name="donationform",
            name="methods_by_edition",
            field=models.JSONField(
                blank=True, default=dict, verbose_name="payment methods, per edition"
            ),
        ),
    ]
