"""Stage `compare`: align the claims of a story's articles, and find where they disagree.

Entry point: `compare(claims, articles, config, duplicates, local_offset)`.
Reads: `Claim`s (stage claims) of one story and the story's `Article`s: an
article whose `duplicate_of` is set (dedup) counts as the article it copies,
so copies of one wire story are one independent source (`DuplicateSet`s may
add copies the articles do not mark).
Writes: `ClaimGroup`s (claims of different articles that state the same thing,
with their independent sources; a claim no other article states is a group
of its own; a group holds together around a core claim that every other
claim of it supports: it shares its content words and states its facts by
`storyline.support`'s strict rule, so a brief can cite them all for it; two
claims that state each other by the rule of a brief's cites join
even when they tell the fact in other words, `restated`) and
`Conflict`s (what differs, citing both sides): similar claims that state one
fact otherwise, a figure, a direction, a clock time or a telephone number
(`fact_conflicts`, `support.clash`; "local time" against GMT when the story's
UTC offset is given; a count of a noun only when both claims name its owner
and the same action, `one_fact`; a figure that tallies over a span, "this
season", "a total of", against one of a single occasion never), one event
dated in different years both write, one event (one main verb, one actor) that two
reports give on two days or in two places of one kind (`event_conflict`: "Saturday (7 July 2012) vs
Sunday (8 July 2012)", "Bern vs Zurich"), relative statements ("two days after"
vs "three days after" the same event) with different durations, and quotes of one statement whose wording differs
in content words. Besides, candidates for the brief's updates, never shown as
conflicts: copies of one report that state a figure otherwise (`revision`), and
two figures of one subject that can both be true but are stated otherwise
("at least 6,000" and "about 10,000" sites, `figure-change`); the brief keeps
those whose reports came out at different times. Conservative: numbers whose qualifiers make them compatible
("about 100,000" vs "more than 100,000"), quantities equal after unit
conversion and spelling variants of one name are not conflicts. No 3-way NLI
model ships inside a PyPI package, so contradiction comes from the slots alone.
Never skips, never raises on text.
Deterministic: the result does not depend on the order of the claims.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from storyline import event_slots, gazetteer, name_keys, support
from storyline.support import intervals_meet
from storyline.records import (
    TURNED, WORDING, Article, Claim, ClaimGroup, Conflict, DuplicateSet, Slot, content_id, independent_root,
)


@dataclass(frozen=True, slots=True)
class CompareConfig:
    """Knobs of the compare stage."""

    # 0.45: best on bench/compare.py (seed + 10 ECB+ stories, 2026-11): ECB+ agreed
    # groups sharing an annotated event 63/69 (0.40: 60/73; 0.50: 58/64; 0.60: 49/56); lower
    # values merged claims that only share the story's main names.
    align: float = 0.45
    # Each slot value two claims share (an equal date or duration, a small
    # number) adds this much to their text similarity; a specific figure (10 or
    # more: "about 100,000" and "100,000") adds `figure_bonus`.
    slot_bonus: float = 0.15
    figure_bonus: float = 0.3
    # Claims dated in different years are one event when they share this many
    # content words (beyond the date) and this text similarity.
    same_event_words: int = 2
    same_event_similarity: float = 0.1
    # A group holds together only around a core claim that every other claim
    # of the group supports: shares this share of its content words (and at
    # least `support_words`), the rule storyline.verify applies to a brief's
    # citations; claims that only share a figure or a name state other things.
    support: float = 1 / 3
    support_words: int = 2
    # Two quotes are wordings of one statement when this share of the shorter
    # one's words appears, in order, in the other.
    quote_overlap: float = 0.5
    # ... and the claims that quote them are about the same thing (overlap of
    # their content words): two-word quotes otherwise match by chance.
    quote_context: float = 0.4
    # Claims this similar (the alignment score) that state a fact otherwise
    # conflict (`fact_conflicts`); lower than `align`, since the values that
    # differ are left out of their similarity.
    contrast: float = 0.3
    # Claims this similar that state one subject's figure with two values that can both be true, or
    # copies of one report that state a figure otherwise, are candidates for a figure that changed
    # (`fact_conflicts`): lower than `contrast`, since such claims share the subject, not the figure.
    change: float = 0.15
    # Claims at least this similar that state each other by the strict rule of a brief's cites
    # (`storyline.verify.backs` both ways: half their content words, the same facts, their main clauses'
    # parts) and with the verbs of their main clauses are one fact told in other words ("The New Orleans
    # Saints have placed running back Reggie Bush on injured reserve because of a sprained knee" / "... placed
    # Reggie Bush on the injured list on Wednesday, ending the National Football League season ...", 0.36):
    # they align as if `align` similar. The floor is `contrast`, the similarity at which two claims are
    # taken to speak of one fact at all. Without the verbs, 2 of 11 such joins on the 42 ECB+ dev groups were
    # two facts ("Mark Felt ... died on Friday" / "Mark Felt ... divulged information to reporters"); with
    # them 0 of 5 (docs/bench.md, 2026-12-07, session 19).
    paraphrase: float = 0.3


STEM = 6
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
          "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
          "saturday", "sunday", "year", "month", "week", "day", "today", "yesterday"}
SPEECH_VERBS = {"say", "tell", "add", "write", "state", "claim", "note", "explain", "stress", "announce",
                "report", "insist", "warn", "declare", "tweet", "post", "ask", "reply", "comment", "emphasize"}
QUOTE_WORD = re.compile(r"\w+")
YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)|'\d\d\b")
CONTENT_WORD = re.compile(r"[^\W\d_]{3,}|\d[\d,.]*\d|\d")
NEGATIONS = {"not", "no", "never", "cannot", "nothing", "none", "nor", "neither", "nobody", "nowhere"}


@functools.cache
def stop_words() -> frozenset[str]:
    """spaCy's English stop words, read on first use: importing the spaCy package (some 80 MB and 0.4 s
    of CPU) is left to the processes that brief, not every one that imports the pipeline (a `storyline add`
    on Dask workers, whose driver runs no spaCy)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


