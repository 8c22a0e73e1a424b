"""The negotiation: send, counter, revert, reject a counter, accept, decline, withdraw.

Every action names the version it was made against (`expected_version`) and runs with the offer's
row locked: if the offer moved on since, or is no longer open, or it is the other side's turn,
nothing changes and the refusal says why. Accepting creates the contract exactly once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace import policies as market
from marketplace.errors import Conflict, InvalidInput, NotAllowed, TooMany
from marketplace.models import Contract, ContractType, Invitation, JobPost, Organization, Proposal, User
from marketplace.models.text import one_line
from marketplace.services.contracts import MilestoneTerms, contract_create, contract_terms_change, future_milestones
from marketplace.services.files import attachment_create, uploads_check
from marketplace.services.limits import require_room
from marketplace.services.transitions import move
from marketplace.uma_policy import require_person
from offers.models import Offer, OfferAttachment, OfferVersion, Side
from offers.plans import rules_for
from offers.policies import may_counter, other, proposer_side, require_party
from offers.services.events import EVENT_OF_KIND, offer_event
from offers.services.safety import version_screen
from offers.tasks import version_summarise
from offers.terms import MAX_MESSAGE, Terms, terms_clean

CHANGE_KINDS = (OfferVersion.Kind.COUNTER, OfferVersion.Kind.REVERT)


class OfferMoved(Conflict):
    """The offer has a newer version than the one the action was made against."""

    def __init__(self, offer: Offer, seen: int) -> None:
        latest = offer.versions.order_by("-number").select_related("author").first()
        who = latest.author.get_full_name() if latest else "the other side"
        super().__init__(
            f"This offer changed since you looked: {who} made version {offer.version_count} "
            f"(you acted on version {seen}). Review what changed, then try again."
        )
        self.seen, self.current = seen, offer.version_count


# --- Steps every action shares ---------------------------------------------------------------------


def _open_for(offer: Offer, by: User, expected_version: int, *, action: str, on_turn: bool = True) -> tuple[Offer, str]:
    """The offer, locked, after checking that `by` may do `action` on `expected_version` now."""
    side = require_party(by, offer)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if not offer.is_live:
        raise Conflict(f"This offer is {offer.get_status_display().lower()}: you can't {action} it any more.")
    if offer.expires_at and offer.expires_at <= timezone.now() and offer.status == Offer.Status.OPEN:
        raise Conflict(
            f"This offer expired on {offer.expires_at:%-d %b %Y at %H:%M} UTC: you can't {action} it any more."
        )
    if offer.version_count != expected_version:
        raise OfferMoved(offer, expected_version)
    if offer.status == Offer.Status.HELD and side == Side.FREELANCER:
        raise Conflict("This offer is being checked by our trust & safety team; you can answer it once it clears.")
    if on_turn and offer.awaiting != side:
        waiting_for = offer.freelancer.get_full_name() if side == Side.CLIENT else offer.client.get_full_name()
        raise Conflict(f"It is {waiting_for}'s turn to answer this offer: you can't {action} it now.")
    return offer, side


def _latest(offer: Offer) -> OfferVersion:
    return offer.versions.order_by("-number").first()  # type: ignore[return-value]


def _message(text: str, *, required: str | None = None) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationError({"message": required})
    if len(text) > MAX_MESSAGE:
        raise ValidationError({"message": f"The message can be at most {MAX_MESSAGE} characters."})
    return text


def _check_limits(offer: Offer, side: str, kind: str) -> None:
    if offer.version_count >= settings.OFFERS_MAX_VERSIONS:
        raise TooMany(
            f"This offer has been through {offer.version_count} rounds, the most we allow: message each other "
            "to settle the terms, then accept, or withdraw and send a fresh offer."
        )
    if kind in CHANGE_KINDS:
        limit = settings.OFFERS_CHANGES_PER_HOUR
        require_room(
            offer.versions.filter(author_side=side, kind__in=CHANGE_KINDS),
            within=timedelta(hours=1),
            limit=limit,
            message=f"You have asked for changes {limit} times on this offer in the last hour: "
            "wait for an answer before changing it again.",
        )


def _add_version(
    offer: Offer,
    *,
    by: User,
    side: str,
    kind: str,
    terms: Terms,
    message: str,
    based_on: OfferVersion | None,
    files: list[UploadedFile] | None = None,
) -> OfferVersion:
    _check_limits(offer, side, kind)
    version = OfferVersion.objects.create(
        offer=offer,
        number=offer.version_count + 1,
        kind=kind,
        author=by,
        author_side=side,
        based_on=based_on,
        message=message,
        **terms.version_fields(),
    )
    for upload in files or []:
        OfferAttachment.objects.create(version=version, attachment=attachment_create(upload=upload, by=by))
    offer.version_count = version.number
    offer.awaiting = other(side)
    offer.expires_at = timezone.now() + rules_for(offer.organization.plan).expiry
    offer.save(update_fields=["version_count", "awaiting", "expires_at"])
    if based_on is not None:
        version_summarise.delay_on_commit(version_id=version.pk)
    return version


def _close(offer: Offer, status: str, by: User | None, *, note: str = "", reason: str = "") -> Offer:
    move(offer, status, action=f"close this offer as {Offer.Status(status).label.lower()}")
    offer.awaiting = ""
    offer.closed_at, offer.closed_by = timezone.now(), by
    offer.close_note, offer.withdraw_reason = note, reason
    offer.save(
        update_fields=[
            "status",
            "awaiting",
            "closed_at",
            "closed_by",
            "close_note",
            "withdraw_reason",
        ]
    )
    return offer


# --- Sending -----------------------------------------------------------------------------------------


def _origin(
    by: User, freelancer: User | None, job: JobPost | None, proposal: Proposal | None, invitation: Invitation | None
) -> tuple[User, JobPost | None, Organization]:
    """Who the offer goes to, for which job, from which organisation — checked."""
    if proposal is not None:
        if proposal.status not in (Proposal.Status.SUBMITTED, Proposal.Status.SHORTLISTED):
            raise Conflict(f"This proposal is {proposal.get_status_display().lower()}: make an offer from a live one.")
        freelancer, job = proposal.freelancer, proposal.job
    elif invitation is not None:
        if invitation.status == Invitation.Status.DECLINED:
            raise Conflict("This invitation was declined.")
        freelancer, job = invitation.freelancer, invitation.job
    if freelancer is None:
        raise ValidationError({"freelancer": "Choose the freelancer to send the offer to."})
    market.require_freelancer(freelancer)
    if job is not None:
        organization = job.organization
        market.require_member(by, organization)
    else:
        first = by.organizations.order_by("pk").first()  # type: ignore[attr-defined]
        if first is None:
            raise NotAllowed("Only clients can send offers.")
        organization = first
    if not freelancer.is_active:
        raise Conflict("This freelancer's account is closed.")
    return freelancer, job, organization


@transaction.atomic
def offer_send(
    *,
    by: User,
    terms: dict,
    title: str,
    message: str = "",
    freelancer: User | None = None,
    job: JobPost | None = None,
    proposal: Proposal | None = None,
    invitation: Invitation | None = None,
    files: list[UploadedFile] | None = None,
) -> Offer:
    """A client's offer to a freelancer (from a proposal, an invitation, or directly); screened for
    scams before the freelancer sees it."""
    require_person(by, "hire")
    freelancer, job, organization = _origin(by, freelancer, job, proposal, invitation)
    title = one_line(title or (job.title if job else ""))
    if not title:
        raise ValidationError({"title": "Give the offer a title."})
    if len(title) > 120:
        raise ValidationError({"title": "The title can be at most 120 characters."})
    cleaned = terms_clean(terms, currency=terms.get("currency") or "USD")
    message = _message(message)
    uploads_check(files)
    require_room(  # an offer needs no proposal: each can be an email to someone who never asked
        Offer.objects.filter(client=by),
        person=by,
        within=timedelta(days=1),
        limit=settings.OFFERS_PER_DAY,
        message=f"You have sent {settings.OFFERS_PER_DAY} new offers in the last 24 hours: "
        "change an open one, or try again tomorrow.",
    )
    live = Offer.objects.filter(
        kind=Offer.Kind.HIRE, organization=organization, freelancer=freelancer, job=job, status__in=Offer.LIVE
    )
    duplicate = Conflict(f"{freelancer.get_full_name()} already has an open offer from you for this: change that one.")
    if live.exists():
        raise duplicate
    try:
        with transaction.atomic():  # sent twice at once: the partial unique index refuses the second
            offer = Offer.objects.create(
                organization=organization,
                client=by,
                freelancer=freelancer,
                job=job,
                proposal=proposal,
                invitation=invitation,
                title=title,
                currency=cleaned.currency,
            )
    except IntegrityError:
        raise duplicate from None
    _propose(offer, by, Side.CLIENT, OfferVersion.Kind.SENT, cleaned, message, None, files=files)
    return offer


# --- Answering ------------------------------------------------------------------------------------


@transaction.atomic
def offer_counter(*, offer: Offer, by: User, expected_version: int, terms: dict, message: str) -> OfferVersion:
    """New terms from whoever's turn it is ("request changes"), saying why."""
    offer, side = _open_for(offer, by, expected_version, action="change")
    _require_may_counter(offer, side)
    message = _message(message, required="Say why you are asking for these changes.")
    current = _latest(offer)
    cleaned = _clean_for(offer, terms)
    if cleaned == Terms.of(current):
        raise InvalidInput("These are the terms already on the table: change something, or accept them.")
    return _propose(offer, by, side, OfferVersion.Kind.COUNTER, cleaned, message, current)


