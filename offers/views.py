"""Offer pages: the list, sending an offer, the offer page with every action, changes to a contract."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from marketplace import policies as market
from marketplace.models import ContractType, User
from marketplace.snapshot_cache import page_cached
from marketplace.views.helpers import act, error_text, form_call, see_other, user_of
from offers.forms import (
    DeclineForm,
    MilestoneFormSet,
    ReportForm,
    TermsForm,
    WithdrawForm,
    initial_from,
    milestone_rows,
)
from offers.models import Offer
from offers.page import offer_page
from offers.policies import offers_visible
from offers.selectors import offers_for_list
from offers.services import negotiation as svc
from offers.services.negotiation import OfferMoved
from offers.services.safety import offer_report
from offers.terms import Terms


def _offer(request: HttpRequest, pk: int) -> Offer:
    return get_object_or_404(
        offers_visible(user_of(request)).select_related(
            "organization", "client", "freelancer", "job", "contract", "closed_by"
        ),
        pk=pk,
    )


@login_required
def offer_list(request: HttpRequest) -> HttpResponse:
    status, code, error = request.GET.get("status", "live"), 200, ""
    try:
        rows = offers_for_list(user=user_of(request), status=status)
    except ValidationError as problem:
        rows, code, error = Offer.objects.none(), 400, error_text(problem)
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(request, "offers/offer_list.html", {"page": page, "status": status, "error": error}, status=code)


@login_required
@page_cached
def offer_detail(request: HttpRequest, pk: int, *, seen: int | None = None) -> HttpResponse:
    offer = _offer(request, pk)
    context = offer_page(offer, user_of(request), a=request.GET.get("a"), b=request.GET.get("b"), seen=seen)
    context.update(withdraw_form=WithdrawForm(), decline_form=DeclineForm(), report_form=ReportForm())
    return render(request, "offers/offer_detail.html", context)


def _expected(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("expected_version", ""))
    except ValueError:
        raise Http404("no version") from None


def _answer(request: HttpRequest, offer: Offer, action, done: str) -> HttpResponse:  # noqa: ANN001
    """Run an action; refused, the offer page again with why — and, if the offer moved on, what
    changed since the version the person saw (409)."""
    seen = _expected(request)
    return act(
        request,
        action,
        done=done,
        then=offer.get_absolute_url(),
        on_error=lambda: offer_detail(request, offer.pk, seen=seen),
    )


def _moved(request: HttpRequest, offer: Offer, moved: OfferMoved) -> HttpResponse:
    messages.error(request, moved.message)
    response = offer_detail(request, offer.pk, seen=moved.seen)
    response.status_code = 409
    return response


@login_required
@require_POST
def offer_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user, offer = user_of(request), _offer(request, pk)
    expected = _expected(request)
    post = request.POST
    actions = {
        "accept": (lambda: svc.offer_accept(offer=offer, by=user, expected_version=expected), "Accepted."),
        "decline": (
            lambda: svc.offer_decline(offer=offer, by=user, expected_version=expected, reason=post.get("reason", "")),
            "You declined the offer.",
        ),
        "reject": (
            lambda: svc.offer_reject(offer=offer, by=user, expected_version=expected, message=post.get("message", "")),
            "You turned down the changes.",
        ),
        "withdraw": (
            lambda: svc.offer_withdraw(
                offer=offer,
                by=user,
                expected_version=expected,
                reason=post.get("reason", ""),
                note=post.get("note", ""),
            ),
            "The offer was withdrawn.",
        ),
        "revert": (
            lambda: svc.offer_revert(
                offer=offer,
                by=user,
                expected_version=expected,
                number=_int(post.get("number")),
                message=post.get("message", ""),
            ),
            "You proposed the earlier terms again.",
        ),
    }
    if action not in actions:
        raise Http404("no such action")
    run, done = actions[action]
    return _answer(request, offer, run, done)


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0


@login_required
@require_POST
def offer_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    user, offer = user_of(request), _offer(request, pk)
    return act(
        request,
        lambda: offer_report(offer=offer, by=user, note=request.POST.get("note", "")),
        done="Thank you: our trust & safety team will look at this offer.",
        then=offer.get_absolute_url(),
        on_error=lambda: offer_detail(request, offer.pk),
    )


def _terms_forms(request: HttpRequest, initial: dict | None, milestones: list[dict], **options):  # noqa: ANN003, ANN202
    if request.method == "POST":
        return TermsForm(request.POST, **options), MilestoneFormSet(request.POST, prefix="ms")
    return TermsForm(initial=initial, **options), MilestoneFormSet(initial=milestones, prefix="ms")


@login_required
def offer_counter_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Request changes (or counter again): the current terms, prefilled, to edit."""
    user, offer = user_of(request), _offer(request, pk)
    latest = offer.versions.order_by("-number").first()
    initial, milestones = initial_from(Terms.of(latest))
    form, formset = _terms_forms(request, initial, milestones, fixed_currency=True)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        terms = form.terms(milestone_rows(formset))
        message = form.cleaned_data.get("message", "")
        seen = _expected(request)
        try:
            _, status = form_call(
                form,
                lambda: svc.offer_counter(offer=offer, by=user, expected_version=seen, terms=terms, message=message),
                passing=(OfferMoved,),
            )
        except OfferMoved as moved:
            return _moved(request, offer, moved)
        if status != 200:
            return _counter_render(request, offer, latest, form, formset, status)
        messages.success(request, "Your changes were sent.")
        return redirect(offer.get_absolute_url(), permanent=False)
    return _counter_render(request, offer, latest, form, formset, 400 if request.method == "POST" else 200)


