"""Admin forms: validation messages an editor understands, and the import,
merge and recommendation-numbering forms."""

from __future__ import annotations

import re
from collections import defaultdict

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html

from ..coverage import NormalisedSource
from ..importing.decoding import ALLOWED_SUFFIXES, MAX_DOCUMENT_BYTES, MAX_FILE_BYTES, MAX_UPLOAD_BYTES
from ..models import SLUGGED_MODELS, OldSlug, Partnership, Recommendation, Section, Theme, ThemeAlias

# Database constraints whose default message ("Constraint “…” is violated.")
# means nothing to an editor: the field to show the message on, and the message.
CONSTRAINT_MESSAGES: dict[str, tuple[str | None, str]] = {
    "learningpoint_cannot_repeat_itself": (
        "repeats",
        "A learning point cannot repeat itself. Choose the earlier learning point, from another briefing, "
        "that this one repeats, or leave the field empty.",
    ),
    "source_file_name_unique": (
        "file_name",
        "Another source was already imported from a file with this name. Check it is not the same briefing.",
    ),
    "themealias_name_unique_case_insensitive": (
        "name",
        "Another theme already has this alias (capital letters make no difference). Each heading can lead "
        "to one theme only.",
    ),
    "section_cannot_be_its_own_parent": (
        "parent",
        "A section cannot be its own parent. Choose the table a row is in, or the row a cell is in.",
    ),
    "theme_name_unique_case_insensitive": (
        "name",
        "Another theme already has this name (capital letters make no difference). Use that theme, or "
        "give this one a name that says how it differs.",
    ),
}

_PARTIAL_DATE = re.compile(
    r"^[a-z]+_(?P<field>[a-z_]+?)_(?P<rule>matches_precision|month_precision_first_day|year_precision_first_january)$"
)
_PARTIAL_DATE_MESSAGES = {
    "matches_precision": "Give a date together with how precise it is, or neither: choose 'Not given' "
    "when the briefing gives no date, and 'Day', 'Month' or 'Year' when it does.",
    "month_precision_first_day": "When only the month is known, enter the first day of that month "
    "(e.g. 01/09/2019 for September 2019); it is always shown as just the month.",
    "year_precision_first_january": "When only the year is known, enter 1 January of that year "
    "(e.g. 01/01/2019 for 2019); it is always shown as just the year.",
}


# Django's default message, already formatted by BaseConstraint.get_violation_error_message().
_VIOLATION = re.compile(r"^Constraint “(?P<name>[\w]+)” is violated\.$")


def friendly_constraint_error(error: ValidationError) -> tuple[str | None, str] | None:
    """The field and plain-English message for a constraint violation, if known."""
    match = _VIOLATION.match(str(error.message))
    if match is None:
        return None
    name = match.group("name")
    if name in CONSTRAINT_MESSAGES:
        return CONSTRAINT_MESSAGES[name]
    match = _PARTIAL_DATE.match(name)
    if match:
        date_field, rule = match.group("field"), match.group("rule")
        # "published_on" goes with "published_precision".
        target = date_field.removesuffix("_on") + "_precision" if rule == "matches_precision" else date_field
        return target, _PARTIAL_DATE_MESSAGES[rule]
    return None


class KbModelForm(forms.ModelForm):
    """A model form whose constraint errors are written for editors, and which
    keeps a page from taking over another page's old web address."""

    def clean(self):
        cleaned_data = super().clean()
        slug = cleaned_data.get("slug")
        model = type(self.instance)
        if slug and model in SLUGGED_MODELS.values() and "slug" in self.changed_data:
            other = OldSlug.objects.for_model(model).filter(slug=slug).exclude(object_id=self.instance.pk).first()
            if other is not None:
                owner = other.content_object
                self.add_error(
                    "slug",
                    ValidationError(
                        f"This web address (slug) used to belong to “{owner}”, and old links to it still lead "
                        f"there. Choose another slug. If those old links should lead here instead, first delete "
                        f"the old web address “{slug}” under 'Old web addresses'.",
                        code="old_slug",
                    ),
                )
        return cleaned_data

    def _update_errors(self, errors):
        error_dict = errors.error_dict if hasattr(errors, "error_dict") else {NON_FIELD_ERRORS: errors.error_list}
        kept: dict[str, list[ValidationError]] = defaultdict(list)
        for field, messages in error_dict.items():
            for message in messages:
                friendly = friendly_constraint_error(message) if isinstance(message, ValidationError) else None
                if friendly is None:
                    kept[field].append(message)
                    continue
                target, text = friendly
                kept[target if target in self.fields else NON_FIELD_ERRORS].append(
                    ValidationError(text, code="constraint")
                )
        super()._update_errors(ValidationError(dict(kept)))