@transaction.atomic
def offer_revert(*, offer: Offer, by: User, expected_version: int, number: int, message: str = "") -> OfferVersion:
    """Propose an earlier version's terms again, as a new version."""
    offer, side = _open_for(offer, by, expected_version, action="change")
    _require_may_counter(offer, side)
    earlier = offer.versions.filter(number=number).first()
    if earlier is None or number >= offer.version_count:
        raise InvalidInput(f"There is no earlier version {number} of this offer.", field="number")
    if Terms.of(earlier) == Terms.of(_latest(offer)):
        raise InvalidInput(f"Version {number}'s terms are the ones on the table already.", field="number")
    cleaned = terms_clean(Terms.of(earlier).as_json(), currency=offer.currency)  # dates may have passed since
    message = _message(message) or f"Proposing the terms of version {number} again."
    return _propose(offer, by, side, OfferVersion.Kind.REVERT, cleaned, message, earlier)


@transaction.atomic
def offer_reject(*, offer: Offer, by: User, expected_version: int, message: str = "") -> Offer:
    """Turn down the other side's changes. On an offer to hire, the client's previous terms stand
    again (as a new version, the freelancer's turn); a proposed change to a contract just closes."""
    require_person(by, "reject")
    offer, side = _open_for(offer, by, expected_version, action="reject")
    message = _message(message)
    if offer.kind == Offer.Kind.CHANGE:
        _close(offer, Offer.Status.REJECTED, by, note=message)
        offer_event(offer, version=_latest(offer), by=by, event="rejected")
        return offer
    if side != Side.CLIENT:
        raise NotAllowed("Only the client can reject a counter-offer; you can decline the offer, or counter it.")
    previous = offer.versions.filter(author_side=Side.CLIENT).order_by("-number").first()
    assert previous is not None  # noqa: S101 - version 1 is always the client's
    version = _add_version(
        offer,
        by=by,
        side=Side.CLIENT,
        kind=OfferVersion.Kind.RESTORED,
        terms=Terms.of(previous),
        message=message or f"Keeping the terms of version {previous.number}.",
        based_on=previous,
    )
    offer_event(offer, version=version, by=by, event="rejected")
    return offer


