from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("payments", "0002_minimise_payloads")]

    operations = [
        migrations.AddField(
            model_name="webhookevent",
            name="status",
            field=models.CharField(
                choices=[("applied", "applied"), ("parked", "parked")],
                default="applied",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="webhookevent",
            name="waiting_for",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name="webhookevent",
            name="facts",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddIndex(
            model_name="webhookevent",
            index=models.Index(
                condition=models.Q(("status", "parked")),
                fields=["provider", "waiting_for"],
                name="parked_events",
            ),
        ),
    ]
