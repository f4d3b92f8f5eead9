"""The publication safety check in the admin: a review's "Check for
identifying details" page, where an editor confirms each finding (and may
publish once all are), and the confirmations' read-only list."""

from __future__ import annotations

import re

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from ..models import PublicationStatus, SafetyConfirmation
from ..safety import FindingsChanged, UnconfirmedFindings, findings_confirm, review_check, review_publish_checked
from .base import HistoryAdmin
from .counts import can_publish

KEY = re.compile(r"^[0-9a-f]{40}$")


def safety_check_url(review) -> str:
    return reverse("admin:reviews_review_safety", args=[review.pk])


def safety_check_view(model_admin, request, object_id):
    """Show a review's findings; record the editor's confirmations; publish
    when asked and every finding is confirmed. Bad input writes nothing."""
    review = model_admin.get_object(request, object_id)
    if review is None:
        raise Http404("No such review.")
    if not model_admin.has_view_permission(request, review):
        raise PermissionDenied
    may_confirm = can_publish(request.user) and model_admin.has_change_permission(request, review)
    is_draft = review.status != PublicationStatus.PUBLISHED
    errors: list[str] = []
    ticked: set[str] = set()

    if request.method == "POST":
        if not may_confirm:
            raise PermissionDenied
        keys = request.POST.getlist("confirm")
        ticked = {key for key in keys if KEY.match(key)}
        publishing = "_publish" in request.POST and is_draft
        if len(ticked) != len(keys):
            errors.append("The form was not sent as shown: check the findings again.")
        elif publishing and not {finding.key for finding in review_check(review).to_confirm} <= ticked:
            errors.append(
                "Publishing waits until every finding is confirmed. Tick each one you have checked, or edit the "
                "entry so that it no longer identifies anyone."
            )
        elif not publishing and not keys:
            errors.append("Tick at least one finding you have checked.")
        else:
            try:
                confirmed = findings_confirm(review=review, keys=sorted(ticked), user=request.user)
                if publishing:
                    review_publish_checked(review=review, user=request.user)
            except (FindingsChanged, UnconfirmedFindings):
                errors.append("The review's text changed since this page was shown: check the findings again.")
                ticked = set()
            else:
                if publishing:
                    model_admin.message_user(
                        request,
                        format_html(
                            "“{}” is published: it and its entries are now public. "
                            '<a href="{}">View it on the site</a>.',
                            review,
                            review.get_absolute_url(),
                        ),
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(reverse("admin:reviews_review_change", args=[review.pk]))
                n = len(confirmed)
                model_admin.message_user(
                    request, f"Recorded: you checked {n} finding{'s' if n != 1 else ''}.", messages.SUCCESS
                )
                return HttpResponseRedirect(request.path)

    result = review_check(review)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Check for identifying details",
        "subtitle": str(review),
        "opts": model_admin.model._meta,
        "original": review,
        "result": result,
        "errors": errors,
        "ticked": ticked,
        "may_confirm": may_confirm,
        "may_publish": may_confirm and is_draft,
        "is_draft": is_draft,
        "publish_requested": request.GET.get("publish") == "1" or "_publish" in request.POST,
    }
    return TemplateResponse(request, "admin/reviews/review/safety_check.html", context)


def publish_or_check(model_admin, request, review):
    """Publish ``review`` from its page; if findings are still to confirm,
    say so and send the editor to the check. Returns a redirect to the check,
    or ``None`` once published."""
    try:
        review_publish_checked(review=review, user=request.user)
    except UnconfirmedFindings as waiting:
        n = len(waiting.result.to_confirm)
        model_admin.message_user(
            request,
            f"“{review}” is saved as a draft, not yet published: the safety check found {n} detail"
            f"{'s' if n != 1 else ''} that may identify someone. Confirm each one, or edit the entry.",
            messages.WARNING,
        )
        return HttpResponseRedirect(safety_check_url(review) + "?publish=1")
    return None


@admin.register(SafetyConfirmation)
class SafetyConfirmationAdmin(HistoryAdmin):
    """Who confirmed which finding of the safety check, and when: read only."""

    list_display = ["text", "kind", "review", "location", "confirmed_by", "confirmed_at"]
    list_filter = ["kind"]
    list_select_related = ["review", "confirmed_by"]
    search_fields = ["text", "review__title", "location"]
    readonly_fields = ["review", "kind", "text", "location", "passage", "key", "confirmed_by", "confirmed_at"]
    fields = readonly_fields
    date_hierarchy = "confirmed_at"

    def has_add_permission(self, request):
        return False  # recorded only from a review's "Check for identifying details" page

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