@transaction.atomic
def offer_decline(*, offer: Offer, by: User, expected_version: int, reason: str) -> Offer:
    """The freelancer says no to an offer to hire, with a reason."""
    require_person(by, "reject")
    offer, side = _open_for(offer, by, expected_version, action="decline")
    if side != Side.FREELANCER or offer.kind != Offer.Kind.HIRE:
        raise NotAllowed("Only the freelancer can decline an offer.")
    reason = _message(reason, required="Say why you are declining.")
    _close(offer, Offer.Status.DECLINED, by, note=reason)
    offer_event(offer, version=_latest(offer), by=by, event="declined")
    return offer


@transaction.atomic
def offer_withdraw(*, offer: Offer, by: User, expected_version: int, reason: str, note: str = "") -> Offer:
    """The client takes an offer back (or a party its own proposed change), any time before it is accepted."""
    offer, side = _open_for(offer, by, expected_version, action="withdraw", on_turn=False)
    if side != proposer_side(offer):
        raise NotAllowed("Only the side that made this offer can withdraw it; you can decline it.")
    if reason not in Offer.WithdrawReason.values:
        raise ValidationError({"reason": "Choose why you are withdrawing the offer."})
    note = _message(note, required="Say a few words about why." if reason == Offer.WithdrawReason.OTHER else None)
    _close(offer, Offer.Status.WITHDRAWN, by, reason=reason, note=note)
    offer_event(offer, version=_latest(offer), by=by, event="withdrawn")
    return offer


