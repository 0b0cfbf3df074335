-- A live story's profile (its summed damped term counts, capped to its top terms) in one row: the terms and
-- their weights as a JSON object. A save writes it whole, a read reads it at once; `story_terms`, a row per
-- term, made a save upsert a row for each term the new article touched (some 130 for a join, up to 400 for a
-- merge), the main cost of placement in a large store (bench/cluster_scale.py --store).
-- `Store._fill_story_profiles` moves the profiles stored before into it and drops `story_terms`.
CREATE TABLE story_profiles (
    story_id    TEXT PRIMARY KEY,
    terms       TEXT NOT NULL
);
