-- One row per skipped input, stage and reason: re-adding the same bad input
-- updates that row (its latest detail and time) instead of adding another.
-- Rows a store gathered before this keep only the latest of each.
DELETE FROM skips WHERE id NOT IN (SELECT MAX(id) FROM skips GROUP BY input, stage, reason);
CREATE UNIQUE INDEX skips_input_stage_reason ON skips(input, stage, reason);