class WrappingLineField(forms.CharField):
    """One line of text (a title) in a box that wraps, so a long title is seen whole:
    a line break typed or pasted into it becomes a space."""

    widget = forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField kb-one-line"})

    def to_python(self, value):
        value = super().to_python(value)
        return " ".join(value.split()) if value else value


def section_label(section: Section) -> str:
    """A section as an editor picks it: its heading (after its row's or table's, for a
    table's row or cell) and its role, e.g. "Transition Issues › Good Practice (What went well)"."""
    heading = section.heading or "(no heading)"
    if section.parent_id:
        heading = f"{section.parent.heading} › {heading}"
    return f"{heading} ({section.get_role_display()})"


WORDING_REASON_LABEL = "Why the wording differs from the briefing"


class EntryForm(KbModelForm):
    """An entry's (or a resource's) form: its section is one of its own briefing's sections,
    in the briefing's order, shown as "heading (role)"; and the verbatim guard.

    The verbatim guard: an entry's text is the briefing's own words. A change
    that makes words found in the briefing no longer found there is refused
    until a reason is given, with the difference from the briefing's words
    shown; the reason goes into the entry's history.
    """

    wording_reason = forms.CharField(
        label=WORDING_REASON_LABEL,
        required=False,
        max_length=80,
        help_text="Only when you change the words drawn from the briefing, which the site shows as written: say "
        "why (e.g. 'a name removed to protect the child'). Correcting the briefing's own spelling or typing is "
        "not a reason: leave those as the briefing prints them.",
    )

    # Where the reason is given, as the guard's message says it ("" where it is in the same form).
    wording_reason_where = " (on the entry’s own page)"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("section")
        if field is None:
            return
        source_id = self.source_id()
        sections = Section.objects.select_related("parent").order_by("position", "pk")
        field.queryset = sections.filter(source_id=source_id) if source_id else sections.none()
        field.label_from_instance = section_label
        if not source_id:
            field.help_text = "Choose its source and save; then you can choose the section of that briefing it is in."

    def clean(self):
        cleaned_data = super().clean()
        self._guard_wording(cleaned_data)
        return cleaned_data

    def _guard_wording(self, cleaned_data) -> None:
        old, new = self.instance.text if self.instance.pk else "", cleaned_data.get("text")
        source = cleaned_data.get("source") or getattr(self.instance, "source", None)
        if "text" not in self.changed_data or not old or new is None or source is None or not source.original_text:
            return
        from .base import word_diff  # here: base imports this module

        briefing = NormalisedSource.from_text(source.original_text)
        if not briefing.contains(old) or briefing.contains(new):
            return
        reason = (cleaned_data.get("wording_reason") or "").strip()
        if reason:
            self.instance._change_reason = f"Wording no longer the briefing's: {reason}"[:100]
            return
        self.add_error(
            "text",
            ValidationError(
                format_html(
                    "These words are no longer the briefing’s. The difference from the briefing’s words: "
                    '<span class="kb-diff">{}</span>. The site shows the briefing as written. To change its '
                    "wording anyway, give the reason under “{}”{} and save again; "
                    "otherwise put the briefing’s words back.",
                    word_diff(old, new),
                    WORDING_REASON_LABEL,
                    self.wording_reason_where,
                ),
                code="not_verbatim",
            ),
        )

    def source_id(self) -> int | None:
        """The briefing chosen in the form (as sent), else the entry's own, else the one offered."""
        if self.is_bound and "source" in self.fields:
            sent = self.data.get(self.add_prefix("source"), "")
            return int(sent) if str(sent).isdigit() else None
        if self.instance.source_id:
            return self.instance.source_id
        initial = self.initial.get("source") or (self.fields["source"].initial if "source" in self.fields else None)
        return getattr(initial, "pk", initial)


