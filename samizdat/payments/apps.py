from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "samizdat.payments"
    label = "payments"
    verbose_name = "Payments"
