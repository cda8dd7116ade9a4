"""Factories the report tests need beyond tests/support/factories.py."""

from __future__ import annotations

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from samizdat.support.models import AppealStat
from tests.support.factories import AppealVariantFactory


class AppealStatFactory(DjangoModelFactory):
    """One day's counters for one appeal variant."""

    class Meta:
        model = AppealStat

    variant = factory.SubFactory(AppealVariantFactory)
    day = factory.LazyFunction(timezone.localdate)
