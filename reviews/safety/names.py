"""Which capitalised words are people's first names, and which are not.

The first names come from Faker's person providers for the English-speaking
locales and for the languages of the larger communities in England (Faker is
well kept, MIT-licensed and runs offline; its British names come from the
ONS's tables of babies' names, its American ones from the Social Security
Administration's). They are read once, then kept. A name that is also an ordinary English word ("Hope", "Will", "May",
"Grace") counts as a name only where the words around it say so (a title, a
pseudonym beside it, "named ..."), never on its own.
"""

from __future__ import annotations

import importlib
from functools import lru_cache

# The locales whose given names we read: English-speaking countries, and
# languages widely spoken in England's communities.
NAME_LOCALES = (
    "en_GB",
    "en_US",
    "en_IE",
    "en_NZ",
    "en_IN",
    "en_PK",
    "en_NG",
    "en_KE",
    "pl_PL",
    "ro_RO",
    "pt_PT",
    "it_IT",
    "es_ES",
    "fr_FR",
    "de_DE",
    "tr_TR",
    "lt_LT",
)

# Names that are also words a briefing uses in its own sense, capitalised at
# the start of a sentence or in a title ("Will", "Hope", "Grace Period").
WORD_NAMES = frozenset(
    """
    Ada Addison Alert April Art August Autumn Baby Bishop Blue Brook Brooke Chance Chase Cherry Clay Cliff Close
    Crystal Dale Dawn Dean Earl Early Faith Fern Forest Frank Gay Gene Glen Golden Grace Grant Guy Harmony Hazel
    Heather Holly Honor Honey Hope Hunter Iris Ivy Jade Jewel Joy Judge June King Lane Lark Lee Liberty Lily
    Major Mark Marsh Mason May Mercy Miles Misty Norman Olive Page Paris Patience Pearl Penny Pepper Piper Price
    Princess Rain Raven Reed Rich River Robin Rock Rose Ruby Rusty Sage Shade Sky Skye Song Spring Star Sterling
    Stone Storm Summer Sunny Sydney Tan Tara Trinity True Victory Violet Wade Ward Warren Will Winter Wood Young
    Zion Lincoln Jordan Chelsea Florence Victoria Kent Austin Dallas Carol Eve Gale Hall Hill Hilton Marshall
    Miller Nelson Parker Royal Salford Swindon Carter Cooper Fisher Gardener Gardner Harper Porter Sawyer Taylor
    Tucker Walker Baker Bell Bush Lord Don Man Mac Bo Col Con Di Ed Al Ray Van Ma Pa Ad Tier Lead Christian
    Christy Angel Kit Kitty Ash Bank Bay Beach Bird Bliss Bond Brand Cash Claude Cole Crane Cross Day Duke Fox
    Gray Grey Green Hart Heart Knight Law Lamb Moore More Morgan Noble Oak Park Poppy Priest Prince Queen Rex
    Savannah Sheriff Shepherd Smith Story Street Summers Sweet Trust Tudor Valentine West White Wolf Wren Can
    Ebony Essence Precious Blessing Gift Favour Favor Goodness Divine Prosper Peace Comfort Unity Tolerance
    Promise Memory Wisdom Justice Rejoice Purity Beauty Lovely Innocent
    """.split()  # noqa: SIM905 (a list of words reads best as words)
)


def _locale_first_names(locale: str) -> set[str]:
    try:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    except (ImportError, AttributeError):
        return set()
    names: set[str] = set()
    for attribute in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
        value = getattr(provider, attribute, ())
        names.update(value.keys() if isinstance(value, dict) else value)
    return names


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Given names of the locales above, as written (capitalised), without
    the ones that are also English words, and without one- and two-letter
    forms."""
    names: set[str] = set()
    for locale in NAME_LOCALES:
        names |= _locale_first_names(locale)
    common = common_words()
    return frozenset(
        name
        for name in names
        if len(name) > 2
        and name.isalpha()
        and name[0].isupper()
        and name not in WORD_NAMES
        and name.lower() not in common
    )


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Ordinary English words (Faker's English word list and the words of
    safeguarding briefings), lower case."""
    words: set[str] = set(BRIEFING_WORDS.split())
    try:
        from faker.providers.lorem.en_US import Provider as Lorem

        words.update(word.lower() for word in Lorem.word_list)
    except ImportError:  # pragma: no cover - Faker is a runtime requirement
        pass
    return frozenset(words)


# Words of case-review briefings that are never a person's name, whatever
# their capitals: agencies, roles, documents, places of partnerships.
BRIEFING_WORDS = """
a an the and or of for to in on at by with from as is was be this that these those it its he she his her him
they their them we our you your i my me all any some each every no not one two three four five six seven eight
nine ten eleven twelve first second third new old key child children baby babies young person people adult
adults family families mother father parent parents carer carers sibling siblings brother sister grandmother
grandfather uncle aunt partner stepfather stepmother boy girl man woman men women professional professionals
practitioner practitioners agency agencies board partnership partnerships safeguarding serious case review
reviews briefing briefings learning lessons recommendation recommendations action actions practice panel
local national council county borough city police health social care services service team teams hospital
trust school schools academy college nursery university nhs gp gps clinic centre center unit ward department
group groups subgroup committee forum conference strategy meeting meetings protocol procedure procedures policy
guidance framework toolkit training course courses workshop workshops report reports plan plans
assessment assessments working together government hm department education children's adults' early help
multi multi-agency agency health visitor visitors midwife midwives nurse nurses doctor doctors paediatrician
social worker workers officer officers manager managers lead leads chair head headteacher teacher teachers
designated safeguarding mash hub front door triage court family youth crown magistrates probation housing
january february march april may june july august september october november december monday tuesday
wednesday thursday friday saturday sunday spring summer autumn winter christmas easter bank holiday weekend
england english wales welsh scotland scottish ireland irish britain british uk united kingdom european polish
north south east west northern southern eastern western central greater upper lower great little
section regulation act chapter part tier level stage appendix annex figure table page
what why how when where who which there here also however although because following following
""" + " ".join(
    # Place names of the seed partnerships and their neighbours.
    ["swindon", "oxfordshire", "hampshire", "salford", "manchester", "wiltshire", "berkshire", "london"]
)
