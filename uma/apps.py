from django.apps import AppConfig


class UmaConfig(AppConfig):
    name = "uma"
    verbose_name = "Uma (models)"
    recruiter_permissions = ("uma.view_auditrecord",)
