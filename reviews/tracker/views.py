"""The board view in the admin: /admin/reviews/action/tracker/ (its CSV and printable page beside it).

For staff who may see status updates (the Editor group, migration 0032);
others are refused. Reads come from ``selectors``; this module only parses
the filters and renders.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from ..models import Review
from .csv import tracker_csv
from .quality import ROUGH_GUIDE, checklist_shares, recommendations_checked
from .selectors import State, owner_choices, tracker_groups, tracker_rows, tracker_totals

PERMISSION = "reviews.view_actionupdate"


class TrackerFilterForm(forms.Form):
    owner = forms.ChoiceField(label="Agency (who is doing it)", required=False)
    review = forms.TypedChoiceField(label="Review", required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(label="State", required=False, choices=[("", "Any state"), *State.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Every agency"), *((owner, owner) for owner in owner_choices())]
        reviews = Review.objects.filter(actions__isnull=False).distinct().order_by("title").values_list("pk", "title")
        self.fields["review"].choices = [("", "Every review"), *reviews]

    def filters(self) -> dict:
        """The valid filters; a value not among the choices is ignored rather than an error."""
        if self.is_valid():
            data = self.cleaned_data
            return {"owner": data["owner"], "review_id": data["review"], "state": data["state"]}
        return {
            name: (self.cleaned_data.get(field) or ("" if name != "review_id" else None))
            for name, field in (("owner", "owner"), ("review_id", "review"), ("state", "state"))
        }


def _check(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _context(request, admin_site):
    form = TrackerFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    today = timezone.localdate()
    rows = tracker_rows(**filters, today=today)
    query = request.GET.urlencode()
    review_id = filters.get("review_id")
    return {
        # The share of recommendations with an owner, a date, something measurable: of the review
        # chosen, else of every review (the agency and state filters are about actions, so not applied).
        "checklist_shares": checklist_shares(recommendations_checked(review_id=review_id)),
        "checklist_review": dict(form.fields["review"].choices).get(review_id) if review_id else "",
        "rough_guide": ROUGH_GUIDE,
        **admin_site.each_context(request),
        "title": "Recommendation tracker",
        "form": form,
        "rows": rows,
        "groups": tracker_groups(rows),
        "totals": tracker_totals(rows),
        "states": State,
        "today": today,
        "query": f"?{query}" if query else "",
    }


def tracker_view(request, *, admin_site):
    _check(request)
    return TemplateResponse(request, "admin/reviews/tracker.html", _context(request, admin_site))


def tracker_print_view(request, *, admin_site):
    _check(request)
    return TemplateResponse(request, "admin/reviews/tracker_print.html", _context(request, admin_site))


def tracker_csv_view(request, *, admin_site):
    _check(request)
    form = TrackerFilterForm(request.GET or None)
    rows = tracker_rows(**(form.filters() if request.GET else {}))
    response = HttpResponse(tracker_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="recommendation-tracker-{timezone.localdate()}.csv"'
    return response
