"""Gifts paid to an address: the rates the newsroom set, the requests and the transfers seen."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .gifts import Donation


def _new_reference() -> str:
    return uuid.uuid4().hex


class ExchangeRate(models.Model):
    """What one coin is worth in a currency, as the newsroom set it: the amount a payment
    request asks for, and the value a payment to an address is recorded at."""

    coin = models.CharField(max_length=10, verbose_name=_("coin"))  # "xmr", "btc"
    currency = models.CharField(max_length=3, verbose_name=_("currency"))
    # Minor units of the currency for one whole coin: 15000 = $150.00 per XMR.
    minor_per_coin = models.PositiveBigIntegerField(verbose_name=_("value of one coin"))
    set_at = models.DateTimeField(default=timezone.now, verbose_name=_("set at"))
    set_by = models.CharField(max_length=150, blank=True, verbose_name=_("set by"))
    source = models.CharField(max_length=300, blank=True, verbose_name=_("source"))

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-set_at", "-pk"]
        indexes = [models.Index(fields=["coin", "currency", "-set_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(minor_per_coin__gt=0), name="exchange_rate_above_zero"
            )
        ]

    def __str__(self) -> str:
        return f"1 {self.coin.upper()} = {self.minor_per_coin / 100:.2f} {self.currency.upper()}"


class PaymentRequest(models.Model):
    """A gift to be paid to a fresh address: what the reader was asked to send, and what came.

    Its donation is created pending with the request and is paid once a transfer to the address
    has the provider's confirmations; its amount is then the value of what arrived (at the
    request's rate), so an under- or over-payment is recorded as it is.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for payment")
        SEEN = "seen", _("Seen, waiting for confirmations")
        PAID = "paid", _("Paid")
        EXPIRED = "expired", _("Expired")

    donation = models.OneToOneField(
        Donation, on_delete=models.PROTECT, related_name="payment_request"
    )
    # A random reference in the status page's signed link: the page never shows an id.
    reference = models.CharField(max_length=32, unique=True, default=_new_reference)
    provider = models.CharField(max_length=20)  # "monero", "bitcoin"
    coin = models.CharField(max_length=10)
    address = models.CharField(max_length=120, db_index=True)
    address_index = models.PositiveIntegerField()
    amount_atomic = models.PositiveBigIntegerField()  # what the reader was asked to send
    received_atomic = models.PositiveBigIntegerField(default=0)  # confirmed, all transfers
    seen_atomic = models.PositiveBigIntegerField(default=0)  # not yet confirmed
    rate = models.ForeignKey(ExchangeRate, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    seen_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("payment request")
        verbose_name_plural = _("payment requests")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["provider", "status"])]
        constraints = [
            # An address serves one open request at a time; an expired, unpaid one may be
            # handed out again (Bitcoin's gap limit), so the rule holds only while it is open.
            models.UniqueConstraint(
                fields=["provider", "address"],
                condition=Q(status__in=["open", "seen"]),
                name="one_open_request_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.coin.upper()} {self.address[:12]}… ({self.get_status_display()})"


class ChainTransfer(models.Model):
    """One transfer to a payment request's address, as the watcher last saw it. One row per
    (provider, txid, address): a replayed detection run finds it and changes nothing."""

    request = models.ForeignKey(PaymentRequest, on_delete=models.PROTECT, related_name="transfers")
    provider = models.CharField(max_length=20)
    txid = models.CharField(max_length=100)
    address = models.CharField(max_length=120)
    amount_atomic = models.PositiveBigIntegerField()
    confirmations = models.PositiveIntegerField(default=0)
    confirmed = models.BooleanField(default=False)
    first_seen_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # False once the chain stopped showing it (a reorganisation dropped it from its block and
    # the pool): it counts for nothing until it comes back.
    present = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("chain transfer")
        verbose_name_plural = _("chain transfers")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "txid", "address"], name="one_row_per_transfer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.txid[:12]}… → {self.address[:12]}… ({self.confirmations})"
