"""``manage.py generate_demo_data --reviews N``: synthetic content at national scale, for benchmarks only.

Writes N published reviews with about ten learning points each, plus
recommendations, actions, themes with aliases and tags, all made up from a
fixed vocabulary of practice words so that searches behave as they would on
real content (common and rare words, phrases, themes that recur). Nothing is
about a real child, family, place or board, and everything is marked:

- partnerships are "Synthetic Benchmark Partnership N", sources and review
  titles start with "[Synthetic]", themes with "[Synthetic]", slugs and refs
  with "synthetic-";
- it is written only to the database, never to ``fixtures/``, so the real
  loader (``load_kb``) never reads it.

It refuses to run on a database that holds anything it did not make (any
source, review, theme or partnership without the synthetic marks) unless
``--force`` is given; to start again, drop the benchmark database. Rows are
written with ``bulk_create`` (no signals, no history) and the kept counts and
relations (``reviews/kept/``) and the search index are rebuilt in bulk
afterwards, so 20,000 reviews take minutes, not hours.
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from reviews import caching, search
from reviews.kept import writing as kept
from reviews.management.database import analyze, lift_statement_timeout, require_migrated_database
from reviews.models import (
    Action,
    DatePrecision,
    LearningPoint,
    Partnership,
    PublicationStatus,
    Recommendation,
    Review,
    Section,
    Source,
    Theme,
    ThemeAlias,
)

PREFIX = "synthetic-"
MARK = "[Synthetic]"
BATCH = 5000
PARTNERSHIPS = 150


@dataclass(frozen=True)
class Topic:
    """A practice theme: its name, another board's heading for it, and phrases that carry it."""

    slug: str
    name: str
    alias: str
    weight: int  # How often reviews are about it, relative to the others.
    phrases: tuple[str, ...]


