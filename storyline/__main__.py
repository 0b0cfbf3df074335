"""`python -m storyline` runs the command line."""

from storyline.cli import entry

entry()
