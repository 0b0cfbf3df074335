"""The JSON shapes of the command-line and HTTP contract (DESIGN.md), versioned.

Each top-level object carries `"schema": "storyline/<thing>/v1"`. Field names
here are stable: scripts and tests rely on them, and the README documents them.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from storyline.records import Article, Brief, Skipped, Statement, Story

ARTICLE_SCHEMA = "storyline/article/v1"
SKIP_SCHEMA = "storyline/skip/v1"
STORY_SCHEMA = "storyline/story/v1"
STORIES_SCHEMA = "storyline/stories/v1"


def article_json(article: Article, *, full: bool = True) -> dict[str, Any]:
    """One article as the contract's JSON object (`full=False` leaves out sentences and removed blocks)."""
    data: dict[str, Any] = {
        "schema": ARTICLE_SCHEMA,
        "id": article.id,
        "origin": asdict(article.origin),
        "outlet": {"name": article.outlet.name, "domain": article.outlet.domain, "how": article.outlet.how,
                   "evidence": article.outlet.evidence},
        "title": article.title,
        "authors": list(article.authors),
        "published": {"value": article.published.value, "inferred": article.published.inferred,
                      "evidence": article.published.evidence},
        "language": article.language,
        "duplicate_of": article.duplicate_of,
    }
    if full:
        data["sentences"] = [{"id": s.id, "text": s.text, "start": s.start, "end": s.end,
                              "paragraph": s.paragraph} for s in article.sentences]
        data["removed"] = [{"kind": r.kind, "text": r.text} for r in article.removed]
    else:
        data["sentence_count"] = len(article.sentences)
    return data


def story_json(story: Story, *, schema: bool = True) -> dict[str, Any]:
    """One story as the contract's JSON object (`schema=False` inside `stories.json`)."""
    data: dict[str, Any] = {"schema": STORY_SCHEMA} if schema else {}
    data.update({"id": story.id, "label": story.label, "articles": list(story.articles),
                 "first_seen": story.first_seen, "last_seen": story.last_seen,
                 "outlets": list(story.outlets)})
    return data


def stories_json(stories: list[Story]) -> dict[str, Any]:
    """The `DIR/stories.json` document written by `run`."""
    return {"schema": STORIES_SCHEMA, "stories": [story_json(s, schema=False) for s in stories]}


def skip_json(skip: Skipped) -> dict[str, Any]:
    """One skipped input as JSON."""
    return {"schema": SKIP_SCHEMA, "input": skip.input, "stage": skip.stage, "reason": skip.reason.value,
            "detail": skip.detail}


BRIEF_SCHEMA = "storyline/brief/v1"


def statement_json(statement: Statement) -> dict[str, Any]:
    """One cited statement as JSON."""
    data: dict[str, Any] = {"text": statement.text, "cites": list(statement.cites),
                            "sources": list(statement.sources)}
    if statement.inferred:
        data["inferred"] = True
        data["evidence"] = statement.evidence
    return data


def brief_json(brief: Brief) -> dict[str, Any]:
    """A brief as the contract's JSON object (`storyline/brief/v1`)."""
    return {
        "schema": BRIEF_SCHEMA,
        "story": brief.story,
        "version": brief.version,
        "label": brief.label,
        "sources": [{"label": s.label, "article": s.article, "outlet": s.outlet, "title": s.title,
                     "published": {"value": s.published, "inferred": s.published_inferred},
                     "duplicate_of": s.duplicate_of} for s in brief.sources],
        "summary": [statement_json(s) for s in brief.summary],
        "per_source": [{"article": v.article, "adds": [statement_json(s) for s in v.adds],
                        "stands_apart": list(v.stands_apart)} for v in brief.per_source],
        "agreed": [statement_json(s) for s in brief.agreed],
        "single_source": [statement_json(s) for s in brief.single_source],
        "conflicts": [{"kind": c.kind, "claims": [statement_json(s) for s in c.claims], "reason": c.reason}
                      for c in brief.conflicts],
        "timeline": [{"date": t.date, "granularity": t.granularity, "event": t.event.text,
                      "cites": list(t.event.cites), "sources": list(t.event.sources),
                      "inferred": t.inferred, "evidence": t.evidence} for t in brief.timeline],
        "entities": [{"name": e.name, "type": e.type, "roles": list(e.roles),
                      "forms": [{"text": text, "articles": list(articles)} for text, articles in e.forms]}
                     for e in brief.entities],
        "quotes": [{"speaker": q.speaker, "variants": [statement_json(s) for s in q.variants],
                    "differences": list(q.differences)} for q in brief.quotes],
    }