@functools.cache
def function_words() -> frozenset[str]:
    """Words too common to make two quotes differ in substance: spaCy's English stop words (but not the
    negations: "cannot" vs "can" is a difference) and the pieces of contractions."""
    return frozenset((stop_words() - NEGATIONS) | {
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by", "from", "as",
        "is", "are", "was", "were", "be", "been", "it", "its", "he", "she", "they", "we", "i", "you", "that",
        "this", "these", "those", "will", "would", "has", "have", "had", "s", "do", "does", "did",
        "ve", "re", "ll", "m", "d", "t",
    })


def copies_of(articles: Sequence[Article] = (), duplicates: Sequence[DuplicateSet] = ()) -> dict[str, str]:
    """Article id -> the article it copies: `Article.duplicate_of`, and the members of duplicate sets."""
    mapping = {a.id: a.duplicate_of for a in sorted(articles, key=lambda a: a.id) if a.duplicate_of}
    for group in sorted(duplicates, key=lambda d: (d.canonical, d.members)):
        for member in group.members:
            if member != group.canonical:
                mapping[member] = group.canonical
    return mapping


def compare(claims: Sequence[Claim], articles: Sequence[Article] = (), config: CompareConfig = CompareConfig(),
            duplicates: Sequence[DuplicateSet] = (), local_offset: int | None = None,
            ) -> tuple[tuple[ClaimGroup, ...], tuple[Conflict, ...]]:
    """Align a story's claims and find their conflicts: the stage's entry point.

    Args:
        claims: the claims of one story's articles (stage claims).
        articles: the story's articles; a copy (`duplicate_of` set) counts as
          the article it copies, so one wire story is one independent source.
        duplicates: duplicate sets, for copies the articles do not mark.
        local_offset: UTC offset (minutes) of the story's place when known, so that a "local time"
          is set against GMT times (`storyline.support.check`).

    Returns:
        (groups, conflicts): every claim in exactly one group, groups with the
        most independent sources first; conflicts ordered by kind and reason.
    """
    copies = copies_of(articles, duplicates)
    # One similarity matrix for alignment and for conflicts: both index the claims in id order.
    scores = pair_scores(sorted(set(claims), key=lambda c: c.id), config)
    groups = align_claims(claims, copies, config, scores)
    years = {a.id: a.published.value[:4] for a in articles if a.published.value}
    return tuple(groups), tuple(find_conflicts(groups, copies, config, local_offset, scores, years))


def align_claims(claims: Sequence[Claim], copies: Mapping[str, str] | None = None,
                 config: CompareConfig = CompareConfig(),
                 scores: Mapping[tuple[int, int], float] | None = None) -> list[ClaimGroup]:
    """Group claims of different articles that state the same thing; every claim lands in one group.

    copies: article id -> the article it copies (see `copies_of`); a group's
    sources are independent sources. scores: `pair_scores` of the claims in id
    order, when the caller has them.
    """
    ordered = sorted(set(claims), key=lambda c: c.id)
    mapping = copies or {}
    scores = restated(ordered, pair_scores(ordered, config) if scores is None else scores, config)
    words = {c.id: content_words(c.text) for c in ordered}
    groups: list[list[int]] = [[i] for i in range(len(ordered))]
    member_of = list(range(len(ordered)))
    edges = sorted(((s, i, j) for (i, j), s in scores.items() if s >= config.align),
                   key=lambda e: (-e[0], ordered[e[1]].id, ordered[e[2]].id))
    for _, i, j in edges:
        a, b = member_of[i], member_of[j]
        if a == b:
            continue
        left, right = groups[a], groups[b]
        if {ordered[k].article for k in left} & {ordered[k].article for k in right}:
            continue
        # Average link: the merged group must hold together, not chain through one claim.
        links = [scores.get((min(x, y), max(x, y)), 0.0) for x in left for y in right]
        if sum(links) / len(links) < config.align:
            continue
        if not has_core([ordered[k] for k in left + right], words, config):
            continue
        merged, gone = (a, b) if a < b else (b, a)
        groups[merged] = sorted(groups[a] + groups[b])
        groups[gone] = []
        for k in groups[merged]:
            member_of[k] = merged
    result = []
    for members in groups:
        if not members:
            continue
        group_claims = tuple(ordered[k] for k in members)
        sources = tuple(sorted({independent_root(c.article, mapping) for c in group_claims}))
        result.append(ClaimGroup(content_id("|".join(c.id for c in group_claims)), group_claims, sources,
                                 "agreed" if len(sources) >= 2 else "single"))
    result.sort(key=lambda g: (-len(g.sources), g.claims[0].id))
    return result


def restated(claims: Sequence[Claim], scores: Mapping[tuple[int, int], float],
             config: CompareConfig) -> Mapping[tuple[int, int], float]:
    """`scores` with each pair from `config.paraphrase` up to `config.align` whose claims state each other
    (`storyline.verify.backs` and the verbs of their main clauses, `statement_parts.verbs_unstated`, both
    ways) raised to `config.align`: the words of one fact told otherwise weigh too little in a TF-IDF
    cosine, while the strict rule reads what each states."""
    # Here, not at the top: verify reads the parts of a main clause (statement_parts), which reads this
    # module's verbs of saying.
    from storyline.statement_parts import verbs_unstated
    from storyline.verify import backs

    def state_each_other(left: str, right: str) -> bool:
        return all(backs(one, other).supports and verbs_unstated(one, other) is None
                   for one, other in ((left, right), (right, left)))

    raised = {pair: config.align for pair, score in scores.items()
              if config.paraphrase <= score < config.align
              and state_each_other(claims[pair[0]].text, claims[pair[1]].text)}
    return {**scores, **raised} if raised else scores


def content_words(text: str) -> frozenset[str]:
    """Lower-case words of a text that carry content (no stop words, figures kept)."""
    return frozenset(w for w in CONTENT_WORD.findall(support.as_nobody(text.lower().replace("’", "'")))
                     if w not in stop_words() and not w.startswith("'"))


