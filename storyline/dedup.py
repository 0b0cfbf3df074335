"""Duplicate detection: exact copies, near duplicates and syndicated wire copies.

Reads: cleaned `Article` records (body, sentences, published date, id).
Writes: a `Fingerprint` per article (an exact-copy key over the normalised body
and a MinHash signature of its word shingles), candidate keys (`band_keys`: the
LSH bands of the signature; `lead_keys`: the first long sentences) for a
persisted inverted index (key -> article ids), and `DuplicateSet` verdicts:

- exact: the same body once case, whitespace, punctuation and quote styles are
  normalised;
- near: the same article with small changes (high word-shingle Jaccard);
- syndicated: copies of one wire story edited by different outlets (retitled,
  trimmed, re-paragraphed, lightly reworded): most of the shorter text is
  contained in the longer one and most of its sentences have a near match there.

Adding one article to a store: `fingerprint` it, look up the article ids
stored under its `band_keys` and `lead_keys` (ignoring a lead key already
held by more than `lead_key_max_articles` articles), `classify` it against each
candidate, then store its fingerprint and keys. `find_duplicates` does the same
for a batch in memory.

Two outlets' own reports of one event (sharing a quote or a few facts) are not
duplicates. The canonical article of a set is the earliest published one
(undated articles after dated ones), ties broken by id, so no verdict depends on
argument or input order.

Skips: nothing. An empty body has no band keys and is nobody's duplicate; a
body shorter than `DedupConfig.min_words` words can only be an exact or near
copy (a two-line text sharing one quote with another is not a copy of it; two
short texts with most of their word pairs the same are: one wire sentence with
a word or two inserted).

Deterministic: yes (fixed MinHash seed; datasketch's SHA-1 based 32-bit hash).
"""

from __future__ import annotations

import functools
import re
import struct
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
from datasketch import MinHash, MinHashLSH

from storyline.errors import StoreError
from storyline.records import Article, DuplicateSet, content_id

RELATIONS = ("exact", "near", "syndicated")
"""The relations, strongest first; a set joined by several takes the weakest."""


