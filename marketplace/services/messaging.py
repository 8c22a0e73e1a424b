"""Conversations: threads, messages with attachments, read receipts."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from marketplace import events, policies
from marketplace.models import Contract, JobPost, Message, Notification, Thread, ThreadRead, User
from marketplace.models.text import MEDIUM, text_check
from marketplace.services.files import attachment_create, uploads_check
from marketplace.services.limits import require_room
from marketplace.services.notifications import notify


def thread_for_contract(*, contract: Contract) -> Thread:
    thread, _ = Thread.objects.get_or_create(
        contract=contract, defaults={"organization_id": contract.organization_id, "freelancer": contract.freelancer}
    )
    return thread


def thread_for_job(*, job: JobPost, freelancer: User) -> Thread:
    """The conversation about a job before any hire (one per job and freelancer)."""
    thread, _ = Thread.objects.get_or_create(
        job=job, freelancer=freelancer, contract=None, defaults={"organization_id": job.organization_id}
    )
    return thread


@transaction.atomic
def message_send(*, thread: Thread, sender: User, body: str, files: list[UploadedFile] | None = None) -> Message:
    policies.require_thread_party(sender, thread)
    body = text_check(body, field="body", limit=MEDIUM, label="A message")
    if not body and not files:
        raise ValidationError({"body": "Write a message or attach a file."})
    uploads_check(files)  # all of them, before anything is stored
    require_room(  # each message is news in the other side's bell and inbox
        Message.objects.filter(sender=sender),
        person=sender,
        within=timedelta(hours=1),
        limit=settings.MESSAGES_PER_HOUR,
        message=f"You have sent {settings.MESSAGES_PER_HOUR} messages in the last hour: wait before sending more.",
    )
    now = timezone.now()
    message = Message.objects.create(thread=thread, sender=sender, body=body, created_at=now)
    for upload in files or []:
        attachment_create(upload=upload, by=sender, message=message)
    Thread.objects.filter(pk=thread.pk).update(last_message_at=now)
    thread_mark_read(thread=thread, user=sender, at=now)
    notify(
        users=_other_side(thread, sender),
        kind="message_received",
        event_key=f"message:{message.pk}",
        title=f"New message from {sender.get_full_name() or sender.email}",
        body=body[:300],
        url=thread_url(thread),
    )
    if thread.contract_id and sender.pk != thread.freelancer_id:
        contract_id = thread.contract_id
        transaction.on_commit(
            lambda: events.contract_activity.send(sender=Message, contract_id=contract_id, what="message_from_client")
        )
    return message


def _other_side(thread: Thread, sender: User) -> list[User]:
    if sender.pk == thread.freelancer_id:
        if thread.contract_id:
            return [thread.contract.client]  # type: ignore[union-attr]
        return [m.user for m in thread.organization.memberships.select_related("user")]
    return [thread.freelancer]


def thread_url(thread: Thread) -> str:
    """Where a thread's notifications lead (a contract's thread opens in its contract room)."""
    return f"/messages/{thread.pk}/"


def thread_mark_read(*, thread: Thread, user: User, at=None) -> None:  # noqa: ANN001
    """Everything up to `at` (now) is seen by user, the bell's news of its messages included; never moves
    a receipt backwards."""
    at = at or timezone.now()
    Notification.objects.filter(
        user=user, kind="message_received", url=thread_url(thread), read_at__isnull=True, created_at__lte=at
    ).update(read_at=at)
    receipt, created = ThreadRead.objects.get_or_create(thread=thread, user=user, defaults={"last_read_at": at})
    if not created and receipt.last_read_at < at:
        ThreadRead.objects.filter(pk=receipt.pk, last_read_at__lt=at).update(last_read_at=at)