class RecommendationFormSet(BaseInlineFormSet):
    """Two recommendations with the same number in one review, caught in the form.

    The database constraint ``recommendation_number_unique_per_review`` has a
    condition (empty numbers may repeat), and Django's formset only checks
    unconditional unique constraints across its forms; without this, two new
    recommendations numbered alike would pass validation and fail on save.
    The message is the constraint's own.
    """

    def clean(self):
        super().clean()
        constraint = next(
            c for c in Recommendation._meta.constraints if c.name == "recommendation_number_unique_per_review"
        )
        seen: dict[str, forms.Form] = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            number = (form.cleaned_data.get("number") or "").strip()
            if not number:
                continue
            if number in seen:
                form.add_error("number", constraint.violation_error_message)
            else:
                seen[number] = form
        if any(form.errors.get("number") for form in self.forms if hasattr(form, "cleaned_data")):
            raise ValidationError(
                "Two recommendations in this review have the same number: " + constraint.violation_error_message
            )


# What each accepted file is, in an editor's words.
FORMAT_NAMES = {
    ".pdf": "PDF",
    ".docx": "Word",
    ".html": "web page",
    ".htm": "web page",
    ".txt": "plain text",
    ".md": "Markdown",
    ".markdown": "Markdown",
}


def accepted_formats() -> str:
    """The accepted files in words, from the reader's own list: "PDF (.pdf), Word (.docx) or plain text (.txt)"."""
    suffixes: dict[str, list[str]] = {}
    for suffix in ALLOWED_SUFFIXES:
        suffixes.setdefault(FORMAT_NAMES.get(suffix, suffix), []).append(suffix)
    names = [f"{name} ({', '.join(found)})" for name, found in suffixes.items()]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _file_help() -> str:
    saved_page = ", or a page saved from its website" if ".html" in ALLOWED_SUFFIXES else ""
    return (
        f"The briefing as a {accepted_formats()} file: the file as the partnership published it{saved_page}. "
        f"Up to {MAX_DOCUMENT_BYTES // 1_000_000} MB for a PDF, Word or web page file, "
        f"{MAX_FILE_BYTES // 1000} KB for text."
    )


class BriefingImportForm(forms.Form):
    file = forms.FileField(
        label="Briefing file",
        help_text=_file_help(),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_SUFFIXES)}),
    )
    title = forms.CharField(
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "vTextField"}),
        help_text="The review's name as the briefing gives it, e.g. 'Serious Case Review: Child M'. "
        "Leave empty to take it from the briefing's title; you can change it afterwards.",
    )
    partnership = forms.ModelChoiceField(
        queryset=Partnership.objects.all(),
        required=False,
        help_text="The board or partnership that published it. Leave empty to use the one the briefing "
        "names in full, if it names exactly one; a partnership it names that is not in the knowledge base yet "
        "is offered on the import's check screen, never created on its own.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Read one byte past the limit: enough to tell "too big" without reading a huge file.
        # The file is read (and refused with a clear message) by the import itself.
        self.file_bytes = upload.read(MAX_UPLOAD_BYTES + 1)
        return upload


class ThemeMergeForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=Theme.objects.all(),
        label="Merge into",
        help_text="The theme to keep. The other selected themes are merged into it and deleted; their names "
        "become its aliases and their web addresses lead to it.",
    )


class ThemeForm(KbModelForm):
    """A theme's name may be neither another theme's name nor another theme's
    alias, whatever the capital letters: either would split one theme's
    learning in two."""

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = Theme.objects.exclude(pk=self.instance.pk) if self.instance.pk else Theme.objects.all()
        same = others.filter(name__iexact=name).first()
        if same is not None:
            raise ValidationError(
                f"There is already a theme called “{same.name}” (capital letters make no difference). "
                "Use that theme, or give this one a name that says how it differs.",
                code="duplicate_name",
            )
        alias = ThemeAlias.objects.filter(name__iexact=name).exclude(theme_id=self.instance.pk).first()
        if alias is not None:
            raise ValidationError(
                f"“{alias.name}” is already another name (an alias) of the theme “{alias.theme}”, so entries "
                f"under that heading are filed there. Use “{alias.theme}”, or remove the alias from it first.",
                code="alias_of_other_theme",
            )
        return name


class ThemeAliasForm(KbModelForm):
    """An alias may not be another theme's name: the heading would lead to two themes."""

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        theme = self.cleaned_data.get("theme")  # cleaned before the name (the inline's parent, or chosen)
        theme_id = theme.pk if theme is not None else self.instance.theme_id
        same = Theme.objects.filter(name__iexact=name)
        if theme_id:
            same = same.exclude(pk=theme_id)
        same = same.first()
        if same is not None:
            raise ValidationError(
                f"“{same.name}” is the name of another theme. If the two are the same theme, merge them instead: "
                "select both in the list of themes and choose “Merge selected themes into one…”.",
                code="name_of_other_theme",
            )
        return name