@dataclass(frozen=True, slots=True)
class DedupConfig:
    """The knobs of the dedup stage; the defaults were chosen on bench/dedup.py."""

    num_perm: int = 128
    seed: int = 1
    # 5: words per shingle of the whole body (signature, Jaccard, containment);
    # best F1 of 3, 4, 5, 7 on bench/dedup.py, 2026-11.
    shingle_size: int = 5
    # Jaccard above which LSH reports a candidate (on the signature): low, so
    # that a copy keeping a third of the original is still found (28 bands of
    # 2 rows). Candidate recall 0.985 of the positives on bench/dedup.py, 2026-11.
    lsh_threshold: float = 0.2
    # 0.7: shingle Jaccard of a near duplicate; best relation macro-F1 on bench/dedup.py, 2026-11.
    near_jaccard: float = 0.7
    # 0.5 / 0.6: containment of the shorter body's shingles in the longer, and
    # share of its sentences with a near match there; best F1 on bench/dedup.py, 2026-11
    # (P 1.000, R 0.992; none of 4,375 ecbplus same-story and seed pairs called a copy).
    syndicated_containment: float = 0.5
    syndicated_sentence_share: float = 0.6
    # A sentence "has a near match" when half its 3-word shingles are in the other body.
    sentence_match: float = 0.5
    sentence_shingle_size: int = 3
    # Sentences with fewer words do not count (datelines, "Photo: AP").
    sentence_min_words: int = 5
    # Bodies with fewer words can only be exact or near copies (most of the
    # words of both the same): two sentences sharing one wire sentence with a
    # long story say too little.
    min_words: int = 30
    # 2: words per shingle when comparing such short bodies (see `judge`).
    short_shingle_size: int = 2
    # Lead keys: the 12-word shingles of the first 3 sentences of at least 8
    # words (not counting numbers), so a short copy of a long story, whose Jaccard is far below any
    # LSH threshold, still becomes a candidate even with a reworded lead.
    # Candidate recall of the positives 0.985 (bands) -> 1.000 (bands + lead
    # keys; 0.995 with whole lead sentences as keys) for 4% more candidate
    # pairs and ~35 keys per article, on bench/dedup.py, 2026-11.
    lead_sentences: int = 3
    lead_min_words: int = 8
    lead_shingle_size: int = 12  # 0: one key per whole sentence
    # A lead key shared by more articles is boilerplate ("Your email address
    # will not be published..."), not a lead: ignored, so candidates stay
    # linear in the input. A wire story carried by more outlets is still found
    # by its LSH bands.
    lead_key_max_articles: int = 50


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What dedup keeps of an article: exact-copy key, word count, MinHash values.

    body_hash: `content_id` of the normalised body ("" for an empty body).
    hashvalues: the datasketch MinHash signature (scheme affine32, uint32 values).
    """

    article_id: str
    body_hash: str
    words: int
    hashvalues: tuple[int, ...]

    def to_bytes(self) -> bytes:
        """Serialise for storage (versioned, little-endian)."""
        article_id = self.article_id.encode("utf-8")
        body_hash = self.body_hash.encode("ascii")
        header = struct.pack(
            _HEADER, _FORMAT_VERSION, len(article_id), len(body_hash), self.words, len(self.hashvalues)
        )
        values = np.asarray(self.hashvalues, dtype="<u4").tobytes()
        return _MAGIC + header + article_id + body_hash + values

    @classmethod
    def from_bytes(cls, data: bytes) -> Fingerprint:
        """Read back what `to_bytes` wrote.

        Raises:
            StoreError: the bytes are not a whole fingerprint of this format
              version (a corrupt row, or one written by another version:
              re-fingerprint the article).
        """
        if not data.startswith(_MAGIC):
            raise StoreError(f"not a storyline dedup fingerprint (starts {data[:8]!r}); re-fingerprint the article")
        offset = len(_MAGIC)
        try:
            version, id_length, hash_length, words, count = struct.unpack_from(_HEADER, data, offset)
            if version != _FORMAT_VERSION:
                raise StoreError(f"fingerprint format version {version}, expected {_FORMAT_VERSION}; "
                                 "re-fingerprint the article")
            offset += struct.calcsize(_HEADER)
            article_id = data[offset : offset + id_length].decode("utf-8")
            offset += id_length
            body_hash = data[offset : offset + hash_length].decode("ascii")
            offset += hash_length
            values = np.frombuffer(data, dtype="<u4", count=count, offset=offset)
        except (struct.error, ValueError) as exc:  # UnicodeDecodeError is a ValueError
            raise StoreError(f"truncated or corrupt dedup fingerprint ({len(data)} bytes): {exc}") from exc
        return cls(article_id, body_hash, words, tuple(int(v) for v in values))


_MAGIC = b"SLFP"
_FORMAT_VERSION = 1
_HEADER = "<BHHII"


# Quote and dash styles outlets swap when they copy a story.
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
                         "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"'})
_NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Return `text` with case, quote styles, punctuation and whitespace normalised."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    # An apostrophe joins its word ("Lohan's" == "Lohan ' s" == "Lohans" is too
    # loose; "lohan s" keeps the token boundary of every tokenisation).
    return _NOT_WORD.sub(" ", text).strip()


def tokenise(text: str) -> list[str]:
    """Return the normalised words of `text`."""
    normalised = normalise(text)
    return normalised.split(" ") if normalised else []


def shingle(tokens: Sequence[str], size: int) -> set[str]:
    """Return the set of `size`-word shingles; a shorter non-empty text is one shingle."""
    if not tokens:
        return set()
    if len(tokens) <= size:
        return {" ".join(tokens)}
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


@functools.lru_cache(maxsize=8)
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The MinHash permutations of a (num_perm, seed), made once per process."""
    return MinHash(num_perm=num_perm, seed=seed).permutations


