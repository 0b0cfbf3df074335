-- The story list filters, sorts and pages in SQL (`StoryTables.story_list`).
-- The outlet a story lists for an article (its name, else its domain), lowercased, to filter on; and
-- its domain, which the list shows ('' for none). `save_article` writes them; the articles stored
-- before this migration get them from `Store._fill_story_list`, in the migration's transaction.
ALTER TABLE articles ADD COLUMN outlet_key TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN outlet_domain TEXT NOT NULL DEFAULT '';

-- The entities of each story's newest brief: its name (n = 0) and its spellings (n = 1, 2, ...), in the
-- brief's order. Written with each new brief version (and for the briefs stored before, by
-- `Store._fill_story_list`); an entity filter and the listing read them here instead of parsing every brief.
CREATE TABLE story_entity_names (
    story_id    TEXT NOT NULL,
    entity      INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    text        TEXT NOT NULL,
    PRIMARY KEY (story_id, entity, n)
) WITHOUT ROWID;

-- The orders of the list: live stories (merged_into IS NULL) come out of each index already in order.
CREATE INDEX stories_list_recent ON stories(merged_into, last_seen DESC, size DESC, id);
CREATE INDEX stories_list_size ON stories(merged_into, size DESC, last_seen DESC, id);
CREATE INDEX stories_list_first_seen ON stories(merged_into, first_seen DESC, size DESC, id);
CREATE INDEX stories_list_label ON stories(merged_into, (lower(label)), size DESC, id);
-- "Recently updated first": each story's newest change time, read from the index alone.
CREATE INDEX brief_changes_story_created ON brief_changes(story_id, created);
