from django.apps import AppConfig


class UmaConfig(AppConfig):
    name = "uma"
    verbose_name = "Uma (models)"
    # Recruiters read what Uma said (the audit) and which model versions say it (promotion stays with admins).
    recruiter_permissions = ("uma.view_auditrecord", "uma.view_modelversion", "uma.view_promotion")
