"""storyline: news articles from many outlets in, stories and cited cross-source briefs out."""

__version__ = "0.1.0"
