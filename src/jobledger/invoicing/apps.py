from django.apps import AppConfig


class InvoicingConfig(AppConfig):
    name = "jobledger.invoicing"
    label = "invoicing"
    verbose_name = "Invoicing"
