"""The exceptions storyline raises: all derive from one StorylineError.

Bad input is not an exception (it is a `records.Skipped`); these are for
programmer and environment errors.
"""


class StorylineError(Exception):
    """Base class of every error storyline raises."""


class EnvironmentProblem(StorylineError):
    """Something outside the code is wrong: a missing model, an unusable store."""


class StoreError(StorylineError):
    """The store cannot be opened, migrated or written."""


class UsageError(StorylineError):
    """The caller asked for something that does not exist or makes no sense."""