TOPICS = (
    Topic(
        "neglect",
        "Neglect",
        "Chronic neglect",
        30,
        (
            "chronic neglect of the children's basic needs",
            "poor home conditions",
            "missed health appointments",
            "the cumulative impact of neglect",
            "poor school attendance",
            "a lack of food and warm clothing",
        ),
    ),
    Topic(
        "information-sharing",
        "Information sharing",
        "Communication between agencies",
        28,
        (
            "information sharing between agencies",
            "the GP did not share concerns with the school",
            "records held in separate IT systems",
            "a multi-agency chronology",
            "timely referrals to children's social care",
        ),
    ),
    Topic(
        "domestic-abuse",
        "Domestic abuse",
        "Domestic violence and abuse",
        24,
        (
            "domestic abuse in the household",
            "coercive and controlling behaviour",
            "repeated police call-outs",
            "referral to a MARAC",
            "the impact of domestic abuse on the baby",
        ),
    ),
    Topic(
        "safe-sleep",
        "Safe sleep",
        "Safer sleeping",
        12,
        (
            "safe sleep advice",
            "co-sleeping with the baby on a sofa",
            "sleeping arrangements for the baby",
            "alcohol use before co-sleeping",
            "the risk of sudden unexpected death in infancy",
        ),
    ),
    Topic(
        "escalation",
        "Escalation and professional challenge",
        "Resolving professional disagreements",
        14,
        (
            "the escalation policy",
            "professional challenge between agencies",
            "disagreement about thresholds",
            "escalating concerns to a manager",
            "the resolution of professional differences",
        ),
    ),
    Topic(
        "fathers",
        "Fathers and male carers",
        "Invisible men",
        12,
        (
            "the father was not known to services",
            "a new partner who was not assessed",
            "fathers and male carers",
            "a male in the household not known to agencies",
            "the role of the mother's partner",
        ),
    ),
    Topic(
        "mental-health",
        "Parental mental health",
        "Adult mental health",
        18,
        (
            "the mother's mental health",
            "postnatal depression",
            "adult mental health services",
            "a parent's history of self-harm",
            "mental health assessments of the parents",
        ),
    ),
    Topic(
        "substance-misuse",
        "Substance misuse",
        "Drug and alcohol misuse",
        16,
        (
            "parental substance misuse",
            "alcohol misuse by the carer",
            "drug use in the home",
            "engagement with drug and alcohol services",
        ),
    ),
    Topic(
        "curiosity",
        "Professional curiosity",
        "Respectful uncertainty",
        20,
        (
            "professional curiosity",
            "accepting explanations at face value",
            "asking about who lives in the home",
            "triangulating what the family said",
        ),
    ),
    Topic(
        "voice",
        "Voice of the child",
        "The child's lived experience",
        18,
        (
            "the voice of the child",
            "the child's lived experience",
            "seeing the child alone",
            "what the child said to the teacher",
        ),
    ),
    Topic(
        "disguised-compliance",
        "Disguised compliance",
        "Apparent co-operation",
        9,
        (
            "disguised compliance",
            "parents appearing to co-operate",
            "over-optimism about progress",
            "missed home visits",
        ),
    ),
    Topic(
        "strategy-meetings",
        "Strategy meetings",
        "Child protection conferences",
        12,
        (
            "the strategy meeting",
            "attendance at child protection conferences",
            "core group meetings",
            "the child protection plan",
        ),
    ),
    Topic(
        "thresholds",
        "Thresholds and early help",
        "Early help",
        14,
        (
            "early help assessment",
            "the threshold for statutory intervention",
            "step down from social care",
            "the early help offer",
        ),
    ),
    Topic(
        "adolescents",
        "Adolescents and exploitation",
        "Child criminal exploitation",
        10,
        (
            "criminal exploitation of adolescents",
            "county lines",
            "knife crime",
            "going missing from home",
            "contextual safeguarding",
        ),
    ),
    Topic(
        "babies",
        "Babies and infants",
        "Pre-birth assessment",
        11,
        (
            "pre-birth assessment",
            "non-accidental injury to an infant",
            "bruising in a non-mobile baby",
            "the health visitor's new birth visit",
        ),
    ),
    Topic(
        "disabled-children",
        "Disabled children",
        "Children with complex needs",
        7,
        (
            "disabled children with complex health needs",
            "communication needs of the child",
            "respite care arrangements",
        ),
    ),
    Topic(
        "supervision",
        "Supervision and management oversight",
        "Management oversight",
        10,
        (
            "supervision of practitioners",
            "management oversight of the case",
            "caseload pressures",
        ),
    ),
    Topic(
        "housing",
        "Housing and transience",
        "Families moving between areas",
        8,
        (
            "frequent house moves",
            "temporary accommodation",
            "transfer of records between areas",
        ),
    ),
    Topic(
        "culture",
        "Culture and identity",
        "Cultural competence",
        6,
        (
            "the family's culture and faith",
            "use of interpreters",
            "language barriers",
        ),
    ),
    Topic(
        "water-safety",
        "Water safety",
        "Bath safety",
        3,
        (
            "leaving a baby unattended in the bath",
            "water safety advice",
            "open water swimming",
        ),
    ),
    Topic(
        "home-education",
        "Home education",
        "Elective home education",
        3,
        (
            "elective home education",
            "children not in school",
            "oversight of home-educated children",
        ),
    ),
    Topic(
        "online-safety",
        "Online safety",
        "Online harm",
        5,
        (
            "online grooming",
            "sharing of indecent images",
            "online safety advice to parents",
        ),
    ),
)

AGENCIES = (
    "Health visitors",
    "Social workers",
    "GPs",
    "Police officers",
    "School staff",
    "Midwives",
    "Early help practitioners",
    "Hospital staff",
    "Housing officers",
    "Probation officers",
    "Adult mental health practitioners",
    "Substance misuse workers",
    "Paediatricians",
    "Nursery staff",
)
LEARNING_TEMPLATES = (
    "{agency} did not always recognise {p1}, and {p2} was not explored.",
    "The review found that {p1} was known to several agencies but {p2} was not considered together.",
    "{agency} should consider {p1} when assessing risk, including {p2}.",
    "There was limited evidence of {p1}; practitioners focused on {p2} instead of the child.",
    "Good practice was seen where {agency_lower} acted on {p1} and recorded {p2}.",
    "Opportunities were missed to address {p1} at an earlier stage.",
    "{agency} were not aware of {p1} until after the incident.",
    "Assessments did not take account of {p1} or of {p2}.",
)
RECOMMENDATION_TEMPLATES = (
    "The partnership should seek assurance that agencies understand {p1}.",
    "All agencies should review their procedures on {p1} and {p2}.",
    "Training on {p1} should be offered to {agency_lower}.",
    "The partnership should audit practice in relation to {p1}.",
)
ACTION_TEMPLATES = (
    "A multi-agency audit of {p1} was completed.",
    "Briefings on {p1} were delivered to {agency_lower}.",
    "The procedure for {p1} has been updated and published.",
    "A practice guide on {p1} is being written.",
)
REVIEW_TYPES = [choice for choice, _ in Review.ReviewType.choices if choice != Review.ReviewType.OTHER]
TAGS = ("synthetic-alcohol", "synthetic-overcrowding", "synthetic-sofa", "synthetic-bruising", "synthetic-school")


