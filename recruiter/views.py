"""The client's pages for a risk case (shortlist, compare, invitations), the contract's "I'm concerned"
button, and the staff figures page. Anyone but the contract's organisation (and staff, read-only) gets
404 — the freelancer included: they are never told their contract is at risk."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from marketplace import long_poll
from marketplace.errors import DomainError
from marketplace.views.helpers import act, error_text, ids_in, see_other
from recruiter.models import RiskCase, ShortlistEntry
from recruiter.plans import may_ask_for_person
from recruiter.policies import case_for, client_contract
from recruiter.ranking import PREFERENCES
from recruiter.report import recruiter_figures
from recruiter.services import cases as case_svc
from recruiter.services import invitations as invite_svc
from recruiter.services import shortlists as shortlist_svc
from uma.task_specs.candidate_rationale import RationaleInput, candidate_facts


def _case(request: HttpRequest, pk: int, *, write: bool = False) -> RiskCase:
    return case_for(request.user, pk, write=write)  # type: ignore[arg-type]


def _shortlist_context(case: RiskCase) -> dict:
    entries = shortlist_svc.shown_entries(case)
    return {"case": case, "entries": entries, **shortlist_svc.progress(case, entries)}


@login_required
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    context = _shortlist_context(case) | {
        "preferences": list(PREFERENCES.items()),
        "may_ask": may_ask_for_person(case.contract.organization.plan),
    }
    return render(request, "recruiter/case.html", context)


@login_required
def shortlist_partial(request: HttpRequest, pk: int) -> HttpResponse:
    """The shortlist as it fills in, asked for by htmx while Uma works; with `seen`, the answer waits for
    news (marketplace/long_poll.py)."""
    case = _case(request, pk)
    poll_later = long_poll.wait_for_news(request, lambda: shortlist_svc.progress_mark(case.pk))
    case = _case(request, pk)  # as it is now
    context = _shortlist_context(case) | {"poll_later": poll_later}
    return render(request, "recruiter/partials/shortlist.html", context)


@login_required
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    ids = ids_in(request.GET.getlist("entries"))
    entries = [e for e in shortlist_svc.shown_entries(case) if not ids or e.pk in ids][:6]
    facts = [_fact_table(e) for e in entries]
    table = [(label, [f.get(label, "—") for f in facts]) for label in COMPARED]
    return render(request, "recruiter/compare.html", {"case": case, "entries": entries, "table": table})


COMPARED = ("Matching required skills", "Job success", "Usual reply time", "Rate", "Availability", "Past work")


def _fact_table(entry: ShortlistEntry) -> dict[str, str]:
    """The candidate's facts against the job, line by line ("Job success" → "96% over 20 …")."""
    return dict(line.split(": ", 1) for line in candidate_facts(RationaleInput.model_validate(entry.facts)))


@login_required
@require_POST
def preferences(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, write=True)
    chosen = request.POST.getlist("preferences")
    return act(
        request,
        lambda: shortlist_svc.shortlist_start(case=case, by=request.user, preferences=chosen),  # type: ignore[arg-type]
        done="Uma is looking again with your preferences.",
        then=case.get_absolute_url(),
    )


@login_required
@require_POST
def more(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, write=True)
    return act(
        request,
        lambda: shortlist_svc.shortlist_more(case=case, by=request.user),  # type: ignore[arg-type]
        done="Uma is checking a few more people.",
        then=case.get_absolute_url(),
    )


