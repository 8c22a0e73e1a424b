"""Pages for jobs: find work, post and edit, the job page, proposals, invitations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from marketplace import policies
from marketplace.errors import DomainError
from marketplace.forms_market import InviteForm, JobForm, JobSearchForm, ProposalForm, ReasonForm
from marketplace.models import Invitation, JobPost, Proposal, User
from marketplace.selectors import JobFilters, freelancers_search, jobs_search
from marketplace.services import jobs as svc
from marketplace.snapshot_cache import page_cached
from marketplace.views.helpers import act, attach_error, is_htmx, user_of

PAGE_SIZE = 20


@login_required
@page_cached
def find_work(request: HttpRequest) -> HttpResponse:
    """Open jobs, filtered. A filter that makes no sense (a budget of "abc", a category that is not one)
    is a 400 that says which, with no results: never every job as if it had been applied."""
    form = JobSearchForm(request.GET or None)
    jobs, status = JobPost.objects.none(), 400
    if not form.is_bound or form.is_valid():
        filters = JobFilters.of(form.cleaned_data if form.is_bound else {})
        try:
            jobs, status = jobs_search(user=user_of(request), filters=filters), 200
        except DomainError as error:
            form.add_error("skills", error.message)
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "marketplace/partials/job_results.html" if is_htmx(request) else "marketplace/find_work.html"
    used = sum(1 for name in form.fields if name != "q" and request.GET.get(name))
    return render(request, template, {"form": form, "page": page, "filters_used": used}, status=status)


def _job_form_page(request: HttpRequest, form: JobForm, job: JobPost | None, status: int = 200) -> HttpResponse:
    return render(request, "marketplace/job_form.html", {"form": form, "job": job}, status=status)


@login_required
def job_new(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    membership = user.memberships.select_related("organization").first()
    if membership is None:
        raise Http404("Only clients post jobs.")
    form = JobForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        skills, publish = data.pop("skills"), data.pop("publish")
        try:
            job = svc.job_create(organization=membership.organization, by=user, skills=skills, publish=publish, **data)
        except (ValidationError, DomainError) as error:
            attach_error(form, error)
            return _job_form_page(request, form, None, status=400)
        messages.success(request, "Job published." if publish else "Draft saved.")
        return redirect(job)
    return _job_form_page(request, form, None, status=400 if request.method == "POST" else 200)


@login_required
def job_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    job = get_object_or_404(policies.jobs_owned(user), pk=pk)
    initial = {"skills": list(job.skills.values_list("name", flat=True)), "publish": job.status == "open"}
    form = JobForm(request.POST or None, instance=job, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        skills, publish = data.pop("skills"), data.pop("publish")
        try:
            job = svc.job_update(job=JobPost.objects.get(pk=pk), by=user, skills=skills, **data)
            if publish and job.status == JobPost.Status.DRAFT:
                svc.job_publish(job=job, by=user)
        except (ValidationError, DomainError) as error:
            attach_error(form, error)
            return _job_form_page(request, form, job, status=400)
        messages.success(request, "Job saved.")
        return redirect(job)
    return _job_form_page(request, form, job, status=400 if request.method == "POST" else 200)


@login_required
def job_detail(request: HttpRequest, pk: int, proposal_form: ProposalForm | None = None) -> HttpResponse:
    user = user_of(request)
    job = get_object_or_404(
        policies.jobs_visible(user).select_related("organization", "category").prefetch_related("skills"), pk=pk
    )
    is_owner = policies.is_member(user, job.organization_id)
    context = {
        "job": job,
        "is_owner": is_owner,
        "my_proposal": Proposal.objects.filter(job=job, freelancer=user).first() if user.is_freelancer else None,
        "proposal_form": proposal_form or ProposalForm(initial={"bid_amount": job.budget_max}),
        "n_proposals": job.proposals.count() if is_owner else None,
    }
    return render(request, "marketplace/job_detail.html", context)


@login_required
@require_POST
def proposal_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    job = get_object_or_404(policies.jobs_visible(user), pk=pk)
    form = ProposalForm(request.POST)
    if not form.is_valid():
        response = job_detail(request, pk, proposal_form=form)
        response.status_code = 400
        return response
    return act(
        request,
        lambda: svc.proposal_submit(job=job, freelancer=user, **form.cleaned_data),
        done="Proposal sent. The client will be notified.",
        then=job.get_absolute_url(),
        on_error=lambda: job_detail(request, pk, proposal_form=form),
    )


@login_required
def job_proposals(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    job = get_object_or_404(policies.jobs_owned(user), pk=pk)
    proposals = job.proposals.select_related("freelancer__freelancer_profile").order_by("status", "-created_at")
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "marketplace/job_proposals.html", {"job": job, "page": page})


PROPOSAL_ACTIONS = {
    "shortlist": (svc.proposal_shortlist, "Shortlisted."),
    "decline": (svc.proposal_decline, "Proposal declined."),
    "withdraw": (svc.proposal_withdraw, "Proposal withdrawn."),
}


@login_required
@require_POST
def proposal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = user_of(request)
    proposal = get_object_or_404(policies.proposals_visible(user).select_related("job"), pk=pk)
    if action not in PROPOSAL_ACTIONS:
        raise Http404
    service, done = PROPOSAL_ACTIONS[action]
    then = "/proposals/" if proposal.freelancer_id == user.pk else f"/jobs/{proposal.job_id}/proposals/"
    return act(request, lambda: service(proposal=proposal, by=user), done=done, then=then)


@login_required
@require_POST
def job_status(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = user_of(request)
    job = get_object_or_404(policies.jobs_owned(user), pk=pk)
    services = {"publish": svc.job_publish, "close": svc.job_close, "filled": svc.job_mark_filled}
    if action not in services:
        raise Http404
    return act(request, lambda: services[action](job=job, by=user), done="Job updated.", then=job.get_absolute_url())


@login_required
def job_invite(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    job = get_object_or_404(policies.jobs_owned(user), pk=pk)
    if request.method == "POST":
        form = InviteForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose a freelancer to invite.")
            return redirect(request.path)
        freelancer = get_object_or_404(User, pk=form.cleaned_data["freelancer"], kind=User.Kind.FREELANCER)
        return act(
            request,
            lambda: svc.invitation_send(job=job, by=user, freelancer=freelancer, message=form.cleaned_data["message"]),
            done=f"Invitation sent to {freelancer.get_full_name()}.",
            then=request.path,
        )
    text = request.GET.get("q", "")
    skill_names = tuple(s.name for s in job.skills.all()) if not text else ()
    try:
        profiles = freelancers_search(text=text, skills=skill_names[:1])
    except DomainError:
        profiles = freelancers_search(text=text)
    page = Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page"))
    invited = dict(job.invitations.exclude(status="declined").values_list("freelancer_id", "pk"))
    for profile in page:
        profile.invitation_pk = invited.get(profile.user_id)  # type: ignore[attr-defined]
    return render(request, "marketplace/job_invite.html", {"job": job, "page": page, "q": text, "invited": invited})


@login_required
def my_proposals(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    proposals = Proposal.objects.filter(freelancer=user).select_related("job__organization").order_by("-created_at")
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "marketplace/my_proposals.html", {"page": page})


@login_required
def my_invitations(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    invitations = (
        Invitation.objects.filter(freelancer=user)
        .select_related("job__organization", "invited_by")
        .order_by("-created_at")
    )
    page = Paginator(invitations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "marketplace/my_invitations.html", {"page": page, "reason_form": ReasonForm()})


@login_required
@require_POST
def invitation_answer(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = user_of(request)
    invitation = get_object_or_404(policies.invitations_visible(user), pk=pk)
    if action == "accept":
        return act(
            request,
            lambda: svc.invitation_accept(invitation=invitation, by=user),
            done="Invitation accepted: you can now talk with the client.",
            then="/invitations/",
        )
    if action == "decline":
        reason = request.POST.get("reason", "")
        return act(
            request,
            lambda: svc.invitation_decline(invitation=invitation, by=user, reason=reason),
            done="Invitation declined.",
            then="/invitations/",
        )
    raise Http404
