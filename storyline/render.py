"""Stage `render`: a brief as Markdown, a standalone HTML page, or JSON.

Reads: a `Brief` and the articles it cites. Writes: text. Never skips.
Citations read `[2:14]`: source 2 of the brief's source list, sentence 14 of
that article (its sentence id is `<article id>:14`). Inferred values are
marked in every format: `~` and "(inferred)" in Markdown, a marked badge
with its evidence in HTML, `"inferred": true` in JSON. All article text is
escaped in HTML. Deterministic.
"""

from __future__ import annotations

import difflib
import json
import re
from typing import Mapping

import jinja2

from storyline import contract
from storyline.records import Article, Brief, Statement

ENVIRONMENT = jinja2.Environment(loader=jinja2.PackageLoader("storyline", "templates"),
                                 autoescape=jinja2.select_autoescape(["html", "j2"]),
                                 trim_blocks=True, lstrip_blocks=True)


def source_numbers(brief: Brief) -> dict[str, int]:
    """Article id -> its number in the brief's source list (from 1)."""
    return {source.article: i for i, source in enumerate(brief.sources, start=1)}


def citation_marks(statement: Statement, numbers: Mapping[str, int]) -> list[tuple[str, str]]:
    """(mark, sentence id) pairs such as ("2:14", "<article>:14") for a statement's citations."""
    marks = []
    for cite in statement.cites:
        article_id, _, n = cite.rpartition(":")
        marks.append((f"{numbers.get(article_id, '?')}:{n}", cite))
    return marks


LINE_BREAK = re.compile(r"\s*\n\s*")


def md_cites(statement: Statement, numbers: Mapping[str, int]) -> str:
    """Markdown citation marks of a statement."""
    return "".join(f"[{mark}]" for mark, _ in citation_marks(statement, numbers))


def md_escape(text: str) -> str:
    """Escape the characters that would turn article text into Markdown markup; a line break inside a sentence
    (a scraped line cut after a title, `storyline.clean.sentences`) reads as a space, not a new line."""
    text = LINE_BREAK.sub(" ", text)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("*", "\\*") \
        .replace("_", "\\_").replace("`", "\\`").replace("[", "\\[").replace("]", "\\]")


def shortened(text: str, limit: int) -> str:
    """Text cut to at most `limit` characters at a word boundary, ending " …" when it was cut.

    A first word longer than the limit is cut inside (nothing else fits).
    """
    if len(text) <= limit:
        return text
    kept = text[:limit - 2]
    if not text[limit - 2].isspace() and " " in kept:
        kept = kept.rsplit(" ", 1)[0]
    return kept.rstrip(" ,;:|-–—") + " …"


ENVIRONMENT.filters["shortened"] = shortened

# A quote within a quote: the double marks of a quoted sentence become single ones.
NESTED_QUOTES = str.maketrans({"\u201c": "\u2018", "\u201d": "\u2019", "\u201e": "\u201a", '"': "'",
                               "\u00ab": "\u2039", "\u00bb": "\u203a"})


def quoted(text: str) -> str:
    """A source's sentence between double quotation marks, its own double marks made single (as a quote
    within a quote is written), so a sentence that opens or closes with a quote shows no doubled mark."""
    return f"\u201c{text.translate(NESTED_QUOTES)}\u201d"


ENVIRONMENT.filters["quoted"] = quoted


def folded(word: str) -> str:
    """A word without case or punctuation, for comparing wordings."""
    return re.sub(r"[^\w]", "", word.lower())


def marked_words(base: str, other: str) -> list[tuple[str, bool]]:
    """The words of `other` with a flag on each word that `base` does not have in that place."""
    base_words, other_words = base.split(), other.split()
    matcher = difflib.SequenceMatcher(a=[folded(w) for w in base_words], b=[folded(w) for w in other_words],
                                      autojunk=False)
    marked = []
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        marked.extend((word, tag != "equal") for word in other_words[j1:j2])
    return marked


def new_since(brief: Brief, previous: Brief | None) -> frozenset[str]:
    """Texts of the brief's statements, conflicts and timeline rows that the previous version lacks."""
    if previous is None:
        return frozenset()

    def texts(b: Brief) -> set[str]:
        found = {s.text for s in (*b.summary, *b.agreed, *b.single_source)}
        found |= {c.text for conflict in (*b.conflicts, *b.wording) for c in conflict.claims}
        found |= {row.event.text for row in b.timeline}
        return found

    return frozenset(texts(brief) - texts(previous))