def supports(claim: Claim, other: Claim, words: Mapping[str, frozenset[str]], config: CompareConfig) -> bool:
    """Whether `other` backs `claim`: it states enough of its content words, and the same facts
    (`storyline.support`: figures, directions, times, polarity, quoted words)."""
    own = words[claim.id]
    common = len(own & words[other.id])
    # A claim of fewer content words than `support_words` ("There was no reason.") is stated by no other.
    if common < config.support_words or common < config.support * len(own):
        return False
    return support.supports(claim.text, other.text)


def has_core(claims: Sequence[Claim], words: Mapping[str, frozenset[str]], config: CompareConfig) -> bool:
    """Whether some claim of a would-be group is backed by every other claim of it."""
    return any(all(supports(core, other, words, config) for other in claims if other is not core) for core in claims)


def pair_scores(claims: Sequence[Claim], config: CompareConfig) -> dict[tuple[int, int], float]:
    """Similarity of every pair of claims of different articles: TF-IDF cosine over lemmas plus shared slots."""
    if len(claims) < 2:
        return {}
    documents = [list(c.lemmas) for c in claims]
    if not any(documents):
        return {}
    from sklearn.feature_extraction.text import TfidfVectorizer  # here: scikit-learn is some 70 MB to import

    vectorizer = TfidfVectorizer(analyzer=lambda lemmas: lemmas, sublinear_tf=True)
    matrix = vectorizer.fit_transform(documents)
    cosine = (matrix @ matrix.T).tocoo()
    scores: dict[tuple[int, int], float] = {}
    for i, j, value in zip(cosine.row, cosine.col, cosine.data):
        if i < j and claims[i].article != claims[j].article and value > 0:
            scores[(int(i), int(j))] = float(value) + shared_slots(claims[i], claims[j], config)
    return scores


def shared_slots(left: Claim, right: Claim, config: CompareConfig) -> float:
    """Bonus for the checkable values (numbers, quantities, dates) two claims share."""
    bonus = 0.0
    for slot in left.slots:
        if slot.kind == "number" and float(slot.value) >= 10 and slot.unit != "percent":
            # Counted nouns vary between outlets (troops / soldiers / personnel):
            # a specific figure agrees whatever it counts.
            if any(other.kind == "number" and other.unit != "percent" and intervals_meet(slot, other)
                   and close_figures(float(slot.value), float(other.value)) for other in right.slots):
                bonus += config.figure_bonus
        elif slot.kind in ("number", "quantity"):
            if any(other.kind == slot.kind and same_measure(slot, other) and intervals_meet(slot, other)
                   for other in right.slots):
                bonus += config.slot_bonus
        elif slot.kind == "date" and slot.value:
            if any(other.kind == "date" and other.value and dates_agree(str(slot.value), str(other.value))
                   for other in right.slots):
                bonus += config.slot_bonus
    return min(bonus, 2 * config.figure_bonus)


def close_figures(a: float, b: float) -> bool:
    """Whether two stated figures are near enough to be one figure rounded differently (within 25%)."""
    return min(a, b) > 0 and max(a, b) / min(a, b) <= 1.25


def same_measure(left, right) -> bool:
    """Whether two number / quantity slots measure the same thing (unit or counted noun)."""
    if left.kind == "quantity":
        return left.unit == right.unit and left.relation == right.relation
    if "percent" in (left.unit, right.unit):
        return left.unit == right.unit
    return not left.unit or not right.unit or left.unit == right.unit


def dates_agree(left: str, right: str) -> bool:
    """Whether two ISO dates (any granularity, `--MM-DD` for an unknown year) can name the same time."""
    if left.startswith("--") or right.startswith("--"):
        return left[-5:] == right[-5:] if len(left) >= 7 and len(right) >= 7 else True
    return left.startswith(right) or right.startswith(left)


def find_conflicts(items: Sequence[ClaimGroup] | Sequence[Claim], copies: Mapping[str, str] | None = None,
                   config: CompareConfig = CompareConfig(), local_offset: int | None = None,
                   scores: Mapping[tuple[int, int], float] | None = None,
                   years: Mapping[str, str] | None = None) -> list[Conflict]:
    """Conflicts between claims of different independent sources, each with what differs and both sides cited.

    items: claim groups (from `align_claims`), or claims (aligned first).
    copies: article id -> the article it copies; a copy never conflicts with its original.
    scores: `pair_scores` of the claims in id order, when the caller has them.
    years: article id -> the year it was published, for telling background figures (`background`).
    """
    mapping = copies or {}
    if items and isinstance(items[0], Claim):
        groups = align_claims(items, mapping, config)  # type: ignore[arg-type]
    else:
        groups = list(items)  # type: ignore[arg-type]
    claims = sorted({c for g in groups for c in g.claims}, key=lambda c: c.id)
    found: list[Conflict] = list(fact_conflicts(claims, mapping, config, local_offset, scores, years))
    for left, right in cross_source_pairs(claims, mapping):
        found.extend(date_conflicts(left, right, config))
        found.extend(relative_date_conflicts(left, right))
        found.extend(quote_conflicts(left, right, config))
    return merge_conflicts(found)


def cross_source_pairs(claims: Sequence[Claim], mapping: Mapping[str, str]) -> Iterable[tuple[Claim, Claim]]:
    """Pairs of claims (in id order) from different independent sources."""
    ordered = sorted(claims, key=lambda c: c.id)
    for i, left in enumerate(ordered):
        for right in ordered[i + 1:]:
            if independent_root(left.article, mapping) != independent_root(right.article, mapping):
                yield left, right


