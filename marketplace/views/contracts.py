"""The contract room and everything done in it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from marketplace import policies
from marketplace.forms_market import EndContractForm, FeedbackForm, MessageForm, ReasonForm, SubmitWorkForm, TimeLogForm
from marketplace.models import Contract, Milestone
from marketplace.panels import panels
from marketplace.selectors import contract_room, contracts_for_list
from marketplace.services import contracts as svc
from marketplace.services.messaging import thread_mark_read
from marketplace.snapshot_cache import page_cached
from marketplace.views.helpers import act, user_of


@login_required
@page_cached
def contract_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(contracts_for_list(user=user_of(request)), 20).get_page(request.GET.get("page"))
    return render(request, "marketplace/contract_list.html", {"page": page})


def _contract(request: HttpRequest, pk: int) -> Contract:
    user = user_of(request)
    return get_object_or_404(
        policies.contracts_visible(user).select_related("organization", "client", "freelancer", "job"), pk=pk
    )


@login_required
def contract_room_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    contract = _contract(request, pk)
    context = contract_room(contract=contract, user=user)
    thread = getattr(contract, "thread", None)
    if thread is not None and context["side"] in {"client", "freelancer"}:
        thread_mark_read(thread=thread, user=user)
    context.update(
        submit_form=SubmitWorkForm(),
        reason_form=ReasonForm(),
        time_form=TimeLogForm(),
        end_form=EndContractForm(),
        feedback_form=FeedbackForm(),
        message_form=MessageForm(),
        left_feedback=any(f.author_id == user.pk for f in context["feedback"]),  # type: ignore[attr-defined]
        panels=panels("CONTRACT_PANELS", request, contract=contract),
    )
    return render(request, "marketplace/contract_room.html", context)


def _run(request: HttpRequest, contract: Contract, action, done: str) -> HttpResponse:  # noqa: ANN001
    return act(
        request,
        action,
        done=done,
        then=contract.get_absolute_url(),
        on_error=lambda: contract_room_page(request, contract.pk),
    )


def _milestone(contract: Contract, milestone_pk: int) -> Milestone:
    return get_object_or_404(contract.milestones, pk=milestone_pk)


@login_required
@require_POST
def milestone_action(request: HttpRequest, pk: int, milestone_pk: int, action: str) -> HttpResponse:
    user = user_of(request)
    contract = _contract(request, pk)
    milestone = _milestone(contract, milestone_pk)
    if action == "submit":
        form = SubmitWorkForm(request.POST)
        note = form.data.get("note", "")
        files = request.FILES.getlist("files")
        return _run(
            request,
            contract,
            lambda: svc.milestone_submit(milestone=milestone, by=user, note=note, files=files),
            "Work submitted for review.",
        )
    if action == "approve":
        return _run(request, contract, lambda: svc.milestone_approve(milestone=milestone, by=user), "Approved.")
    if action == "revise":
        reason = request.POST.get("reason", "")
        return _run(
            request,
            contract,
            lambda: svc.milestone_request_revision(milestone=milestone, by=user, reason=reason),
            "Revision requested.",
        )
    if action == "pay":
        confirmed = request.POST.get("confirm") == "yes"

        def pay() -> Milestone:
            if not confirmed:  # money moves once and for good: the page asks first
                raise ValidationError({"confirm": "Confirm the payment first: it can't be undone."})
            return svc.milestone_pay(milestone=milestone, by=user)

        return _run(request, contract, pay, "Payment released.")
    raise Http404


@login_required
@require_POST
def time_log_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    contract = _contract(request, pk)
    form = TimeLogForm(request.POST)
    if not form.is_valid():
        response = contract_room_page(request, pk)
        response.status_code = 400
        return response
    data = form.cleaned_data
    return _run(
        request,
        contract,
        lambda: svc.time_log_add(contract=contract, by=user, day=data["day"], hours=data["hours"], memo=data["memo"]),
        "Time logged.",
    )


@login_required
@require_POST
def contract_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    contract = _contract(request, pk)
    reason, note = request.POST.get("reason", ""), request.POST.get("note", "")
    return _run(
        request,
        contract,
        lambda: svc.contract_end(contract=contract, by=user, reason=reason, note=note),
        "Contract ended. You can now leave feedback.",
    )


@login_required
@require_POST
def contract_pause(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = user_of(request)
    contract = _contract(request, pk)
    service = {"pause": svc.contract_pause, "resume": svc.contract_resume}.get(action)
    if service is None:
        raise Http404
    return _run(request, contract, lambda: service(contract=contract, by=user), f"Contract {action}d.")


@login_required
@require_POST
def feedback_leave(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    contract = _contract(request, pk)
    form = FeedbackForm(request.POST)
    rating = form.cleaned_data["rating"] if form.is_valid() else 0
    review = request.POST.get("review", "")
    return _run(
        request,
        contract,
        lambda: svc.feedback_leave(contract=contract, by=user, rating=rating, review=review),
        "Thanks for your feedback.",
    )
