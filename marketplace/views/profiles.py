"""The public freelancer profile and the freelancer's own editor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from marketplace.errors import DomainError
from marketplace.forms_market import PortfolioForm, ProfileForm
from marketplace.models import Contract, Feedback, FreelancerProfile, PortfolioItem, ProfileSkill
from marketplace.services import profiles as svc
from marketplace.views.helpers import act, attach_error, user_of


def freelancer_public(request: HttpRequest, pk: int) -> HttpResponse:
    """Public: anyone, signed in or not, may see a freelancer's profile and work history."""
    profile = get_object_or_404(
        FreelancerProfile.objects.select_related("user").prefetch_related(
            Prefetch("profile_skills", queryset=ProfileSkill.objects.select_related("skill").order_by("-years")),
            "portfolio",
        ),
        pk=pk,
    )
    history = (
        Contract.objects.filter(freelancer=profile.user, status__in=[Contract.Status.ENDED, Contract.Status.CANCELLED])
        .select_related("organization")
        .prefetch_related(Prefetch("feedback", queryset=Feedback.objects.filter(recipient=profile.user)))
        .order_by("-ended_at")[:20]
    )
    return render(request, "marketplace/freelancer_public.html", {"profile": profile, "history": history})


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    profile = FreelancerProfile.objects.filter(user=user).first()
    if profile is None:
        raise Http404("Only freelancers have a profile.")
    skills_text = ", ".join(f"{ps.skill.name}:{ps.years}" for ps in profile.profile_skills.select_related("skill"))
    form = ProfileForm(request.POST or None, instance=profile, initial={"skills": skills_text})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        skills = data.pop("skills")
        try:
            with transaction.atomic():
                svc.profile_update(profile=FreelancerProfile.objects.get(pk=profile.pk), by=user, **data)
                svc.profile_skills_set(profile=profile, by=user, skills=skills)
        except (ValidationError, DomainError) as error:
            attach_error(form, error)
        else:
            messages.success(request, "Profile saved.")
            return redirect("profile_edit")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "profile": profile, "portfolio_form": PortfolioForm()}
    return render(request, "marketplace/profile_edit.html", context, status=status)


@login_required
@require_POST
def portfolio_add(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    profile = get_object_or_404(FreelancerProfile, user=user)
    form = PortfolioForm(request.POST)

    def add() -> None:
        if not form.is_valid():
            raise ValidationError(form.errors)
        svc.portfolio_item_add(profile=profile, by=user, **form.cleaned_data)

    return act(request, add, done="Added to your portfolio.", then="/profile/")


@login_required
@require_POST
def portfolio_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    item = get_object_or_404(PortfolioItem.objects.select_related("profile"), pk=pk, profile__user=user)
    return act(request, lambda: svc.portfolio_item_remove(item=item, by=user), done="Removed.", then="/profile/")