def fact_conflicts(claims: Sequence[Claim], mapping: Mapping[str, str], config: CompareConfig,
                   local_offset: int | None = None,
                   scores: Mapping[tuple[int, int], float] | None = None,
                   years: Mapping[str, str] | None = None) -> Iterable[Conflict]:
    """Claims about the same thing (text similarity at least `config.contrast`) of different sources
    that each state a figure, a direction or a clock time that the other states otherwise
    (`storyline.support`: "Ten vs three (dead)", "west of X vs south of X"). A figure of a background
    sentence (`background`) or two figures said of different places are never one fact.
    years: article id -> the year it was published."""
    scores = pair_scores(claims, config) if scores is None else scores
    said = article_figures(claims)
    story_years = frozenset((years or {}).values())
    behind = {c.id: background(c, (years or {}).get(c.article), story_years) for c in claims}
    places = {c.id: place_names(c) for c in claims}
    shared_places = story_places(claims, mapping)
    for (i, j), score in sorted(scores.items()):
        left, right = claims[i], claims[j]
        if score < min(config.contrast, config.change):
            continue
        pair = tuple(sorted((left, right), key=lambda c: c.id))
        # One fact both state with values that cannot both be true (`support.clash`): a claim that
        # also states the other's value ("three people, a man and two women") is no disagreement,
        # and what else either claim says (an age, a frequency) does not hide the clash. Lengths of
        # time (a 10-year contract, 30 hours of deliberation) are said of too many things to
        # set against each other; relative ones are `relative_date_conflicts`.
        verdict = support.clash(left.text, right.text, local_offset)
        copies = independent_root(left.article, mapping) == independent_root(right.article, mapping)
        # Versions of one report (copies) revise one sentence: a figure their claims state otherwise is
        # one fact revised ("plunged 5.4 per cent" / "closed down 3.9 percent"). Claims of two sources
        # must be of one fact (`one_fact`); below `contrast` they are only candidates for a figure
        # that changed.
        version = copies
        # One telephone number written otherwise (a digit added, dropped or changed) is one line whatever
        # else the sentences say: the values themselves tie the claims, which need only `change`.
        bar = config.change if verdict is not None and verdict.kind == support.PHONE_KIND else config.contrast
        # A figure of another event (a background sentence) is another fact than one of the story's, and
        # figures of two places are two facts; two background sentences of one year may disagree.
        elsewhere = behind[left.id] != behind[right.id] or other_places(places[left.id], places[right.id]) \
            or away(places[left.id], shared_places) != away(places[right.id], shared_places)
        if elsewhere and verdict is not None and verdict.kind == "number":
            verdict = None
        contradicts = verdict is not None and verdict.subject != "second" and (
            version if copies else score >= bar and (verdict.kind != "number"
                                                     or one_fact(left, right, verdict.counted)))
        # Two figures of one subject that can both be true but are stated otherwise ("at least 6,000"
        # and "about 10,000" sites) are no conflict; if their reports came out at different times, the
        # figure changed (the brief's `updates`). A count of a noun needs the same action.
        changed = None if contradicts or elsewhere else support.changed_figure(left.text, right.text)
        if changed is not None and (support.figure_subject(changed[0]) in FIXED_MEASURES or (
                not version if copies else not one_owner(left, right, counted=False)
                or support.counted(changed[0]) and left.predicate != right.predicate
                and not same_action(left.text, right.text, *changed))):
            changed = None
        # A report that states both values elsewhere says them of two things (Echenique's 11 rebounds and
        # Artino's six in one game report; six rifles in one operation, 14 in five): neither a figure
        # revised or changed nor a disagreement.
        figures = changed or (verdict.figures if contradicts and verdict.kind == "number" else ())
        # A toll or an amount counts as stated elsewhere only by a figure sure to be of it (a version's "FOUR
        # PEOPLE HAVE DIED" beside its "Four people ... injured" is a toll revised from three; Sabathia's "$161
        # million" is not the Nationals' $160 million offer).
        if figures and (support.states(figures[0], said[right.article], sure=bool(figures[0].outcome or figures[0].currency))
                        or support.states(figures[1], said[left.article], sure=bool(figures[1].outcome or figures[1].currency))):
            continue
        # One event given on two days or in two places; a background sentence tells another event.
        if verdict is None and not copies and score >= config.contrast and behind[left.id] == behind[right.id]:
            other = event_conflict(left, right)
            if other is not None:
                yield other
                continue
        if copies:
            # Copies of one report that state a figure otherwise are its versions: a revised figure.
            if contradicts:
                yield Conflict(REVISION, pair, verdict.reason, verdict.subject)
            elif changed is not None:
                yield Conflict(REVISION, pair, figure_reason(*changed), changed_subject(*changed))
        elif contradicts:
            yield Conflict(verdict.kind, pair, verdict.reason, verdict.subject)
        elif changed is not None:
            yield Conflict(CHANGE, pair, figure_reason(*changed), changed_subject(*changed))


# Main verbs too general to make two clauses one event ("was", "had", "made").
LIGHT_VERBS = frozenset({"be", "have", "do", "make", "get", "take", "go", "come"})
# Two reports of one event that give it on days this far apart at most disagree on its day; further apart,
# one verb of one actor tells two events ("overturned a rule on Tuesday" / "overturned another today").
DAY_GAP = 2


def one_event(left: Claim, right: Claim) -> bool:
    """Whether two claims tell one event: the same main verb, neither a verb of saying nor a light verb, said
    of a name both give (canonical names, whatever kind the entities stage gave each mention), not of two
    different people, and of no two different sets of people or organisations (`one_owner`)."""
    if not left.predicate or left.predicate != right.predicate or left.predicate in SPEECH_VERBS | LIGHT_VERBS:
        return False
    names = [{s.value for s in c.slots if s.kind in ("person", "org", "place")} for c in (left, right)]
    # Two people named, one on each side, are two people's events ("placed Chris Ivory on injured reserve
    # Tuesday" / "Pierre Thomas was placed on injured reserve ... on Wednesday"), whatever team both name.
    people = [{s.value for s in c.slots if s.kind == "person"} for c in (left, right)]
    if people[0] and people[1] and not people[0] & people[1]:
        return False
    return bool(names[0] & names[1]) and one_owner(left, right, counted=False)


