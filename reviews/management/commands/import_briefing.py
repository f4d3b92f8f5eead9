"""``manage.py import_briefing FILE``: a new briefing becomes a draft review.

The same import as the admin's "Import a briefing" form (see
``reviews.services.briefing_import_file``): a PDF, Word document, saved web
page, text or Markdown file; the full text is kept as the source, its
passages become candidate entries in the briefing's own words, with
suggested themes. Nothing is published, and nothing the file alone cannot
decide (a partnership not yet in the knowledge base, new themes) is created:
it is left for the import's check screen, unless ``--create-partnership``
says to create the partnership.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviews.importing.decoding import ALLOWED_SUFFIXES, MAX_UPLOAD_BYTES, BriefingFileError
from reviews.management.database import require_migrated_database
from reviews.models import Partnership
from reviews.services import briefing_import_file


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


class Command(BaseCommand):
    help = (
        f"Import a briefing ({', '.join(ALLOWED_SUFFIXES)}) as a DRAFT review with candidate entries and "
        "suggested themes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=f"The briefing: a {', '.join(ALLOWED_SUFFIXES)} file.")
        parser.add_argument("--partnership", metavar="SLUG", help="The slug of the partnership that published it.")
        parser.add_argument(
            "--create-partnership",
            metavar="NAME",
            default="",
            help="The full name of the partnership that published it, when it is not in the knowledge base yet: "
            'it is created (e.g. "Anytown Safeguarding Children Partnership"). An existing one of that name is used.',
        )
        parser.add_argument("--title", default="", help="The review's title, if not the one found in the briefing.")

    def handle(self, *args, file, partnership=None, create_partnership="", title="", **options):
        require_migrated_database()
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        if partnership and create_partnership:
            raise CommandError("Give either --partnership or --create-partnership, not both.")
        chosen = None
        if partnership:
            chosen = Partnership.objects.filter(slug=partnership).first()
            if chosen is None:
                known = ", ".join(Partnership.objects.values_list("slug", flat=True)) or "none yet"
                raise CommandError(f"No partnership has the slug {partnership!r}. Known slugs: {known}.")
        with path.open("rb") as handle:
            data = handle.read(MAX_UPLOAD_BYTES + 1)
        try:
            result = briefing_import_file(
                name=path.name,
                data=data,
                title=title,
                partnership=chosen,
                create_partnership=create_partnership,
            )
        except BriefingFileError as error:
            raise CommandError(f"{error} Nothing was imported.") from error
        self.report(result)

    def report(self, result):
        counts = result.counts
        reviews = result.reviews
        if len(reviews) > 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported “{result.source.title}” as {len(reviews)} DRAFT reviews, one for each child:"
                )
            )
            for review in reviews:
                self.stdout.write(f"  “{review.title}” (slug {review.slug})")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Imported “{result.review.title}” as a DRAFT review (slug {result.review.slug}).")
            )
        made = [
            plural(counts["learning"], "learning point", "learning points"),
            plural(counts["good_practice"], "good practice entry", "good practice entries"),
            plural(counts["question"], "question to consider", "questions to consider"),
            plural(counts["recommendation"], "recommendation", "recommendations"),
            plural(counts["action"], "action", "actions"),
            plural(counts["case_fact"], "case fact", "case facts"),
            plural(result.source.resources.count(), "resource", "resources"),
        ]
        self.stdout.write(f"  {', '.join(made)}.")
        self.stdout.write(f"  Themes suggested for {plural(result.themed, 'entry', 'entries')}.")
        if result.proposed_themes:
            names = ", ".join(f"“{proposal['name']}”" for proposal in result.proposed_themes)
            self.stdout.write(f"  New themes proposed where none fits (not created): {names}.")
        children = result.report.get("children", [])
        if children and len(reviews) == 1:
            names = ", ".join(child["name"] for child in children)
            self.stdout.write(f"  About: {names}.")
        self.stdout.write(f"  Partnership: {self.partnership_line(result)}.")
        if result.source.published_on:
            self.stdout.write(f"  Published: {result.source.published_display} (as the briefing gives it).")
        if result.parsed.excluded:
            self.stdout.write(f"  {len(result.parsed.excluded)} passage(s) left out, with the reason, on the source.")
        if result.warnings:
            self.stdout.write(self.style.WARNING(f"  {plural(len(result.warnings), 'warning', 'warnings')} to check:"))
            for warning in result.warnings:
                text = warning.get("message", "") if isinstance(warning, dict) else str(warning)
                self.stdout.write(f"  - {text}")
        self.stdout.write("  Nothing is public: check the entries on the import's check screen, then publish.")

    @staticmethod
    def partnership_line(result) -> str:
        partnership = result.review.partnership
        if partnership is not None and result.partnership_created:
            return f"{partnership} (created now, as asked, slug {partnership.slug})"
        if partnership is not None and result.partnership_detected:
            return f"{partnership} (found in the briefing: check it)"
        if partnership is not None:
            return str(partnership)
        proposal = result.partnership_proposal
        if proposal:
            return (
                f"not set. The briefing names “{proposal['name']}”, which is not in the knowledge base yet: "
                "confirm it on the import's check screen (nothing was created)"
            )
        return "not set"