@transaction.atomic
def offer_accept(*, offer: Offer, by: User, expected_version: int) -> Offer:
    """Agree to the terms on the table. An offer to hire becomes a contract (exactly once); an
    agreed change applies to the live contract from now on."""
    require_person(by, "hire")
    offer, side = _open_for(offer, by, expected_version, action="accept")
    agreed = _latest(offer)
    terms = Terms.of(agreed)
    if offer.kind == Offer.Kind.HIRE:
        _hire(offer, terms)
    else:
        contract_terms_change(
            contract=offer.contract,  # type: ignore[arg-type]
            by=by,
            expected_future=_milestone_terms(Terms.of(offer.versions.get(number=1))),
            hourly_rate=terms.hourly_rate,
            weekly_limit=terms.weekly_limit,
            milestones=_milestone_terms(terms),
        )
    _close(offer, Offer.Status.ACCEPTED, by)
    offer_event(offer, version=agreed, by=by, event="accepted")
    return offer


def _milestone_terms(terms: Terms) -> list[MilestoneTerms]:
    return [MilestoneTerms(m.title, m.amount, m.due_date) for m in terms.milestones]


def _hire(offer: Offer, terms: Terms) -> None:
    proposal = offer.proposal
    live_proposal = (
        proposal if proposal and proposal.status in (Proposal.Status.SUBMITTED, Proposal.Status.SHORTLISTED) else None
    )
    contract = contract_create(
        source_ref=f"offer:{offer.pk}",
        organization=offer.organization,
        client=offer.client,
        freelancer=offer.freelancer,
        title=offer.title,
        contract_type=terms.contract_type,
        start_date=terms.start_date or timezone.localdate(),
        job=offer.job,
        scope=terms.scope,
        hourly_rate=terms.hourly_rate,
        fixed_amount=terms.fixed_amount,
        currency=terms.currency,
        weekly_limit=terms.weekly_limit,
        milestones=_milestone_terms(terms) or None,
        proposal=live_proposal,
    )
    offer.contract = contract
    offer.save(update_fields=["contract"])


def _clean_for(offer: Offer, terms: dict) -> Terms:
    if offer.kind == Offer.Kind.CHANGE:
        return _change_terms(offer.contract, terms)  # type: ignore[arg-type]
    return terms_clean(terms, currency=offer.currency)


