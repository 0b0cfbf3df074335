"""Spelling keys and comparisons of names: what makes two written forms one name.

Pure functions over strings, used by the entities stage: a plain ASCII key
(anyascii; case, periods and apostrophes ignored), words, acronym letters and
initials, and whether two words are spellings of one word (a phonetic key from
jellyfish and a rapidfuzz ratio).
"""

from __future__ import annotations

import functools
import re

import jellyfish
from anyascii import anyascii
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Levenshtein

ARTICLE_WORDS = frozenset({"the", "a", "an"})


def plain(text: str) -> str:
    """ASCII, lower case, no periods, apostrophes or quotation marks (the Pacific "Ring of Fire")."""
    return re.sub(r"[.'’\"“”«»]", "", anyascii(text)).lower()


def words(text: str) -> list[str]:
    """The words of a form in plain ASCII lower case; hyphens separate words."""
    return [word for word in re.split(r"[\s\-–/]+", plain(text)) if word]


def joined_key(text: str) -> str:
    """The form with case, periods, hyphens and transliteration ignored (Co-operation = Cooperation)."""
    return " ".join(re.sub(r"[\-–]", "", plain(text)).split())


def short_word_shapes(text: str) -> dict[str, bool]:
    """Each word of two letters, or written with periods (lower case, letters only) -> whether it is
    written as an abbreviation (capitals or periods: "US", "U.S.") rather than as a word ("Us" of
    "Us Weekly").

    Case and periods are ignored by `joined_key`; a short abbreviation and a word spelt with the same
    letters are still two names. Longer words in capitals are often a headline's ("SAN Diego"), and
    "Nato" is "NATO": they take no part.
    """
    shapes = {}
    for word in text.split():
        letters_of = re.sub(r"[^A-Za-z]", "", anyascii(word))
        periods = bool(re.fullmatch(r"(?:[A-Za-z]\.){2,}", word))
        if len(letters_of) == 2 or periods:
            shapes[letters_of.lower()] = letters_of.isupper() or periods
    return shapes


def role_key(text: str) -> str:
    """A role's key: plain words without a leading article ("the U.S. president" -> "us president")."""
    parts = plain(text).replace("-", " ").split()
    while parts and parts[0] in ARTICLE_WORDS:
        parts = parts[1:]
    return " ".join(parts)


def role_words(text: str) -> list[str]:
    """A role's or name's words in lower-case ASCII, hyphens separating words, for handle matching."""
    return [word for word in re.split(r"[\s\-–]+", re.sub(r"[.'’]", "", anyascii(text)).lower()) if word]


def is_spelling_variant(a: str, b: str, min_chars: int, min_ratio: float, min_swap_chars: int) -> bool:
    """Whether two plain words are spellings of one word.

    Zelensky / Zelenskiy (same sound, close letters); in words of at least
    `min_swap_chars` letters, one letter changed, added or dropped (Lugansk /
    Luhansk, Elysee / Elysees) unless the longer only adds the "n" of a
    nationality (Austria / Austrian), and a first letter of the same sound
    (Kurbanguly / Gurbanguly, Carolos / Karolos).
    """
    if a == b:
        return True
    if min(len(a), len(b)) < min_chars or not a.isalpha() or not b.isalpha():
        return False
    if a[0] != b[0]:
        return (min(len(a), len(b)) >= min_swap_chars and a[1:] == b[1:]
                and jellyfish.metaphone(a) == jellyfish.metaphone(b))
    if min(len(a), len(b)) >= min_swap_chars and Levenshtein.distance(a, b) == 1:
        shorter, longer = sorted((a, b), key=len)
        return longer != shorter + "n"
    if min(len(a), len(b)) >= min_swap_chars and _letters_moved(a, b):
        return True
    if fuzz.ratio(a, b) < min_ratio:
        return False
    return jellyfish.metaphone(a) == jellyfish.metaphone(b) or jellyfish.nysiis(a) == jellyfish.nysiis(b)


def _letters_moved(a: str, b: str) -> bool:
    """Whether a word is another with letters typed in another order inside it: the same letters, the same
    first two and last letters, and two adjacent letters swapped or one letter moved (Klistchko, Klitchsko /
    Klitschko; rapidfuzz OSA distance at most 2)."""
    return (sorted(a) == sorted(b) and a[:2] == b[:2] and a[-1] == b[-1]
            and OSA.distance(a, b) <= 2)


def spelling_key(word: str) -> str:
    """A given name's key across the ways English writes one sound: ph is f, th is t, ck and a hard c are k,
    y is i, an "h" closing a vowel is silent (Sarah / Sara, Jon / John), a closing -ie, -ey or -ee is -i
    (Lennie / Lenny, Bettie / Betty), a letter written twice counts once (Phillip / Philip).

    Vowels stay as written, so names of two sounds keep two keys (Joan / John, Francis / Frances, Paul /
    Paula, Charlene / Charlie).
    """
    text = re.sub(r"[^a-z]", "", anyascii(word).lower())
    for old, new in (("ph", "f"), ("th", "t"), ("ck", "k")):
        text = text.replace(old, new)
    text = re.sub(r"c(?![eihy])", "k", text).replace("y", "i")
    text = re.sub(r"(?<=[aeiou])h(?![aeiou])", "", text)
    text = re.sub(r"(?:ie|ey|ee)$", "i", text)
    return re.sub(r"(.)\1+", r"\1", text)


