"""Tags in the admin: a tags box with suggestions, the list of tags, merging.

Tags are typed freely (a new risk factor needs a new tag), but reusing the
spelling already in use is what makes a tag useful. The review form's tags
box is Select2 as bundled with Django's admin (with its jQuery: nothing from
a CDN), in its "tags" mode: typing suggests the tags in use, most used first,
and the typed words come last, as "New tag: …", so Enter picks the tag in
use; a comma, or choosing "New tag", adds a new one. Its few lines of set-up
(``templates/admin/kb/tags_box.js``) are served by the admin, as Django's
own ``jsi18n`` script is, because Select2's options for that are functions.
The list of tags replaces django-taggit's, whose inline and merge only know
taggit's generic ``TaggedItem``, not ``TaggedReview``.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import get_select2_language
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.cache import cache_control
from taggit.models import Tag

from ..services import tag_merge

SUGGESTIONS_PER_PAGE = 20
TAG_NAME_MAX_LENGTH = Tag._meta.get_field("name").max_length


def tags_in_use():
    """Tags with the number of reviews using each, most used first."""
    return Tag.objects.annotate(n_reviews=Count("reviews_taggedreview_items")).order_by("-n_reviews", "name")


def _names(value) -> list[str]:
    """Tag names from a list of tags or of names (or one name)."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [value]
    return [getattr(item, "name", item) for item in value]


class TagAutocomplete(forms.SelectMultiple):
    """The tags box: a multiple select whose options are tag names (only the
    chosen ones are on the page), made a Select2 box suggesting from
    ``suggestions_url`` by ``tags_box.js`` (served at ``script_url``)."""

    def __init__(self, *, suggestions_url: str, script_url: str, attrs=None):
        super().__init__(attrs=attrs)
        self.suggestions_url = suggestions_url
        self.script_url = script_url

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        attrs["class"] = " ".join(filter(None, [attrs.get("class", ""), "kb-tags-box"]))
        attrs.update(
            {
                "data-suggestions-url": self.suggestions_url,
                "data-placeholder": "Type to see the tags in use, or a new tag",
                "data-theme": "admin-autocomplete",
                "lang": get_select2_language() or "en",
            }
        )
        return attrs

    def format_value(self, value):
        return _names(value)

    def optgroups(self, name, value, attrs=None):
        options = [self.create_option(name, tag, tag, True, index) for index, tag in enumerate(value) if tag]
        return [(None, options, 0)]

    @property
    def media(self):
        extra = "" if settings.DEBUG else ".min"
        language = get_select2_language()
        return forms.Media(
            js=(
                f"admin/js/vendor/jquery/jquery{extra}.js",
                f"admin/js/vendor/select2/select2.full{extra}.js",
                *((f"admin/js/vendor/select2/i18n/{language}.js",) if language else ()),
                "admin/js/jquery.init.js",
                self.script_url,
            ),
            css={"screen": (f"admin/css/vendor/select2/select2{extra}.css", "admin/css/autocomplete.css")},
        )


class TagNamesField(forms.Field):
    """Tag names, from the tags box (one value per tag)."""

    widget = forms.SelectMultiple
    default_error_messages = {
        "too_long": "A tag can be at most %(limit)d letters long: “%(tag)s…” is longer. Use a shorter keyword.",
    }

    def to_python(self, value):
        names, seen = [], set()
        for name in _names(value):
            name = " ".join(str(name).split())
            # TAGGIT_CASE_INSENSITIVE: "Alcohol" and "alcohol" are one tag.
            key = name.lower() if getattr(settings, "TAGGIT_CASE_INSENSITIVE", False) else name
            if name and key not in seen:
                seen.add(key)
                names.append(name)
        return names

    def validate(self, value):
        super().validate(value)
        for name in value:
            if len(name) > TAG_NAME_MAX_LENGTH:
                raise ValidationError(
                    self.error_messages["too_long"],
                    code="too_long",
                    params={"limit": TAG_NAME_MAX_LENGTH, "tag": name[:30]},
                )

    def prepare_value(self, value):
        return _names(value)

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        return sorted(self.to_python(initial)) != sorted(self.to_python(data))


def tag_suggestions_view(model_admin, request):
    """JSON for the tags box: the tags whose names contain the term, most used
    first, in the shape Select2 expects (as Django's own autocomplete view)."""
    if not (model_admin.has_view_permission(request) or model_admin.has_change_permission(request)):
        raise PermissionDenied
    term = request.GET.get("term", "").strip()
    try:
        page = max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        page = 1
    tags = tags_in_use()
    if term:
        tags = tags.filter(name__icontains=term)
    start = (page - 1) * SUGGESTIONS_PER_PAGE
    found = list(tags.values_list("name", flat=True)[start : start + SUGGESTIONS_PER_PAGE + 1])
    return JsonResponse(
        {
            "results": [{"id": name, "text": name} for name in found[:SUGGESTIONS_PER_PAGE]],
            "pagination": {"more": len(found) > SUGGESTIONS_PER_PAGE},
        }
    )


@cache_control(max_age=3600)
def tags_box_script_view(request):
    """The tags box's set-up script (JavaScript, no user data in it)."""
    return TemplateResponse(request, "admin/kb/tags_box.js", {}, content_type="text/javascript; charset=utf-8")


class TagMergeForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=Tag.objects.all(),
        label="Merge into",
        help_text="The tag to keep. The reviews with the other selected tags get this one instead, "
        "and the other tags are deleted.",
    )


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "review_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["name"]
    actions = ["merge_tags"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_reviews=Count("reviews_taggedreview_items"))

    @admin.display(description="Reviews", ordering="n_reviews")
    def review_count(self, obj):
        return obj.n_reviews

    @admin.action(description="Merge selected tags into one…", permissions=["change", "delete"])
    def merge_tags(self, request, queryset):
        tags = list(queryset.order_by("-n_reviews", "name"))
        if "apply" in request.POST:
            form = TagMergeForm(request.POST)
            form.fields["into"].queryset = queryset
            if form.is_valid():
                into = form.cleaned_data["into"]
                result = tag_merge(tags=tags, into=into, user=request.user)
                merged = ", ".join(f"“{name}”" for name in result.merged) or "nothing"
                self.message_user(
                    request,
                    f"Merged {merged} into “{into.name}”: {result.retagged} review"
                    f"{'s' if result.retagged != 1 else ''} retagged.",
                    messages.SUCCESS,
                )
                return None
        else:
            form = TagMergeForm(initial={"into": tags[0].pk if tags else None})
            form.fields["into"].queryset = queryset
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge tags",
            "tags": tags,
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/taggit/tag/merge.html", context)