def _require_may_counter(offer: Offer, side: str) -> None:
    if not may_counter(offer, side):
        raise NotAllowed(
            f"Counter-offers aren't available on {offer.organization.name}'s offers "
            f"({offer.organization.get_plan_display()} plan): message the client to discuss the terms instead."
        )


def _propose(
    offer: Offer,
    by: User,
    side: str,
    kind: str,
    terms: Terms,
    message: str,
    based_on: OfferVersion | None,
    files: list[UploadedFile] | None = None,
) -> OfferVersion:
    """New terms from one side: a version; the client's screened for scams (held or delivered); the
    other side told (the freelancer only once the offer is delivered)."""
    version = _add_version(
        offer, by=by, side=side, kind=kind, terms=terms, message=message, based_on=based_on, files=files
    )
    if side == Side.CLIENT and offer.kind == Offer.Kind.HIRE:
        version_screen(offer=offer, version=version)
    offer_event(offer, version=version, by=by, event=EVENT_OF_KIND[kind])
    return version


# --- Changes to a live contract ------------------------------------------------------------------


def contract_terms(contract: Contract) -> Terms:
    """The contract's terms that a change may touch: rate and weekly limit, or the future milestones."""
    return Terms.of_contract(contract, future_milestones(contract))


def _change_terms(contract: Contract, terms: dict) -> Terms:
    """Checked terms for a change to a live contract: its type stays; a fixed-price change lists the
    milestones still to come, whose sum is the rest of the total; start date and scope don't change."""
    terms = {**terms, "contract_type": contract.contract_type}
    if contract.contract_type == ContractType.FIXED:
        if not terms.get("milestones"):
            raise ValidationError({"milestones": "List the milestones still to come."})
        if terms.get("fixed_amount") in (None, ""):
            try:
                terms["fixed_amount"] = sum(Decimal(str(m.get("amount"))) for m in terms["milestones"])
            except (InvalidOperation, AttributeError):
                terms["fixed_amount"] = None  # the milestone check names the bad amount
    cleaned = terms_clean(terms, currency=contract.currency)
    return replace(cleaned, start_date=None, scope="")


@transaction.atomic
def change_propose(*, contract: Contract, by: User, terms: dict, message: str) -> Offer:
    """Either side of an active contract proposes new terms from now on (rate, weekly limit, or the
    milestones still to come); the other side accepts or rejects."""
    side = market.contract_side(by, contract)
    if side not in (Side.CLIENT, Side.FREELANCER):
        raise NotAllowed("Only the two parties to a contract can propose changes to it.")
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status != "active":
        raise Conflict(f"The contract is {contract.get_status_display().lower()}: its terms can't change now.")
    if Offer.objects.filter(kind=Offer.Kind.CHANGE, contract=contract, status__in=Offer.LIVE).exists():
        raise Conflict("A change to this contract is already waiting for an answer: answer or withdraw it first.")
    current = contract_terms(contract)
    proposed = _change_terms(contract, terms)
    if proposed == current:
        raise InvalidInput("These are the contract's current terms: change something first.")
    message = _message(message, required="Say why you are proposing this change.")
    offer = Offer.objects.create(
        kind=Offer.Kind.CHANGE,
        organization=contract.organization,
        client=contract.client,
        freelancer=contract.freelancer,
        job=contract.job,
        contract=contract,
        title=contract.title,
        currency=contract.currency,
        delivered_at=timezone.now(),
    )
    in_force = _add_version(
        offer, by=by, side=side, kind=OfferVersion.Kind.IN_FORCE, terms=current, message="", based_on=None
    )
    version = _add_version(
        offer, by=by, side=side, kind=OfferVersion.Kind.PROPOSED, terms=proposed, message=message, based_on=in_force
    )
    offer_event(offer, version=version, by=by, event="proposed")
    return offer
