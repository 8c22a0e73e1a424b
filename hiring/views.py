"""Pages of the job post generator: "Start with Uma" on /jobs/new/, the questions and the draft, and the
job form filled from the draft. A draft is its organisation's: anyone else gets 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from hiring.models import ANSWER_LIMIT, NEED_LIMIT, InterviewAssessment, InterviewTranscript, JobDraft, JobInterview
from hiring.policies import job_drafts_visible
from hiring.services import interviews
from hiring.services import job_drafts as svc
from hiring.services import proposals as proposal_svc
from marketplace import long_poll, policies
from marketplace.forms_market import JobForm
from marketplace.views import jobs as job_views
from marketplace.views.helpers import form_call, see_other, user_of


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
    return job_drafts_visible(user_of(request))


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


def _answers_form(fields: list[tuple[str, str, str]], *, limit: int, rows: int, data: object = None) -> forms.Form:
    """A form of optional text answers, one (name, question, answer so far) each."""
    form = forms.Form(data)  # type: ignore[arg-type]
    for name, question, answer in fields:
        form.fields[name] = forms.CharField(
            label=question,
            required=False,
            max_length=limit,
            initial=answer,
            widget=forms.Textarea(attrs={"rows": rows}),
        )
    return form


def _draft_form(draft: JobDraft, data: object = None) -> forms.Form:
    fields = [(q["topic"], q["text"], draft.answers.get(q["topic"], "")) for q in draft.questions]
    return _answers_form(fields, limit=ANSWER_LIMIT, rows=2, data=data)


def _market(draft: JobDraft) -> dict | None:
    """The market figures for the contract type the draft chose, if there were any."""
    written = draft.draft
    return next((m for m in written.get("market", []) if m["contract_type"] == written.get("contract_type")), None)


def _page_context(draft: JobDraft, form: forms.Form | None = None) -> dict:
    return {
        "draft": draft,
        "form": form or _draft_form(draft),
        "waiting": draft.status in (JobDraft.Status.ASKING, JobDraft.Status.DRAFTING),
        "written": draft.draft,
        "market": _market(draft),
    }


@login_required
def job_draft(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    svc.job_draft_nudge(draft=draft)
    status = JobDraft.objects.filter(pk=draft.pk).values_list("status", flat=True)
    poll_later = long_poll.wait_for_news(request, lambda: status.first() or "")  # the part, while Uma works
    draft = _draft(request, pk)  # as it is now
    template = "hiring/partials/draft_body.html" if request.GET.get("part") else "hiring/job_draft.html"
    return render(request, template, _page_context(draft) | {"poll_later": poll_later})


@login_required
@require_POST
def job_draft_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """Answers saved as typed (htmx, 204), or saved and Uma asked to draft ("Draft my post")."""
    draft = _draft(request, pk)
    form = _draft_form(draft, request.POST)
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
        by = user_of(request)
        job, status = form_call(
            form, lambda: svc.job_draft_post(draft=draft, by=by, skills=skills, publish=publish, **data)
        )
        if job is not None:
            messages.success(request, "Job published." if publish else "Draft saved.")
            return see_other(job.get_absolute_url())
    context = {"form": form, "job": None, "uma_draft": draft, "market": _market(draft)}
    return render(request, "hiring/job_post.html", context, status=status)


@login_required
def job_proposals(request: HttpRequest, pk: int) -> HttpResponse:
    """A job's proposals, newest first (as always) or "Best matches" by Uma's verdict, with its reasons."""
    job = get_object_or_404(policies.jobs_owned(user_of(request)), pk=pk)
    order = request.GET.get("order") if request.GET.get("order") in ("best", "interview") else "date"
    poll_later = long_poll.wait_for_news(request, lambda: proposal_svc.reading_mark(job))
    mark = proposal_svc.reading_mark(job)  # before the rows: news after it asks again at once
    rows = list(
        job.proposals.select_related(
            "freelancer__freelancer_profile", "uma_assessment", "interview", "interview_assessment"
        ).order_by("status", "-created_at")
    )
    waiting = 0
    sent = [p for p in rows if getattr(getattr(p, "interview", None), "submitted_at", None)]
    reading = sum(not hasattr(p, "interview_assessment") for p in sent)  # sent, not yet read by Uma
    if order == "best":
        waiting = proposal_svc.assessments_request(job=job)
        rows = proposal_svc.best_first(rows, job)
    elif order == "interview":
        rows = proposal_svc.by_interview(rows)
    page = Paginator(rows, job_views.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "job": job,
        "page": page,
        "order": order,
        "waiting": waiting,
        "reading": reading,
        "interview": JobInterview.objects.filter(job=job).first(),
        "mark": mark,
        "poll_later": poll_later,
    }
    return render(request, "hiring/job_proposals.html", context)


class InterviewForm(forms.Form):
    questions = forms.CharField(
        label="Your questions (one a line, at most 5)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=interviews.OWN_MOST * (interviews.QUESTION_LIMIT + 1),
    )
    uma_count = forms.TypedChoiceField(
        label="Uma adds questions from your post",
        choices=[(0, "None"), (1, "1"), (2, "2"), (3, "3")],
        coerce=int,
        initial=2,
    )


@login_required
def job_interview(request: HttpRequest, pk: int) -> HttpResponse:
    """The client sets up (or changes) the job's instant interview."""
    job = get_object_or_404(policies.jobs_owned(user_of(request)), pk=pk)
    writing = JobInterview.objects.filter(job=job).values_list("status", flat=True)
    poll_later = long_poll.wait_for_news(request, lambda: writing.first() or "")
    interview = JobInterview.objects.filter(job=job).first()
    initial = {}
    if interview:
        own = [q["text"] for q in interview.questions if q["by"] == "client"]
        initial = {"questions": "\n".join(own), "uma_count": interview.uma_count}
    form = InterviewForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            lines = [line for line in form.cleaned_data["questions"].splitlines() if line.strip()]
            by = user_of(request)
            done, status = form_call(
                form,
                lambda: interviews.interview_set(
                    job=job, by=by, questions=lines, uma_count=form.cleaned_data["uma_count"]
                ),
            )
            if done is not None:
                messages.success(request, "Instant interview saved.")
                return see_other(f"/jobs/{job.pk}/interview/")
    context = {
        "job": job,
        "form": form,
        "interview": interview,
        "waiting": bool(interview and interview.status == "writing"),
        "poll_later": poll_later,
    }
    return render(request, "hiring/job_interview.html", context, status=status)


