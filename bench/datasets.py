"""Where the benches find their real data, and what they say when it is not there.

The full sets live beside the repository in the development checkout (`../shared/data`): the
ECB+ dev topics and the article-extraction benchmark. A clone of the repository has only the
subsets the tests use (`tests/data`, see its README), so a bench run on the command line checks
for the full set first (`require`) and says what is missing instead of failing on a missing
file; the test suite's quick runs pass the `tests/data` paths to the same functions. The seed
story is whole in `tests/data/seeds`, so the benches read it there.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ECBPLUS = SHARED / "data" / "ecbplus" / "ecbplus-dev.jsonl"
EXTRACTION = SHARED / "data" / "article-extraction-benchmark"
SEEDS = REPO / "tests" / "data" / "seeds"

EXIT_ENVIRONMENT = 3  # as the CLI: the environment (here the data) is missing


def require(*paths: Path) -> None:
    """Exit with a message naming what is missing when one of the full data sets is not there."""
    missing = [path for path in paths if not path.exists()]
    if not missing:
        return
    script = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "this bench"
    names = ", ".join(_shown(path) for path in missing)
    print(f"{script}: cannot run: {names} not found. The benches measure on the full data sets, which "
          f"live beside the repository in the development checkout ({_shown(SHARED)}); a clone has only the "
          f"subsets the tests use (tests/data). Put the full sets there, or run the quick checks: "
          f"python -m pytest tests/test_bench_floors.py", file=sys.stderr)
    raise SystemExit(EXIT_ENVIRONMENT)


def _shown(path: Path) -> str:
    """A path as seen from the repository (`../shared/...`), else as it is."""
    try:
        return "../" + str(path.relative_to(REPO.parent))
    except ValueError:
        return str(path)
