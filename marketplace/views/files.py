"""Downloads of attached files, for those who may see what they are attached to (404 for anyone else)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from marketplace import policies

# Shown in the browser; anything else is downloaded, never rendered on our origin.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}


@require_GET
@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    item = get_object_or_404(policies.attachments_visible(request.user), pk=pk)  # type: ignore[arg-type]
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404("This file is no longer stored.") from None
    inline = item.content_type in INLINE_TYPES
    response = FileResponse(
        handle, as_attachment=not inline, filename=item.name, content_type=item.content_type or None
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