@functools.lru_cache(maxsize=8)
def _lsh(threshold: float, num_perm: int) -> MinHashLSH:
    """An empty MinHashLSH: its bands (b, r, hashranges) and band hash function."""
    return MinHashLSH(threshold=threshold, num_perm=num_perm)


def _minhash(shingle_set: set[str], config: DedupConfig) -> MinHash:
    """The datasketch MinHash of a shingle set."""
    minhash = MinHash(
        num_perm=config.num_perm,
        seed=config.seed,
        permutations=_permutations(config.num_perm, config.seed),
        scheme="affine32",
    )
    minhash.update_batch(sorted(s.encode("utf-8") for s in shingle_set))
    return minhash


def fingerprint(article: Article, config: DedupConfig = DedupConfig()) -> Fingerprint:
    """Return the fingerprint of an article's body."""
    tokens = tokenise(article.body)
    body_hash = content_id(" ".join(tokens)) if tokens else ""
    minhash = _minhash(shingle(tokens, config.shingle_size), config)
    return Fingerprint(article.id, body_hash, len(tokens), tuple(int(v) for v in minhash.hashvalues))


def band_keys(fp: Fingerprint, config: DedupConfig = DedupConfig()) -> list[bytes]:
    """Return the LSH band keys of a fingerprint, as datasketch's MinHashLSH bands it.

    Each key is the band number (2 bytes, big-endian) followed by the band's
    bytes exactly as `MinHashLSH` stores them in that band's table, so a store
    keeping `key -> article ids` finds the same candidates as `MinHashLSH.query`.
    An empty body has no keys (it would collide with every other empty body).
    """
    if fp.words == 0:
        return []
    lsh = _lsh(config.lsh_threshold, config.num_perm)
    values = np.asarray(fp.hashvalues, dtype=np.uint32)
    return [struct.pack(">H", band) + lsh._H(values[start:end]) for band, (start, end) in enumerate(lsh.hashranges)]


LEAD_KEY_PREFIX = b"\xff\xff"
"""Lead keys start with this; band keys start with their band number (< 0xffff)."""


def lead_keys(article: Article, config: DedupConfig = DedupConfig()) -> list[bytes]:
    """Return keys of the article's lead (word shingles of its first long sentences), for candidates.

    Wire copies keep the lead and cut the tail; one shared 12-word run in the
    lead makes a candidate, which `classify` then judges. Keys can share the
    band-key index (their prefix is no band number).
    """
    keys: set[bytes] = set()
    taken = 0
    for text in _sentences(article):
        tokens = tokenise(text)
        # Words, not numbers: a date line ("Posted: Jul 07, 2012 7:40 PM ET") is no lead.
        if sum(1 for token in tokens if token.isalpha()) < config.lead_min_words:
            continue
        pieces = shingle(tokens, config.lead_shingle_size) if config.lead_shingle_size else {" ".join(tokens)}
        keys.update(LEAD_KEY_PREFIX + bytes.fromhex(content_id(piece)) for piece in pieces)
        taken += 1
        if taken == config.lead_sentences:
            break
    return sorted(keys)


@dataclass(frozen=True, slots=True)
class PairFeatures:
    """What `classify` measures of a pair (symmetric in the two articles)."""

    jaccard: float
    containment: float
    sentence_share: float
    shorter_words: int


def _sentences(article: Article) -> list[str]:
    """The article's sentence texts (its paragraphs when it has no sentences)."""
    if article.sentences:
        return [s.text for s in article.sentences]
    return [line for line in article.body.splitlines() if line.strip()]


@functools.lru_cache(maxsize=256)
def _body_shingles(body: str, size: int) -> tuple[int, frozenset[str]]:
    """(word count, shingles) of a body; cached: a new article meets several candidates."""
    tokens = tokenise(body)
    return len(tokens), frozenset(shingle(tokens, size))