def md_spellings(spellings, numbers: Mapping[str, int]) -> str:
    """Spellings of an entity (text, articles) with the numbers of the sources using each."""
    return "; ".join(f"{md_escape(text)} ({', '.join(str(numbers.get(a, '?')) for a in articles)})"
                     for text, articles in spellings)


NO_SUMMARY = "No statement is supported by two independent sources, so there is no summary: see what each source reports."
NO_AGREED = "No statement is stated alike by two independent sources (their sentences state other facts or other values)."
# Where a capped section says how many it left out, and where to read them.
MORE = {
    "agreed": "_{n} more agreed statements are not shown: each is a part of a sentence that does not read alone "
              "(the sentences themselves are on the sources' pages, `storyline show ARTICLE`)._",
    "single_source": "_{n} more single-source statements are not shown: every sentence of a source is on its "
                     "article page (`storyline show ARTICLE`, `/articles/<id>`)._",
    "per_source": "_{n} more statements of single sources are not shown here: each source's own page "
                  "(`storyline show ARTICLE`) has them all._",
    "entities": "_{n} more entities are not shown: the entities of fewer sources are left out._",
}


def to_markdown(brief: Brief) -> str:
    """The brief as Markdown, readable in a terminal and on GitHub."""
    numbers = source_numbers(brief)
    independent = sum(1 for s in brief.sources if not s.duplicate_of)
    out = [f"# {md_escape(brief.label)}", "",
           f"Story `{brief.story}` · brief version {brief.version} · {len(brief.sources)} sources "
           f"({independent} independent). Citations read [source:sentence]; ~ marks an inferred value.", ""]
    out += ["## Sources", ""]
    for i, source in enumerate(brief.sources, start=1):
        date = (source.published or "date unknown") + (" ~inferred" if source.published_inferred else "")
        copy = f" — copy of source {numbers.get(source.duplicate_of, '?')}" if source.duplicate_of else ""
        out.append(f"{i}. **{md_escape(source.outlet or 'unknown outlet')}** — {md_escape(source.title)} "
                   f"({date}) `{source.article}`{copy}")
    out.append("")

    def statement_list(title: str, items, with_sources: bool = False) -> None:
        if not items:
            return
        out.extend([f"## {title}", ""])
        for item in items:
            support = f" — {len(set(item.sources))} sources" if with_sources and item.sources else ""
            note = f" — _{md_escape(item.evidence)}_" if item.evidence and not item.inferred else ""
            out.append(f"- {md_escape(item.text)} {md_cites(item, numbers)}{support}{note}")
        out.append("")

    omitted = dict(brief.omitted)

    def more(section: str) -> None:
        if omitted.get(section):
            out.extend([MORE[section].format(n=omitted[section]), ""])

    statement_list("Summary", brief.summary)
    if not brief.summary:
        out.extend(["## Summary", "", NO_SUMMARY, ""])
    statement_list("Agreed by several sources", brief.agreed, with_sources=True)
    more("agreed")
    if not brief.agreed and independent >= 2:
        out.extend(["## Agreed by several sources", "", NO_AGREED, ""])
    statement_list("Reported by one source only", brief.single_source)
    more("single_source")
    if brief.updates:
        out.extend(["## How the figures changed", ""])
        for update in brief.updates:
            # What the steps leave unsaid ("order inferred: ...", "versions of one report ...") is said here.
            note = update.reason.partition("; ")[2]
            out.append(f"- **{md_escape(update.subject)}**, latest first{f' ({md_escape(note)})' if note else ''}:")
            for value in reversed(update.values):
                as_of = f"{value.as_of} ~inferred" if value.inferred else value.as_of
                out.append(f"  - {md_escape(value.value)} as of {as_of}: {md_escape(quoted(value.statement.text))} "
                           f"{md_cites(value.statement, numbers)}")
        out.append("")
    out.extend(["## Conflicts", ""])
    for conflict in brief.conflicts:
        out.append(f"- **{conflict.kind}**: {md_escape(conflict.reason)}")
        for claim in conflict.claims:
            out.append(f"  - {md_escape(quoted(claim.text))} {md_cites(claim, numbers)}")
    if not brief.conflicts:
        out.append("No conflicts found between the sources.")
    if brief.wording:
        out.extend(["", "Quoted words that differ (one statement, worded otherwise; no fact stated otherwise):", ""])
        for wording in brief.wording:
            out.append(f"- {md_escape(wording.reason)}")
            for claim in wording.claims:
                out.append(f"  - {md_escape(quoted(claim.text))} {md_cites(claim, numbers)}")
    out.append("")
    if brief.timeline:
        dated = [row for row in brief.timeline if row.date]
        undated = [row for row in brief.timeline if not row.date]
        out.extend(["## Timeline", ""])
        if dated:
            out.extend(["| date | event | sources |", "|---|---|---|"])
            for row in dated:
                date = f"{row.date} ~inferred" if row.inferred else row.date
                out.append(f"| {date} | {md_escape(row.event.text)} | {md_cites(row.event, numbers)} |")
            out.append("")
            # An inferred date is shown with its evidence, as HTML shows it in the row's badge.
            inferred = [row for row in dated if row.inferred and row.evidence]
            if inferred:
                out.extend(["Inferred dates, with their evidence:", ""])
                out.extend(f"- {row.date}: {md_escape(row.evidence)}" for row in inferred)
                out.append("")
        if undated:
            out.extend(["Undated (no date to count from):", ""])
            out.extend(f"- {md_escape(row.event.text)} {md_cites(row.event, numbers)}" for row in undated)
            out.append("")
    if brief.entities:
        out.extend(["## Entities", "", "| name | type | spellings (sources) |", "|---|---|---|"])
        for entity in brief.entities:
            forms, roles = md_spellings(entity.forms, numbers), md_spellings(entity.roles, numbers)
            name = f"{md_escape(entity.name)} — {roles}" if roles else md_escape(entity.name)
            out.append(f"| {name} | {entity.type} | {forms} |")
        out.append("")
        more("entities")
    if brief.quotes:
        out.extend(["## Quotes", ""])
        for group in brief.quotes:
            out.append(f"- **{md_escape(group.speaker or 'unknown speaker')}**")
            for variant in group.variants:
                out.append(f"  - {md_escape(quoted(variant.text))} {md_cites(variant, numbers)}")
            if group.differences:
                out.append(f"  - wording differs: {md_escape('; '.join(group.differences))}")
        out.append("")
    if brief.per_source:
        out.extend(["## What each source adds", ""])
        for view in brief.per_source:
            out.append(f"### Source {numbers.get(view.article, '?')}")
            for item in view.adds:
                out.append(f"- {md_escape(item.text)} {md_cites(item, numbers)}")
            for note in view.stands_apart:
                out.append(f"- stands apart: {md_escape(note)}")
            out.append("")
        more("per_source")
    return "\n".join(out).rstrip() + "\n"


