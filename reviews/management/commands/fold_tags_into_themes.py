"""``manage.py fold_tags_into_themes``: review tags that repeat a theme become the theme's aliases."""

from django.core.management.base import BaseCommand

from reviews.management.database import require_migrated_database
from reviews.services import tags_fold


class Command(BaseCommand):
    help = (
        "Fold every review tag whose name is a theme's name or alias (case, hyphens and a plural 's' aside) "
        "into that theme: its name becomes an alias of the theme where the theme has no such name yet, it is "
        "taken off its reviews (their history says why) and deleted, and its old address /tags/<slug>/ leads "
        "to the theme's page. Tags matching two themes, and all other tags, are left alone. Safe to repeat. "
        "--check says what would be folded and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Say what would be folded; change nothing.")

    def handle(self, *args, check=False, **options):
        require_migrated_database()
        result = tags_fold(dry_run=check)
        verb = "Would fold" if check else "Folded"
        for fold in result.folded:
            alias = "as a new alias" if fold.alias_added else "(the theme already has this name)"
            self.stdout.write(
                f"  “{fold.tag_name}” → {fold.theme.name} {alias}; off {fold.reviews} review(s); "
                f"/tags/{fold.tag_slug}/ leads to {fold.theme.get_absolute_url()}"
            )
        for name, themes in result.ambiguous:
            self.stdout.write(f"  “{name}” left alone: it matches {' and '.join(theme.name for theme in themes)}")
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(result.folded)} tag(s) into themes."))
