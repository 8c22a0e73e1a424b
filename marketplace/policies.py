"""Who may see and do what. Every page and API endpoint asks here, and list queries are scoped here."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.module_loading import import_string

from marketplace.errors import NotAllowed
from marketplace.models import Attachment, Contract, Invitation, JobPost, Organization, Proposal, Thread, User


def org_ids(user: User) -> list[int]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_org_ids", None)
    if cached is None:
        cached = list(user.memberships.values_list("organization_id", flat=True))
        user._org_ids = cached  # type: ignore[attr-defined]
    return cached


def is_member(user: User, organization_id: int) -> bool:
    return organization_id in org_ids(user)


def is_recruiter(user: User) -> bool:
    return bool(user.is_authenticated and user.is_staff)


def require_member(user: User, organization: Organization) -> None:
    if not is_member(user, organization.pk):
        raise NotAllowed("Only members of this organisation can do that.")


def require_freelancer(user: User) -> None:
    if not (user.is_authenticated and user.is_freelancer):
        raise NotAllowed("Only freelancers can do that.")


# --- Scoped querysets: a row outside these is "not found" for that user. --------------------------


def jobs_visible(user: User) -> QuerySet[JobPost]:
    """Open jobs to everyone signed in; drafts and closed jobs to their organisation (and staff)."""
    if is_recruiter(user):
        return JobPost.objects.all()
    return JobPost.objects.filter(Q(status=JobPost.Status.OPEN) | Q(organization_id__in=org_ids(user)))


def jobs_owned(user: User) -> QuerySet[JobPost]:
    """The jobs of the user's organisations: the ones they may edit and whose proposals they read."""
    return JobPost.objects.filter(organization_id__in=org_ids(user))


def proposals_visible(user: User) -> QuerySet[Proposal]:
    """A freelancer's own proposals; proposals on a client organisation's jobs."""
    if is_recruiter(user):
        return Proposal.objects.all()
    return Proposal.objects.filter(Q(freelancer=user) | Q(job__organization_id__in=org_ids(user)))


def invitations_visible(user: User) -> QuerySet[Invitation]:
    if is_recruiter(user):
        return Invitation.objects.all()
    return Invitation.objects.filter(Q(freelancer=user) | Q(job__organization_id__in=org_ids(user)))


def contracts_visible(user: User) -> QuerySet[Contract]:
    """Only the two parties (and recruiter staff, read-only) see a contract."""
    if is_recruiter(user):
        return Contract.objects.all()
    return Contract.objects.filter(Q(freelancer=user) | Q(organization_id__in=org_ids(user)))


def threads_visible(user: User) -> QuerySet[Thread]:
    if is_recruiter(user):
        return Thread.objects.all()
    return Thread.objects.filter(Q(freelancer=user) | Q(organization_id__in=org_ids(user)))


def attachments_visible(user: User) -> QuerySet[Attachment]:
    """A file is seen by whoever may see what it is attached to: a milestone submission's contract,
    a message's conversation, or what another app attaches files to (ATTACHMENT_SCOPES: dotted paths
    to `scope(user) -> Q` over Attachment)."""
    if not user.is_authenticated:
        return Attachment.objects.none()
    if is_recruiter(user):
        return Attachment.objects.all()
    allowed = Q(submission__milestone__contract__in=contracts_visible(user)) | Q(
        message__thread__in=threads_visible(user)
    )
    for path in getattr(settings, "ATTACHMENT_SCOPES", []):
        allowed |= import_string(path)(user)
    return Attachment.objects.filter(allowed)


# --- Roles on one object -----------------------------------------------------------------------------


def contract_side(user: User, contract: Contract) -> str | None:
    """'client', 'freelancer', 'staff' (read-only) or None."""
    if contract.freelancer_id == user.pk:
        return "freelancer"
    if is_member(user, contract.organization_id):
        return "client"
    if is_recruiter(user):
        return "staff"
    return None


def require_contract_side(user: User, contract: Contract, side: str) -> None:
    if contract_side(user, contract) != side:
        who = "the client" if side == "client" else "the freelancer"
        raise NotAllowed(f"Only {who} on this contract can do that.")


def require_thread_party(user: User, thread: Thread) -> None:
    if not (thread.freelancer_id == user.pk or is_member(user, thread.organization_id)):
        raise NotAllowed("Only the people in this conversation can write in it.")
