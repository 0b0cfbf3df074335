"""The JSON shapes of the command-line and HTTP contract (docs/json.md), versioned.

Each top-level object carries `"schema": "storyline/<thing>/v1"`. Field names
here are stable: scripts and tests rely on them, and docs/json.md documents them.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Sequence

from storyline.errors import StorylineError
from storyline.records import (
    WORDING, Article, Brief, BriefConflict, BriefSource, EntityEntry, FigureUpdate, QuoteEntry, Skipped, SourceView,
    Statement, Story, TimelineEntry, UpdateValue,
)

ARTICLE_SCHEMA = "storyline/article/v1"
SKIP_SCHEMA = "storyline/skip/v1"
STORY_SCHEMA = "storyline/story/v1"
STORIES_SCHEMA = "storyline/stories/v1"


def article_json(article: Article, *, full: bool = True, versions: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """One article as the contract's JSON object (`full=False` leaves out sentences, removed blocks and
    versions). `versions`: the versions of the article at its URL (`Store.versions_of`), oldest first."""
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
        data["versions"] = [version_json(version) for version in versions]
    else:
        data["sentence_count"] = len(article.sentences)
    return data


def version_json(version: dict[str, Any]) -> dict[str, Any]:
    """One version of an article (a row of `Store.versions_of`) as JSON."""
    return {"version": version["version"], "article": version["article"], "added": version["added"],
            "published": version["published"], "title": version["title"], "current": version["current"],
            "reverted_to": version["reverted_to"]}


def story_json(story: Story, *, schema: bool = True) -> dict[str, Any]:
    """One story as the contract's JSON object (`schema=False` inside `stories.json`)."""
    data: dict[str, Any] = {"schema": STORY_SCHEMA} if schema else {}
    data.update({"id": story.id, "label": story.label, "articles": list(story.articles),
                 "first_seen": story.first_seen, "last_seen": story.last_seen,
                 "outlets": list(story.outlets)})
    return data


def stories_json(stories: list[Story], representation=None) -> dict[str, Any]:
    """The `DIR/stories.json` document written by `run`.

    `representation` (a `cluster.Representation`) names how the articles of
    this run were compared, with the reason when it fell back to TF-IDF.
    """
    data: dict[str, Any] = {"schema": STORIES_SCHEMA, "stories": [story_json(s, schema=False) for s in stories]}
    if representation is not None:
        data["representation"] = {"name": representation.name, "message": representation.message}
    return data


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
    if statement.inferred or statement.evidence:
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
        "conflicts": [conflict_json(c) for c in brief.conflicts],
        "wording": [conflict_json(c) for c in brief.wording],
        "timeline": [{"date": t.date, "granularity": t.granularity, "event": t.event.text,
                      "cites": list(t.event.cites), "sources": list(t.event.sources),
                      "inferred": t.inferred, "evidence": t.evidence} for t in brief.timeline],
        "entities": [{"name": e.name, "type": e.type,
                      "roles": [{"text": text, "articles": list(articles)} for text, articles in e.roles],
                      "forms": [{"text": text, "articles": list(articles)} for text, articles in e.forms]}
                     for e in brief.entities],
        "quotes": [{"speaker": q.speaker, "variants": [statement_json(s) for s in q.variants],
                    "differences": list(q.differences)} for q in brief.quotes],
        "updates": [{"subject": u.subject, "reason": u.reason,
                     "values": [{"value": v.value, "as_of": v.as_of, "inferred": v.inferred,
                                 "statement": statement_json(v.statement)} for v in u.values]}
                    for u in brief.updates],
        "omitted": dict(brief.omitted),
    }


def conflict_json(conflict: BriefConflict) -> dict[str, Any]:
    """One conflict (or quote wording) of a brief as JSON."""
    return {"kind": conflict.kind, "claims": [statement_json(s) for s in conflict.claims], "reason": conflict.reason}


