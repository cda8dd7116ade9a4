"""Reader revenue: what the newsroom asks for, and what readers gave.

Money is always an integer of minor units (cents, kopecks) with a lower-case ISO 4217 code.
"""

from .asking import FREQUENCY_CHOICES, Appeal, AppealStat, AppealVariant, Campaign, DonationForm
from .cardtesting import CardTestingEpisode
from .coins import ChainTransfer, ExchangeRate, PaymentRequest, _new_reference
from .gifts import (
    Donation,
    DonationQuerySet,
    Donor,
    DonorNotice,
    RecurringDonation,
    RecurringDonationQuerySet,
)
from .records import AuditEntry, AuditEntryQuerySet, AuditLogIsAppendOnly, Reminder

__all__ = [
    "FREQUENCY_CHOICES",
    "Appeal",
    "AppealStat",
    "AppealVariant",
    "AuditEntry",
    "AuditEntryQuerySet",
    "AuditLogIsAppendOnly",
    "Campaign",
    "CardTestingEpisode",
    "ChainTransfer",
    "Donation",
    "DonationForm",
    "DonationQuerySet",
    "Donor",
    "DonorNotice",
    "ExchangeRate",
    "PaymentRequest",
    "RecurringDonation",
    "RecurringDonationQuerySet",
    "Reminder",
    # Named by migration 0008 as the payment request reference's default.
    "_new_reference",
]