@login_required
@require_POST
def remove(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    case = _case(request, pk, write=True)
    entry = get_object_or_404(ShortlistEntry, pk=entry_pk, case=case)
    return act(
        request,
        lambda: shortlist_svc.entry_remove(entry=entry, by=request.user, reason=request.POST.get("reason", "")),  # type: ignore[arg-type]
        done=f"{entry.freelancer.get_full_name()} is off the shortlist.",
        then=case.get_absolute_url(),
    )


@login_required
@require_POST
def drafts(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, write=True)
    ids = ids_in(request.POST.getlist("entries"))
    try:
        chosen = invite_svc.drafts_request(case=case, by=request.user, entry_ids=ids)  # type: ignore[arg-type]
    except (DomainError, ValidationError) as error:
        from django.contrib import messages

        messages.error(request, error_text(error))
        return see_other(case.get_absolute_url())
    return see_other(f"{case.get_absolute_url()}invite/?{_chosen(chosen)}")


def _chosen(entries: list[ShortlistEntry]) -> str:
    """The invite page's query for these entries: entries=1&entries=2."""
    return urlencode({"entries": [e.pk for e in entries]}, doseq=True)


@login_required
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit Uma's drafts, then send them all at once (pressing twice sends nothing more)."""
    case = _case(request, pk, write=request.method == "POST")
    ids = ids_in(request.GET.getlist("entries"))
    poll_later = long_poll.wait_for_news(request, lambda: invite_svc.drafts_written(case, ids))
    entries = list(
        ShortlistEntry.objects.filter(case=case, pk__in=ids)
        .select_related("freelancer", "invitation")
        .order_by("position")
    )
    if not entries:
        raise Http404("choose candidates first")
    errors = ""
    if request.method == "POST":
        chosen = ids_in(request.POST.getlist("entries"))
        texts = {e.pk: request.POST.get(f"message_{e.pk}", "") for e in entries if e.pk in chosen}
        try:
            sent = invite_svc.invitations_send(
                case=case,
                by=request.user,  # type: ignore[arg-type]
                messages=texts,
                offer_on_accept=request.POST.get("offer_on_accept") == "1",
            )
        except (DomainError, ValidationError) as error:
            errors = error_text(error)
        else:
            from django.contrib import messages

            messages.success(
                request,
                f"Sent {len(sent)} invitation{'s' if len(sent) != 1 else ''}."
                if sent
                else "Those invitations were already sent.",
            )
            return see_other(case.get_absolute_url())
    pending = [e for e in entries if e.draft_source == "pending" and not e.draft]
    written = len(entries) - len(pending)  # drafts_written's count, from the rows shown
    context = {
        "case": case,
        "entries": entries,
        "pending": pending,
        "written": written,
        "errors": errors,
        "poll_url": f"{request.path}?{_chosen(entries)}&seen={written}",
        "poll_later": poll_later,
    }
    return render(request, "recruiter/invite.html", context, status=400 if errors else 200)


@login_required
@require_POST
def ask_person(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, write=True)
    return act(
        request,
        lambda: case_svc.case_ask_person(case=case, by=request.user),  # type: ignore[arg-type]
        done="A Tandem recruiter will take it from here.",
        then=case.get_absolute_url(),
    )


@login_required
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, write=True)
    return act(
        request,
        lambda: case_svc.case_resolve(case=case, by=request.user),  # type: ignore[arg-type]
        done="Glad it's back on track. We closed the alert.",
        then="/dashboard/",
    )


@login_required
@require_POST
def replace(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, write=True)
    return act(
        request,
        lambda: case_svc.case_replace(case=case, by=request.user),  # type: ignore[arg-type]
        done="The old contract has ended (replaced).",
        then="/dashboard/",
    )


@login_required
@require_POST
def concern(request: HttpRequest, contract_pk: int) -> HttpResponse:
    contract = client_contract(request.user, contract_pk)  # type: ignore[arg-type]
    return act(
        request,
        lambda: case_svc.concern_raise(
            contract=contract,
            by=request.user,  # type: ignore[arg-type]
            note=request.POST.get("note", ""),
            wants_person=request.POST.get("wants_person") == "1",
        ),
        done="Thanks for telling us. Uma is looking at this contract now.",
        then=contract.get_absolute_url(),
    )


@staff_member_required
def figures(request: HttpRequest) -> HttpResponse:
    """The recruiter's figures for staff: the same as `manage.py recruiter_report`, with a chart."""
    return render(request, "recruiter/figures.html", {"figures": recruiter_figures()})