@login_required
def proposal_interview(request: HttpRequest, pk: int) -> HttpResponse:
    """The freelancer answers the interview (saved as typed); the client reads it with Uma's assessment."""
    user = user_of(request)
    proposal = get_object_or_404(policies.proposals_visible(user).select_related("job"), pk=pk)
    interview = JobInterview.objects.filter(job_id=proposal.job_id).first()
    transcript = InterviewTranscript.objects.filter(proposal=proposal).first()
    mine = proposal.freelancer_id == user.pk
    if interview is None or (not mine and not (transcript and transcript.submitted_at)):
        raise Http404("No interview here.")
    turns = transcript.turns if transcript else [{"question": q["text"], "answer": ""} for q in interview.questions]
    fields = [(f"answer_{n}", turn["question"], turn.get("answer", "")) for n, turn in enumerate(turns)]
    form = _answers_form(fields, limit=interviews.ANSWER_LIMIT, rows=4, data=request.POST or None)
    status = 200
    if request.method == "POST":
        if not mine:
            raise Http404
        status = 400
        if form.is_valid():
            answers = [form.cleaned_data[f"answer_{n}"] for n in range(len(turns))]
            submit = "send" in request.POST
            done, status = form_call(
                form, lambda: interviews.interview_answer(proposal=proposal, by=user, answers=answers, submit=submit)
            )
            if done is not None:
                if not submit:
                    return HttpResponse(status=204)  # saved as typed (htmx)
                messages.success(request, "Answers sent. The client will read them with your proposal.")
                return see_other(f"/proposals/{proposal.pk}/interview/")
    context = {
        "proposal": proposal,
        "interview": interview,
        "transcript": transcript,
        "form": form,
        "mine": mine,
        "assessment": InterviewAssessment.objects.filter(proposal=proposal).first(),
    }
    return render(request, "hiring/proposal_interview.html", context, status=status)