@functools.lru_cache(maxsize=256)
def _sentence_shingles(sentences: tuple[str, ...], size: int, min_words: int) -> tuple[frozenset[str], ...]:
    """The shingles of each sentence long enough to count; cached like `_body_shingles`."""
    out = []
    for text in sentences:
        tokens = tokenise(text)
        if len(tokens) >= min_words:
            out.append(frozenset(shingle(tokens, size)))
    return tuple(out)


def _sentence_share(article: Article, other_body: str, config: DedupConfig) -> float:
    """Share of the article's sentences that have a near match in the other body."""
    _, other = _body_shingles(other_body, config.sentence_shingle_size)
    own = _sentence_shingles(tuple(_sentences(article)), config.sentence_shingle_size, config.sentence_min_words)
    matched = sum(1 for sentence in own if len(sentence & other) >= config.sentence_match * len(sentence))
    return matched / len(own) if own else 0.0


def measure(a: Article, b: Article, config: DedupConfig = DedupConfig()) -> PairFeatures:
    """Measure a pair: shingle Jaccard, containment and sentence share (symmetric)."""
    words_a, shingles_a = _body_shingles(a.body, config.shingle_size)
    words_b, shingles_b = _body_shingles(b.body, config.shingle_size)
    if not shingles_a or not shingles_b:
        return PairFeatures(0.0, 0.0, 0.0, min(words_a, words_b))
    common = len(shingles_a & shingles_b)
    jaccard = common / len(shingles_a | shingles_b)
    containment = common / min(len(shingles_a), len(shingles_b))
    # Both directions, the larger kept: the shorter text's share, whichever it is.
    share = max(_sentence_share(a, b.body, config), _sentence_share(b, a.body, config))
    return PairFeatures(jaccard, containment, share, min(words_a, words_b))


def _short_jaccard(a: str, b: str, config: DedupConfig) -> float:
    """Jaccard of two short bodies' word shingles of `short_shingle_size` words."""
    first = shingle(tokenise(normalise(a)), config.short_shingle_size)
    second = shingle(tokenise(normalise(b)), config.short_shingle_size)
    return len(first & second) / len(first | second) if first and second else 0.0


def _order_key(article: Article) -> tuple[int, str, str]:
    """Sort key of the canonical choice: earliest stated date, then earliest inferred, undated last, then id.

    An inferred date is the latest past day the text reports, often a
    background event: a copy of a report with a stated date says better
    when the text first appeared.
    """
    published = article.published.value
    rank = 2 if published is None else int(article.published.inferred)
    return (rank, published or "", article.id)


def judge(a: Article, a_fp: Fingerprint, b: Article, b_fp: Fingerprint,
             config: DedupConfig = DedupConfig()) -> tuple[str, float] | None:
    """Return (relation, score) for a pair, or None when it is not a duplicate."""
    if a_fp.body_hash and a_fp.body_hash == b_fp.body_hash:
        return ("exact", 1.0)
    measured = measure(a, b, config)
    if measured.jaccard >= config.near_jaccard:
        # Most of the words of both, whatever their length: two short texts can be one too.
        return ("near", measured.jaccard)
    if min(a_fp.words, b_fp.words) < config.min_words:
        # One or two sentences: an inserted word breaks five 5-word shingles, so the same sentence
        # lightly edited ("also", "himself" added) is read by word pairs; most of them the same.
        short = _short_jaccard(a.body, b.body, config)
        return ("near", short) if short >= config.near_jaccard else None
    if (measured.containment >= config.syndicated_containment
            and measured.sentence_share >= config.syndicated_sentence_share):
        return ("syndicated", min(measured.containment, measured.sentence_share))
    return None


