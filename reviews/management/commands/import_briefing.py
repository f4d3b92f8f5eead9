"""``manage.py import_briefing FILE``: a new briefing becomes a draft review.

The same import as the admin's "Import a briefing" form (see
``reviews.services.briefing_import``): the full text is kept as the source,
paragraphs, bullets and table cells become candidate entries in the
briefing's own words, with suggested themes. Nothing is published.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviews.importing.decoding import MAX_FILE_BYTES, BriefingFileError, briefing_text_from_bytes
from reviews.management.database import require_migrated_database
from reviews.models import Partnership
from reviews.services import briefing_import


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


class Command(BaseCommand):
    help = "Import a briefing (plain text or Markdown) as a DRAFT review with candidate entries and suggested themes."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The briefing's text, a .txt or .md file in UTF-8.")
        parser.add_argument("--partnership", metavar="SLUG", help="The slug of the partnership that published it.")
        parser.add_argument("--title", default="", help="The review's title, if not the one found in the briefing.")

    def handle(self, *args, file, partnership=None, title="", **options):
        require_migrated_database()
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        chosen = None
        if partnership:
            chosen = Partnership.objects.filter(slug=partnership).first()
            if chosen is None:
                known = ", ".join(Partnership.objects.values_list("slug", flat=True)) or "none yet"
                raise CommandError(f"No partnership has the slug {partnership!r}. Known slugs: {known}.")
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        try:
            text = briefing_text_from_bytes(name=path.name, data=data)
            result = briefing_import(text=text, file_name=path.name, title=title, partnership=chosen)
        except BriefingFileError as error:
            raise CommandError(f"{error} Nothing was imported.") from error

        counts = result.counts
        self.stdout.write(
            self.style.SUCCESS(f"Imported “{result.review.title}” as a DRAFT review (slug {result.review.slug}).")
        )
        made = [
            plural(counts["learning"], "learning point", "learning points"),
            plural(counts["good_practice"], "good practice entry", "good practice entries"),
            plural(counts["recommendation"], "recommendation", "recommendations"),
            plural(counts["action"], "action", "actions"),
            plural(counts["case_fact"], "case fact", "case facts"),
            plural(result.source.resources.count(), "resource", "resources"),
        ]
        self.stdout.write(f"  {', '.join(made)}.")
        self.stdout.write(f"  Themes suggested for {plural(result.themed, 'entry', 'entries')}.")
        partnership_line = str(result.review.partnership) if result.review.partnership else "not set"
        if result.partnership_detected:
            partnership_line += " (found in the briefing: check it)"
        self.stdout.write(f"  Partnership: {partnership_line}.")
        if result.parsed.excluded:
            self.stdout.write(f"  {len(result.parsed.excluded)} passage(s) left out, with the reason, on the source.")
        self.stdout.write("  Nothing is public: check the entries in the admin, then publish the review.")