def conflict_from_json(data: dict[str, Any]) -> BriefConflict:
    """One conflict (or quote wording) of a brief read back from JSON."""
    return BriefConflict(data["kind"], tuple(statement_from_json(s) for s in data["claims"]), data.get("reason", ""))


def statement_from_json(data: dict[str, Any]) -> Statement:
    """One cited statement read back from JSON."""
    return Statement(data["text"], tuple(data.get("cites", ())), tuple(data.get("sources", ())),
                     bool(data.get("inferred", False)), data.get("evidence", ""))


def _role_from_json(data: dict[str, Any] | str) -> tuple[str, tuple[str, ...]]:
    """One role of an entity read back from JSON (a bare string, as briefs stored before roles had articles)."""
    if isinstance(data, str):
        return data, ()
    return data["text"], tuple(data.get("articles", ()))


def brief_from_json(data: dict[str, Any]) -> Brief:
    """A brief read back from the contract's JSON (the inverse of `brief_json`).

    Raises:
        StorylineError: the object is not a `storyline/brief/v1` brief or lacks a field.
    """
    if not isinstance(data, dict) or data.get("schema") != BRIEF_SCHEMA:
        found = data.get("schema") if isinstance(data, dict) else type(data).__name__
        raise StorylineError(f"not a brief: schema is {found!r}, expected {BRIEF_SCHEMA!r}")
    try:
        return Brief(
            story=data["story"], version=int(data["version"]), label=data.get("label", ""),
            sources=tuple(BriefSource(s["label"], s["article"], s.get("outlet") or "", s.get("title") or "",
                                      (s.get("published") or {}).get("value"),
                                      bool((s.get("published") or {}).get("inferred")), s.get("duplicate_of"))
                          for s in data["sources"]),
            summary=tuple(statement_from_json(s) for s in data["summary"]),
            per_source=tuple(SourceView(v["article"], tuple(statement_from_json(s) for s in v.get("adds", ())),
                                        tuple(v.get("stands_apart", ()))) for v in data.get("per_source", ())),
            agreed=tuple(statement_from_json(s) for s in data.get("agreed", ())),
            single_source=tuple(statement_from_json(s) for s in data.get("single_source", ())),
            # Briefs stored before `wording` had its own list kept quote wordings among the conflicts.
            conflicts=tuple(conflict_from_json(c) for c in data.get("conflicts", ()) if c["kind"] != WORDING),
            wording=tuple(conflict_from_json(c) for c in (*data.get("conflicts", ()), *data.get("wording", ()))
                          if c["kind"] == WORDING),
            timeline=tuple(TimelineEntry(t["date"], t["granularity"],
                                         Statement(t["event"], tuple(t.get("cites", ())), tuple(t.get("sources", ()))),
                                         bool(t.get("inferred", False)), t.get("evidence", ""))
                           for t in data.get("timeline", ())),
            entities=tuple(EntityEntry(e["name"], e.get("type", ""),
                                       tuple((f["text"], tuple(f.get("articles", ()))) for f in e.get("forms", ())),
                                       tuple(_role_from_json(r) for r in e.get("roles", ())))
                           for e in data.get("entities", ())),
            quotes=tuple(QuoteEntry(q.get("speaker"), tuple(statement_from_json(s) for s in q.get("variants", ())),
                                    tuple(q.get("differences", ()))) for q in data.get("quotes", ())),
            updates=tuple(FigureUpdate(u["subject"], tuple(
                UpdateValue(v["value"], v.get("as_of") or "", statement_from_json(v["statement"]),
                            bool(v.get("inferred", False))) for v in u.get("values", ())), u.get("reason", ""))
                for u in data.get("updates", ())),
            omitted=tuple((str(k), int(v)) for k, v in (data.get("omitted") or {}).items()),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise StorylineError(f"brief {data.get('story', '?')}: malformed field ({type(exc).__name__}: {exc})") from exc
