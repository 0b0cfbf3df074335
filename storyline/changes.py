"""Story changes: what a newer version of a story's brief says that an older one did not.

Reads: two brief JSONs of one story (`storyline/brief/v1`), the older one (or none, for a
story's first brief) and the newer one; and, from the pipeline, which sources of the newer are
new versions of sources of the older (an article whose page changed), with the figures each
new text states otherwise.
Writes: a change JSON (`storyline/change/v1`, [json.md](../docs/json.md#a-change)): sources
added, dropped and revised, statements added and dropped, conflicts that are new, figures whose
latest value moved, and a one-line digest of them ("+2 sources; dead 11 → 24; new conflict: ...").
A revised source is neither added nor dropped: it is one source whose text changed, and a figure
its new text revised is a moved figure (never a conflict).
Skips: nothing; two equal briefs give a change with nothing in it.
Deterministic and pure: the same two briefs give the same change.

A figure moved when the newer brief's latest value of a subject differs from the value the older
brief knew: its own latest value of that subject, else the latest value the newer brief cites
from a source the older one already had (a figure first reported once has no update in the older
brief, and gets one when a later report changes it).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Mapping

from storyline.errors import UsageError

CHANGE_SCHEMA = "storyline/change/v1"
# How many new conflicts the digest names before it counts the rest.
DIGEST_CONFLICTS = 2


def brief_changes(before: Mapping[str, Any] | None, after: Mapping[str, Any],
                  created: str = "", revised: Iterable[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """The change from an older brief JSON (None: the story is new) to a newer one of the same story.

    `revised`: `{article, previous, figures}` for each source of `after` that is a new version of
    the source `previous` of `before`, `figures` (`{subject, from, to}`) what its new text revised.
    """
    revised = [r for r in revised if before is not None]
    old_sources = source_ids(before) - {r["previous"] for r in revised}
    new_sources = source_ids(after)
    renewed = {r["article"] for r in revised}
    old_statements = statement_texts(before)
    new_statements = statement_texts(after)
    old_conflicts = {conflict_key(c) for c in (before or {}).get("conflicts", ())}
    change = {
        "schema": CHANGE_SCHEMA,
        "story": after["story"],
        "label": after.get("label", ""),
        "version": after.get("version"),
        "previous": before.get("version") if before else None,
        "created": created,
        "sources": {"added": [s for s in ordered_sources(after) if s not in old_sources and s not in renewed],
                    "dropped": [s for s in ordered_sources(before) if s not in new_sources and s in old_sources],
                    "revised": [{"article": r["article"], "previous": r["previous"]} for r in revised],
                    "count": len(new_sources)},
        # A story's first brief is new as a whole: its statements are not listed again.
        "statements": {"added": [t for t in new_statements if t not in set(old_statements)] if before else [],
                       "dropped": [t for t in old_statements if t not in set(new_statements)]},
        "conflicts": {"added": [c.get("reason", "") for c in after.get("conflicts", ())
                                if conflict_key(c) not in old_conflicts] if before else
                      [c.get("reason", "") for c in after.get("conflicts", ())]},
        "figures": joined_figures(moved_figures(before, after),
                                  [dict(f, source=r["article"]) for r in revised for f in r.get("figures", ())]),
    }
    change["digest"] = digest_line(change)
    return change


def source_ids(brief: Mapping[str, Any] | None) -> set[str]:
    """The article ids a brief's sources are."""
    return set(ordered_sources(brief))


def ordered_sources(brief: Mapping[str, Any] | None) -> list[str]:
    """The article ids of a brief's sources, in the brief's order."""
    return [s["article"] for s in (brief or {}).get("sources", ())]


def statement_texts(brief: Mapping[str, Any] | None) -> list[str]:
    """The texts of a brief's statements (summary, agreed, single-source), each once, in order."""
    seen: dict[str, None] = {}
    for section in ("summary", "agreed", "single_source"):
        for statement in (brief or {}).get(section, ()):
            seen.setdefault(statement["text"], None)
    return list(seen)