def _counter_render(request, offer, latest, form, formset, status: int) -> HttpResponse:  # noqa: ANN001
    context = {"offer": offer, "latest": latest, "form": form, "formset": formset}
    return render(request, "offers/offer_counter.html", context, status=status)


@login_required
def offer_new(request: HttpRequest) -> HttpResponse:
    """A client sends an offer: from a proposal, an invitation, or straight to a freelancer."""
    user = user_of(request)
    if not user.is_client:
        raise Http404("clients send offers")
    source = _source(request, user)
    initial = {"contract_type": ContractType.HOURLY, "currency": "USD"}
    if source.get("proposal") is not None:
        proposal = source["proposal"]
        kind = proposal.job.contract_type
        initial.update(
            contract_type=kind, **{"hourly_rate" if kind == "hourly" else "fixed_amount": proposal.bid_amount}
        )
    form, formset = _terms_forms(request, initial, [])
    title = (
        request.POST.get("title", "") if request.method == "POST" else (source["job"].title if source["job"] else "")
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        offer, status = form_call(
            form,
            lambda: svc.offer_send(
                by=user,
                terms=form.terms(milestone_rows(formset)),
                title=title,
                message=form.cleaned_data.get("message", ""),
                files=request.FILES.getlist("files"),
                **source,
            ),
        )
        if offer is None:
            return _new_render(request, source, form, formset, title, status)
        messages.success(request, _sent_message(offer))
        return see_other(offer.get_absolute_url())
    return _new_render(request, source, form, formset, title, 400 if request.method == "POST" else 200)


def _sent_message(offer: Offer) -> str:
    if offer.status == Offer.Status.HELD:
        return "Your offer is being checked by our trust & safety team before the freelancer sees it."
    return f"Your offer was sent to {offer.freelancer.get_full_name()}."


def _new_render(request, source, form, formset, title, status) -> HttpResponse:  # noqa: ANN001
    context = {"form": form, "formset": formset, "title": title, **source}
    return render(request, "offers/offer_new.html", context, status=status)


def _source(request: HttpRequest, user: User) -> dict:
    """Where the offer comes from (?proposal=, ?invitation= or ?freelancer=), scoped to this client."""
    params = request.GET if request.method == "GET" else request.POST
    source: dict = {"freelancer": None, "job": None, "proposal": None, "invitation": None}
    for name, visible in (("proposal", market.proposals_visible), ("invitation", market.invitations_visible)):
        if params.get(name):
            row: Any = get_object_or_404(visible(user).select_related("job", "freelancer"), pk=_int(params[name]))
            if not market.is_member(user, row.job.organization_id):
                raise Http404("not your job")
            source.update({name: row, "job": row.job, "freelancer": row.freelancer})
            return source
    if params.get("freelancer"):
        source["freelancer"] = get_object_or_404(User, pk=_int(params["freelancer"]), kind=User.Kind.FREELANCER)
    else:
        raise Http404("choose whom to send the offer to")
    return source


# --- Changes to a live contract ----------------------------------------------------------------------


@login_required
def contract_changes(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose a change to a live contract's terms, and the history of proposed changes."""
    user = user_of(request)
    contract = get_object_or_404(market.contracts_visible(user).select_related("organization"), pk=pk)
    side = market.contract_side(user, contract)
    current = svc.contract_terms(contract)  # the same terms the change is checked against
    initial = {
        "contract_type": current.contract_type,
        "hourly_rate": current.hourly_rate,
        "weekly_limit": current.weekly_limit,
    }
    rows = [m.as_json() for m in current.milestones]
    form, formset = _terms_forms(request, initial, rows, fixed_currency=True)
    hourly = contract.contract_type == ContractType.HOURLY
    keep = {"hourly_rate", "weekly_limit", "message"} if hourly else {"message"}
    for name in [n for n in form.fields if n not in keep]:
        del form.fields[name]
    status = 200
    if request.method == "POST":
        if side not in ("client", "freelancer"):
            raise Http404("not a party")
        if form.is_valid() and formset.is_valid():
            data = form.terms(milestone_rows(formset) if not hourly else [])
            message = form.cleaned_data.get("message", "")
            offer, status = form_call(
                form, lambda: svc.change_propose(contract=contract, by=user, terms=data, message=message)
            )
            if offer is not None:
                messages.success(request, "Your proposed change was sent; the contract changes once it is accepted.")
                return see_other(offer.get_absolute_url())
        else:
            status = 400
    history = Offer.objects.filter(kind=Offer.Kind.CHANGE, contract=contract).select_related("closed_by")
    context = {
        "contract": contract,
        "side": side,
        "form": form,
        "formset": formset,
        "history": history,
        "hourly_only": hourly,
        "change_form": True,
    }
    return render(request, "offers/contract_changes.html", context, status=status)
