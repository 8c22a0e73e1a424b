"""Trust & safety: screening each client version, holding the risky ones, reports, decisions.

Every screening that finds something and every report is a SafetyFlag with its score and reasons;
every decision on one (held, delivered with a warning, approved, rejected) is recorded on it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marketplace.errors import Conflict, NotAllowed
from marketplace.models import User
from marketplace.services.transitions import lock, move
from offers.models import Offer, OfferVersion, SafetyFlag, Side
from offers.plans import rules_for
from offers.policies import offer_side
from offers.screening import screen
from offers.services.events import EVENT_OF_KIND, offer_event


def _texts(offer: Offer, version: OfferVersion) -> list[str]:
    return [offer.title, version.scope, version.message, *[m["title"] for m in version.milestones]]


def version_screen(*, offer: Offer, version: OfferVersion) -> SafetyFlag | None:
    """Screen a client's version (call inside its transaction, offer locked). High: the offer is
    held for review; medium: delivered with a warning; low: delivered."""
    result = screen(*_texts(offer, version))
    level = result.level
    flag = None
    if result.score:
        flag = SafetyFlag.objects.create(
            offer=offer,
            version=version,
            source=SafetyFlag.Source.SCREEN,
            score=result.score,
            level=level,
            reasons=result.reasons,
            decision=SafetyFlag.Decision.PENDING if level == "high" else SafetyFlag.Decision.WARNED,
            decided_at=None if level == "high" else timezone.now(),
            decision_note="" if level == "high" else "Delivered automatically with a warning.",
        )
    if level == "high":
        move(offer, Offer.Status.HELD, action="hold this offer for review")
        offer.save(update_fields=["status"])
        offer_event(offer, version=version, by=None, event="held", to=[offer.client])
        return flag
    _deliver(offer, warning=level == "medium")
    return flag


def _deliver(offer: Offer, *, warning: bool) -> None:
    """The freelancer may see the offer (its moves are notified by whoever made them)."""
    if offer.status != Offer.Status.OPEN:  # a held offer, cleared (a new one is open already)
        move(offer, Offer.Status.OPEN, action="deliver this offer")
    offer.delivered_at = offer.delivered_at or timezone.now()
    offer.warning = offer.warning or warning
    offer.save(update_fields=["status", "delivered_at", "warning"])


def _decide(flag: SafetyFlag, by: User, decision: str, note: str) -> tuple[SafetyFlag, Offer]:
    if not by.is_staff:
        raise NotAllowed("Only trust & safety staff decide on flagged offers.")
    flag = SafetyFlag.objects.select_for_update().get(pk=flag.pk)
    if flag.decision not in (SafetyFlag.Decision.PENDING,):
        raise Conflict(f"This flag was already decided: {flag.get_decision_display().lower()}.")
    offer = Offer.objects.select_for_update().get(pk=flag.offer_id)
    flag.decision, flag.decided_by, flag.decided_at, flag.decision_note = decision, by, timezone.now(), note
    flag.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
    return flag, offer


@transaction.atomic
def flag_approve(*, flag: SafetyFlag, by: User, note: str = "") -> SafetyFlag:
    """The offer is fine: a held one is delivered to the freelancer (its expiry starts now)."""
    flag, offer = _decide(flag, by, SafetyFlag.Decision.APPROVED, note)
    if offer.status == Offer.Status.HELD:
        offer.expires_at = timezone.now() + rules_for(offer.organization.plan).expiry
        offer.save(update_fields=["expires_at"])
        version: OfferVersion = offer.versions.order_by("-number").first()  # type: ignore[assignment]
        _deliver(offer, warning=False)
        # The held version reaches the freelancer now, as it would have when it was made.
        offer_event(offer, version=version, by=version.author, event=EVENT_OF_KIND[version.kind])
    return flag


@transaction.atomic
def flag_reject(*, flag: SafetyFlag, by: User, note: str) -> SafetyFlag:
    """The offer is a scam: it is removed and both sides are told."""
    if not (note or "").strip():
        raise ValidationError({"note": "Record why the offer is being removed."})
    flag, offer = _decide(flag, by, SafetyFlag.Decision.REJECTED, note.strip())
    if offer.is_live:
        move(offer, Offer.Status.REMOVED, action="remove this offer")
        offer.awaiting, offer.closed_at, offer.closed_by = "", timezone.now(), by
        offer.close_note = note.strip()
        offer.save(update_fields=["status", "awaiting", "closed_at", "closed_by", "close_note"])
        version = offer.versions.order_by("-number").first()
        offer_event(offer, version=version, by=None, event="removed")  # type: ignore[arg-type]
    return flag


@transaction.atomic
def flag_dismiss(*, flag: SafetyFlag, by: User, note: str = "") -> SafetyFlag:
    """A report or warning that needs nothing done (the offer stays as it is)."""
    flag, _ = _decide(flag, by, SafetyFlag.Decision.DISMISSED, note)
    return flag


@transaction.atomic
def offer_report(*, offer: Offer, by: User, note: str) -> SafetyFlag:
    """The freelancer reports an offer to trust & safety, saying what is wrong."""
    if offer_side(by, offer) != Side.FREELANCER:
        raise NotAllowed("Only the freelancer an offer was sent to can report it.")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Tell us what is wrong with this offer."})
    if len(note) > 2000:
        raise ValidationError({"note": "At most 2000 characters."})
    offer = lock(offer)  # two reports at once: the second waits, then sees the first
    if SafetyFlag.objects.filter(offer=offer, reported_by=by, decision=SafetyFlag.Decision.PENDING).exists():
        raise Conflict("You have already reported this offer; trust & safety will look at it.")
    version = offer.versions.filter(author_side=Side.CLIENT).order_by("-number").first()
    result = screen(note, *(_texts(offer, version) if version else []))
    return SafetyFlag.objects.create(
        offer=offer,
        version=version,
        source=SafetyFlag.Source.REPORT,
        score=result.score,
        level=result.level,
        reasons=result.reasons,
        reported_by=by,
        report_note=note,
    )
