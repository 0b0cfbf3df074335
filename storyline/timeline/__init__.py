"""Stage analyse / time: resolved time expressions and the timeline of a story.

Reads: cleaned `Article`s (sentences, `published` with its `inferred` flag).
Writes: `TimeExpression`s (`find_time_expressions`, per article) and
`TimelineRow`s (`build_timeline`, per story). Skips nothing: an article with no
dated sentence adds no row; an expression with nothing to resolve against keeps
`value=None` and its sentence makes an undated row placed by the text's order.
Deterministic: no clock is read; the same articles, in any order, give the same
rows in the same order.
"""

from storyline.timeline.anchors import story_anchors
from storyline.timeline.expressions import find_story_time_expressions, find_time_expressions, interval
from storyline.timeline.rows import UNDATED, TimelineConfig, build_timeline, rows_from_expressions

__all__ = ["UNDATED", "TimelineConfig", "build_timeline", "find_story_time_expressions", "find_time_expressions",
           "interval", "rows_from_expressions", "story_anchors"]
