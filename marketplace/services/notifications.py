"""Notifications: a row per person per event (the bell), then an email if they want one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from marketplace.models import Notification, NotificationPreference, OutgoingEmail, User


def notify(*, users: Iterable[User], kind: str, title: str, event_key: str, url: str = "", body: str = "") -> None:
    """Record the notification for each person once (per event_key); email after commit."""
    rows = [
        Notification(user=user, kind=kind, title=title[:200], body=body, url=url, event_key=event_key)
        for user in {u.pk: u for u in users if u is not None}.values()
    ]
    if not rows:
        return
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    from marketplace.tasks import notification_emails_send

    notification_emails_send.delay_on_commit(event_key=event_key)


def notification_emails_send(*, event_key: str) -> int:
    """Email each not-yet-emailed notification of the event to whoever wants it. Safe to repeat:
    a notification is claimed (emailed_at set) by one conditional UPDATE before its email goes."""
    sent = 0
    pending = Notification.objects.filter(event_key=event_key, emailed_at__isnull=True).select_related(
        "user__notification_preference"
    )
    for notification in pending:
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed or not preference_for(notification.user).wants_email(notification.kind):
            continue
        if _told_already(notification):
            continue
        link = f"{settings.SITE_URL}{notification.url}" if notification.url else settings.SITE_URL
        preferences = f"{settings.SITE_URL}/settings/notifications/"
        send_mail(
            subject=f"Tandem: {notification.title}",
            message=f"{notification.body}\n\n{link}\n\nChoose which emails you get: {preferences}",
            from_email=None,
            recipient_list=[notification.user.email],
        )
        sent += 1
    return sent


COALESCED = {"message_received"}  # one email until the person reads: a chatty thread is not an email each line


def _told_already(notification: Notification) -> bool:
    """Whether an earlier notification of the same kind about the same place is still unread: its email
    (sent, or on its way) already says there is news there."""
    if notification.kind not in COALESCED:
        return False
    earlier = Notification.objects.filter(
        user_id=notification.user_id,
        kind=notification.kind,
        url=notification.url,
        read_at__isnull=True,
        pk__lt=notification.pk,
    )
    return earlier.exists()


def email_queue(*, key: str, to: str, subject: str, body: str) -> OutgoingEmail:
    """Record an email for `key` (once: a second call with the same key changes nothing) and have a
    worker send it after commit."""
    email, _ = OutgoingEmail.objects.get_or_create(key=key, defaults={"to": to, "subject": subject, "body": body})
    from marketplace.tasks import email_send

    email_send.delay_on_commit(email_id=email.pk)
    return email


def email_send(*, email_id: int) -> bool:
    """Send a queued email unless it was sent already. The conditional UPDATE that claims it lets only
    one worker through, so running this twice (or on two workers at once) sends one email."""
    claimed = OutgoingEmail.objects.filter(pk=email_id, sent_at__isnull=True).update(sent_at=timezone.now())
    if not claimed:
        return False
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        send_mail(subject=email.subject, message=email.body, from_email=None, recipient_list=[email.to])
    except OSError:
        OutgoingEmail.objects.filter(pk=email_id).update(sent_at=None)  # not sent: let a retry claim it
        raise
    return True


def outbox_sweep(*, older_than: timedelta, limit: int = 500) -> tuple[list[str], list[int]]:
    """Queue again what was recorded but never sent (the broker was down when it committed, or the task
    was lost): notifications not yet emailed, by event, and queued emails not yet sent. Sending claims
    each row once, so queuing something still on its way sends nothing twice."""
    from marketplace.tasks import email_send, notification_emails_send

    cutoff = timezone.now() - older_than
    events = list(
        Notification.objects.filter(emailed_at__isnull=True, created_at__lt=cutoff)
        .values_list("event_key", flat=True)
        .distinct()[:limit]
    )
    emails = list(
        OutgoingEmail.objects.filter(sent_at__isnull=True, created_at__lt=cutoff).values_list("pk", flat=True)[:limit]
    )
    for event_key in events:
        notification_emails_send.delay(event_key=event_key)
    for email_id in emails:
        email_send.delay(email_id=email_id)
    return events, emails


def preference_for(user: User) -> NotificationPreference:
    preference = getattr(user, "notification_preference", None)
    return preference or NotificationPreference(user=user)


@transaction.atomic
def notification_preference_update(*, user: User, email_enabled: bool, email_muted_kinds: list[str]) -> None:
    valid = set(Notification.Kind.values)
    NotificationPreference.objects.update_or_create(
        user=user,
        defaults={"email_enabled": email_enabled, "email_muted_kinds": sorted(set(email_muted_kinds) & valid)},
    )


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark some (or all) of the user's own notifications read; returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
