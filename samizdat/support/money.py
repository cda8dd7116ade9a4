"""Money in and out of text: amounts as readers type them, and as readers and the revenue team
read them.

Everything stores integer minor units and lower-case ISO currency codes. Readers type major
units ("25", "25.50", "25,50"); parse_amount turns that into minor units, and format_money
turns minor units back into text: "$25" or "$25.50" for readers, "$25.00" or "1,500.00 RUB" in
the admin's tables (report=True).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Minor units per major unit. The readers' side (the donation form, its suggested amounts and
# limits, self-service) takes currencies with cents only and always counts 100 to the unit.
MINOR_PER_MAJOR = 100

# ISO 4217 currencies without a minor unit (Stripe's list): 500 JPY is stored as 500. The reports
# show such amounts as they are; the readers' side counts 100 to the unit whatever the currency,
# so the admin refuses a donation form in one of these (DonationForm.clean).
ZERO_DECIMAL_CURRENCIES = frozenset(
    [
        "bif",
        "clp",
        "djf",
        "gnf",
        "jpy",
        "kmf",
        "krw",
        "mga",
        "pyg",
        "rwf",
        "ugx",
        "vnd",
        "vuv",
        "xaf",
        "xof",
        "xpf",
    ]
)

CURRENCY_SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "rub": "₽", "uah": "₴", "ils": "₪"}
# The admin's tables use a symbol only for these; any other currency shows its code after the
# number ("1,500.00 RUB"), whatever the language of the admin.
REPORT_SYMBOLS = frozenset(["usd", "eur", "gbp"])

# An amount as readers write it: digits, then at most two decimals after a point or a comma.
AMOUNT_PATTERN = re.compile(r"^(\d{1,15})(?:[.,](\d{1,2}))?$")


def minor_per_major(currency: str) -> int:
    """100 cents to the dollar; 1 for the currencies without a minor unit (JPY)."""
    return 1 if currency.lower() in ZERO_DECIMAL_CURRENCIES else MINOR_PER_MAJOR


def minor_to_decimal(amount_minor: int, currency: str) -> Decimal:
    """The amount in major units with the currency's decimals: 123456 usd -> Decimal("1234.56"),
    2000 usd -> Decimal("20.00"), 500 jpy -> Decimal("500")."""
    if minor_per_major(currency) == 1:
        return Decimal(amount_minor)
    return Decimal(amount_minor).scaleb(-2)


def to_major(amount_minor: int) -> Decimal:
    """A reader's amount in major units, without trailing zeros: 1250 -> 12.5, 1200 -> 12."""
    return Decimal(amount_minor) / MINOR_PER_MAJOR


def major_text(amount_minor: int) -> str:
    """1250 -> "12.5", 1200 -> "12": an amount as a form's number field holds it."""
    return f"{to_major(amount_minor):f}"


def format_money(
    amount_minor: int, currency: str, *, report: bool = False, whole: bool = False
) -> str:
    """Minor units as text, grouped the way the current language does it.

    For readers (the default): whole amounts without cents, the symbol where the language puts
    it: "$10", "$12.50", "$6,420"; in Russian "6 420 $" (with no-break spaces).

    `report=True`, for the revenue team's tables: always the currency's decimals so that columns
    line up, a symbol only for $, € and £: "$1,234.56", "€20.00", "1,500.00 RUB", "500 JPY".

    `whole` drops the cents, rounding half up: for chart axes, where they are noise.
    """
    currency = currency.lower()
    if report:
        amount = minor_to_decimal(amount_minor, currency)
        has_cents = minor_per_major(currency) > 1
    else:
        amount = to_major(amount_minor)
        has_cents = amount_minor % MINOR_PER_MAJOR != 0
    places = 2 if has_cents and not whole else 0
    # Django's number_format truncates; money rounds half up.
    amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    number = formats.number_format(amount, places, use_l10n=True, force_grouping=True)
    if report:
        if currency in REPORT_SYMBOLS:
            return f"{CURRENCY_SYMBOLS[currency]}{number}"
        return f"{number} {currency.upper()}"
    symbol = CURRENCY_SYMBOLS.get(currency, currency.upper())
    if (get_language() or "en").startswith("en"):
        return f"{symbol}{number}" if len(symbol) == 1 else f"{symbol}\xa0{number}"
    return f"{number}\xa0{symbol}"


class AmountError(ValueError):
    """A typed amount that is not an amount; the message is for the reader."""


def parse_amount(text: str) -> int:
    """Major units as typed -> minor units, exactly (Decimal, never float)."""
    cleaned = text.strip().replace(" ", "").replace("\xa0", "")
    if cleaned.startswith("-"):
        raise AmountError(_("Enter an amount above zero."))
    match = AMOUNT_PATTERN.match(cleaned)
    if not match:
        raise AmountError(_("Enter the amount in numbers, like 25 or 25.50."))
    whole, cents = match.groups()
    try:
        amount = Decimal(f"{whole}.{cents or '0'}")
    except InvalidOperation as exc:  # unreachable after the pattern, but never guess
        raise AmountError(_("Enter the amount in numbers, like 25 or 25.50.")) from exc
    return int(amount * MINOR_PER_MAJOR)
