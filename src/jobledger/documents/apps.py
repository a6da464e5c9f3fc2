from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "jobledger.documents"
    label = "documents"
    verbose_name = "Invoice documents"