def conflict_key(conflict: Mapping[str, Any]) -> tuple[str, str]:
    """What makes two conflicts of two versions one: their kind and what differs."""
    return conflict.get("kind", ""), conflict.get("reason", "")


def moved_figures(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> list[dict[str, str]]:
    """Each figure whose newest value in `after` differs from the value `before` knew (see the module)."""
    if before is None:
        return []
    known = source_ids(before)
    old_updates = {u["subject"]: u for u in before.get("updates", ())}
    moved = []
    for update in after.get("updates", ()):
        values = update.get("values") or []
        if not values:
            continue
        newest = values[-1]["value"]
        if update["subject"] in old_updates and old_updates[update["subject"]].get("values"):
            old = old_updates[update["subject"]]["values"][-1]["value"]
        else:
            earlier = [v for v in values if set(v["statement"].get("sources", ())) <= known
                       and v["statement"].get("sources")]
            if not earlier:
                continue
            old = earlier[-1]["value"]
        if old != newest:
            moved.append({"subject": update["subject"], "from": old, "to": newest})
    return moved


def joined_figures(moved: list[dict[str, str]], revised: list[dict[str, str]]) -> list[dict[str, str]]:
    """The moved figures, then those revised sources moved that are not among them (one subject and values)."""
    seen = {(f["subject"], f["from"], f["to"]) for f in moved}
    return moved + [f for f in revised if (f["subject"], f["from"], f["to"]) not in seen]


def counted(count: int, noun: str) -> str:
    """'+2 sources', '-1 statement'."""
    return f"{count} {noun if abs(count) == 1 else noun + 's'}"


def digest_line(change: Mapping[str, Any]) -> str:
    """The one-line digest of a change: sources, figures, conflicts, statements, in that order."""
    parts: list[str] = []
    sources, statements = change["sources"], change["statements"]
    conflicts = change["conflicts"]["added"]
    if change.get("previous") is None:
        parts.append(f"new story: {counted(sources['count'], 'source')}")
        if conflicts:
            parts.append(counted(len(conflicts), "conflict"))
        return "; ".join(parts)
    if sources["added"]:
        parts.append("+" + counted(len(sources["added"]), "source"))
    if sources["dropped"]:
        parts.append("-" + counted(len(sources["dropped"]), "source"))
    if sources.get("revised"):
        parts.append(counted(len(sources["revised"]), "source") + " revised")
    parts += [f"{f['subject']} {f['from']} → {f['to']}" for f in change["figures"]]
    parts += [f"new conflict: {reason}" for reason in conflicts[:DIGEST_CONFLICTS]]
    if len(conflicts) > DIGEST_CONFLICTS:
        parts.append(f"+{counted(len(conflicts) - DIGEST_CONFLICTS, 'more conflict')}")
    if statements["added"]:
        parts.append("+" + counted(len(statements["added"]), "statement"))
    if statements["dropped"]:
        parts.append("-" + counted(len(statements["dropped"]), "statement"))
    return "; ".join(parts) or "brief revised (timeline, entities or quotes)"


def newest_first(changes: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Changes ordered newest first (by time stored, then story id)."""
    return sorted(changes, key=lambda c: (c.get("created") or "", c["story"], c.get("version") or 0), reverse=True)


DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def since_time(text: str, now: datetime | None = None) -> str:
    """A `--since` value as ISO 8601 UTC: an ISO date or time (UTC unless it names a zone), or a
    duration back from now (`90m`, `2h`, `3d`, `1w`).

    Raises:
        UsageError: the text is neither.
    """
    now = now or datetime.now(timezone.utc)
    found = DURATION.match(text)
    if found:
        moment = now - timedelta(seconds=int(found.group(1)) * SECONDS[found.group(2)])
    else:
        try:
            moment = datetime.fromisoformat(text.strip())
        except ValueError:
            raise UsageError(f"--since {text!r} is not a time: give an ISO date or time (2026-12-06, "
                             "2026-12-06T14:00) or a duration back from now (90m, 2h, 3d, 1w)") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()
