"""`samizdat rotate_donor_keys`: re-encrypt all personal data with the first configured key.

Key rotation: set SAMIZDAT_ENCRYPTION_KEYS="NEW,OLD" (the new key first), run this command,
then remove OLD. Every encrypted column of every row (donors, reminders, newsletter
subscribers) is decrypted with whichever key fits and written again under NEW.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from samizdat.core.crypto import encrypted_fields

BATCH = 500


class Command(BaseCommand):
    help = (
        "Re-encrypt donor and subscriber personal data with the first SAMIZDAT_ENCRYPTION_KEYS key."
    )

    def handle(self, *args, **options) -> None:
        total = 0
        for model, fields in encrypted_fields():
            rows = 0
            # Reading decrypts with any configured key; update() encrypts with the first one.
            pks = list(model._base_manager.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(pks), BATCH):
                batch = pks[start : start + BATCH]
                with transaction.atomic():
                    values = model._base_manager.filter(pk__in=batch).values_list("pk", *fields)
                    for pk, *clear in values:
                        model._base_manager.filter(pk=pk).update(
                            **dict(zip(fields, clear, strict=True))
                        )
                        rows += 1
            self.stdout.write(f"{model._meta.label}: {rows} rows re-encrypted")
            total += rows
        self.stdout.write(self.style.SUCCESS(f"{total} rows re-encrypted with the first key."))
