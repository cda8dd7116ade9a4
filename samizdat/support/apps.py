from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "samizdat.support"
    label = "support"
    verbose_name = _("Reader revenue")

    def ready(self) -> None:
        from samizdat.core import generations

        from .giving import appeals
        from .models import (
            Appeal,
            AppealVariant,
            Campaign,
            Donation,
            DonationForm,
            RecurringDonation,
        )

        appeals.register()
        # What moves each: the pages that show appeals or the form follow (pagecache), the
        # goal's frame follows the progress. A campaign decides whether pages show the goal,
        # and its target.
        moves = {
            Appeal: generations.bumper(appeals.APPEALS),
            AppealVariant: generations.bumper(appeals.APPEALS),
            DonationForm: generations.bumper(appeals.FORMS),
            Campaign: generations.bumper(appeals.APPEALS, appeals.PROGRESS),
            Donation: appeals.gift_changed,
            RecurringDonation: appeals.gift_changed,
        }
        for model, receiver in moves.items():
            for signal in (post_save, post_delete):
                signal.connect(
                    receiver,
                    sender=model,
                    weak=False,
                    dispatch_uid=f"samizdat-generations-{signal!r}-{model._meta.label}",
                )
