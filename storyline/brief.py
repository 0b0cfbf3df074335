"""Stage `brief`: assemble the cross-source brief of one story from the analysis records.

Reads: the story's articles, claim groups and conflicts (compare), timeline
rows (timeline), entities (entities), quote groups (quotes), duplicate sets.
Writes: one `Brief`. Every statement in it is the text of a source claim
(a sentence or a clause of one, never reworded) with the ids of the
sentences that support it. Never skips: a story with nothing agreed gets a
brief with an empty summary, which the renderers say plainly.
Deterministic: the same records give the same brief, whatever their order.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass
from typing import Any, Iterator, Mapping, Sequence

from rapidfuzz import fuzz

from storyline import nlp, support
from storyline.compare import SPEECH_VERBS, content_words
from storyline.readable import ABBREVIATION_END, CLAUSE_START, is_whole, opens_and_closes, starts_alone
from storyline.records import (
    WORDING, Article, Brief, BriefConflict, BriefSource, DuplicateSet, EntityEntry, QuoteEntry, SourceView, Statement,
    TimelineEntry, independent_root,
)
from storyline.statement_parts import main_verbs
from storyline.time_expressions import find_dates
from storyline.timeline.expressions import interval
from storyline.updates import date_value, figure_updates, split_updates
from storyline.verify import SHARE, at_odds, backs, content_stems, shares_content


@dataclass(frozen=True, slots=True)
class BriefConfig:
    """Knobs of the brief stage."""

    summary_size: int = 5
    # A summary sentence must be backed by this many independent sources,
    # when the story has that many.
    summary_min_sources: int = 2
    # 30: what only one outlet reports, in turns per source (bench/seed_checklist.py: every
    # single-source example of EXPECTED.md appears; 12 left one out).
    single_source_size: int = 30
    adds_per_source: int = 4
    # 80: token-set similarity above which two candidate summary sentences say
    # the same thing and only the better-supported one is kept.
    redundancy: int = 80
    # ... or when this share of the shorter one's content words (first six letters) are the other's:
    # "Williams died early Thursday in her sleep, according to her publicist Harlan Boll" repeats
    # "Williams died peacefully in her sleep Thursday ..., family spokesman Harlan Boll announced".
    repeat_share: float = 0.5
    entity_table_size: int = 25


def duplicate_map(articles: Sequence[Article], duplicates: Sequence[DuplicateSet]) -> dict[str, str]:
    """Article id -> the article it copies, from stored verdicts and duplicate sets."""
    mapping = {a.id: a.duplicate_of for a in articles if a.duplicate_of}
    for group in duplicates:
        for member in group.members:
            if member != group.canonical:
                mapping[member] = group.canonical
    return mapping


def same_outlet(articles: Sequence[Article], copies: Mapping[str, str]) -> dict[str, str]:
    """Article id -> the first (in the given order) article of the same outlet that copies none, for
    every other article of that outlet that copies none either: one outlet's reports count as one
    source. An outlet is known by its name, or for one known only from a URL by the URL's host
    ("mybroadband.co.za"; two blogs on one hosting domain are two outlets); an article of no known
    outlet is a source of its own."""
    first: dict[str, str] = {}
    mapping: dict[str, str] = {}
    for article in articles:
        key = outlet_identity(article.outlet)
        if not key or article.id in copies:
            continue
        if key in first:
            mapping[article.id] = first[key]
        else:
            first[key] = article.id
    return mapping


def outlet_identity(outlet: Any) -> str:
    """What makes two articles' outlets one: the host of the URL an outlet was read from (without "www."),
    else its name, lower case; "" when unknown."""
    if outlet.how == "url":
        host = URL_HOST.search(outlet.evidence or "")
        if host:
            return host.group(1).lower().removeprefix("www.")
        return (outlet.domain or "").lower()
    return (outlet.name or outlet.domain or "").strip().lower()


URL_HOST = re.compile(r"https?://([^/\s:?#]+)", re.IGNORECASE)


def source_label(article: Article, position: int) -> str:
    """A short label for a source: its outlet, its domain, else its position."""
    return article.outlet.name or article.outlet.domain or f"source {position}"


def agreed_order(statement: Statement, lengths: Mapping[str, int]) -> tuple:
    """The order of agreed facts: the most sources first, then the earliest in its reports, then by text."""
    return (-len(statement.sources), min(sentence_position(c, lengths) for c in statement.cites), statement.text)


def joined(agreed: Sequence[Statement], statement: Statement | None, lengths: Mapping[str, int],
           config: BriefConfig) -> Sequence[Statement]:
    """`agreed` with `statement` in its place when two sources or more state it and no agreed fact says it
    already (token-set similarity `config.redundancy`); `agreed` as it is otherwise."""
    if not statement or len(statement.sources) < 2 \
            or any(fuzz.token_set_ratio(statement.text, s.text) >= config.redundancy for s in agreed):
        return agreed
    return sorted([*agreed, statement], key=lambda s: agreed_order(s, lengths))


def sentence_position(sentence_id: str, lengths: Mapping[str, int]) -> float:
    """Relative position (0 = lead, 1 = end) of a sentence in its article."""
    article_id, _, n = sentence_id.rpartition(":")
    total = max(lengths.get(article_id, 1), 1)
    return int(n) / total if n.isdigit() else 1.0


def group_statement(group: Any, duplicate_of: Mapping[str, str], lengths: Mapping[str, int],
                    sentence_text: Mapping[str, str] | None = None) -> Statement:
    """A claim group as one statement: the text of its best-placed claim, citing every claim's sentence.

    The claim that the sentences of the most other sources state comes first
    (another source may report the same fact inside a longer sentence that
    does not state the rest of a long claim); then the best-placed one.
    """
    texts = sentence_text or {}

    # Each claim's backers: the other claims whose sentences state it (`verify.backs`), read once.
    backed_by = {claim.id: {other.id: other for other in group.claims if other.sentence_id != claim.sentence_id
                            and backs(claim.text, texts.get(other.sentence_id, other.text)).supports}
                 for claim in group.claims}

    def sources_backing(claim: Any) -> int:
        return len({independent_root(other.article, duplicate_of) for other in backed_by[claim.id].values()})

    # Among the claims backed by the most sources, one a reader can take alone as a line of the brief (it
    # opens and closes like a sentence and stops on no word that leads on; no quotation; not opening on a
    # pronoun; not someone's words in the first person with no one saying them), then the one stating the
    # most facts (a day, figures, clock times, names) is shown: "Microsoft on Wednesday released an emergency
    # patch ..." over "Microsoft has released an emergency patch ...", when the same sources state both.
    most = max((sources_backing(c) for c in group.claims), default=0)

    def shown_order(claim: Any) -> tuple:
        if sources_backing(claim) < most:
            return (False, 0)
        text = claim.text.strip()
        alone = opens_and_closes(text) and not ABBREVIATION_END.search(text) and not DANGLING_END.search(text) \
            and not QUOTED_LINE.search(text) and not PRONOUN.match(text) and not unattributed_voice(text)
        return (not alone, -stated_facts(text))

    claims = sorted(group.claims, key=lambda c: (-sources_backing(c), *shown_order(c),
                                                 sentence_position(c.sentence_id, lengths), len(c.text), c.id))
    representative = claims[0]
    # Cite only the sentences that state the representative's content: a group may hold a
    # claim that matched another member but not this one, and a citation must support the text.
    # Nor may two citations state one fact with different values ("sent eight experts" and "sent only three
    # observers" both back "observers were invited"): a later one that contradicts one already cited is left out.
    supporting = [representative]
    for claim in claims[1:]:
        sentence = texts.get(claim.sentence_id, claim.text)
        if claim.sentence_id != representative.sentence_id and claim.id not in backed_by[representative.id]:
            continue
        if not any(at_odds(sentence, texts.get(kept.sentence_id, kept.text)) for kept in supporting):
            supporting.append(claim)
    # The first citation is the sentence the text was taken from (verify relies on it).
    cites = tuple(dict.fromkeys([representative.sentence_id]
                                + sorted(c.sentence_id for c in supporting)))
    sources = tuple(sorted({independent_root(c.article, duplicate_of) for c in supporting}))
    return Statement(representative.text, cites, sources)


# A clause that stops on a word that leads on ("... was shot and killed on Saturday night after"; not "... who
# was passing by.", a sentence's end).
DANGLING_END = re.compile(r"\b(?:after|before|when|while|as|and|but|or|of|to|the|a|an|in|on|at|for|with|by|from|that"
                          r"|which|who|because|if|since|until)[,;:\s]*$", re.IGNORECASE)
# Quotation marks, or a quote closed by a single mark ("There was blood,' said ...").
QUOTED_LINE = re.compile(r"[“”\"]|[,.!?]['’](?:\s|$)")


def stated_facts(text: str) -> int:
    """How many facts a text states that a reader looks for in a news line: whether it names a day, and
    its figures, clock times and names (`support.facts_of`)."""
    facts = support.facts_of(text)
    return int(names_a_day(text)) + len(facts.figures) + len(facts.times) + len(facts.names)


def build_brief(story_id: str, label: str, articles: Sequence[Article], *, groups: Sequence[Any] = (),
                conflicts: Sequence[Any] = (), timeline: Sequence[Any] = (), entities: Sequence[Any] = (),
                quotes: Sequence[Any] = (), duplicates: Sequence[DuplicateSet] = (), version: int = 1,
                config: BriefConfig = BriefConfig(), leads: Mapping[str, Any] | None = None) -> Brief:
    """Assemble the brief of one story.

    leads: sentence id -> `claims.Lead` (where each lead sentence that tells news may stop and still
    state its main clause, and its event's verb); without it no lead is tried (`lead_event`).
    """
    ordered = sorted(articles, key=lambda a: (a.published.value or "9999", a.id))
    copies = duplicate_map(ordered, duplicates)
    # An outlet's later reports are no independent confirmation of its earlier ones: agreement is
    # counted by outlet (what they say otherwise is a figure that changed, `updates`).
    duplicate_of = copies | same_outlet(ordered, copies)
    lengths = {a.id: len(a.sentences) for a in ordered}
    sources = tuple(BriefSource(source_label(a, i), a.id, a.outlet.name or a.outlet.domain, a.title,
                                a.published.value, a.published.inferred, copies.get(a.id))
                    for i, a in enumerate(ordered, start=1))
    independent = {independent_root(a.id, duplicate_of) for a in ordered}

    sentence_text = {s.id: s.text for a in ordered for s in a.sentences}
    statements = [(group, group_statement(group, duplicate_of, lengths, sentence_text)) for group in groups]
    statements.sort(key=lambda pair: agreed_order(pair[1], lengths))
    agreed, fragments = readable_statements([s for _, s in statements if len(s.sources) >= 2], sentence_text,
                                            duplicate_of)
    # A single source's clause that does not read alone is left out, not traded for its whole sentence: its
    # other clauses are statements of their own (one may be agreed), and each that reads alone is shown.
    single, single_fragments = readable_statements([s for _, s in statements if len(s.sources) == 1],
                                                   sentence_text, duplicate_of, whole_sentences=False)

    single_source = tuple(each_source_in_turn(single, lengths, config.single_source_size))

    published = {a.id: a.published for a in ordered}
    changes, conflicts = split_updates(conflicts, published, sentence_text)
    # Updates, conflicts, timeline rows and quotes name the reports that state each value (copies aside):
    # "+1 source; injured 12 -> 18" needs the later report, whatever its outlet.
    updates = tuple(figure_updates(changes, published, copies))
    stated = tuple(
        BriefConflict(c.kind, tuple(Statement(claim.text, (claim.sentence_id,),
                                              (independent_root(claim.article, copies),))
                                    for claim in c.claims), c.reason)
        for c in sorted(conflicts, key=lambda c: (c.kind, c.reason)))
    stated += tuple(title_conflicts(entities, sentence_text, copies))
    # A quote worded otherwise is not a fact stated otherwise: its own list, beside the conflicts.
    brief_conflicts = tuple(c for c in stated if c.kind != WORDING)
    wording = tuple(c for c in stated if c.kind == WORDING)

    per_source = []
    adds_left_out = 0
    for article in ordered:
        own = sorted((s for s in single if s.sources == (independent_root(article.id, duplicate_of),)
                      and any(c.startswith(article.id + ":") for c in s.cites)),
                     key=lambda s: informative_rank(s, lengths))
        adds = tuple(own[:config.adds_per_source])
        adds_left_out += len(own) - len(adds)
        apart = tuple(f"{c.kind}: {c.reason}" for c in stated
                      if any(article.id in claim.sources for claim in c.claims))
        if adds or apart:
            per_source.append(SourceView(article.id, adds, apart))

    rows = tuple(
        TimelineEntry(row.date, row.granularity, row_statement(row, sentence_text, copies),
                      bool(row.inferred), getattr(row, "evidence", "") or "")
        for row in timeline)
    # What happened, and when: the story's own event as the timeline dates it (the best-supported
    # row on the day nearest the reports) leads the candidates; then the agreed facts.
    event = main_event(rows, [a.published.value for a in ordered if a.published.value])
    # Sources often date the story's event inside sentences that state other things, so claim
    # alignment may not join them; the timeline does, and its row, cited by the sentences that state all
    # of it (a row's other citations need only date the same event), is an agreed fact.
    fact = event and stated_by(event.event, sentence_text, duplicate_of)
    agreed = joined(agreed, fact, lengths, config)
    # History is told against the first report's day; an inferred day counts (it errs early, if at all: a
    # date of background taken for the page's), so "In 2008, ..." is history in an undated 2012 story.
    first_report = min((d for d in (date_value(a.published.value or "") for a in ordered) if d), default=None)
    history = history_sentences(groups, first_report)
    # What happened, as the reports' leads say it: the lead (or the opening clause of one) that the
    # leads of the most other sources state too.
    said = lead_event(ordered, {k: v for k, v in (leads or {}).items() if k not in history}, sentence_text,
                      duplicate_of)
    agreed = joined(agreed, said, lengths, config)
    summary = choose_summary(([said] if said else []) + ([fact] if fact else []) + agreed, lengths,
                             min(config.summary_min_sources, len(independent)), config, sentence_text, duplicate_of,
                             history)
    # The key figures are the latest ones: a figure that changed is given as its latest report states it.
    for update in updates[:2]:
        latest = update.values[-1].statement
        if is_whole(latest.text) and not any(latest.cites[0] in s.cites for s in summary):
            summary.append(Statement(latest.text, latest.cites, latest.sources,
                                     evidence=f"latest {update.subject} figure, as of {update.values[-1].as_of}"
                                              + (" (inferred)" if update.values[-1].inferred else "")))
    entity_rows = tuple(
        EntityEntry(e.name, e.type, tuple((f.text, tuple(f.articles)) for f in e.forms),
                    tuple((r.text, tuple(r.articles)) for r in e.roles))
        for e in sorted(entities, key=lambda e: (-len({a for f in e.forms for a in f.articles}),
                                                 -len(e.forms), e.name))[:config.entity_table_size])
    # Nothing is cut silently: each capped section says how many more there are.
    omitted = tuple((section, count) for section, count in (
        ("agreed", fragments), ("single_source", len(single) - len(single_source) + single_fragments),
        ("per_source", adds_left_out),
        ("entities", len(entities) - len(entity_rows))) if count > 0)
    quote_rows = tuple(
        QuoteEntry(q.speaker_name or None,
                   tuple(Statement(v.text, tuple(v.sentence_ids), (independent_root(v.article, copies),))
                         for v in q.variants),
                   tuple(q.differences))
        for q in sorted(quotes, key=lambda q: (-len(q.variants), q.id)))
    return Brief(story_id, version, label, sources, tuple(summary), tuple(per_source), tuple(agreed),
                 single_source, brief_conflicts, rows, entity_rows, quote_rows, updates, omitted, wording)


def row_statement(row: Any, texts: Mapping[str, str], duplicate_of: Mapping[str, str]) -> Statement:
    """A timeline row as a statement: its event, citing the sentences that date it, but not one that
    states a fact of the ones already cited with another value (`verify.at_odds`: "scored 23 points
    Friday" and "now has 2,129 points heading into Saturday" both date Friday; a citation must not
    contradict another). The first citation, the sentence the event was taken from, always stays."""
    cites: list[str] = []
    for cite in row.cites:
        if not cites or not any(at_odds(texts.get(cite, ""), texts.get(kept, "")) for kept in cites):
            cites.append(cite)
    articles = {cite.rpartition(":")[0] for cite in cites} if cites else set(row.articles)
    return Statement(row.event, tuple(cites), tuple(sorted({independent_root(a, duplicate_of) for a in articles})))


def title_conflicts(entities: Sequence[Any], sentence_text: Mapping[str, str],
                    duplicate_of: Mapping[str, str]) -> Iterator[BriefConflict]:
    """A person's title stated otherwise by two sources (`titles_differ`: "CEO Larry Lucchino" /
    "COO Larry Lucchino"), each side the sentence of a source that states only its own title."""
    for entity in entities:
        if entity.type != "PERSON":
            continue
        roles = [role for role in entity.roles if role.sentences]
        for one, other in itertools.combinations(roles, 2):
            if not titles_differ(one.text, other.text):
                continue
            sources = [{independent_root(a, duplicate_of) for a in role.articles} for role in (one, other)]
            only = [sources[0] - sources[1], sources[1] - sources[0]]
            if not only[0] or not only[1]:
                continue  # a source that gives both titles says the person has both
            sides = []
            for role, own in zip((one, other), only):
                sentence, source = next((s, root) for s in role.sentences
                                        if (root := independent_root(s.rpartition(":")[0], duplicate_of)) in own)
                sides.append(Statement(sentence_text.get(sentence, role.text), (sentence,), (source,)))
            first, second = sorted((one.text, other.text))
            yield BriefConflict("name", tuple(sides), f"{first} vs {second} ({entity.name})")


# The words of a title, and the function words no title is told apart by.
TITLE_WORD = re.compile(r"[^\W\d_]+")
TITLE_FILLER = frozenset({"a", "an", "the", "of", "for", "at", "in", "on", "and", "to", "with", "s"})


def titles_differ(one: str, other: str) -> bool:
    """Whether two titles of one person name different posts: two acronyms ("CEO" / "COO"), or the
    same words but one name word put for another ("director of the Microsoft Security Response
    Center" / "Microsoft Security Response Alliance director"). Another common word ("communications
    head" / "lead", "attorney" / "lawyer"), a longer title ("Superior Court Judge" / "Fulton County
    Superior Court Judge") and a spelling ("Center" / "Centre") are the same post."""
    # "L.A." is "LA", "U.S." "US": initials are one word.
    words = [TITLE_WORD.findall(one.replace(".", "")), TITLE_WORD.findall(other.replace(".", ""))]
    if all(len(w) == 1 and w[0].isupper() and 2 <= len(w[0]) <= 5 for w in words):
        return words[0][0] != words[1][0]
    keys = [{w.lower(): w for w in found if w.lower() not in TITLE_FILLER} for found in words]
    only = [keys[0].keys() - keys[1].keys(), keys[1].keys() - keys[0].keys()]
    if len(keys[0].keys() & keys[1].keys()) < 2 or len(only[0]) != 1 or len(only[1]) != 1:
        return False
    (a,), (b,) = only
    if not (keys[0][a][:1].isupper() and keys[1][b][:1].isupper()):
        return False
    return fuzz.ratio(a, b) < SPELLING


# Two words at least this alike (rapidfuzz ratio) are spellings of one ("Center" / "Centre").
SPELLING = 75


def informative_rank(statement: Statement, lengths: Mapping[str, int]) -> tuple:
    """Order single-source facts: those carrying numbers and names first, then by position."""
    has_number = bool(re.search(r"\d", statement.text))
    capitals = len(re.findall(r"\b[A-Z][a-z]+", statement.text))
    return (not has_number, -min(capitals, 4), sentence_position(statement.cites[0], lengths), statement.text)


def stated_by(statement: Statement, texts: Mapping[str, str], duplicate_of: Mapping[str, str],
              share: float = SHARE) -> Statement:
    """The statement cited only by the sentences that state it (`verify.backs` at `share`): its first
    citation, the sentence it was taken from, and each other one that backs it and is at odds with none kept."""
    cites = list(statement.cites[:1])
    for cite in statement.cites[1:]:
        other = texts.get(cite, "")
        if backs(statement.text, other, share).supports and not any(at_odds(other, texts.get(c, "")) for c in cites):
            cites.append(cite)
    sources = tuple(sorted({independent_root(c.rpartition(":")[0], duplicate_of) for c in cites}))
    return Statement(statement.text, tuple(cites), sources, statement.inferred, statement.evidence)


def main_event(rows: Sequence[TimelineEntry], published: Sequence[str]) -> TimelineEntry | None:
    """The timeline row of the story's own event: day-dated, two or more sources, nearest the reports' date."""
    if not published:
        return None
    dates = sorted(published)
    middle = date_value(dates[len(dates) // 2])
    candidates = [row for row in rows if row.granularity == "day" and len(row.event.sources) >= 2
                  and date_value(row.date) is not None and middle is not None]
    if not candidates:
        return None
    return min(candidates, key=lambda row: (abs((date_value(row.date) - middle).days), -len(row.event.sources),
                                            row.event.text))


def lead_event(articles: Sequence[Article], cuts: Mapping[str, Any], texts: Mapping[str, str],
               duplicate_of: Mapping[str, str]) -> Statement | None:
    """The statement of what happened that the most sources' leads make.

    Each lead sentence of `cuts` (those that tell news, `claims.lead_cuts`; history left out by the
    caller) is tried whole and trimmed where its main clause may stop (marked " ..."), cited by the
    sentences of other sources' leads that state all of it at `LEAD_SHARE` with its event's verb
    (`stated_by`). What happened is told with when it happened: one that names a day first ("Voters in
    X cast ballots Sunday in a parliamentary election ..." over "The parliament election is over in
    X."), then up to `WELL_SUPPORTED` sources, then the most content words. None when no lead is stated
    by a second source.
    """
    pool = [s.id for a in articles for s in a.sentences[:LEAD_POOL]]
    root = {sentence: independent_root(sentence.rpartition(":")[0], duplicate_of) for sentence in pool}
    best: tuple[bool, int, int, int] = (False, 1, 0, 0)
    chosen = None
    for article in articles:
        for sentence in article.sentences[:LEAD_SENTENCES]:
            if sentence.id not in cuts:
                continue
            text = sentence.text.strip()
            lead = cuts[sentence.id]
            # The line that opens the summary names what it is about ("His body was found ..." does not).
            if PRONOUN.match(text):
                continue
            candidates = [text] if is_whole(text) else []
            candidates += [text[:at] + " ..." for at in lead.cuts if text[:at] != text.rstrip(".!? ")]
            # Its cites tell its event with its verb, in any form: "Gary Ross is currently in the
            # negotiation stages to direct the sequel" shares two thirds of "Gary Ross has reportedly
            # pulled out of negotiations to direct a sequel" and says the opposite.
            verb = content_stems(lead.verb)
            for candidate in candidates:
                # A lead that says on what day is cited by the leads that say a day too ("has died" does
                # not state "died on Friday").
                dated = names_a_day(candidate)
                others = [o for o in pool if root[o] != root[sentence.id]
                          and shares_content(candidate, texts.get(o, ""), LEAD_SHARE)
                          and verb <= content_stems(texts.get(o, ""))
                          and (not dated or names_a_day(texts.get(o, "")))]
                if not others:
                    continue
                statement = stated_by(Statement(candidate, (sentence.id, *others)), texts, duplicate_of, LEAD_SHARE)
                rank = (dated, min(len(statement.sources), WELL_SUPPORTED),
                        len(content_stems(candidate)), len(statement.sources))
                if rank > best:
                    best, chosen = rank, statement
    return chosen


def names_a_day(text: str) -> bool:
    """Whether a text says on what day: a date, a weekday, "yesterday" (not a span, "for 8 years", nor
    a week, "last week")."""
    return any(m.granularity == "day" and m.kind != "duration" and m.unit in ("", "day") for m in find_dates(text))


PRONOUN = re.compile(r"(?:He|She|It|They|His|Her|Its|Their|This|These|Those)\b")
# A lead is stated again in the first sentences of other reports.
LEAD_POOL = 3
# The line that opens the summary is the lead the most other leads back, so it would find every lax
# cite: a cite of it holds two thirds of its content words, not half (`verify.SHARE`). At half, 3-ecbplus
# opened on "... was captured Monday" cited by "... pulled a gun on two guards during a prison transfer
# Monday"; 35-ecb on "... will play in Sunday's playoff game" cited by reports of the arrest alone.
LEAD_SHARE = 2 / 3
# Past this many sources, what happened is told by the lead that says the most.
WELL_SUPPORTED = 3


def each_source_in_turn(single: Sequence[Statement], lengths: Mapping[str, int], size: int) -> list[Statement]:
    """Up to `size` single-source statements, the most informative of each source in turn.

    Taking turns keeps one long article from filling the list: what each outlet alone
    reports is what a reader comparing them needs.
    """
    by_source: dict[str, list[Statement]] = {}
    for statement in sorted(single, key=lambda s: informative_rank(s, lengths)):
        by_source.setdefault(statement.sources[0] if statement.sources else "", []).append(statement)
    queues = [by_source[key] for key in sorted(by_source, key=lambda k: informative_rank(by_source[k][0], lengths))]
    chosen: list[Statement] = []
    while len(chosen) < size and any(queues):
        for queue in queues:
            if queue and len(chosen) < size:
                chosen.append(queue.pop(0))
    return sorted(chosen, key=lambda s: informative_rank(s, lengths))


def choose_summary(agreed: Sequence[Statement], lengths: Mapping[str, int], min_sources: int,
                   config: BriefConfig, sentence_text: Mapping[str, str] | None = None,
                   duplicate_of: Mapping[str, str] | None = None,
                   history: frozenset[str] = frozenset()) -> list[Statement]:
    """About five agreed statements, each a whole sentence, in the order an editor writes them.

    What happened (a statement from the reports' leads) comes first, then the
    key figures, then the rest (reactions and quotes), history last or not at
    all (a statement taken from a sentence of `history`, whose dates all lie
    well before the story); within each, the best supported first. A clause cut from a longer sentence is
    replaced by its whole sentence when the other cited sentences support that
    too; a statement that starts in lower case or goes on from the sentence before
    it ("And so were ..."), leaves a quote open or stops mid-way (no full stop, or
    one after an abbreviation) is never used.
    """
    texts = sentence_text or {}
    candidates: list[tuple[tuple, Statement]] = []
    for statement in agreed:
        whole = whole_statement(statement, texts, duplicate_of or {})
        if whole is None or len(whole.sources) < max(min_sources, 1):
            whole = leading_clause(statement, texts)
        if whole is None or len(whole.sources) < max(min_sources, 1) or len(whole.text) < 25 \
                or CONTINUATION.match(whole.text) or unattributed_voice(whole.text):
            continue
        candidates.append((summary_rank(whole, lengths, history), whole))
    candidates.sort(key=lambda pair: pair[0])
    chosen: list[Statement] = []
    roles: dict[int, int] = {}
    for rank, statement in candidates:
        said = [k for k, other in enumerate(chosen) if repeats(statement.text, other.text, config)]
        # A trimmed clause gives way to a sentence that says it and more ("Manning threw for 364 yards
        # and three touchdowns ..." to the sentence that goes on to the 31-24 win on Thursday).
        if len(said) == 1 and chosen[said[0]].text.endswith(" ...") and longer_than(statement, chosen[said[0]]):
            chosen[said[0]] = statement
            continue
        if said:
            continue
        # What happened is said once or twice (the leads say it in many words); one voice is enough.
        if roles.get(rank[0], 0) >= ROLE_CAPS.get(rank[0], config.summary_size):
            continue
        roles[rank[0]] = roles.get(rank[0], 0) + 1
        chosen.append(statement)
        if len(chosen) == config.summary_size:
            break
    return sorted(chosen, key=lambda s: summary_rank(s, lengths, history))


def longer_than(statement: Statement, other: Statement) -> bool:
    """Whether a statement holds another's content words and more of its own."""
    words, others = content_stems(statement.text), content_stems(other.text.removesuffix(" ..."))
    return others < words


def leading_clause(statement: Statement, texts: Mapping[str, str]) -> Statement | None:
    """A statement that opens its sentence and reads as one up to where it stops ("A co-worker has been
    charged in the 1967 slayings of two women at an ice cream shop in Staunton" of "..., but authorities
    say the suspect is near death"), marked as trimmed: the text and " ...". None for any other."""
    text = statement.text.strip().rstrip(",;-– ")
    sentence = texts.get(statement.cites[0], "").strip()
    if not sentence.startswith(text) or is_whole(text) or not opens_and_closes(text) \
            or ABBREVIATION_END.search(text) or len(text.split()) < LEADING_CLAUSE_WORDS:
        return None
    # Not what someone said with no one saying it: a clause in the first person ("I'd like to thank ...",
    # a tweet quoted without marks), or one whose words go on after a colon ("..., was blunt: ...");
    # nor a sentence that stops unfinished ("..., commented," before a quote on the next line).
    rest = sentence[len(text):].strip()
    if FIRST_PERSON.match(text) or rest.startswith(":") or not rest.strip(",;-– "):
        return None
    return Statement(text + " ...", statement.cites, statement.sources, statement.inferred, statement.evidence)


FIRST_PERSON = re.compile(r"(?:I|I'[a-z]+|I’[a-z]+|We|We'[a-z]+|We’[a-z]+|My|Our)\b")
# The first person anywhere in a sentence, outside quotation marks ("Obviously, we're disappointed.").
FIRST_PERSON_WORD = re.compile(r"\b(?:I|[Ww]e|us|[Oo]urs?|[Mm]y|me)(?:['’][a-z]+)?\b")
QUOTED_SPAN = re.compile(r"“[^”]*”|\"[^\"]*\"")


def unattributed_voice(text: str) -> bool:
    """Whether a sentence speaks in the first person outside quotation marks with no verb of saying in
    it: what someone said, with no one saying it ("Obviously, we're disappointed." from a quoted
    paragraph). A summary line in a speaker's voice reads as the brief's own; "“I was stopped by an
    officer,” he said" names its speaker and stays."""
    if not FIRST_PERSON_WORD.search(QUOTED_SPAN.sub(" ", text)):
        return False
    return not any(token.lemma_.lower() in SPEECH_VERBS for token in nlp.parse([text])[0])
# A clause shorter than this (words) that opens a sentence says too little alone in a summary.
LEADING_CLAUSE_WORDS = 8


def repeats(text: str, other: str, config: BriefConfig) -> bool:
    """Whether a summary sentence says again what another says: alike as token sets, or most of the shorter
    one's content words in the other, which states its facts too (`support.check`: "In 2008, Klitschko
    stopped Thompson in the 11th round" is not said again by "Klitschko stopped Thompson in the sixth
    round")."""
    if fuzz.token_set_ratio(text, other) >= config.redundancy:
        return True
    words = [{word[:6] for word in content_words(t) if len(word) > 2} for t in (text, other)]
    shorter, longer = sorted(((words[0], text), (words[1], other)), key=lambda pair: len(pair[0]))
    return bool(shorter[0]) and len(words[0] & words[1]) >= config.repeat_share * len(shorter[0]) \
        and support.check(shorter[1], longer[1]).supports


LEAD_ROLE, FIGURE_ROLE, OTHER_ROLE, QUOTE_ROLE, HISTORY_ROLE = range(5)
LEAD_SENTENCES = 2  # a statement from an article's first two sentences says what happened
ROLE_CAPS = {LEAD_ROLE: 2, QUOTE_ROLE: 1}


def summary_rank(statement: Statement, lengths: Mapping[str, int], history: frozenset[str] = frozenset()) -> tuple:
    """(role, -sources, position, text): lead statements first, then figures, then the rest, quotes (a
    sentence in the first person is one, marks or none), then history (a statement whose first cited
    sentence is in `history`, or that `told_before` the story)."""
    positions = [int(c.rpartition(":")[2]) for c in statement.cites if c.rpartition(":")[2].isdigit()]
    text = statement.text.strip()
    if statement.cites and statement.cites[0] in history or told_before(text.removesuffix(" ...")):
        role = HISTORY_ROLE
    elif text[:1] in "\"“‘'" or text.count("“") + text.count("\"") >= 2 and len(re.sub(r"“[^”]*”", "", text)) < len(text) / 2 \
            or FIRST_PERSON.match(text):
        role = QUOTE_ROLE
    elif positions and sorted(positions)[len(positions) // 2] < LEAD_SENTENCES:
        role = LEAD_ROLE
    elif any(key_figure(figure) for figure in support.facts_of(text).figures):
        role = FIGURE_ROLE
    else:
        role = OTHER_ROLE
    average = sum(sentence_position(c, lengths) for c in statement.cites) / len(statement.cites)
    return (role, -len(set(statement.sources)), round(average, 3), text)


# What sets a clause in a time before the story's own: "once", "previously", "formerly"; a time phrase counted
# back in months or years ("last month", "two years ago"); a year or a month with no day ("In 2008, ...", "In
# September, ..."): the news is told by the day, its background by the month or the year.
EARLIER_ADVERBS = frozenset({"once", "previously", "formerly"})
LONG_UNITS = frozenset({"month", "months", "year", "years", "decade", "decades", "spring", "summer", "autumn",
                        "fall", "winter", "season", "seasons"})
YEAR_WORD = re.compile(r"(?:1[89]|20)\d\d")
MONTH_WORD = re.compile(support.MONTH + r"\.?", re.IGNORECASE)


def told_before(text: str) -> bool:
    """Whether a sentence tells what happened before the story (background, history, a biography's
    anecdote), whatever the reports' dates (most undated reports have none to count from): a main verb
    (past a verb of saying, the clause said; `statement_parts.main_verbs`) in the past perfect ("had been
    convicted"; not in a clause said, whose tense is the reporter's), or modified by "once", "previously" or
    "formerly", by a time counted back in months or years ("last month", "three years ago"), or, in the past
    tense, by a phrase naming a year or a month and no day ("In 2008, Klitschko stopped Thompson ...", "In
    September, the People's Council voted ..."; not "on Sept. 12", not "in 2008" of a verb in the present
    or future)."""
    doc = nlp.parse([text])[0]
    for verb in (v for v in main_verbs(doc) if v.dep_ != "conj"):
        children = list(verb.children)
        # Not a clause said: "Police said 18 people had been injured" tells the news in reported speech.
        if verb.dep_ == "ROOT" and verb.tag_ == "VBN" \
                and any(c.dep_ == "aux" and c.lower_ == "had" for c in children):
            return True
        for child in children:
            words = [t.lower_ for t in child.subtree]
            if child.dep_ == "advmod" and child.lower_ in EARLIER_ADVERBS:
                return True
            if child.dep_ in ("npadvmod", "advmod", "prep") and (
                    "ago" in words and any(w in LONG_UNITS for w in words)
                    or any(w == "last" and n in LONG_UNITS for w, n in zip(words, words[1:]))):
                return True
            if child.dep_ == "prep" and child.lower_ == "in" and verb.tag_ in ("VBD", "VBN") \
                    and not any(t.like_num and not YEAR_WORD.fullmatch(t.text) for t in child.subtree) \
                    and any(YEAR_WORD.fullmatch(t.text) or MONTH_WORD.fullmatch(t.text) and t.pos_ == "PROPN"
                            for t in child.subtree):
                return True
    return False


def key_figure(figure: support.Figure) -> bool:
    """Whether a figure is one an editor puts in a summary: a toll, an amount, a measure or a count of
    something it names; not a person's age or a bare number ("Teixeira will be 29 in April")."""
    return bool(figure.outcome or figure.currency or figure.unit or figure.noun) and figure.head != "age"


# A sentence that goes on from the one before it in its article ("And so were the two women she's accused
# of ...", "If so, that blows ..."): it says nothing whole in a summary of other sentences.
CONTINUATION = re.compile(r"(?:And|Or|Nor|So|Also|Yet|If so|If not|Otherwise|Instead|Even so)\b")
# A sentence is history when every date it states ends this many days or more before the story's first report.
HISTORY_DAYS = 30


def history_sentences(groups: Sequence[Any], first_report: dt.date | None) -> frozenset[str]:
    """Ids of the sentences whose resolved dates (the claims' date slots) all end `HISTORY_DAYS` or more
    before the story's first report: "In 2008, Klitschko stopped Thompson in the 11th round" in a
    2012 story, "In September, the People's Council voted to abolish itself" in a December one."""
    if first_report is None:
        return frozenset()
    ends: dict[str, list[dt.date | None]] = {}
    for group in groups:
        for claim in group.claims:
            for slot in claim.slots:
                if slot.kind == "date":
                    ends.setdefault(claim.sentence_id, []).append(period_end(str(slot.value)))
    cutoff = first_report - dt.timedelta(days=HISTORY_DAYS)
    return frozenset(sentence for sentence, days in ends.items()
                     if days and all(day is not None and day < cutoff for day in days))


def period_end(value: str) -> dt.date | None:
    """The last day a resolved value denotes (`timeline.expressions.interval`: "2008" -> 2008-12-31, a range
    its last day); None for one without its year ("--12-14") or none at all."""
    try:
        return interval(value)[1]
    except ValueError:
        return None


def readable_statements(statements: Sequence[Statement], texts: Mapping[str, str],
                        duplicate_of: Mapping[str, str], whole_sentences: bool = True) -> tuple[list[Statement], int]:
    """The statements as a reader can take each alone, and how many could not be.

    A clause that reads alone (`own_clause`) stays as it is, with every source that states it. One
    that does not ("the store would be rebuilt." loses who said so, "as police fought pitched
    battles ..." what it goes with, "I'm sorry,” he said." closes a quote it did not open) is given
    as its whole sentence when `whole_sentences` and two or more sources still support all of it
    (`whole_statement`); else it is left out and counted.
    """
    kept: list[Statement] = []
    seen: set[str] = set()
    left_out = 0
    for statement in statements:
        # A clause that reads alone keeps every source that states it; only one that does not is
        # traded for its whole sentence, which fewer sources may support.
        whole = own_clause(statement, texts.get(statement.cites[0], ""))
        if whole is None and whole_sentences:
            whole = whole_statement(statement, texts, duplicate_of)
            whole = whole if whole is not None and len(set(whole.sources)) >= 2 else None
        if whole is None:
            left_out += 1
        elif whole.text not in seen:
            seen.add(whole.text)
            kept.append(whole)
    # A clause kept beside its whole sentence, cited by the same sentences, says nothing the sentence does not.
    kept = [s for s in kept if not any(o is not s and s.text.rstrip(".") in o.text and set(s.cites) <= set(o.cites)
                                       for o in kept)]
    return kept, left_out


def own_clause(statement: Statement, sentence: str) -> Statement | None:
    """A clause that reads alone (see `readable_statements`, `readable.starts_alone`), or None: not one
    that stops on its verb of saying before what was said ("Playboy founder Hugh Hefner said", of
    "Playboy founder Hugh Hefner said:" with the quote on the next line)."""
    text = starts_alone(statement.text, sentence)
    if text is None or says_nothing(text):
        return None
    return statement if text == statement.text else Statement(text, statement.cites, statement.sources,
                                                              statement.inferred, statement.evidence)


# What a verb of saying says: its clause, object or the clause set beside it; a passive or negated verb
# says something itself ("No injuries were reported.", "Authorities are not immediately commenting").
SAID_DEPS = frozenset({"ccomp", "xcomp", "dobj", "obj", "parataxis", "advcl", "attr", "dative", "intj",
                       "nsubjpass", "auxpass", "neg"})


QUOTE_MARKS = re.compile(r"[“”\"]")


def says_nothing(text: str) -> bool:
    """Whether a clause ends on its main verb, a verb of saying, with nothing said: no clause or object of
    it ("The company declined to comment" says something: its main verb is "declined")."""
    if QUOTE_MARKS.search(text):  # "“Yeah, definitely,” he said.": the quote is what was said
        return False
    words = [token for token in nlp.parse([text])[0] if not token.is_punct]
    return bool(words) and words[-1].lemma_.lower() in SPEECH_VERBS and words[-1].dep_ == "ROOT" \
        and not any(child.dep_ in SAID_DEPS for child in words[-1].children)


def whole_statement(statement: Statement, texts: Mapping[str, str],
                    duplicate_of: Mapping[str, str]) -> Statement | None:
    """The statement as a whole sentence: itself when it is one, else its first cited sentence with the
    other citations that support that sentence too; None when neither reads whole. A clause that starts
    inside its sentence other than after a semicolon or a joining word ("WBA, IBF and WBO heavyweight
    titles Saturday night": the claims stage split a list) is a part, not a sentence."""
    first = statement.cites[0]
    sentence = texts.get(first, "")
    at = sentence.find(statement.text.strip())
    if is_whole(statement.text) and (at <= 0 or CLAUSE_START.search(sentence[:at])):
        return statement
    if not is_whole(sentence) or at < 0:
        return None
    return stated_by(Statement(sentence, statement.cites), texts, duplicate_of)
