from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "jobledger.exports"
    label = "exports"
    verbose_name = "Accounting exports"
