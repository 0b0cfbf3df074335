-- The story list filters, sorts and pages in SQL (`StoryTables.story_list`).
-- The outlet a story lists for an article (its name, else its domain), lowercased, to filter on; and
-- its domain, which the list shows.
ALTER TABLE articles ADD COLUMN outlet_key TEXT GENERATED ALWAYS AS (
    lower(coalesce(nullif(json_extract(outlet, '$.name'), ''), nullif(json_extract(outlet, '$.domain'), '')))) VIRTUAL;
ALTER TABLE articles ADD COLUMN outlet_domain TEXT GENERATED ALWAYS AS (
    nullif(json_extract(outlet, '$.domain'), '')) VIRTUAL;

-- The entities of each story's newest brief: its name (n = 0) and its spellings (n = 1, 2, ...), in the
-- brief's order. Written with each new brief version; an entity filter and the listing read them here
-- instead of parsing every brief.
CREATE TABLE story_entity_names (
    story_id    TEXT NOT NULL,
    entity      INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    text        TEXT NOT NULL,
    PRIMARY KEY (story_id, entity, n)
) WITHOUT ROWID;

INSERT INTO story_entity_names (story_id, entity, n, text)
SELECT b.story_id, e.key, 0, coalesce(json_extract(e.value, '$.name'), '')
FROM briefs b, json_each(b.content, '$.entities') e
WHERE b.version = (SELECT MAX(version) FROM briefs latest WHERE latest.story_id = b.story_id);

INSERT INTO story_entity_names (story_id, entity, n, text)
SELECT b.story_id, e.key, f.key + 1, coalesce(json_extract(f.value, '$.text'), '')
FROM briefs b, json_each(b.content, '$.entities') e, json_each(e.value, '$.forms') f
WHERE b.version = (SELECT MAX(version) FROM briefs latest WHERE latest.story_id = b.story_id);

-- The orders of the list: live stories (merged_into IS NULL) come out of each index already in order.
CREATE INDEX stories_list_recent ON stories(merged_into, last_seen DESC, size DESC, id);
CREATE INDEX stories_list_size ON stories(merged_into, size DESC, last_seen DESC, id);
CREATE INDEX stories_list_first_seen ON stories(merged_into, first_seen DESC, size DESC, id);
CREATE INDEX stories_list_label ON stories(merged_into, lower(label), size DESC, id);
-- "Recently updated first": each story's newest change time, read from the index alone.
CREATE INDEX brief_changes_story_created ON brief_changes(story_id, created);
