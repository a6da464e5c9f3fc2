from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "jobledger.demo"
    label = "demo"
    verbose_name = "Demo company"
