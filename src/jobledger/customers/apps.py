from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "jobledger.customers"
    label = "customers"
    verbose_name = "Customers"
