"""Rebuild src/tglake/candidates/data/candidates.json.gz from ../shared/data/tse.

Same code as ``tglake candidates build`` (this script only calls it): run from the repository
root with the package installed (``make test`` builds .venv), e.g.
``.venv/bin/python scripts/build_candidates.py [--shared DIR] [--out FILE]``.
"""

from __future__ import annotations

import sys

from tglake.cli.candidates import build_cmd
from tglake.cli.context import run_guarded

if __name__ == "__main__":
    sys.exit(run_guarded(build_cmd, sys.argv[1:]))