def event_conflict(left: Claim, right: Claim) -> Conflict | None:
    """Two reports of one event (`one_event`) that give it on two days or in two places of one kind
    (`storyline.event_slots`): "Saturday (7 July 2012) vs Sunday (8 July 2012)", "Bern vs Zurich".
    Not: a day and a place the other claim also names, days further apart than `DAY_GAP` (two events),
    the night of one day and the small hours of the next, a place and a place of another kind (a city and
    its country)."""
    if not one_event(left, right):
        return None
    days = [event_slots.event_days(c) for c in (left, right)]
    if days[0] and days[1] and not set(days[0]) & set(days[1]):
        stated = [{str(s.value) for s in c.slots if s.kind == "date"} for c in (left, right)]
        if not set(days[0]) & stated[1] and not set(days[1]) & stated[0]:
            a, b = min(days[0].items()), min(days[1].items())
            (first, text_first), (second, text_second) = sorted([(a, left.text), (b, right.text)])
            if abs((event_slots.day(a[0]) - event_slots.day(b[0])).days) <= DAY_GAP \
                    and not event_slots.one_night(first, second, text_first, text_second):
                return Conflict("date", (left, right), f"{event_slots.as_day(*a)} vs {event_slots.as_day(*b)}")
    places = [event_slots.event_places(c) for c in (left, right)]
    named = [place_names(c) for c in (left, right)]
    for kind in event_slots.PLACE_KINDS:
        mine = sorted(p for p in places[0] if gazetteer.kind(p) == kind)
        yours = sorted(p for p in places[1] if gazetteer.kind(p) == kind)
        # Neither claim names the other's place anywhere ("in Bern, Switzerland" and "in Switzerland" are
        # no two countries; a city the other names elsewhere in its sentence is no other city).
        if mine and yours and not any(gazetteer.same_place(a, b) for a in mine for b in named[1]) \
                and not any(gazetteer.same_place(a, b) for a in named[0] for b in yours):
            return Conflict("place", (left, right), f"{places[0][mine[0]]} vs {places[1][yours[0]]}")
    return None


# Words that put a sentence's facts in the past of the story: "last year's quake", "years ago".
PAST = re.compile(r"\b(?:last|previous|past)\s+(?:year|years|decade|month)\b|\b(?:years|decades|a year|months)\s+ago\b"
                  r"|\b(?:earlier|previous|prior)\s+(?:quake|earthquake|attack|fire|crash|disaster)s?\b", re.IGNORECASE)


def background(claim: Claim, year: str | None, story_years: frozenset[str]) -> frozenset[str]:
    """The past a claim tells of, when it tells background, another event than the story's: the years it
    names that are not the year its report came out (nor, for an undated report, any year the story's
    reports came out), or "past" when it puts what it tells in the past ("last year's quake", "years
    ago"); empty when it tells the story. Its figures are no side of a conflict or an update with a
    figure of the story ("In 2003 a quake in Bam killed 26,000" is no earlier toll)."""
    if PAST.search(claim.text):
        return frozenset({"past"})
    known = {year} if year else set(story_years)
    if not known:
        return frozenset()
    # A year dates the figures it comes before, or those of its own clause ("In 2003, a quake killed
    # 26,000"; "killed 17,000 in 1999"), not those of a clause before it ("now has 2,129 points - 13 more
    # than Buford, who played from 1995-99").
    facts = support.facts_of(claim.text)
    spots = [claim.text.find(f.text) for f in facts.figures]
    past = set()
    for match in support.YEAR.finditer(claim.text):
        if match.group(1) in known or match.group(2):
            continue
        clause = CLAUSE_END.split(claim.text[:match.start()])[-1]
        if any(0 <= spot and (spot > match.start() or spot >= match.start() - len(clause)) for spot in spots):
            past.add(match.group(1))
    return frozenset(past)


# Where a clause ends within a sentence: a comma, semicolon, colon, dash or bracket.
CLAUSE_END = re.compile(r"[,;:](?=\s)|[()\[\]—–]|\s-\s")


def place_names(claim: Claim) -> frozenset[str]:
    """The places a claim names (its place slots' canonical names)."""
    return frozenset(str(s.value) for s in claim.slots if s.kind == "place")


def other_places(left: frozenset[str], right: frozenset[str]) -> bool:
    """Whether two claims' places (`place_names`) are named on both sides and none in common: figures said of
    two places ("killed a dozen people in eastern China" against "killed 10 in southern Iran") are two facts."""
    return bool(left and right and not left & right)


def story_places(claims: Sequence[Claim], mapping: Mapping[str, str]) -> frozenset[str]:
    """The places (canonical names) that claims of two or more independent sources name: where the story is."""
    sources: dict[str, set[str]] = {}
    for claim in claims:
        for place in place_names(claim):
            sources.setdefault(place, set()).add(independent_root(claim.article, mapping))
    return frozenset(place for place, roots in sources.items() if len(roots) >= 2)


def away(named: frozenset[str], places: frozenset[str]) -> bool:
    """Whether a claim that names `named` (`place_names`) tells of somewhere else: it names places, none of them
    one the story's sources share ("more than a dozen people were killed by a quake in eastern China" in a story
    of a quake in Iran)."""
    return bool(places and named and not named & places)


def article_figures(claims: Sequence[Claim]) -> dict[str, tuple[support.Figure, ...]]:
    """The figures each article's claims state, by article id (not the old value of a change one tells)."""
    said: dict[str, list[support.Figure]] = {}
    for claim in claims:
        said.setdefault(claim.article, []).extend(f for f in support.facts_of(claim.text).figures if not f.prior)
    return {article: tuple(figures) for article, figures in said.items()}


def one_fact(left: Claim, right: Claim, counted: bool) -> bool:
    """Whether two claims' figures of one subject can be one fact: said of one owner (`one_owner`), and,
    for a count of a noun (`counted`: seasons, games, points, said of many things), in clauses of the
    same action ("sent eight experts" / "sent three observers"; not "stayed seven seasons" / "was
    fired after four seasons"). Deaths, injuries and measures with a unit name their fact themselves."""
    return one_owner(left, right, counted) and (not counted or left.predicate == right.predicate)


def same_action(text: str, other: str, figure: support.Figure, candidate: support.Figure) -> bool:
    """Whether two figures of one noun are said of the same action: a participle in the few words
    after each is the same ("6,000 Web sites had been infected" / "10,000 Web sites that have been
    infected"; not "seven seasons until the Trail Blazers hired him" / "four seasons as coach")."""
    def actions(words: str, figure: support.Figure) -> set[str]:
        at = words.find(figure.text)
        after = ACTION_WORD.findall(words[at + len(figure.text):][:60]) if at >= 0 else []
        return {w.lower() for w in after[:6] if w.lower().endswith(("ed", "en")) and w[:1].islower()}
    return bool(actions(text, figure) & actions(other, candidate))


