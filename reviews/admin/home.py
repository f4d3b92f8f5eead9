"""The admin's home page, arranged for the person signed in.

Django's home lists every app the user may see, alphabetically, under the
apps' own names ("Reviews", "Taggit", "Axes", "Authentication and
authorization"). Board staff work with content: here the knowledge base's
screens come first, in sections named for what they hold, and the site-wide
screens (accounts, sign-in lock-outs, the tag library) follow under a heading
of their own. Who sees what is decided by permissions alone, as everywhere in
the admin: the Editor and Trainer groups hold none on those screens (migrations 0004,
0025), so their home shows only content; a superuser, or someone given
``auth.change_user`` and the like, sees them too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from ..tracker.views import PERMISSION as TRACKER_PERMISSION
from .reviews import IMPORT_PERMISSIONS

# The knowledge base's screens, in the order editors use them (model names as Django's app list gives them).
CONTENT_SECTIONS = [
    (
        "Reviews and what they say",
        "A review, with its case facts, learning, recommendations and the actions answering them, "
        "and who confirmed what the safety check found before publishing.",
        ["Review", "CaseFact", "LearningPoint", "Recommendation", "Action", "SafetyConfirmation"],
    ),
    (
        "Themes",
        "The themes learning is filed under, the other names briefings use for them, "
        "the guides at the top of a theme's page (an overview and practice points in the knowledge base's "
        "own words, each citing the entries it rests on), the questions printed on the 7-minute briefings, "
        "and the national themes (such as the Child Safeguarding Practice Review Panel's) each theme falls under.",
        [
            "Theme",
            "ThemeAlias",
            "ThemeGuide",
            "GuideClaim",
            "ReflectionQuestion",
            "ThemeFramework",
            "NationalTheme",
            "ThemeNationalLink",
        ],
    ),
    (
        "Briefings, partnerships and resources",
        "The documents the words come from, their headings, the boards that published them, "
        "and the services and documents they name.",
        ["Source", "Section", "Partnership", "Resource", "Collection"],
    ),
    (
        "Training",
        "Course packs: learning put together for a session; and each time learning was used (team briefings, "
        "courses, supervisions), for the board's annual report.",
        ["CoursePack", "LearningUse"],
    ),
    (
        "Old addresses",
        "Web addresses that changed, and entries recorded again under another kind: they keep old links working.",
        ["OldSlug", "MovedEntry"],
    ),
]
CONTENT_APP = "reviews"
# Site-wide screens, by app: the names Django gives them mean little to board staff.
SITE_APPS = {
    "auth": "Accounts and groups",
    "axes": "Sign-in attempts and lock-outs",
    "taggit": "Tag library (rename, merge or delete tags across all reviews)",
}


@dataclass
class HomeSection:
    key: str
    name: str
    description: str
    models: list[dict] = field(default_factory=list)


def home_sections(app_list: list[dict]) -> tuple[list[HomeSection], list[HomeSection]]:
    """``app_list`` (what Django's home would show the user) as content sections
    and site-wide sections; a section the user may see nothing in is left out."""
    apps = {app["app_label"]: app for app in app_list}
    content_models = {model["object_name"]: model for model in apps.get(CONTENT_APP, {}).get("models", [])}
    content = []
    for number, (name, description, object_names) in enumerate(CONTENT_SECTIONS, start=1):
        models = [content_models.pop(object_name) for object_name in object_names if object_name in content_models]
        if models:
            content.append(HomeSection(f"content-{number}", name, description, models))
    if content_models:  # a model added later, before it is given a section
        content.append(HomeSection("content-other", "Other content", "", list(content_models.values())))
    site = []
    for app_label, app in apps.items():
        if app_label == CONTENT_APP:
            continue
        site.append(HomeSection(f"site-{app_label}", SITE_APPS.get(app_label, app["name"]), "", app["models"]))
    return content, site


def home_shortcuts(user) -> list[tuple[str, str]]:
    """Links to the screens that are not lists of one model: (label, address)."""
    shortcuts = []
    if user.has_perms(IMPORT_PERMISSIONS):
        shortcuts.append(("Import a briefing", reverse("admin:reviews_review_import")))
    if user.has_perm(TRACKER_PERMISSION):
        shortcuts.append(("Recommendation tracker", reverse("admin:reviews_action_tracker")))
    return shortcuts