def classify(new: Article, new_fp: Fingerprint, old: Article, old_fp: Fingerprint,
             config: DedupConfig = DedupConfig()) -> DuplicateSet | None:
    """Return the verdict on a candidate pair, or None when neither copies the other.

    The canonical article is the earlier published one (ties: the smaller id),
    so swapping the arguments gives the same verdict. `score` is 1.0 for an
    exact copy, the shingle Jaccard for a near duplicate, and the smaller of
    containment and sentence share for a syndicated copy. An article is not a
    duplicate of itself (same id: None).
    """
    if new.id == old.id:
        return None
    found = judge(new, new_fp, old, old_fp, config)
    if found is None:
        return None
    canonical, copy = sorted((new, old), key=_order_key)
    return DuplicateSet(canonical=canonical.id, members=(copy.id,), relation=found[0], score=found[1])


def copy_map(sets: Iterable[DuplicateSet]) -> dict[str, str]:
    """Each copy's id -> the id of its set's canonical article (what `Article.duplicate_of` holds)."""
    return {member: found.canonical for found in sets for member in found.members}


def find_duplicates(articles: Sequence[Article], config: DedupConfig = DedupConfig()) -> list[DuplicateSet]:
    """Return the duplicate sets among `articles` (LSH and lead-key candidates, `classify`, transitive groups).

    A set joined by links of several relations takes the weakest one and the
    lowest link score. The result is sorted by canonical id and does not depend
    on the input order. Articles repeated with the same id are counted once
    (ids are content hashes: the same id is the same article).
    """
    by_id = {article.id: article for article in articles}
    ids = sorted(by_id)
    prints = {article_id: fingerprint(by_id[article_id], config) for article_id in ids}
    lsh = MinHashLSH(threshold=config.lsh_threshold, num_perm=config.num_perm)
    minhashes = {}
    for article_id in ids:
        if prints[article_id].words == 0:
            continue
        minhashes[article_id] = MinHash(
            hashvalues=np.asarray(prints[article_id].hashvalues, dtype=np.uint32),
            permutations=_permutations(config.num_perm, config.seed),
            seed=config.seed,
            scheme="affine32",
        )
        lsh.insert(article_id, minhashes[article_id])

    parent = {article_id: article_id for article_id in ids}

    def root(article_id: str) -> str:
        while parent[article_id] != article_id:
            parent[article_id] = parent[parent[article_id]]
            article_id = parent[article_id]
        return article_id

    by_lead_key: dict[bytes, list[str]] = {}
    for article_id in ids:
        for key in lead_keys(by_id[article_id], config):
            by_lead_key.setdefault(key, []).append(article_id)
    candidates = {article_id: set(lsh.query(minhash)) for article_id, minhash in minhashes.items()}
    for sharing in by_lead_key.values():
        if len(sharing) > config.lead_key_max_articles:
            continue
        for article_id in sharing:
            candidates.setdefault(article_id, set()).update(sharing)

    links: list[tuple[str, str, str, float]] = []
    for article_id in ids:
        for other_id in sorted(candidates.get(article_id, ())):
            if other_id <= article_id:
                continue
            found = judge(by_id[article_id], prints[article_id], by_id[other_id], prints[other_id], config)
            if found is None:
                continue
            links.append((article_id, other_id, *found))
            parent[root(other_id)] = root(article_id)

    groups: dict[str, list[str]] = {}
    for article_id in ids:
        groups.setdefault(root(article_id), []).append(article_id)
    weakest: dict[str, tuple[int, float]] = {}
    for first, _, kind, score in links:
        group = root(first)
        rank, low = weakest.get(group, (0, 1.0))
        weakest[group] = (max(rank, RELATIONS.index(kind)), min(low, score))

    sets = []
    for group, members in groups.items():
        if len(members) < 2:
            continue
        ordered = sorted((by_id[m] for m in members), key=_order_key)
        rank, score = weakest[group]
        sets.append(DuplicateSet(
            canonical=ordered[0].id,
            members=tuple(sorted(a.id for a in ordered[1:])),
            relation=RELATIONS[rank],
            score=score,
        ))
    return sorted(sets, key=lambda s: s.canonical)
