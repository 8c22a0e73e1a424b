from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm

from marketplace.models import User


class SignUpForm(forms.Form):
    kind = forms.ChoiceField(
        label="I want to",
        choices=[(User.Kind.CLIENT, "Hire freelancers"), (User.Kind.FREELANCER, "Find work")],
        widget=forms.RadioSelect,
    )
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField()
    organization_name = forms.CharField(
        label="Company or team name", max_length=200, required=False, help_text="Clients only."
    )
    password1 = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label="Password again", strip=False, widget=forms.PasswordInput)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email already exists. Log in instead.")
        return email

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("kind") == User.Kind.CLIENT and not data.get("organization_name", "").strip():
            self.add_error("organization_name", "Clients need a company or team name.")
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords differ.")
        elif password1:
            probe = User(
                email=data.get("email", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class QueuedPasswordResetForm(PasswordResetForm):
    """Sends the reset email from a Celery worker, after the request has committed."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        from django.template import loader

        from marketplace.services.notifications import email_queue

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        key = f"password-reset:{context['uid']}:{context['token']}"
        email_queue(key=key, to=to_email, subject=subject, body=body)
