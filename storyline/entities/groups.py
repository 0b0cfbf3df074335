"""Forms joined into entities: union-find over the forms of a story, one method per join rule, and
the entities with their canonical names, forms, roles and mentions."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from storyline import gazetteer, name_keys
from storyline.entities.config import EntityConfig
from storyline.entities.mentions import Found, Parsed, names_in
from storyline.entities.roles import tied_to_name
from storyline.entities.type_evidence import (
    entity_type, head_type, majority, reads_as_a_name, type_cues, version_base)
from storyline.entities.vocabulary import (
    AT, BODY, COMPANY_SUFFIXES, FAC_HEADS, FACILITY, FEMALE_TITLES, HANDLE, LEADER_TITLES, LEADER_WORDS, IN,
    MALE_TITLES, MIN_TRANSLITERATION_KEY, ORG_HEADS, PLACE_LABELS, PLACE_NOUN, ROLE, SAID, THE, TITLE)
from storyline.records import Entity, EntityForm, Mention, content_id

# An abbreviation inside a name: letters with periods ("L.A.", "U.S.") or two to four capitals ("LA", "US").
_ABBREVIATION = re.compile(r"(?:[A-Z]\.){2,}|[A-Z]{2,4}")
_QUOTED = re.compile(r"[\"“”'‘’][^\"“”'‘’]+[\"“”'‘’]")
_PARENTHESIS = re.compile(r"\s*\(\s*([A-Z][A-Za-z&.]{1,11})\s*\)")
_HANDLE = re.compile(r"(?<![\w@])@([A-Za-z][A-Za-z0-9_]{1,30})")


@dataclass
class _Form:
    """Everything seen of one form."""

    text: str
    labels: Counter = field(default_factory=Counter)
    cues: Counter = field(default_factory=Counter)
    mentions: list[Found] = field(default_factory=list)
    kind: str = "name"  # name, role, handle


class Groups:
    """Forms joined by union-find; each join rule looks at a snapshot of the groups."""

    def __init__(self) -> None:
        self.forms: dict[str, _Form] = {}
        self.parent: dict[str, str] = {}
        self.roles: dict[str, dict[str, list[Found]]] = defaultdict(dict)  # root -> role key -> its mentions
        # Titled forms ("President Biden") by text: they take part in no join (two presidents share
        # the title), and follow their name's entity.
        self.titled: dict[str, list[Found]] = defaultdict(list)

    # -- building
    def add(self, found: Found, kind: str = "name") -> None:
        form = self.forms.get(found.form)
        if form is None:
            form = self.forms[found.form] = _Form(found.form, kind=kind)
            self.parent[found.form] = found.form
        if kind == "name":
            form.labels[found.mention.label] += 1
            form.cues.update(found.cues)
        form.mentions.append(found)
        if found.titled and found.titled != found.form:
            self.titled[found.titled].append(found)

    def root(self, form: str) -> str:
        while self.parent[form] != form:
            self.parent[form] = self.parent[self.parent[form]]
            form = self.parent[form]
        return form

    def join(self, a: str, b: str) -> None:
        root_a, root_b = self.root(a), self.root(b)
        if root_a == root_b:
            return
        # The smaller text stays root so the result does not depend on join order.
        low, high = sorted((root_a, root_b))
        self.parent[high] = low
        roles = self.roles.pop(high, {})
        for key, founds in roles.items():
            self.roles[low].setdefault(key, []).extend(founds)

    def members(self) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for form in sorted(self.forms):
            groups[self.root(form)].append(form)
        return groups

    def label(self, root: str, members: dict[str, list[str]]) -> str:
        """The type of a group from the evidence of all its mentions (see `entity_type`)."""
        votes: Counter = Counter()
        cues: Counter = Counter()
        names = [text for text in members[root] if self.forms[text].kind == "name" and self.forms[text].labels]
        # NER reads a full name better than a lone surname ("Thompson" ORG, "Tony Thompson" PERSON):
        # the mentions of a one-word form that ends a full name labelled PERSON count as that person's.
        # So do a lone given name's NER reads as a place ("Ramarley" GPE beside Ramarley Graham; not "McAfee"
        # ORG beside "McAfee Avert Labs", which NER calls a person).
        people = [name_keys.words(text) for text in names
                  if len(name_keys.words(text)) >= 2 and majority(self.forms[text].labels) == "PERSON"]
        surnames = {words[-1] for words in people}
        given = {words[0] for words in people}
        for text in members[root]:
            form = self.forms[text]
            words = name_keys.words(text) if text in names else []
            if len(words) == 1 and (words[0] in surnames or words[0] in given
                                    and majority(form.labels) in PLACE_LABELS | {"NORP"}):
                votes["PERSON"] += sum(form.labels.values())
            else:
                votes.update(form.labels)
            cues.update(form.cues)
        if not votes:
            return ROLE
        return entity_type(votes, cues, names)

    def compatible(self, a: str, b: str) -> bool:
        """Nationalities never join other kinds of names (Russia / Russian), nor a short abbreviation a word
        spelt with its letters ("U.S." / "Us")."""
        norp_a = majority(self.forms[a].labels) == "NORP"
        norp_b = majority(self.forms[b].labels) == "NORP"
        return norp_a == norp_b and _same_shapes(a, b)

    def add_missed_occurrences(self, parsed: Sequence[Parsed]) -> None:
        """A name NER found somewhere in the story is a mention wherever else its exact text stands.

        The small model misses a name in one sentence that it finds in the next;
        the text of a name it found once is evidence enough. Only names of at
        least two letters, on word boundaries, outside other mentions.
        """
        names = sorted((text for text, form in self.forms.items()
                        if form.kind == "name" and len(text) >= 2 and form.labels), key=lambda text: (-len(text), text))
        if not names:
            return
        pattern = re.compile(r"(?<![\w@])(?:" + "|".join(map(re.escape, names)) + r")(?![\w-])")
        taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for form in self.forms.values():
            for found in form.mentions:
                taken[found.mention.sentence].append((found.mention.start, found.mention.end))
        for item in parsed:
            spans = taken.get(item.sentence.id, [])
            for match in pattern.finditer(item.sentence.text):
                if any(match.start() < end and start < match.end() for start, end in spans):
                    continue
                text = match.group(0)
                label = majority(self.forms[text].labels)
                span = item.doc.char_span(match.start(), match.end(), alignment_mode="expand")
                cues = type_cues(item.doc, span.start, span.end, False) if span is not None else ()
                self.add(Found(text, item.article, Mention(item.sentence.id, match.start(), match.end(), text, label),
                                cues=cues))

    # -- join rules
    def join_same_keys(self) -> None:
        """Join forms equal up to case, periods, hyphens, transliteration or word order."""
        by_key: dict[tuple, list[str]] = defaultdict(list)
        for text in sorted(self.forms):
            norp = majority(self.forms[text].labels) == "NORP"
            by_key[("joined", norp, name_keys.joined_key(text))].append(text)
            by_key[("spaceless", norp, name_keys.joined_key(text).replace(" ", ""))].append(text)
            # A company with and without its legal suffix (Microsoft Corp. = Microsoft).
            words = name_keys.joined_key(text).split()
            if len(words) >= 2 and words[-1] in COMPANY_SUFFIXES:
                by_key[("joined", norp, " ".join(words[:-1]))].append(text)
                by_key[("spaceless", norp, "".join(words[:-1]))].append(text)
            by_key[("words", norp, tuple(sorted(name_keys.words(text))))].append(text)
        for texts in by_key.values():
            for index, other in enumerate(texts[1:], start=1):
                # A short abbreviation is no word spelt with its letters ("U.S." / "Us" of "Us Weekly").
                first = next((text for text in texts[:index] if _same_shapes(text, other)), None)
                if first is not None:
                    self.join(first, other)

    def join_spelling_variants(self, config: EntityConfig) -> None:
        """Join forms whose words are pairwise spelling variants (Zelensky / Zelenskiy, Lugansk / Luhansk)."""
        # Words with hyphens as parts (Champs-Elysee) and as nothing (Co-operation = Cooperation).
        readings = (name_keys.words, lambda text: name_keys.joined_key(text).split())
        for reading in readings:
            by_shape: dict[int, list[str]] = defaultdict(list)
            for text in sorted(self.forms):
                if self.forms[text].kind != "name":
                    continue
                words = reading(text)
                if words:
                    by_shape[len(words)].append(text)
            for texts in by_shape.values():
                for i, a in enumerate(texts):
                    words_a = reading(a)
                    for b in texts[i + 1:]:
                        if self.root(a) == self.root(b) or not self.compatible(a, b):
                            continue
                        if all(_variant(x, y, config) for x, y in zip(words_a, reading(b))):
                            self.join(a, b)

    def join_acronyms(self, parsed: Sequence[Parsed], config: EntityConfig) -> None:
        """Join an acronym with its long form: written "Long Form (ACR)", or the one long form it abbreviates."""
        for item in parsed:
            for found in names_in(item, config):
                after = item.sentence.text[found.mention.end:]
                match = _PARENTHESIS.match(after)
                if match and match.group(1) in self.forms and name_keys.is_acronym(match.group(1)):
                    letters = name_keys.letters(match.group(1))
                    if name_keys.initials(found.form, capitalised=False) == letters or \
                            letters in name_keys.initial_readings(found.form):
                        self.join(found.form, match.group(1))
        members = self.members()
        long_forms: dict[str, set[str]] = defaultdict(set)
        for root, texts in members.items():
            if self.label(root, members) in {"PERSON", "NORP"}:
                continue
            for text in texts:
                if len(name_keys.words(text)) >= 2:
                    for reading in name_keys.initial_readings(text):
                        long_forms[reading].add(root)
        joins = []
        for text in sorted(self.forms):
            if self.forms[text].kind == "name" and name_keys.is_acronym(text):
                roots = long_forms.get(name_keys.letters(text), set()) - {self.root(text)}
                if len(roots) == 1:
                    joins.append((text, roots.pop()))
        for a, b in joins:
            self.join(a, b)

    def join_abbreviated_words(self) -> None:
        """Join a name with the one that writes a run of its words as their initials: L.A. Superior Court =
        Los Angeles Superior Court, U.S. Geological Survey = United States Geological Survey.

        The short form has one abbreviation (letters with periods, or two to four capitals) where the long
        form has two or more capitalised words with those initials, and every other word the same (one at
        least). Only when exactly one long form fits; people and nationalities take no part.
        """
        members = self.members()
        skipped = {text for root, texts in members.items() if self.label(root, members) in {"PERSON", "NORP", ROLE}
                   for text in texts}
        long_forms: dict[tuple, set[str]] = defaultdict(set)
        short_forms: list[tuple[tuple, str]] = []
        for text in sorted(self.forms):
            words = text.split()
            if self.forms[text].kind != "name" or text in skipped or len(words) < 2:
                continue
            keys = [name_keys.joined_key(word) for word in words]
            for start in range(len(words)):
                if _ABBREVIATION.fullmatch(words[start]):
                    rest = (tuple(keys[:start]), tuple(keys[start + 1:]))
                    short_forms.append(((name_keys.letters(words[start]), *rest), text))
                for end in range(start + 2, len(words) + 1):
                    run = words[start:end]
                    if not all(word[:1].isupper() and word[:1].isalpha() for word in run):
                        break
                    if start > 0 or end < len(words):
                        key = ("".join(word[0] for word in run).lower(), tuple(keys[:start]), tuple(keys[end:]))
                        long_forms[key].add(self.root(text))
        joins = []
        for key, text in short_forms:
            roots = long_forms.get(key, set()) - {self.root(text)}
            if len(roots) == 1:
                joins.append((text, roots.pop()))
        for a, b in joins:
            self.join(a, b)

    def full_names(self) -> list[tuple[str, list[str]]]:
        """Each name form of a person of two words or more, with its words; a nickname in quotes is
        left out of them (Vincent “The Chin” Gigante: Vincent, Gigante)."""
        members = self.members()
        names = []
        for root, texts in members.items():
            if self.label(root, members) != "PERSON":
                continue
            for text in texts:
                words = name_keys.words(_QUOTED.sub(" ", text))
                if self.forms[text].kind == "name" and len(words) >= 2:
                    names.append((text, words))
        return names

    def join_middle_names(self) -> None:
        """Join a person's full name with and without middle names or initials (James G. Bodiford = James Bodiford).

        Forms of people with the same first and last word join when their
        middles agree: absent, equal, or one an initial of the other. Two
        different middles (John A. Smith, John B. Smith) keep all of them apart.
        """
        by_ends: dict[tuple[str, str], list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for text, words in self.full_names():
            by_ends[(words[0], words[-1])].append((tuple(words[1:-1]), text))
        for entries in by_ends.values():
            middles = sorted({middle for middle, _ in entries if middle})
            if any(not _same_middle(a, b) for i, a in enumerate(middles) for b in middles[i + 1:]):
                continue
            for _, text in entries[1:]:
                self.join(entries[0][1], text)

    def join_transliterations(self) -> None:
        """Join full names of people written with one surname and given names transliterated two ways
        (Giannis / Yiannis Panagopoulos, Ilias / Elias Vrettakos; `name_keys.transliteration_key`).

        Given names whose key is shorter than four letters take no part: Jon and Jan, Dan and Don share
        theirs and are different people.
        """
        members = self.members()
        by_key: dict[tuple, list[str]] = defaultdict(list)
        for root, texts in members.items():
            if self.label(root, members) != "PERSON":
                continue
            for text in texts:
                words = name_keys.words(text)
                if self.forms[text].kind != "name" or len(words) < 2:
                    continue
                given = tuple(name_keys.transliteration_key(word) for word in words[:-1])
                if all(len(key) >= MIN_TRANSLITERATION_KEY for key in given):
                    by_key[(given, words[-1])].append(text)
        for texts in by_key.values():
            for other in texts[1:]:
                self.join(texts[0], other)

    def join_nicknames(self) -> None:
        """Join full names of people with one surname whose given names are a name and its nickname
        (Fred LaRue / Frederick Cheney LaRue, Ray Kelly / Raymond Kelly; `name_keys.nickname_of`).

        The middle names must agree as `join_middle_names` reads them (absent in one, or the same), and the
        given names be nickname and name in the maintained list, not merely share one (Chris and Kris are
        spellings: `join_spelling_variants`).
        """
        by_surname: dict[str, list[tuple[str, tuple[str, ...], str]]] = defaultdict(list)
        for text, words in self.full_names():
            by_surname[words[-1]].append((words[0], tuple(words[1:-1]), text))
        for entries in by_surname.values():
            for index, (given_a, middle_a, a) in enumerate(entries):
                for given_b, middle_b, b in entries[index + 1:]:
                    if self.root(a) == self.root(b) or given_a == given_b:
                        continue
                    if middle_a and middle_b and not _same_middle(middle_a, middle_b):
                        continue
                    if name_keys.nickname_of(given_a, given_b) or name_keys.nickname_of(given_b, given_a):
                        self.join(a, b)

    def join_name_spellings(self, config: EntityConfig) -> None:
        """Join two full names of a person written two ways: one surname and given names that are spellings
        of one name (Lennie / Lenny Rosenbluth: `name_keys.spelling_key`; a consonant slipped, Andre / Anre:
        `name_keys.consonant_slip`), or one given name and surnames that are spellings of one word (Philip H.
        Hickock / Philip Hickok: `_variant`, letters typed in another order too). The middle names must agree
        as `join_middle_names` reads them.

        Never two names one article gives both: an article that names both Jeremy and Jerry Ortiz (a deputy
        and his son) or Charlene and Charlie Kafoury (a sister and her brother) names two people, so neither
        does any name of theirs in another article.
        """
        members = self.members()
        articles = {root: {found.article for text in texts if self.forms[text].kind == "name"
                           for found in self.forms[text].mentions} for root, texts in members.items()}
        names = self.full_names()
        joins = []
        for index, (a, words_a) in enumerate(names):
            for b, words_b in names[index + 1:]:
                root_a, root_b = self.root(a), self.root(b)
                if root_a == root_b or articles[root_a] & articles[root_b]:
                    continue
                middle_a, middle_b = tuple(words_a[1:-1]), tuple(words_b[1:-1])
                if middle_a and middle_b and not _same_middle(middle_a, middle_b):
                    continue
                given_a, given_b, surname_a, surname_b = words_a[0], words_b[0], words_a[-1], words_b[-1]
                if given_a == given_b and surname_a == surname_b:
                    continue  # two middles apart, or none: `join_middle_names`
                if surname_a == surname_b:
                    spelt = (name_keys.spelling_key(given_a) == name_keys.spelling_key(given_b)
                             or name_keys.consonant_slip(given_a, given_b))
                else:
                    spelt = given_a == given_b and _variant(surname_a, surname_b, config)
                if spelt:
                    joins.append((a, b))
        for a, b in joins:
            if not articles[self.root(a)] & articles[self.root(b)]:
                merged = articles[self.root(a)] | articles[self.root(b)]
                self.join(a, b)
                articles[self.root(a)] = merged

    def join_surnames(self, config: EntityConfig) -> None:
        """Join a lone surname (one word, or two: Lo Presti) with the one full name in the story that ends with it.

        A surname the text marks as a person's (a title before it, "X said") also takes a full name NER
        labelled otherwise when that name reads as a person's: two or three capitalised words, no place the
        gazetteer knows, no organisation or facility noun at its end ("Yanis Varoufakis" ORG beside "Professor
        Varoufakis"). A surname with an "s" added is a family, no spelling of it ("the Cullens").
        """
        members = self.members()
        full_names: list[tuple[list[str], str, bool]] = []  # (words, root, typed a person)
        for root, texts in members.items():
            person = self.label(root, members) == "PERSON"
            if not person and not all(reads_as_a_name(text) for text in texts if self.forms[text].kind == "name"):
                continue
            for text in texts:
                words = name_keys.words(text)
                if len(words) >= 2:
                    full_names.append((words, root, person))
        joins = []
        for root, texts in members.items():
            sizes = {len(name_keys.words(text)) for text in texts}
            if len(sizes) != 1 or not 1 <= min(sizes) <= 2:
                continue
            size = sizes.pop()
            words = name_keys.words(root)
            label = self.label(root, members)
            if size == 2 and label != "PERSON":
                continue
            # A lone word NER read as a place or nationality ("Klitschko" NORP) is a surname only when it is
            # exactly one and no gazetteer place.
            placed = label in PLACE_LABELS | {"NORP"}
            if label in PLACE_LABELS and any(gazetteer.kind(text) for text in texts):
                continue
            marked = label == "PERSON" and any(self.forms[text].cues[TITLE] + self.forms[text].cues[SAID]
                                               for text in texts)
            owners = {owner for full, owner, person in full_names
                      if owner != root and len(full) > size and (person or marked)
                      and (full[-size:] == words or (size == 1 and not placed and _variant(full[-1], words[0], config)
                                                     and words[0] != full[-1] + "s"))}  # "the Cullens": a family
            # A longer name ending in another owner's full name is that name with a word before it ("Interior
            # Dirk Kempthorne", "GM Ed Stefanski"), one person: the two join as a surname of two words.
            longer = {owner for owner in owners for full, other, _ in full_names
                      if other == owner and any(other_full != full and len(other_full) >= 2
                                                and full[-len(other_full):] == other_full
                                                for other_full, another, _ in full_names
                                                if another in owners and another != owner)}
            owners -= longer if len(owners - longer) == 1 else set()
            if len(owners) > 1:
                owners = self._named_before(texts, owners, members)
            if len(owners) == 1:
                joins.append((root, owners.pop()))
        for a, b in joins:
            self.join(a, b)

    def _named_before(self, texts: list[str], owners: set[str], members: dict[str, list[str]]) -> set[str]:
        """The one of several full names a lone surname stands for, read as a reporter writes: the full name
        first, the surname alone after it. Each mention of the surname reads the owners its article named
        before it; the surname is one owner's when at least one mention follows that owner's full name alone
        and every mention that follows any of them follows that one (Tyler and Gene Hansbrough: "Hansbrough"
        after Tyler alone in most articles, after both in one). Otherwise all owners stay, and no join.
        """
        first: dict[tuple[str, str], tuple[int, int]] = {}  # (owner, article) -> where its full name comes first
        for owner in owners:
            for text in members[owner]:
                if self.forms[text].kind != "name" or len(name_keys.words(text)) < 2:
                    continue
                for found in self.forms[text].mentions:
                    place = (_sentence_order(found.mention.sentence)[1], found.mention.start)
                    first[(owner, found.article)] = min(first.get((owner, found.article), place), place)
        chosen: set[str] = set()
        seen: list[set[str]] = []
        # "Mr. Gomes" and "Ms. Gomes": the surname alone names a man and a woman, so no one of them.
        titles = {name_keys.plain(found.titled.split()[0]) for text in texts for found in self.forms[text].mentions
                  if found.titled}
        if titles & MALE_TITLES and titles & FEMALE_TITLES:
            return owners
        for text in texts:
            for found in self.forms[text].mentions:
                place = (_sentence_order(found.mention.sentence)[1], found.mention.start)
                before = {owner for owner in owners if first.get((owner, found.article), place) < place}
                if len(before) == 1:
                    chosen |= before
                if before:
                    seen.append(before)
        if len(chosen) == 1 and all(chosen <= before for before in seen):
            return chosen
        return owners

    def join_place_qualifiers(self) -> None:
        """Join a body or building with its name qualified by a place: Yankees = New York Yankees.

        The longer form is the shorter one after a place ("New York Yankees",
        "Banstead High Street") or before "of"/"in" and a place ("Democratic
        Party of Turkmenistan"); a place is a form the story types as one or
        the gazetteer knows. Only when exactly one longer entity qualifies the
        shorter; people and places themselves take no part.
        """
        members = self.members()
        labels = {root: self.label(root, members) for root in members}
        places = {name_keys.joined_key(text) for root, texts in members.items() if labels[root] in {"GPE", "LOC"}
                  for text in texts}

        def is_place(words: list[str]) -> bool:
            text = " ".join(words)
            return bool(words) and (name_keys.joined_key(text) in places or bool(gazetteer.kind(text)))

        def generic(words: list[str]) -> bool:
            # A body's kind alone ("Navy", "Police", "Parliament") names whichever country's the sentence
            # means, not the one qualified name: India's "Navy" is no "U.S. Navy".
            return len(words) == 1 and name_keys.joined_key(words[0]) in ORG_HEADS | FAC_HEADS

        shorter: dict[str, set[str]] = defaultdict(set)  # key of the unqualified name -> roots qualifying it
        for root, texts in members.items():
            if labels[root] in PLACE_LABELS - {"FAC"} | {"PERSON", "NORP", ROLE}:
                continue
            for text in texts:
                words = text.split()
                if self.forms[text].kind != "name" or len(words) < 2:
                    continue
                for cut in range(1, len(words)):
                    if is_place(words[:cut]) and not generic(words[cut:]):
                        shorter[name_keys.joined_key(" ".join(words[cut:]))].add(root)
                    if words[cut] in {"of", "in"} and is_place(words[cut + 1:]) and not generic(words[:cut]):
                        shorter[name_keys.joined_key(" ".join(words[:cut]))].add(root)
        joins = []
        for root, texts in members.items():
            if labels[root] in PLACE_LABELS - {"FAC"} | {"PERSON", "NORP", ROLE}:
                continue
            owners = {owner for text in texts for owner in shorter.get(name_keys.joined_key(text), ())} - {root}
            if len(owners) == 1:
                joins.append((root, owners.pop()))
        for a, b in joins:
            self.join(a, b)

    def mentions_of(self, root: str, members: dict[str, list[str]]) -> int:
        """How many mentions the names of a group have."""
        return sum(len(self.forms[text].mentions) for text in members[root] if self.forms[text].kind == "name")

    def join_facility_names(self) -> None:
        """Join a building's name with a longer name of it: Cliffside = Cliffside Rehab Center in Malibu,
        Morningside = Morningside Recovery = Morningside Recovery Center.

        The longer name is the shorter one with words after it, ending in a noun of buildings ("Center",
        "Hotel"; a place after "in" aside), and the story types it a facility (not "Mount Sefton Bivvy",
        a hut on Mount Sefton, nor "Aoraki Mount Cook National Park"). The shorter is a facility by its own
        mentions ("checked into Morningside", "Malibu's Cliffside resort") more than a place ("in Bayou La
        Batre", a town beside the Bayou La Batre Rural Health Clinic), or is the longer one without its last
        word, a noun of buildings ("Center"), or without a place after "in"; and no person, place,
        nationality, body, law or event. Only when exactly one longer entity fits.
        """
        members = self.members()
        labels = {root: self.label(root, members) for root in members}
        # (words of a facility's name of two words or more ending in a noun of buildings, root)
        longer: list[tuple[tuple[str, ...], str]] = []
        for root, texts in members.items():
            if labels[root] == "FAC":
                longer += [(tuple(name_keys.words(text)), root) for text in texts
                           if self.forms[text].kind == "name" and head_type(text) == "FAC"]
        joins = []
        for root, texts in members.items():
            if labels[root] in {"PERSON", "GPE", "LOC", "NORP", "ORG", "LAW", "EVENT", ROLE}:
                continue  # "Greece's Constitution" is no Constitution Square
            # A building by its own mentions ("into Morningside", "the Cliffside rehab centre") more than a place
            # ("in Bayou La Batre", a town NER calls a facility beside its "Bayou La Batre Rural Health Clinic").
            cues = Counter()
            for text in texts:
                cues.update(self.forms[text].cues)
            building = labels[root] == "FAC" and cues[FACILITY] + cues[AT] > cues[IN] + cues[PLACE_NOUN]
            owners = set()
            for text in texts:
                words = tuple(name_keys.words(text))
                if self.forms[text].kind != "name" or not words:
                    continue
                for long_words, owner in longer:
                    if owner == root or len(long_words) <= len(words) or long_words[:len(words)] != words:
                        continue
                    rest = long_words[len(words):]
                    if building or (len(rest) == 1 and rest[0] in FAC_HEADS) or rest[0] == "in":
                        owners.add(owner)
            if len(owners) == 1:
                joins.append((root, owners.pop()))
        for a, b in joins:
            self.join(a, b)

    def join_versions(self) -> None:
        """Join a made thing's name with a version number to the name without it: IE6 = IE, Windows 8.1 =
        Windows, Firefox 2.0 = Firefox.

        The name without the number is a form of exactly one entity, typed a product or labelled a
        nationality, product, work or law by NER ("Windows" NORP): never a body, person, place or event
        ("Boeing 737" is no Boeing, "Route 94" no Route, "Super Bowl 50" no Super Bowl).
        """
        members = self.members()
        labels = {root: self.label(root, members) for root in members}
        by_key: dict[str, set[str]] = defaultdict(set)
        for root, texts in members.items():
            for text in texts:
                if self.forms[text].kind == "name":
                    by_key[name_keys.joined_key(text)].add(root)
        joins = []
        for text in sorted(self.forms):
            base = version_base(text)
            if self.forms[text].kind != "name" or len(base) < 2:
                continue
            owners = {root for root in by_key.get(name_keys.joined_key(base), ()) if root != self.root(text)
                      and (labels[root] == "PRODUCT"
                           or labels[root] not in {"ORG", "PERSON", "GPE", "LOC", "FAC", "EVENT"}
                           and majority(self.forms[root].labels) in {"NORP", "PRODUCT", "WORK_OF_ART", "LAW"})}
            if len(owners) == 1:
                joins.append((text, owners.pop()))
        for a, b in joins:
            self.join(a, b)

    def join_first_names(self) -> None:
        """Join a given name standing alone ("Tara") with the one full name of a person in the story that
        opens with it (Tara Reid).

        When two people share the given name (Chris Ford, Chris Webber) it joins the one its articles name
        before it (`_named_before`), else none. Not when a full name in the story ends with the word (a
        surname: "Jackson"), or when it is a place the gazetteer knows and the text puts something "in" it
        ("in Paris" beside Paris Hilton; "Tara" beside Tara Reid is hers). A given name NER labels a place or
        body takes part when no mention has a place noun, "in", "the" or a noun only bodies have ("Tyler"),
        it is not in capitals ("GM") and the full name has half its mentions or more ("Philly" of "Philly Max").
        """
        members = self.members()
        labels = {root: self.label(root, members) for root in members}
        openers: dict[str, set[str]] = defaultdict(set)  # given name -> roots of the full names it opens
        surnames: set[str] = set()
        for root, texts in members.items():
            for text in texts:
                words = name_keys.words(_QUOTED.sub(" ", text))
                if self.forms[text].kind != "name" or len(words) < 2:
                    continue
                surnames.add(words[-1])
                if labels[root] == "PERSON":
                    openers[words[0]].add(root)
        joins = []
        for root, texts in members.items():
            names = [text for text in texts if self.forms[text].kind == "name"]
            keys = {tuple(name_keys.words(text)) for text in names}
            # A given name NER reads as a place or body ("Tyler" GPE beside Tyler Hansbrough) is one when nothing
            # around its mentions says place or body: no "in X", no place noun, no noun only bodies have.
            unplaced = labels[root] in PLACE_LABELS | {"ORG"} and not any(
                self.forms[text].cues[cue] for text in names for cue in (IN, PLACE_NOUN, BODY, THE))
            if (labels[root] != "PERSON" and not unplaced) or len(keys) != 1:
                continue
            words = keys.pop()
            if len(words) != 1 or words[0] in surnames or any(self.forms[text].cues[IN] and gazetteer.kind(text)
                                                              for text in names):
                continue
            owners = openers.get(words[0], set()) - {root}
            if len(owners) > 1:
                owners = self._named_before(names, owners, members)
            # A name NER reads as a place or body, in capitals ("GM") or used more than twice as often as the full
            # name it would open ("Philly", 8 mentions, of "Philly Max", 1), is no given name.
            if labels[root] != "PERSON" and (any(text.isupper() for text in names) or any(
                    2 * self.mentions_of(owner, members) < self.mentions_of(root, members) for owner in owners)):
                continue
            if len(owners) == 1:
                joins.append((root, owners.pop()))
        for a, b in joins:
            self.join(a, b)

    def join_place_names(self) -> None:
        """Join two names of one place by the gazetteer (Thessaloniki / Salonika, Russia / Russian
        Federation; `gazetteer.same_place`), both typed a place in the story."""
        members = self.members()
        places = [text for root, texts in members.items() if self.label(root, members) in {"GPE", "LOC"}
                  for text in texts if self.forms[text].kind == "name"]
        for index, a in enumerate(places):
            for b in places[index + 1:]:
                if self.root(a) != self.root(b) and _same_shapes(a, b) and gazetteer.same_place(a, b):
                    self.join(a, b)

    def add_role(self, person: str, role: Found) -> None:
        if person in self.forms:
            self.roles[self.root(person)].setdefault(name_keys.role_key(role.form), []).append(role)

    def join_roles_standing_alone(self, parsed: Sequence[Parsed]) -> None:
        """A role alone ("the U.S. president") is a form of the one person who holds it."""
        holders: dict[str, set[str]] = defaultdict(set)
        leaders: dict[str, set[str]] = defaultdict(set)  # nationality words -> roots
        for root, roles in self.roles.items():
            for key in roles:
                words = key.split()
                if len(words) >= 2:
                    holders[key].add(root)
                for title in LEADER_TITLES:
                    if key.endswith(" " + title):
                        leaders[key[: -len(title) - 1]].add(root)
        joins = []
        for item in parsed:
            for chunk in item.doc.noun_chunks:
                if any(token.ent_type_ == "PERSON" for token in chunk) or tied_to_name(chunk.root):
                    continue
                tokens = [token for token in chunk if token.lower_ not in name_keys.ARTICLE_WORDS]
                if not tokens:
                    continue
                text = item.doc[tokens[0].i: chunk.end].text
                key = name_keys.role_key(text)
                roots = set(holders.get(key, ()))
                words = key.split()
                if not roots and len(words) >= 2 and words[-1] in LEADER_WORDS:
                    roots = set(leaders.get(" ".join(words[:-1]), ()))
                if len(roots) != 1:
                    continue
                start = item.doc[tokens[0].i].idx
                end = chunk.end_char
                found = Found(text, item.article, Mention(item.sentence.id, start, end, text, ROLE))
                joins.append((found, roots.pop()))
        for found, root in joins:
            self.add(found, kind="role" if found.form not in self.forms else self.forms[found.form].kind)
            self.join(found.form, root)

    def join_handles(self, parsed: Sequence[Parsed]) -> None:
        """Join "@HANDLE" with the one entity whose role or name its letters abbreviate."""
        members = self.members()
        phrases: dict[str, list[list[str]]] = {}
        for root, texts in members.items():
            candidates = [name_keys.role_words(_role_text_of(founds)) for founds in self.roles.get(root, {}).values()]
            candidates += [name_keys.role_words(text) for text in texts if self.forms[text].kind != HANDLE.lower()]
            phrases[root] = [words for words in candidates if words]
        for item in parsed:
            for match in _HANDLE.finditer(item.sentence.text):
                letters = match.group(1).lower()
                roots = {root for root, candidates in phrases.items()
                         if any(name_keys.abbreviates(letters, words) for words in candidates)}
                if len(roots) != 1:
                    continue
                found = Found(match.group(0), item.article,
                               Mention(item.sentence.id, match.start(), match.end(), match.group(0), HANDLE))
                self.add(found, kind="handle")
                self.join(found.form, roots.pop())

    # -- output
    def family_labels(self, members: dict[str, list[str]]) -> dict[str, str]:
        """Each group's type, a name that opens with a made thing's one-word name a product too ("Windows
        Server", "Windows XP" beside Windows, typed a product by its versions), when NER calls it a place or
        nationality (not a person: "Jermayne Taylor" beside a "Jermayne" NER calls a product) and it neither
        speaks, has a title nor has anything "in" it."""
        labels = {root: self.label(root, members) for root in members}
        families = {name_keys.joined_key(text) for root, texts in members.items() if labels[root] == "PRODUCT"
                    for text in texts if self.forms[text].kind == "name" and len(text.split()) == 1}
        for root, texts in members.items():
            names = [text for text in texts if self.forms[text].kind == "name"]
            if labels[root] not in {"GPE", "LOC", "NORP"} or not names or any(
                    self.forms[text].cues[cue] for text in names for cue in (SAID, TITLE, IN)):
                continue
            if all(len(text.split()) >= 2 and name_keys.joined_key(text.split()[0]) in families for text in names):
                labels[root] = "PRODUCT"
        return labels

    def entities(self, independent: dict[str, str]) -> tuple[Entity, ...]:
        members = self.members()
        labels = self.family_labels(members)
        entities = []
        for root, texts in members.items():
            label = labels[root]
            if label == ROLE:
                continue
            forms = [_entity_form(text, self.forms[text].mentions) for text in texts]
            for text, founds in self.titled.items():
                held = [found for found in founds if self.root(found.form) == root]
                if held and text not in self.forms:
                    forms.append(_entity_form(text, held))
            forms.sort(key=lambda form: form.text)
            name = _canonical(self.forms, texts, label, independent)
            mentions = tuple(sorted((found.mention for text in texts for found in self.forms[text].mentions),
                                    key=lambda mention: (_sentence_order(mention.sentence), mention.start)))
            # One role form per wording, as for names ("U.S. President" and "US President" apart).
            wordings: dict[str, list[Found]] = defaultdict(list)
            for founds in self.roles.get(root, {}).values():
                for found in founds:
                    wordings[found.form].append(found)
            roles = tuple(sorted((_entity_form(text, founds) for text, founds in wordings.items()),
                                 key=lambda role: (role.text.casefold(), role.text)))
            entities.append(Entity("", name, label, tuple(forms), roles, mentions))
        entities.sort(key=lambda entity: (entity.name, entity.type, [form.text for form in entity.forms]))
        seen: Counter = Counter()
        result = []
        for entity in entities:
            seed = f"{entity.type}\n{entity.name}"
            seen[seed] += 1
            if seen[seed] > 1:
                seed += f"\n{seen[seed]}"
            result.append(_with_id(entity, content_id(seed)))
        return tuple(result)


def _with_id(entity: Entity, entity_id: str) -> Entity:
    return replace(entity, id=entity_id)


def _entity_form(text: str, founds: Sequence[Found]) -> EntityForm:
    """A form (or role) with the articles and sentences of its mentions."""
    return EntityForm(text, tuple(sorted({found.article for found in founds})),
                      tuple(sorted({found.mention.sentence for found in founds}, key=_sentence_order)))


def _role_text_of(founds: Sequence[Found]) -> str:
    """The wording of one role most of its mentions use (ties: alphabetically first)."""
    counts = Counter(found.form for found in founds)
    return min(counts, key=lambda text: (-counts[text], text))


def _canonical(forms: dict[str, _Form], texts: list[str], label: str, independent: dict[str, str]) -> str:
    """The form most independent articles use (full names for a person); ties: longest, then alphabetical."""
    names = [text for text in texts if forms[text].kind == "name"] or list(texts)
    if label == "PERSON":
        names = [text for text in names if len(name_keys.words(text)) >= 2] or names

    def score(text: str):
        sources = {independent.get(found.article, found.article) for found in forms[text].mentions}
        return (-len(sources), -len(text), text)

    return min(names, key=score)


def _variant(a: str, b: str, config: EntityConfig) -> bool:
    """Whether two plain words are spellings of one word, with the stage's thresholds."""
    return name_keys.is_spelling_variant(a, b, config.min_variant_chars, config.min_variant_ratio,
                                         config.min_swap_chars)


def _same_shapes(a: str, b: str) -> bool:
    """Whether two forms write their short words alike, as abbreviations or as words
    (`name_keys.short_word_shapes`); a headline in capitals of several words tells nothing."""
    if any(len(text.split()) > 1 and not any(character.islower() for character in text) for text in (a, b)):
        return True
    shapes_a, shapes_b = name_keys.short_word_shapes(a), name_keys.short_word_shapes(b)
    return all(shapes_b[word] == shape for word, shape in shapes_a.items() if word in shapes_b)


def _same_middle(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two middle names agree word by word, an initial standing for its word (G = Gregory)."""
    return len(a) == len(b) and all(x == y or (min(len(x), len(y)) == 1 and x[0] == y[0]) for x, y in zip(a, b))



def _sentence_order(sentence: str) -> tuple[str, int]:
    article, _, n = sentence.rpartition(":")
    return (article, int(n) if n.isdigit() else 0)
