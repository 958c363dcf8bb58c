"""The analytics layer knows no CLI, web framework or AWS SDK: importing it loads none."""

from __future__ import annotations

import subprocess
import sys


def test_importing_analytics_loads_no_click_starlette_uvicorn_or_boto3() -> None:
    code = (
        "import sys\n"
        "import tglake.analytics.duckdb_engine, tglake.analytics.report, tglake.analytics.service\n"
        "import tglake.analytics.charts, tglake.analytics.sql, tglake.analytics.results\n"
        "bad = sorted(m for m in ('click', 'starlette', 'uvicorn', 'boto3') if m in sys.modules)\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