ACTION_WORD = re.compile(r"[A-Za-z][a-z]+")


def one_owner(left: Claim, right: Claim, counted: bool = True) -> bool:
    """Whether two claims' figures can be said of one thing: they do not name two different sets of
    people or organisations ("Dalembert's 5.8 points" against "Iguodala's 14.9 points"), and, for a
    count of a noun (`counted`: seasons, games, points), they name a person, organisation or place in
    common (canonical names): a claim that names nothing (a pronoun subject, "It marked ...") cannot be
    shown to be about the other's subject. A toll or a measure ("12 people were injured", "55 km")
    names what it is of itself."""
    names = {kind: ({s.value for s in left.slots if s.kind == kind}, {s.value for s in right.slots if s.kind == kind})
             for kind in ("person", "org", "place")}
    if counted and not any(a & b for a, b in names.values()):
        return False
    actors = [{key for name in names["person"][side] | names["org"][side] for key in name_words(name)} for side in (0, 1)]
    return not (actors[0] and actors[1] and not actors[0] & actors[1])


def name_words(name: str) -> set[str]:
    """Keys of a name's words: plain ASCII, first six letters, no stop words ("Organisation for Security and
    Co-operation" and "Organization for Security and Cooperation" share them: one name the entities stage
    may have left as two)."""
    return {word[:STEM] for word in name_keys.words(name_keys.joined_key(name)) if len(word) > 2 and word not in stop_words()}


# What a figure that changes as reports come in is not: a length of time, a distance or a speed is a
# fixed fact of one thing (a chase "at more than 100 mph" then "up to 120 mph" is one chase told more
# exactly; "602 miles" and "1,150 km" from one city are two places), so two values of it are a conflict
# or two things, never an update.
FIXED_MEASURES = frozenset({"second", "meter", "mph", "kph"})

# Conflict kinds that are no disagreement, only candidates for the brief's `updates`: a figure stated
# otherwise by copies of one report (its versions), and two compatible figures stated otherwise.
REVISION, CHANGE = "revision", "figure-change"
UPDATE_KINDS = (REVISION, CHANGE)


def changed_subject(figure: support.Figure, other: support.Figure) -> str:
    """What a figure that changed counts or measures: the first of the two values that says it."""
    return support.figure_subject(figure) or support.figure_subject(other)


def figure_reason(figure: support.Figure, other: support.Figure) -> str:
    """'at least 6,000 vs about 10,000 (web site)': two values of one figure, in id order of their claims."""
    what = support.figure_label(figure) or support.figure_label(other)
    return f"{support.as_stated(figure)} vs {support.as_stated(other)}" + (f" ({what})" if what else "")


def content_stems(claim: Claim) -> frozenset[str]:
    """Crude stems of a claim's content words without dates and numbers (Russian / Russia share one)."""
    return lemma_stems(claim.lemmas)


@functools.lru_cache(maxsize=1 << 16)
def lemma_stems(lemmas: tuple[str, ...]) -> frozenset[str]:
    """`content_stems` of a claim's lemmas, worked out once per claim rather than once per pair of claims."""
    return frozenset(lemma[:STEM] for lemma in lemmas if lemma not in MONTHS and not lemma.isdigit() and len(lemma) > 2)


def date_conflicts(left: Claim, right: Claim, config: CompareConfig) -> Iterable[Conflict]:
    """One event dated in different years: the same month (or day) with another year, in claims about the same thing."""
    # Only years the texts write: a year worked out from "April" and a publication date is ours,
    # and two such inferences that differ are no disagreement between the sources.
    a = [s for s in left.slots if s.kind == "date" and written_year(s)]
    b = [s for s in right.slots if s.kind == "date" and written_year(s)]
    if not a or not b:
        return
    shared = content_stems(left) & content_stems(right)
    if len(shared) < config.same_event_words or similarity(left, right) < config.same_event_similarity:
        return
    for x in a:
        for y in b:
            vx, vy = str(x.value), str(y.value)
            if len(vx) == len(vy) and vx[4:] == vy[4:] and vx[:4] != vy[:4]:
                # The other claim must not also state this date, or its year alone, which holds it: the
                # claims would be about two events ("convicted in June 1998" against "in and out of
                # prison between 1991 and 1998, returned in June 1999").
                if covers(right, vx) or covers(left, vy):
                    continue
                # ... and date one event: the words around each date share one ("Russian forces in
                # March 2014 seized Ukraine's Crimea" / "annexed by Russia in March 2021"; not "the
                # June 1972 break-in" / "his retirement in June 1973").
                if not date_context(left.text, x.text) & date_context(right.text, y.text):
                    continue
                yield Conflict("date", (left, right), f"{x.text} vs {y.text}")


def written_year(slot: Slot) -> bool:
    """Whether a date slot is a month or day whose year its text writes, as its value has it (a
    "June, 2005" read as June of another year is not what the text says)."""
    value = str(slot.value)
    year = YEAR.search(slot.text)
    if not re.match(r"^\d{4}-\d\d", value) or year is None:
        return False
    written = year.group(0)
    return value[:4] == written if len(written) == 4 else value[2:4] == written[-2:]  # "'05"


def date_context(text: str, date: str, words: int = 6) -> set[str]:
    """Stems of the content words within `words` words either side of a date in a text."""
    at = text.find(date)
    if at < 0:
        return set()
    before = ACTION_WORD.findall(text[:at])[-words:]
    after = ACTION_WORD.findall(text[at + len(date):])[:words]
    return {word.lower()[:STEM] for word in before + after
            if word.lower() not in function_words() and word.lower() not in MONTHS}


