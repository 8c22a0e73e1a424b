from django.apps import AppConfig


class RecruiterConfig(AppConfig):
    name = "recruiter"
    verbose_name = "AI recruiter"
