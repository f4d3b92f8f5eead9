"""``manage.py kb_coverage``: how much of each briefing the knowledge base represents."""

from django.core.management.base import BaseCommand, CommandError

from reviews.coverage import source_coverage
from reviews.management.database import require_migrated_database
from reviews.models import Source


class Command(BaseCommand):
    help = (
        "For each briefing, count its paragraphs, bullets and table cells and how many are represented "
        "by an entry, a heading used as structure, a named resource or a passage excluded with a reason; "
        "list the ones that are not. Use -v 2 to see what represents each unit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", metavar="SLUG", help="Only this source.")
        parser.add_argument(
            "--fail-under",
            type=float,
            metavar="PERCENT",
            help="Exit with an error if any briefing's coverage is below this percentage.",
        )

    def handle(self, *args, source=None, fail_under=None, verbosity=1, **options):
        require_migrated_database()
        sources = Source.objects.exclude(original_text="").order_by("file_name", "slug")
        if source:
            sources = sources.filter(slug=source)
            if not sources:
                raise CommandError(f"No source with the slug '{source}'.")
        below = []
        for item in sources:
            report = source_coverage(item)
            line = (
                f"{item.slug} ({item.file_name or 'no file'}): {report.represented} of {report.total} "
                f"units represented ({report.percent:.1f}%)"
            )
            style = self.style.SUCCESS if report.represented == report.total else self.style.WARNING
            self.stdout.write(style(line))
            for unit in report.units:
                if not unit.represented:
                    self.stdout.write(f"  not represented ({unit.kind}): {unit.text}")
                elif verbosity >= 2:
                    self.stdout.write(f"  ✓ {unit.kind}: {unit.text[:70]}… ← {', '.join(unit.covered_by)}")
            for label, text in report.unplaced:
                self.stdout.write(f"  {label}: text not found in the briefing: {text[:80]}")
            if fail_under is not None and report.percent < fail_under:
                below.append(f"{item.slug} ({report.percent:.1f}%)")
        if below:
            raise CommandError(f"Coverage below {fail_under:g}%: {', '.join(below)}")