def covers(claim: Claim, date: str) -> bool:
    """Whether a claim states an ISO date or a span that holds it: the same date, or its year alone
    ("1998", "between 1991 and 1998" hold "1998-06")."""
    for slot in claim.slots:
        if slot.kind != "date":
            continue
        value = str(slot.value)
        if (value and value.startswith(date)) or value == date[:4]:
            return True
        if date[:4] in YEAR.findall(slot.text) and not re.fullmatch(r"\d{4}-\d\d(-\d\d)?", value):
            return True  # a span or a year as written ("between 1991 and 1998"), not another month of it
    return False


def similarity(left: Claim, right: Claim) -> float:
    """Overlap of two claims' content stems (shared / size of the smaller set), 0..1."""
    a, b = content_stems(left), content_stems(right)
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def relative_date_conflicts(left: Claim, right: Claim) -> Iterable[Conflict]:
    """"N days after" vs "M days after" the same event, said of the same kind of event."""
    a = [s for s in left.slots if s.kind == "quantity" and s.relation in ("after", "before")]
    b = [s for s in right.slots if s.kind == "quantity" and s.relation in ("after", "before")]
    if len(a) != 1 or len(b) != 1:
        return
    x, y = a[0], b[0]
    if x.relation != y.relation or x.unit != y.unit or intervals_meet(x, y):
        return
    names_left = {s.value for s in left.slots if s.kind in ("person", "org", "place")}
    names_right = {s.value for s in right.slots if s.kind in ("person", "org", "place")}
    if not names_left & names_right:
        return
    # A statement ("A day after the call, Biden said ...") is another event than
    # the one an action clause dates ("The leaders met two days after the call").
    if (left.predicate in SPEECH_VERBS) != (right.predicate in SPEECH_VERBS):
        return
    if left.predicate in SPEECH_VERBS:
        return
    # The same event both count from: their anchors ("after Biden talked with Russian President
    # Vladimir Putin" / "after the U.S. president and Vladimir Putin drew the red lines") share a
    # word; "30 years after he tipped off reporters" and "five months after Felt left the FBI" count
    # from two events. Two reports of one interval differ by a little (two days / three days), not
    # many times over ("six weeks before Obama takes office" dates the rule's issue, "nine days
    # before Obama's inauguration" its taking effect).
    if not anchor_words(left.text, x) & anchor_words(right.text, y):
        return
    if max(x.value, y.value) > RELATIVE_SPREAD * min(x.value, y.value):
        return
    yield Conflict("relative-date", (left, right), f"{x.text} {x.relation} vs {y.text} {y.relation}")


# Two statements of one interval between the same events differ by at most this factor.
RELATIVE_SPREAD = 3


def anchor_words(text: str, slot: Slot) -> set[str]:
    """Stems of the content words naming the event a relative date counts from: the phrase after its
    "after" / "before" ("two days after [Biden talked with Russian President Vladimir Putin]")."""
    at = text.find(slot.text)
    found = re.match(r"\s*(?:after|before)\b(.*)", text[at + len(slot.text):], re.IGNORECASE | re.DOTALL) \
        if at >= 0 else None
    if found is None:
        return set()
    # The phrase ends at punctuation; not at a period, which ends the sentence or an abbreviation ("U.S.").
    phrase = re.split(r"[,;:()\[\]—–!?\"“”]", found.group(1), maxsplit=1)[0]
    return {word.lower()[:STEM] for word in ACTION_WORD.findall(phrase)[:8] if word.lower() not in function_words()}


def quote_words(quote: str) -> list[str]:
    """Lower-case words of a quote, without an editor's [insertions]."""
    return QUOTE_WORD.findall(re.sub(r"\[[^\]]*\]", " ", quote.lower()))


def quote_conflicts(left: Claim, right: Claim, config: CompareConfig) -> Iterable[Conflict]:
    """Quotes of one statement whose wording differs in content words ("respond" vs "react")."""
    if similarity(left, right) < config.quote_context:
        return
    # Two people's words are two statements, however alike ("as soon as possible," said Budd /
    # Reavey urged users to deploy it "as quickly as possible"): the claims must not name two
    # different sets of people.
    people = [{key for s in claim.slots if s.kind == "person" for key in name_words(s.value)} for claim in (left, right)]
    if people[0] and people[1] and not people[0] & people[1]:
        return
    for qa in left.quotes:
        for qb in right.quotes:
            changes = wording_changes(quote_words(qa), quote_words(qb), config,
                                      content_stems(left), content_stems(right))
            if changes:
                # A quote whose words turn round ("will sign" / "will not sign") states the opposite:
                # a conflict; other words for the same statement are a wording.
                turned = any(turns_round(old.split(), new.split()) for old, new in changes)
                yield Conflict(TURNED if turned else WORDING, (left, right), changes_reason(changes))


def wording_difference(a: list[str], b: list[str], config: CompareConfig,
                       context_a: set[str] = frozenset(), context_b: set[str] = frozenset()) -> str:
    """What differs in substance between two wordings of one quote ("" when nothing does or they are unrelated).

    context_a, context_b: content stems of the claims that quote a and b.
    """
    return changes_reason(wording_changes(a, b, config, context_a, context_b))


def changes_reason(changes: Sequence[tuple[str, str]]) -> str:
    """The reason of a wording difference: its changed words, sides in alphabetical order, at most three."""
    # Alphabetical sides: one reason for every pair of claims that differ in the same words.
    return "; ".join("“{}” vs “{}”".format(*sorted(pair)) for pair in changes[:3])


