"""Russian declines names, and a newsroom's name is whatever its editors typed: every Russian
sentence that carries it puts it in «quotes» after a word that takes the case ("изданию
«Фонарь»"), never "для Фонарь"."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

from samizdat.support.giving.receipts import send_receipt_later
from tests.support.factories import DonationFactory, DonorFactory

PO = Path(__file__).parents[2] / "samizdat/locale/ru/LC_MESSAGES/django.po"
NAME = re.compile(r"%\((newsroom|name)\)s")


def test_every_russian_sentence_with_the_newsrooms_name_quotes_it():
    unquoted = []
    for entry in polib.pofile(str(PO)):
        if "%(newsroom)s" not in entry.msgid and not entry.msgid.startswith("%(name)s is indep"):
            continue
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            for found in NAME.finditer(text):
                before, after = text[found.start() - 1 : found.start()], text[found.end() :][:1]
                if (before, after) != ("«", "»"):
                    unquoted.append(text)
    assert unquoted == []


@pytest.mark.django_db
def test_a_russian_receipt_gives_the_name_in_quotes_after_a_word_that_declines(
    newsroom, mailoutbox
):
    home = newsroom.homes["ru"]
    home.title = "Фонарь"
    home.save_revision().publish()
    donation = DonationFactory(donor=DonorFactory(language="ru"), amount_minor=1000)

    send_receipt_later(donation.pk)

    (receipt,) = mailoutbox
    assert "изданию «Фонарь»" in receipt.subject
    assert "изданию «Фонарь»" in receipt.body
    assert "для Фонарь" not in receipt.body + receipt.subject
