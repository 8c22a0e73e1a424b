"""Pages of the job post generator: "Start with Uma" on /jobs/new/, the questions and the draft, and the
job form filled from the draft. A draft is its organisation's: anyone else gets 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from hiring.models import ANSWER_LIMIT, NEED_LIMIT, JobDraft
from hiring.services import job_drafts as svc
from hiring.services import proposals as proposal_svc
from marketplace import policies
from marketplace.errors import DomainError
from marketplace.forms_market import JobForm
from marketplace.models import JobPost
from marketplace.views import jobs as job_views
from marketplace.views.helpers import attach_error, error_text, form_call, see_other, user_of


class StartForm(forms.Form):
    need = forms.CharField(
        label="Describe the job in a sentence or two",
        required=False,
        max_length=NEED_LIMIT,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "e.g. Need someone to fix our Shopify checkout, it drops orders"}
        ),
    )


def _drafts(request: HttpRequest):  # noqa: ANN202
    return JobDraft.objects.filter(organization_id__in=policies.org_ids(user_of(request)))


def _draft(request: HttpRequest, pk: int) -> JobDraft:
    return get_object_or_404(_drafts(request), pk=pk)


def _membership(request: HttpRequest):  # noqa: ANN202
    membership = user_of(request).memberships.select_related("organization").first()
    if membership is None:
        raise Http404("Only clients post jobs.")
    return membership


@login_required
def job_new(request: HttpRequest) -> HttpResponse:
    """/jobs/new/: "Start with Uma" above the plain form (which marketplace's view handles)."""
    if request.method == "POST":
        return job_views.job_new(request)
    _membership(request)
    context = {
        "form": JobForm(),
        "job": None,
        "start_form": StartForm(),
        "drafts": _drafts(request).exclude(status=JobDraft.Status.POSTED)[:5],
    }
    return render(request, "hiring/job_new.html", context)


@login_required
@require_POST
def job_draft_start(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    start_form = StartForm(request.POST)
    if start_form.is_valid():
        draft, status = form_call(
            start_form,
            lambda: svc.job_draft_start(
                organization=membership.organization, by=user_of(request), need=start_form.cleaned_data["need"]
            ),
        )
        if draft is not None:
            return see_other(draft.get_absolute_url())
    else:
        status = 400
    context = {"form": JobForm(), "job": None, "start_form": start_form, "drafts": _drafts(request)[:5]}
    return render(request, "hiring/job_new.html", context, status=status)


def _answers_form(draft: JobDraft, data: object = None) -> forms.Form:
    form = forms.Form(data)  # type: ignore[arg-type]
    for question in draft.questions:
        form.fields[question["topic"]] = forms.CharField(
            label=question["text"],
            required=False,
            max_length=ANSWER_LIMIT,
            initial=draft.answers.get(question["topic"], ""),
            widget=forms.Textarea(attrs={"rows": 2}),
        )
    return form


def _page_context(draft: JobDraft, form: forms.Form | None = None) -> dict:
    written = draft.draft
    market = next((m for m in written.get("market", []) if m["contract_type"] == written.get("contract_type")), None)
    return {
        "draft": draft,
        "form": form or _answers_form(draft),
        "waiting": draft.status in (JobDraft.Status.ASKING, JobDraft.Status.DRAFTING),
        "written": written,
        "market": market,
    }


@login_required
def job_draft(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    svc.job_draft_nudge(draft=draft)
    template = "hiring/partials/draft_body.html" if request.GET.get("part") else "hiring/job_draft.html"
    return render(request, template, _page_context(draft))


@login_required
@require_POST
def job_draft_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """Answers saved as typed (htmx, 204), or saved and Uma asked to draft ("Draft my post")."""
    draft = _draft(request, pk)
    form = _answers_form(draft, request.POST)
    if not form.is_valid():
        return render(request, "hiring/job_draft.html", _page_context(draft, form), status=400)
    answers = {topic: value for topic, value in form.cleaned_data.items()}
    by = user_of(request)
    if "draft" not in request.POST:
        _, status = form_call(form, lambda: svc.job_draft_answers_save(draft=draft, by=by, answers=answers))
        return HttpResponse(status=204 if status == 200 else status)
    _, status = form_call(form, lambda: svc.job_draft_write_request(draft=draft, by=by, answers=answers))
    if status != 200:
        return render(request, "hiring/job_draft.html", _page_context(draft, form), status=status)
    return see_other(draft.get_absolute_url())


@login_required
def job_draft_post(request: HttpRequest, pk: int) -> HttpResponse:
    """The job form filled with Uma's draft: the client edits anything, then posts (or saves a draft)."""
    draft = _draft(request, pk)
    if draft.status == JobDraft.Status.POSTED and draft.job_id:
        return see_other(draft.job.get_absolute_url())  # type: ignore[union-attr]
    if draft.status != JobDraft.Status.DRAFTED:
        return see_other(draft.get_absolute_url())
    form = JobForm(request.POST or None, initial=svc.job_fields(draft))
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        skills, publish = data.pop("skills"), data.pop("publish")
        try:
            job = svc.job_draft_post(draft=draft, by=user_of(request), skills=skills, publish=publish, **data)
        except (ValidationError, DomainError) as error:
            attach_error(form, error)
            if isinstance(error, DomainError) and error.status_code != 400:
                messages.error(request, error_text(error))
                status = error.status_code
        else:
            messages.success(request, "Job published." if publish else "Draft saved.")
            return see_other(job.get_absolute_url())
    context = {"form": form, "job": None, "uma_draft": draft, "market": _page_context(draft)["market"]}
    return render(request, "hiring/job_post.html", context, status=status)


@login_required
def job_proposals(request: HttpRequest, pk: int) -> HttpResponse:
    """A job's proposals, newest first (as always) or "Best matches" by Uma's verdict, with its reasons."""
    job = get_object_or_404(JobPost.objects.filter(organization_id__in=policies.org_ids(user_of(request))), pk=pk)
    order = "best" if request.GET.get("order") == "best" else "date"
    rows = list(
        job.proposals.select_related("freelancer__freelancer_profile", "uma_assessment").order_by(
            "status", "-created_at"
        )
    )
    for proposal in rows:
        proposal.uma_assessment_or_none = getattr(proposal, "uma_assessment", None)  # type: ignore[attr-defined]
    waiting = 0
    if order == "best":
        waiting = proposal_svc.assessments_request(job=job)
        rows = proposal_svc.best_first(rows)
    page = Paginator(rows, job_views.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"job": job, "page": page, "order": order, "waiting": waiting}
    return render(request, "hiring/job_proposals.html", context)
