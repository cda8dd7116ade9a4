from django.db import migrations, models

import samizdat.core.crypto


class Migration(migrations.Migration):
    # After the card-testing episodes (0010, written at the same time): one line of history.
    dependencies = [("support", "0010_card_testing_episodes")]

    operations = [
        migrations.AddField(
            model_name="donation",
            name="checkout_name",
            field=samizdat.core.crypto.EncryptedTextField(
                blank=True, default="", editable=False
            ),
        ),
        migrations.AddField(
            model_name="donation",
            name="checkout_anonymous",
            field=models.BooleanField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="donation",
            name="checkout_language",
            field=models.CharField(blank=True, editable=False, max_length=10),
        ),
    ]
