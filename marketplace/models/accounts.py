"""People and organisations: users, client organisations on a plan, freelancer profiles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Upper

from marketplace.models.text import LineField


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        # Emails are unique regardless of case, and people type them in any case.
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.update(is_staff=True, is_superuser=True, kind=User.Kind.STAFF)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """Anyone who signs in. Logs in with an email address; there is no username."""

    class Kind(models.TextChoices):
        CLIENT = "client", "Client"
        FREELANCER = "freelancer", "Freelancer"
        STAFF = "staff", "Tandem staff"

    username = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    first_name = LineField("first name", max_length=150, blank=True)
    last_name = LineField("last name", max_length=150, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CLIENT)

    objects = UserManager()  # type: ignore[assignment,misc]

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []  # type: ignore[misc]

    class Meta:
        # Upper, as the login's email__iexact compares: PostgreSQL reads "ſ" as S and "ı" as I in UPPER but not
        # in LOWER, so a Lower index let "bob@tandem.teſt" in beside bob, and then neither could log in.
        constraints = [models.UniqueConstraint(Upper("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_client(self) -> bool:
        return self.kind == self.Kind.CLIENT

    @property
    def is_freelancer(self) -> bool:
        return self.kind == self.Kind.FREELANCER


class Organization(models.Model):
    """A client organisation. Its plan decides what its members may do (e.g. counter-offers)."""

    class Plan(models.TextChoices):
        BASIC = "basic", "Basic"
        BUSINESS_PLUS = "business_plus", "Business Plus"
        ENTERPRISE = "enterprise", "Enterprise"

    name = LineField(max_length=200)
    plan = models.CharField(max_length=16, choices=Plan.choices, default=Plan.BASIC)
    payment_verified = models.BooleanField(default=False)
    members = models.ManyToManyField(User, through="Membership", related_name="organizations")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MEMBER = "member", "Member"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} ({self.get_role_display()})"