def wording_changes(a: list[str], b: list[str], config: CompareConfig,
                    context_a: set[str] = frozenset(), context_b: set[str] = frozenset()) -> list[tuple[str, str]]:
    """The (words, other words) pairs in which two wordings of one quote differ in substance."""
    if len(a) < 2 or len(b) < 2 or a == b:
        return []
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    short_context, long_context = (context_a, context_b) if short is a else (context_b, context_a)
    # Compare the shorter quote with the window of the longer one that matches it best.
    best, best_window, best_start = 0.0, long_, 0
    for start in range(0, len(long_) - len(short) + 1):
        window = long_[start:start + len(short)]
        matcher = difflib.SequenceMatcher(None, short, window, autojunk=False)
        matched = sum(block.size for block in matcher.get_matching_blocks())
        if matched / len(short) > best:
            best, best_window, best_start = matched / len(short), window, start
    if best < config.quote_overlap or best >= 1.0:
        return []
    matcher = difflib.SequenceMatcher(None, short, best_window, autojunk=False)
    anchors = [w for block in matcher.get_matching_blocks() for w in short[block.a:block.a + block.size]]
    if not any(w not in function_words() for w in anchors):
        return []
    changes = []
    # A negation that moves ("I feel we weren't" / "I didn't feel we were") keeps the sense: only a
    # different count of negations turns the statement round.
    turned = negations(short) != negations(best_window)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (i1 == 0 and i2 == len(short)):
            continue
        if turned and 0 < i1 and i2 < len(short) and negated(short[i1:i2]) != negated(best_window[j1:j2]) \
                and next_content(short, i2) == next_content(best_window, j2) is not None:
            # "cannot" vs "can", "will not go" vs "will go": the statement turns round, if the words the
            # negation bears on are the same ("tried not to listen" is no "tried to open up my door").
            # Only inside the quote: a partial quote leaves out the words around it.
            if tag == "replace":
                pair = (trim_function_words(short[i1:i2]) or short[i1:i2],
                        trim_function_words(best_window[j1:j2]) or best_window[j1:j2])
            else:  # a word either side shows where
                pair = (short[i1 - 1:i2 + 1], best_window[j1 - 1:j2 + 1])
            changes.append((" ".join(pair[0]), " ".join(pair[1])))
            continue
        if tag != "replace":
            continue
        at_edge = (i1 == 0 and best_start > 0) or (i2 == len(short) and best_start + len(short) < len(long_))
        if at_edge and (i2 - i1 != 1 or j2 - j1 != 1):
            # At an edge of the shorter quote that is not an edge of the longer one, only one word
            # put for one word is another wording of the same words ("react decisively" within
            # "will respond decisively if ..."); more may be two quotes that share a phrase ("the
            # absolute heart of the Act" / "deny it the protections the Act should provide").
            continue
        old, new = trim_function_words(short[i1:i2]), trim_function_words(best_window[j1:j2])
        if not old or not new:
            continue
        if not any(w not in function_words() for w in old + new) or len(old) > 4 or len(new) > 4:
            continue
        if any(ch.isdigit() for w in old + new for ch in w):
            continue  # "18:41" vs "6:41pm": figures are compared as numbers, not as wording
        a, b = " ".join(old), " ".join(new)
        if spells_out(old, new) or spells_out(new, old):
            continue  # "IE" and "Internet Explorer": an acronym and its long form
        if a[:STEM] == b[:STEM] or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a))):
            continue  # public / publicly, reform / reforms, want / wanted: the same word
        # A word the other claim says anyway ("making meaningful progress" vs
        # "make progress") is no difference of wording.
        if any(w[:STEM] in long_context for w in old) or any(w[:STEM] in short_context for w in new):
            continue
        changes.append((" ".join(old), " ".join(new)))
    return changes


def spells_out(short: Sequence[str], long_: Sequence[str]) -> bool:
    """Whether a one-word wording is the initials of a longer one ("ie" / "internet explorer")."""
    return len(short) == 1 and len(long_) >= 2 and short[0] == "".join(w[0] for w in long_ if w)


def negations(words: Sequence[str]) -> int:
    """How many negations a run of words holds ("t": the end of "can't", "don't")."""
    return sum(w in NEGATIONS or w == "t" for w in words)


def next_content(words: Sequence[str], at: int) -> str | None:
    """The first word from `at` on that is not a function word (None when there is none)."""
    return next((word for word in words[at:] if word not in function_words()), None)


def turns_round(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two wordings are the same words with and without a negation ("will sign" / "will not
    sign", "can" / "cannot"), not another negative word ("cannot" / "impossible" say the same)."""
    if negated(a) == negated(b):
        return False

    def affirmed(words: Sequence[str]) -> set[str]:
        return {("can" if w == "cannot" else w)[:STEM] for w in words if w == "cannot" or not negated([w])}

    return bool(affirmed(a) & affirmed(b))


def negated(words: Sequence[str]) -> bool:
    """Whether a run of words holds a negation."""
    return negations(words) > 0


def trim_function_words(words: list[str]) -> list[str]:
    """Words without function words at either edge."""
    start, end = 0, len(words)
    while start < end and words[start] in function_words():
        start += 1
    while end > start and words[end - 1] in function_words():
        end -= 1
    return words[start:end]


def merge_conflicts(conflicts: Sequence[Conflict]) -> list[Conflict]:
    """One conflict per (kind, reason), citing every claim that takes part, in a stable order. A reason
    read the other way round ("2,129 vs 2,029 (point)" beside "2,029 vs 2,129 (point)": a third report
    took one side) is the same conflict, told once."""
    merged: dict[tuple, list[Claim]] = {}
    subjects: dict[tuple, str] = {}
    reasons: dict[tuple, str] = {}
    for conflict in conflicts:
        key = (conflict.kind, reason_key(conflict.reason))
        bucket = merged.setdefault(key, [])
        bucket.extend(c for c in conflict.claims if c not in bucket)
        subjects[key] = subjects.get(key) or conflict.subject
        reasons[key] = min(reasons.get(key, conflict.reason), conflict.reason)
    return sorted((Conflict(key[0], tuple(sorted(claims, key=lambda c: c.id)), reasons[key], subjects[key])
                   for key, claims in merged.items()), key=lambda c: (c.kind, c.reason))


def reason_key(reason: str) -> tuple:
    """A reason with its two sides in either order: "A vs B (what)" and "B vs A (what)" are one."""
    match = REASON.fullmatch(reason)
    return (frozenset((match.group(1), match.group(2))), match.group(3) or "") if match else (reason,)


REASON = re.compile(r"(.+?) vs (.+?)( \([^()]*\))?")


def partition(groups: Sequence[ClaimGroup]) -> tuple[list[ClaimGroup], list[ClaimGroup]]:
    """(agreed, single_source): groups backed by two or more independent sources, and by one."""
    agreed = [g for g in groups if len(g.sources) >= 2]
    single = [g for g in groups if len(g.sources) < 2]
    return agreed, single
