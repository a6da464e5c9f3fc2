from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "jobledger.ledger"
    label = "ledger"
    verbose_name = "GL accounts and distribution"