class Command(BaseCommand):
    help = (
        "Write SYNTHETIC reviews, learning points, recommendations and actions for benchmarks, clearly marked "
        "(titles start with '[Synthetic]', partnerships are 'Synthetic Benchmark Partnership N'), then rebuild "
        "the search index. Refuses to run on a database holding real content unless --force. Never writes fixtures."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reviews", type=int, required=True, help="How many synthetic reviews to write.")
        parser.add_argument("--seed", type=int, default=2024, help="Random seed, for the same data every run.")
        parser.add_argument(
            "--force", action="store_true", help="Run even though the database holds content this command did not make."
        )
        parser.add_argument("--no-index", action="store_true", help="Skip rebuilding the search index.")

    def handle(self, *args, reviews, seed, force, no_index, **options):
        if reviews < 1:
            raise CommandError("--reviews must be at least 1.")
        require_migrated_database()
        real = self._real_content()
        if real and not force:
            raise CommandError(
                "This database holds content that generate_demo_data did not make ("
                + ", ".join(real)
                + "). Synthetic benchmark data must not be mixed with the real knowledge base: use an empty "
                "database (e.g. DATABASE_URL=postgres://…/kb_bench), or pass --force if you really mean it."
            )
        lift_statement_timeout()
        started = time.monotonic()
        generator = Generator(random.Random(seed), self.stdout)
        # Partnerships, sources and themes first, in their own transaction: their
        # index entries are written when it commits, before there are items to reach.
        with transaction.atomic():
            generator.prepare()
        with transaction.atomic():
            counts = generator.generate(reviews)
        self.stdout.write(
            f"Wrote {counts['reviews']} synthetic reviews, {counts['learning_points']} learning points, "
            f"{counts['recommendations']} recommendations and {counts['actions']} actions "
            f"in {time.monotonic() - started:.0f} s."
        )
        started = time.monotonic()
        kept.rebuild()
        self.stdout.write(f"Kept counts and relations rebuilt in {time.monotonic() - started:.0f} s.")
        if not no_index:
            started = time.monotonic()
            search.rebuild()
            self.stdout.write(f"Search index rebuilt in {time.monotonic() - started:.0f} s.")
        # Written with bulk_create (no signals): every cached page is out of date.
        caching.content_changed()
        started = time.monotonic()
        if statement := analyze():
            self.stdout.write(
                f"Ran {statement} on the whole database in {time.monotonic() - started:.0f} s "
                "(fresh statistics for the query planner)."
            )

    @staticmethod
    def _real_content() -> list[str]:
        """What in the database this command did not make, described for the error message."""
        found = []
        checks = (
            (Source, "slug", "sources"),
            (Review, "slug", "reviews"),
            (Theme, "slug", "themes"),
            (Partnership, "slug", "partnerships"),
        )
        for model, field, label in checks:
            count = model.objects.exclude(**{f"{field}__startswith": PREFIX}).count()
            if count:
                found.append(f"{count} {label}")
        return found


class Generator:
    """Builds the rows in memory in batches and writes them with ``bulk_create``."""

    def __init__(self, rng: random.Random, stdout):
        self.rng = rng
        self.stdout = stdout
        self.now = timezone.now()
        self.counts = {"reviews": 0, "learning_points": 0, "recommendations": 0, "actions": 0}

    def prepare(self) -> None:
        self.partnerships = self._partnerships()
        self.themes = self._themes()
        self.sections = self._sections()
        self.tags = [Tag.objects.get_or_create(slug=name, defaults={"name": name})[0] for name in TAGS]

    def generate(self, count: int) -> dict[str, int]:
        # Numbers continue after an earlier run's, so slugs and refs stay unique.
        start = Review.objects.filter(slug__startswith=PREFIX).count()
        weights = [topic.weight for topic in TOPICS]
        for offset in range(0, count, BATCH // 10):
            numbers = range(start + offset + 1, start + min(offset + BATCH // 10, count) + 1)
            self._batch(numbers, self.partnerships, self.themes, self.tags, weights)
            self.stdout.write(f"  {self.counts['reviews']} of {count} reviews")
        return self.counts

    def _partnerships(self) -> list[tuple[Partnership, Source]]:
        made = []
        for number in range(1, PARTNERSHIPS + 1):
            partnership, _ = Partnership.objects.get_or_create(
                slug=f"{PREFIX}partnership-{number}",
                defaults={"name": f"Synthetic Benchmark Partnership {number}", "area": f"Synthetic area {number}"},
            )
            source, _ = Source.objects.get_or_create(
                slug=f"{PREFIX}source-{number}",
                defaults={
                    "title": f"{MARK} Benchmark briefing {number}",
                    "partnership": partnership,
                    "original_text": "Synthetic text made by manage.py generate_demo_data for benchmarks. "
                    "It is not a real briefing and describes no real child.",
                    "status": PublicationStatus.PUBLISHED,
                },
            )
            made.append((partnership, source))
        return made

    def _themes(self) -> dict[str, Theme]:
        themes = {}
        for topic in TOPICS:
            theme, created = Theme.objects.get_or_create(
                slug=f"{PREFIX}{topic.slug}",
                defaults={
                    "name": f"{MARK} {topic.name}",
                    "summary": f"Synthetic theme for benchmarks: {topic.name.lower()}.",
                },
            )
            if created:
                ThemeAlias.objects.create(theme=theme, name=f"{MARK} {topic.alias}")
            themes[topic.slug] = theme
        return themes

    def _sections(self) -> dict[tuple[int, str], Section]:
        """A section of learning headed with each topic's name, in each synthetic briefing."""
        sections = {}
        for _partnership, source in self.partnerships:
            for number, topic in enumerate(TOPICS, start=1):
                sections[(source.pk, topic.slug)], _ = Section.objects.get_or_create(
                    ref=f"{source.slug}-sec-{topic.slug}",
                    defaults={
                        "source": source,
                        "heading": topic.name,
                        "role": Section.Role.LEARNING,
                        "position": number,
                    },
                )
        return sections

    def _sentence(self, templates, topic: Topic) -> str:
        rng = self.rng
        agency = rng.choice(AGENCIES)
        first, second = rng.sample(topic.phrases, 2)
        return rng.choice(templates).format(agency=agency, agency_lower=agency.lower(), p1=first, p2=second)

    def _text(self, templates, topic: Topic, also: Topic | None = None) -> str:
        text = self._sentence(templates, topic)
        if also is not None and self.rng.random() < 0.5:
            text += " " + self._sentence(LEARNING_TEMPLATES, also)
        return text

    def _batch(self, numbers, partnerships, themes, tags, weights) -> None:
        rng = self.rng
        reviews, review_topics = [], []
        for number in numbers:
            partnership, source = rng.choice(partnerships)
            topics = []
            while len(topics) < 3:
                topic = rng.choices(TOPICS, weights)[0]
                if topic not in topics:
                    topics.append(topic)
            year = rng.randint(2012, 2024)
            month = rng.randint(1, 12)
            review = Review(
                slug=f"{PREFIX}review-{number}",
                title=f"{MARK} {rng.choice(['Child', 'Young person', 'Baby', 'Sibling group'])} review {number:05d}",
                review_type=rng.choice(REVIEW_TYPES),
                partnership=partnership,
                children=f"Synthetic child {number}",
                summary=f"Synthetic summary: a review about {topics[0].phrases[0]} and {topics[1].phrases[0]}.",
                published_on=datetime.date(year, month, 1),
                published_precision=DatePrecision.MONTH,
                year=year,
                status=PublicationStatus.PUBLISHED,
                first_published_at=self.now,
            )
            reviews.append((review, source))
            review_topics.append(topics)
        Review.objects.bulk_create([review for review, _ in reviews], batch_size=BATCH)
        Review.sources.through.objects.bulk_create(
            [Review.sources.through(review_id=review.pk, source_id=source.pk) for review, source in reviews],
            batch_size=BATCH,
        )
        Review.tags.through.objects.bulk_create(
            [
                Review.tags.through(tag=rng.choice(tags), content_object_id=review.pk)
                for review, _ in reviews
                if rng.random() < 0.3
            ],
            batch_size=BATCH,
        )

        points, point_themes, recommendations, recommendation_themes = [], [], [], []
        for (review, source), topics in zip(reviews, review_topics, strict=True):
            for position in range(rng.randint(6, 14)):
                topic = rng.choice(topics)
                kind = LearningPoint.Kind.GOOD_PRACTICE if rng.random() < 0.1 else LearningPoint.Kind.LEARNING
                points.append(
                    LearningPoint(
                        ref=f"{PREFIX}lp-{review.pk}-{position}",
                        review=review,
                        source=source,
                        kind=kind,
                        section=self.sections[(source.pk, topic.slug)] if rng.random() < 0.4 else None,
                        text=self._text(LEARNING_TEMPLATES, topic, also=rng.choice(topics)),
                        position=position,
                    )
                )
                filed_under = {themes[topic.slug].pk}
                if rng.random() < 0.3:
                    filed_under.add(themes[rng.choice(topics).slug].pk)
                point_themes.append(filed_under)
            for number in range(1, rng.randint(0, 5) + 1):
                topic = rng.choice(topics)
                recommendations.append(
                    Recommendation(
                        ref=f"{PREFIX}rec-{review.pk}-{number}",
                        review=review,
                        source=source,
                        number=str(number),
                        addressed_to=rng.choice(["All agencies", "The partnership", rng.choice(AGENCIES)]),
                        text=self._text(RECOMMENDATION_TEMPLATES, topic),
                        position=number,
                    )
                )
                recommendation_themes.append({themes[topic.slug].pk})
        LearningPoint.objects.bulk_create(points, batch_size=BATCH)
        LearningPoint.themes.through.objects.bulk_create(
            [
                LearningPoint.themes.through(learningpoint_id=point.pk, theme_id=theme_id)
                for point, theme_ids in zip(points, point_themes, strict=True)
                for theme_id in theme_ids
            ],
            batch_size=BATCH,
        )
        Recommendation.objects.bulk_create(recommendations, batch_size=BATCH)
        Recommendation.themes.through.objects.bulk_create(
            [
                Recommendation.themes.through(recommendation_id=recommendation.pk, theme_id=theme_id)
                for recommendation, theme_ids in zip(recommendations, recommendation_themes, strict=True)
                for theme_id in theme_ids
            ],
            batch_size=BATCH,
        )

        actions = []
        for recommendation, theme_ids in zip(recommendations, recommendation_themes, strict=True):
            topic_slug = next(slug for slug, theme in themes.items() if theme.pk in theme_ids)
            topic = next(topic for topic in TOPICS if topic.slug == topic_slug)
            for number in range(rng.choice([0, 1, 1, 2])):
                actions.append(
                    Action(
                        ref=f"{recommendation.ref.replace('-rec-', '-act-')}-{number}",
                        review=recommendation.review,
                        recommendation=recommendation,
                        source=recommendation.source,
                        owner=rng.choice(["The partnership", rng.choice(AGENCIES)]),
                        text=self._text(ACTION_TEMPLATES, topic),
                        status=rng.choice(Action.Status.values),
                        position=number,
                    )
                )
        Action.objects.bulk_create(actions, batch_size=BATCH)
        self.counts["reviews"] += len(reviews)
        self.counts["learning_points"] += len(points)
        self.counts["recommendations"] += len(recommendations)
        self.counts["actions"] += len(actions)
