"""The bot is domain code: importing it loads no HTTP framework, CLI library or AWS SDK."""

from __future__ import annotations

import subprocess
import sys


def test_the_bot_modules_import_no_adapter_library() -> None:
    code = (
        "import sys\n"
        "import tglake.candidates.build, tglake.bot.commands, tglake.candidates.mentions\n"
        "import tglake.bot.responder, tglake.etl.bot_tables, tglake.candidates.tse_import\n"
        "import tglake.candidates.overlay\n"
        "print(sorted(m for m in ('click', 'starlette', 'uvicorn', 'boto3', 'httpx2')"
        " if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
