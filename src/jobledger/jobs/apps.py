from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobledger.jobs"
    label = "jobs"
    verbose_name = "Jobs and daily work reports"
