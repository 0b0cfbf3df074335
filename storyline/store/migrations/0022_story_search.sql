-- The story list's filters match ignoring case in every script, not in ASCII only as SQLite's lower()
-- and LIKE do (and PostgreSQL's under the C locale): each text a filter reads has its search key
-- (`stories.search_key`: Unicode case folding, "Поризкова" and "ПОРИЗКОВА" both "поризкова") stored
-- beside it, and a filter folds its text alike. The story's label and its entity names get a column
-- here; an article's `outlet_key` (0012) becomes the folded outlet. `Store._fill_story_search` folds
-- what was stored before, in this migration's transaction. (Not a redefined lower(): the 0012 index
-- on lower(label) would no longer match its own table for any other SQLite client.)
ALTER TABLE stories ADD COLUMN label_key TEXT NOT NULL DEFAULT '';
ALTER TABLE story_entity_names ADD COLUMN text_key TEXT NOT NULL DEFAULT '';

-- The label order reads the folded label; the entity filter reads the folded names from an index
-- alone (a substring match scans the keys: no index seeks into the middle of a text).
DROP INDEX stories_list_label;
CREATE INDEX stories_list_label ON stories(merged_into, label_key, size DESC, id);
CREATE INDEX story_entity_names_key ON story_entity_names(text_key, story_id);

-- The entity names of each story's newest brief once more, as the one JSON list the story list answers
-- (`[{"name", "forms"}]`, `BriefTables.story_entities`): a page of the list reads a row a story, not a
-- row a name (2,119 rows for 52 stories: most of what a page of the API cost). Written with the names.
CREATE TABLE story_entity_lists (
    story_id    TEXT PRIMARY KEY,
    entities    TEXT NOT NULL
) WITHOUT ROWID;
