"""Conversations, in a contract room or before a hire. htmx posts return the thread fragment."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from marketplace import policies
from marketplace.errors import DomainError
from marketplace.forms_market import MessageForm
from marketplace.models import JobPost, Message, Thread, User
from marketplace.selectors import thread_seen_until
from marketplace.services.messaging import message_send, thread_for_job, thread_mark_read
from marketplace.views.helpers import error_text, is_htmx, user_of


def _thread(request: HttpRequest, pk: int) -> Thread:
    return get_object_or_404(
        policies.threads_visible(user_of(request)).select_related("organization", "freelancer", "contract", "job"),
        pk=pk,
    )


def _fragment(
    request: HttpRequest, thread: Thread, status: int = 200, error: str = "", draft: str = ""
) -> HttpResponse:
    """The thread; after a refusal, with the reason and what was typed (`draft`) still in the box."""
    items = Message.objects.filter(thread=thread).select_related("sender").prefetch_related("files")
    context = {
        "thread": thread,
        "thread_messages": items,
        "message_form": MessageForm(),
        "error": error,
        "draft": draft,
        "seen_until": thread_seen_until(thread=thread, user=user_of(request)),
    }
    return render(request, "marketplace/partials/thread.html", context, status=status)


@login_required
def thread_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    thread = _thread(request, pk)
    if thread.contract is not None:
        return redirect(thread.contract.get_absolute_url())
    if thread.freelancer_id == user.pk or policies.is_member(user, thread.organization_id):
        thread_mark_read(thread=thread, user=user)
    items = Message.objects.filter(thread=thread).select_related("sender").prefetch_related("files")
    seen_until = thread_seen_until(thread=thread, user=user)
    return render(
        request,
        "marketplace/thread.html",
        {"thread": thread, "thread_messages": items, "message_form": MessageForm(), "seen_until": seen_until},
    )


@login_required
def thread_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    return _fragment(request, _thread(request, pk))


@login_required
@require_POST
def job_conversation(request: HttpRequest, pk: int, freelancer_pk: int) -> HttpResponse:
    """Open (or make) the conversation about a job with one freelancer, before any hire.
    The job's organisation may start it with someone who proposed or was invited; the freelancer
    may open their own."""
    user = user_of(request)
    job = get_object_or_404(JobPost, pk=pk)
    freelancer = get_object_or_404(User, pk=freelancer_pk, kind=User.Kind.FREELANCER)
    involved = (
        job.proposals.filter(freelancer=freelancer).exists() or job.invitations.filter(freelancer=freelancer).exists()
    )
    allowed = user.pk == freelancer.pk or policies.is_member(user, job.organization_id)
    if not (involved and allowed):
        raise Http404
    thread = thread_for_job(job=job, freelancer=freelancer)
    return redirect(f"/messages/{thread.pk}/")


@login_required
@require_POST
def thread_post(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    thread = _thread(request, pk)
    try:
        message_send(
            thread=thread, sender=user, body=request.POST.get("body", ""), files=request.FILES.getlist("files")
        )
    except (DomainError, ValidationError) as error:
        status = error.status_code if isinstance(error, DomainError) else 400
        if is_htmx(request):
            typed = request.POST.get("body", "")
            return _fragment(request, thread, status=status, error=error_text(error), draft=typed)
        flash.error(request, error_text(error))
        return redirect(thread.contract.get_absolute_url() if thread.contract else f"/messages/{thread.pk}/")
    if is_htmx(request):
        return _fragment(request, thread)
    return redirect(thread.contract.get_absolute_url() if thread.contract else f"/messages/{thread.pk}/")
