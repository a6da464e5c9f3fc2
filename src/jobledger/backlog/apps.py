from django.apps import AppConfig


class BacklogConfig(AppConfig):
    name = "jobledger.backlog"
    label = "backlog"
    verbose_name = "Backlogs"
