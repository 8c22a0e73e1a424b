"""Skills Uma reads in what a person is writing: suggestions under the profile and job forms."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from marketplace.forms_market import skill_entries
from marketplace.models.text import LONG
from marketplace.services.skill_matcher import suggestions

# The form fields read (a profile's headline and overview, a job's title and description).
TEXT_FIELDS = ("headline", "overview", "title", "description")


@login_required
@require_POST
def skills_suggest(request: HttpRequest) -> HttpResponse:
    """The suggestions partial for the form's text so far; skills already in its skills field are left out.
    Text past the longest field's limit is not read (the form itself says it is too long)."""
    text = "\n".join(request.POST.get(name, "") for name in TEXT_FIELDS)[: LONG * 2]
    listed = [name for name, _ in skill_entries(request.POST.get("skills", ""))]
    found = suggestions(text, listed=listed)
    return render(request, "marketplace/partials/skill_suggestions.html", {"found": found})