def to_json(brief: Brief) -> str:
    """The brief as the contract's JSON."""
    return json.dumps(contract.brief_json(brief), ensure_ascii=False, indent=2) + "\n"


def to_html(brief: Brief, articles: Mapping[str, Article], *, standalone: bool = True,
            article_url: str = "#art-{article}-s{n}", new: frozenset[str] = frozenset()) -> str:
    """The brief as an HTML page; every citation links to its source sentence.

    `new` holds the texts to mark as new since the previous version (see `new_since`).
    Standalone pages carry the cited articles' sentences at the end, so a click on
    a citation highlights the sentence in the page itself; the web UI asks for the
    body alone (`standalone=False`, a fragment for its own page) with
    `article_url="/articles/{article}#s{n}"`.
    """
    numbers = source_numbers(brief)

    def cites(statement: Statement) -> list[dict[str, str]]:
        links = []
        for mark, cite in citation_marks(statement, numbers):
            article_id, _, n = cite.rpartition(":")
            sentence = next((s for s in articles[article_id].sentences if s.id == cite), None) \
                if article_id in articles else None
            links.append({"mark": mark, "href": article_url.format(article=article_id, n=n),
                          "title": sentence.text if sentence else cite})
        return links

    template = ENVIRONMENT.get_template("brief.html.j2" if standalone else "brief_body.html.j2")
    independent = sum(1 for s in brief.sources if not s.duplicate_of)
    notes = {"more": {section: re.sub(r"`([^`]*)`", r"\1", MORE[section].format(n=count)).strip("_")
                      for section, count in brief.omitted if section in MORE},
             "no_summary": NO_SUMMARY, "no_agreed": NO_AGREED if independent >= 2 else ""}
    return template.render(brief=brief, numbers=numbers, cites=cites, standalone=standalone, marked_words=marked_words, new=new,
                           notes=notes,
                           articles=[articles[s.article] for s in brief.sources if s.article in articles],
                           article_of=articles)
