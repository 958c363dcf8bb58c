"""Rebuild the plotly.js bundle the report inlines, from its npm package.

The report's figures are hand-built dicts of four trace types: bar, pie, scatter and
indicator. The smallest bundle plotly.js publishes that holds all four is the *finance*
partial bundle (bar, candlestick, funnel, funnelarea, histogram, indicator, ohlc, pie, scatter,
waterfall); *basic* (bar, pie, scatter) lacks indicator. This script fetches the package with
``npm pack`` (which checks the registry's integrity hash), checks that every trace type the
report uses is registered in it, and writes it beside its licence:

    src/tglake/analytics/vendor/plotly-finance.min.js
    src/tglake/analytics/vendor/LICENSE-plotly.js.txt
    src/tglake/analytics/vendor/plotly.json     (package, version, integrity, size)

    python scripts/build_plotly_bundle.py               # the pinned version
    python scripts/build_plotly_bundle.py --version 4.2.0
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "plotly.js-finance-dist-min"
VERSION = "4.1.0"
BUNDLE = "plotly-finance.min.js"
TRACES = ("bar", "pie", "scatter", "indicator", "funnel")
"""Trace types of tglake/analytics/charts.py and bot_performance.py; a test checks the list
against the code."""
VENDOR = Path(__file__).resolve().parent.parent / "src" / "tglake" / "analytics" / "vendor"


def registered_traces(js: str) -> set[str]:
    """Trace names the bundle registers (each trace module says ``moduleType:"trace",name:…``)."""
    return set(re.findall(r'moduleType:"trace",name:"([a-z0-9]+)"', js))


def fetch(version: str, workdir: Path) -> tuple[Path, str]:
    """``npm pack`` the package into ``workdir``; returns the tarball and its sha512 integrity."""
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is not installed: it fetches the plotly.js package (apt install npm)")
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [npm, "pack", "--json", f"{PACKAGE}@{version}"],
        cwd=workdir,
        check=True,
        capture_output=True,
        text=True,
    )
    info = json.loads(result.stdout)[0]
    return workdir / info["filename"], info["integrity"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=VERSION, help=f"{PACKAGE} version")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tarball, integrity = fetch(args.version, Path(tmp))
        with tarfile.open(tarball) as archive:
            js = archive.extractfile(f"package/{BUNDLE}").read()  # type: ignore[union-attr]
            licence = archive.extractfile("package/LICENSE").read()  # type: ignore[union-attr]
    missing = set(TRACES) - registered_traces(js.decode())
    if missing:
        sys.exit(f"{PACKAGE}@{args.version} lacks the trace types {sorted(missing)}")
    VENDOR.mkdir(parents=True, exist_ok=True)
    (VENDOR / BUNDLE).write_bytes(js)
    (VENDOR / "LICENSE-plotly.js.txt").write_bytes(licence)
    manifest = {
        "package": PACKAGE,
        "version": args.version,
        "integrity": integrity,
        "file": BUNDLE,
        "bytes": len(js),
        "traces": sorted(registered_traces(js.decode())),
    }
    (VENDOR / "plotly.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"{BUNDLE}: {PACKAGE}@{args.version}, {len(js):,} bytes, traces {manifest['traces']}")


if __name__ == "__main__":
    main()
