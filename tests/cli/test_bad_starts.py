"""Starts that cannot work stop at once, in one line that says what to do, with no traceback:
a lake that is a file, an S3 lake without credentials or without a reachable endpoint, a report
path that cannot be written. Each through the real command (a subprocess of ``tglake``; for
``serve``, the real server would have started listening)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.fake_bot_api import TOKEN, FakeBotApi
from tests.helpers import free_port

NO_AWS = {
    # nowhere to find credentials: no variables (conftest clears them), no files, no metadata
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials",
    "AWS_CONFIG_FILE": "/nonexistent/config",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def tglake(
    cwd: Path, *args: str, timeout: float = 60, **env: str
) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("TGLAKE_", "AWS_"))}
    return subprocess.run(
        [sys.executable, "-m", "tglake", *args],
        cwd=cwd,
        env={**environ, **NO_AWS, **env},
        capture_output=True,
        text=True,
        timeout=timeout,  # a server that started anyway would never return
    )


def one_error_line(run: subprocess.CompletedProcess[str]) -> str:
    """The run failed with exactly one ``Error:`` line on stderr and no traceback."""
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, run.stderr
    return errors[0]


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "afile"
    path.write_text("not a lake\n")
    return path


@pytest.mark.parametrize("lake", ["afile", "afile/inside"])
def test_serve_on_a_lake_that_is_a_file_stops_before_listening(
    tmp_path: Path, a_file: Path, lake: str
) -> None:
    # GIVEN a lake path that is (or lies under) a file; WHEN the server starts
    run = tglake(tmp_path, "serve", "--lake", lake, "--port", str(free_port()))
    # THEN it never says it is serving, and says why in one line
    line = one_error_line(run)
    assert "afile is a file, not a folder" in line
    assert "--lake" in line
    assert "serving" not in run.stderr
    assert a_file.read_text() == "not a lake\n"


def test_serve_on_s3_without_credentials_names_the_variables_to_set(tmp_path: Path) -> None:
    run = tglake(tmp_path, "serve", "--lake", "s3://bucket/x", "--port", str(free_port()))
    line = one_error_line(run)
    assert "NoCredentialsError" in line
    assert "AWS_ACCESS_KEY_ID" in line
    assert "AWS_SECRET_ACCESS_KEY" in line
    assert "serving" not in run.stderr


def test_serve_on_an_unreachable_s3_endpoint_names_it_and_aws_endpoint_url(
    tmp_path: Path,
) -> None:
    endpoint = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    run = tglake(
        tmp_path, "serve", "--lake", "s3://bucket/x", "--port", str(free_port()),
        AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="k", AWS_SECRET_ACCESS_KEY="s",
    )  # fmt: skip
    line = one_error_line(run)
    assert endpoint in line
    assert "AWS_ENDPOINT_URL" in line


def test_etl_on_a_missing_bucket_names_the_endpoint_and_the_bucket(
    tmp_path: Path, s3_endpoint: str
) -> None:
    # GIVEN a real S3-protocol server without the bucket the lake names
    run = tglake(
        tmp_path, "etl", "--date", "2024-10-06", "--lake", "s3://no-such-bucket/lake",
        AWS_ENDPOINT_URL=s3_endpoint, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
    )  # fmt: skip
    line = one_error_line(run)
    assert "NoSuchBucket" in line or "404" in line
    assert s3_endpoint in line
    assert "no-such-bucket" in line


def test_etl_on_a_lake_under_a_file_stops_in_one_line(tmp_path: Path, a_file: Path) -> None:
    run = tglake(tmp_path, "etl", "--date", "2024-10-06", "--lake", "afile/lake")
    assert "afile is a file, not a folder" in one_error_line(run)


def test_poll_on_a_lake_that_is_a_file_stops_before_polling(
    tmp_path: Path, a_file: Path, fake: FakeBotApi
) -> None:
    run = tglake(
        tmp_path, "poll", "--once", "--lake", "afile",
        TGLAKE_BOT_TOKEN=TOKEN, TGLAKE_TELEGRAM_API_URL=fake.url,
    )  # fmt: skip
    assert "afile is a file, not a folder" in one_error_line(run)
    assert not any(call[0] == "getUpdates" for call in fake.calls)


@pytest.mark.parametrize(
    ("out", "says"),
    [
        ("/proc/r.html", "/proc/r.html"),
        ("afile/r.html", "afile is a file, not a folder"),
    ],
)
def test_a_report_path_that_cannot_be_written_is_one_line(
    tmp_path: Path, a_file: Path, known_lake: Path, out: str, says: str
) -> None:
    # GIVEN a lake the real ETL built (the report could be made); WHEN --out cannot be written
    run = tglake(tmp_path, "report", "--out", out, "--lake", str(known_lake))
    line = one_error_line(run)
    assert says in line
    assert "--out" in line


def test_a_report_into_a_read_only_folder_is_one_line(tmp_path: Path, known_lake: Path) -> None:
    # GIVEN a folder on a read-only filesystem (a private mount: read-only even for root)
    folder = tmp_path / "ro"
    folder.mkdir()
    prefix = [] if os.geteuid() == 0 else ["--map-root-user"]
    script = (
        f"mount -t tmpfs -o ro none {folder} && exec {sys.executable} -m tglake report "
        f"--out {folder}/r.html --lake {known_lake}"
    )
    environ: dict[str, Any] = {k: v for k, v in os.environ.items() if not k.startswith("TGLAKE_")}
    run = subprocess.run(
        ["unshare", *prefix, "--mount", "sh", "-c", script],
        cwd=tmp_path, env=environ, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    line = one_error_line(run)
    assert "Read-only file system" in line
    assert f"{folder}/r.html" in line