def consonant_slip(a: str, b: str) -> bool:
    """Whether one word is the other with one consonant dropped inside it, or two adjacent letters inside it
    swapped (Andre / Anre): a slip of typing that keeps the word's first and last letters and its vowels."""
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) < 4 or shorter[0] != longer[0] or shorter[-1] != longer[-1]:
        return False
    if len(longer) == len(shorter) + 1:
        return any(longer[:i] + longer[i + 1:] == shorter and longer[i] not in "aeiouy"
                   for i in range(1, len(longer) - 1))
    return (len(longer) == len(shorter) and OSA.distance(a, b) == 1 and sorted(a) == sorted(b))


def transliteration_key(word: str) -> str:
    """A word's key across the ways one name is written in Latin letters (Giannis / Yiannis, Ilias / Elias,
    Mohammed / Muhammad, Sergei / Sergey, Wladimir / Vladimir).

    ASCII and lower case; y is i, w is v, ph is f, x is ks, q and a hard c
    are k; a g before "i" and a vowel is a glide (Giorgos = Yorgos); a letter
    written twice counts once. Then the consonants stay as they are and the
    vowels are read coarsely: an opening vowel by its kind (front e/i, back
    o/u, or a), a run of vowels inside the word as one vowel, but the closing
    vowels as written, since they often mark gender (Maria / Mario, Anna /
    Anne stay apart).
    """
    text = re.sub(r"[^a-z]", "", anyascii(word).lower())
    for old, new in (("y", "i"), ("w", "v"), ("ph", "f"), ("x", "ks"), ("q", "k")):
        text = text.replace(old, new)
    text = re.sub(r"c(?![eih])", "k", text)
    text = re.sub(r"^g(?=i[aeiou])", "", text)
    text = re.sub(r"(.)\1+", r"\1", text)
    body, closing = re.fullmatch(r"(.*?)([aeiou]*)", text).groups()
    opening = re.match(r"[aeiou]+", body)
    if opening:
        kind = "i" if opening.group(0)[0] in "ei" else "u" if opening.group(0)[0] in "ou" else "a"
        body = kind + body[opening.end():]
    return body[:1] + re.sub(r"[aeiou]+", "a", body[1:]) + closing


def nickname_of(nickname: str, name: str) -> bool:
    """Whether a given name is a nickname of another (fred of frederick, ray of raymond, ben of benjamin),
    both plain lower case, by the hand-curated list of the `nicknames` package (pinned)."""
    return nickname in _nicknames().nicknames_of(name) or name in _nicknames().canonicals_of(nickname)


@functools.cache
def _nicknames():
    from nicknames import NickNamer  # imported late: only the entities stage compares given names

    return NickNamer()


def is_acronym(text: str) -> bool:
    """Whether a form is an acronym: 2 to 8 capital letters, periods and ampersands aside (OSCE, U.N.)."""
    bare = re.sub(r"[.&]", "", text)
    return 2 <= len(bare) <= 8 and bare.isalpha() and bare.isupper()


def letters(text: str) -> str:
    """The ASCII letters of a form in lower case (U.N. -> un)."""
    return re.sub(r"[^A-Za-z]", "", text).lower()


def initials(text: str, capitalised: bool) -> str:
    """Initials of the words of a form (only the capitalised ones when asked): OSCE, NATO."""
    parts = [word for word in re.split(r"[\s/]+", anyascii(text)) if word and word[0].isalpha()]
    if capitalised:
        parts = [word for word in parts if word[0].isupper()]
    return "".join(word[0] for word in parts).lower()


def initial_readings(text: str) -> frozenset[str]:
    """Every way an acronym may take a long form's capitalised words, in lower case.

    A hyphen may or may not part words (Agence France-Presse: AFP or AF); an
    abbreviation with periods or a short all-capital word gives one letter or
    all of its letters (U.S. Geological Survey, US Geological Survey: USGS or UGS).
    """
    readings = set()
    for hyphens in (r"[\s/]+", r"[\s/\-–]+"):
        choices = [""]
        for word in re.split(hyphens, anyascii(text)):
            if not word or not word[0].isalpha() or not word[0].isupper():
                continue
            options = {word[0].lower()}
            bare = re.sub(r"[.&]", "", word)
            if bare.isalpha() and bare.isupper() and 2 <= len(bare) <= 4 or re.fullmatch(r"(?:[A-Za-z]\.){2,}", word):
                options.add(bare.lower())
            choices = [choice + option for choice in choices for option in sorted(options)][:64]
        readings.update(choices)
    return frozenset(reading for reading in readings if len(reading) >= 2)


def abbreviates(handle: str, phrase: list[str]) -> bool:
    """Whether a handle's letters are successive prefixes of a phrase's words.

    potus: president of the united states.
    """
    if not phrase or len(phrase) < 2 or not handle or handle[0] != phrase[0][:1]:
        return False

    def fits(position: int, index: int) -> bool:
        if index == len(phrase):
            return position == len(handle)
        word = phrase[index]
        for size in range(1, len(word) + 1):
            if handle[position:position + size] != word[:size]:
                break
            if fits(position + size, index + 1):
                return True
        return False

    return fits(0, 0)
