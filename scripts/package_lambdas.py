"""Build the two Lambda artifacts into build/, reproducibly (same sources → same bytes).

* ``lambda-webhook.zip``: only the tglake modules the webhook imports (found by importing the
  handler in a fresh interpreter and listing ``sys.modules``), plus the modules and candidate
  data files the bot's responder imports and reads. Nothing else: boto3 is in the
  Lambda Python runtime, so the package stays small and the cold start short.
* ``layer-bot-deps.zip``: when the bot's responder needs third-party packages (RapidFuzz), their
  arm64 CPython 3.12 wheels at the versions pinned in ``requirements.lock``, unpacked under
  ``python/`` as a Lambda layer of the webhook. The ingest path never imports them: without the
  layer the webhook still stores every update and answers ``{"ok": true}`` (tested).
* ``lambda-etl.zip``: the whole ``tglake`` package plus every third-party package the ETL
  imports, except those the runtime (boto3 & co.) or the AWS SDK for pandas layer (PyArrow,
  NumPy) provide. A third-party package that is not pure Python fails the build: the functions
  run on arm64 and this venv may not.

Reproducible: entries sorted, fixed timestamps (1980-01-01), fixed permissions, no ``.pyc``
(they embed the building interpreter's version, which need not be the runtime's).

    python scripts/package_lambdas.py [--out build]
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
WEBHOOK_ENTRIES = ("tglake.adapters.lambda_handlers", "tglake.adapters.s3_store")
"""What the webhook imports, eagerly or lazily (the S3 store is imported when the URI is s3://)."""
BOT_ENTRIES = (
    "tglake.adapters.running_bot",
    "tglake.candidates.catalog",
    "tglake.candidates.overlay",
)
"""What the webhook's ``load_responder`` imports (lazily, on the first cold start)."""
ETL_ENTRY = "tglake.etl.run"
IN_RUNTIME = frozenset(
    {"boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six", "certifi"}
)
"""Top-level packages every Lambda Python runtime has (botocore imports certifi only when it is
there, and falls back to its own CA bundle)."""
IN_PANDAS_LAYER = frozenset({"pyarrow", "numpy", "pandas", "pytz", "tzdata"})
"""Top-level packages the AWS SDK for pandas managed layer brings."""
OPTIONAL_NATIVE = frozenset({"orjson"})
"""Native speed-ups the ETL imports only when present (``tglake.etl.rawread``): left out of the
arm64 package, where the standard library's ``json`` gives the same rows."""
NOT_PACKAGES = frozenset({"cython_runtime", "backports"})
"""Modules that appear in ``sys.modules`` without being needed: ``backports`` is the empty
namespace left behind by urllib3's optional ``from backports import zstd`` when some other
distribution (here backports.tarfile, a dev tool's dependency) provides that namespace."""
LAMBDA_PLATFORMS = ("manylinux_2_34_aarch64", "manylinux_2_28_aarch64", "manylinux2014_aarch64")
LAMBDA_PYTHON = "3.12"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
SKIP_SUFFIXES = (".pyc", ".pyo")
WHEEL_CACHE = Path(sys.prefix) / "lambda-wheels"
"""Where the bot layer's arm64 wheels are kept: inside the virtual environment, filled by the
first ``make`` (``--fetch-wheels``), so later builds and the tests need no package index."""


def imported_modules(entries: Iterable[str]) -> dict[str, str | None]:
    """``module name → file`` for everything a fresh interpreter loads to import ``entries``."""
    code = (
        "import importlib, json, sys\n"
        f"for name in {list(entries)!r}: importlib.import_module(name)\n"
        "print(json.dumps({n: getattr(m, '__file__', None) for n, m in sys.modules.items()}))\n"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter, our own code
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
    )
    modules: dict[str, str | None] = json.loads(result.stdout)
    return modules


def _stdlib_or_builtin(name: str) -> bool:
    top = name.split(".")[0]
    return top in sys.stdlib_module_names or top in sys.builtin_module_names


def third_party(modules: dict[str, str | None]) -> set[str]:
    """Top-level names of the non-stdlib, non-tglake packages among ``modules``."""
    tops = {name.split(".")[0] for name in modules}
    return {
        t
        for t in tops - NOT_PACKAGES
        if t != "tglake" and not _stdlib_or_builtin(t) and not t.startswith("_")
    }


def bot_dependencies() -> list[str]:
    """Top-level third-party packages the bot's responder imports (beyond stdlib + boto3)."""
    return sorted(third_party(imported_modules(BOT_ENTRIES)) - IN_RUNTIME)


def webhook_files() -> list[tuple[str, Path]]:
    """``(archive name, source file)`` for the webhook: the tglake modules it imports, the modules
    the bot's responder imports and the candidate data files it reads."""
    modules = imported_modules(WEBHOOK_ENTRIES)
    extra = third_party(modules) - IN_RUNTIME
    if extra:
        raise SystemExit(f"the webhook imports {sorted(extra)}: it must need only stdlib + boto3")
    files = {
        Path(path)
        for name, path in modules.items()
        if path and (name == "tglake" or name.startswith("tglake."))
    }
    # the responder is imported lazily, and reads the bundled candidate data files
    bot_modules = imported_modules(BOT_ENTRIES)
    files |= {
        Path(path) for name, path in bot_modules.items() if path and name.startswith("tglake.")
    }
    for package in ("candidates", "bot"):  # the candidate file, the bot's word list
        files |= {
            p for p in (SRC / "tglake" / package).rglob("*") if p.is_file() and p.suffix != ".py"
        }
    return sorted((p.relative_to(SRC).as_posix(), p) for p in files if _wanted(p))


def pinned(distribution: str) -> str:
    """``name==version`` from requirements.lock (the same pins as the tests ran with)."""
    wanted = distribution.lower().replace("_", "-")
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line[:1] in ("", " ", "#"):  # hashes, comments and "via" notes
            continue
        name, _, version = line.split(";")[0].rstrip(" \\").partition("==")
        if name.lower().replace("_", "-").replace(".", "-") == wanted and version:
            return f"{name}=={version}"
    raise SystemExit(f"{distribution} is not pinned in requirements.lock")


def _cached_wheel(requirement: str, cache: Path) -> Path | None:
    name, _, version = requirement.partition("==")
    prefix = f"{name.lower().replace('-', '_')}-{version}-"
    found = sorted(w for w in cache.glob("*.whl") if w.name.lower().startswith(prefix))
    return found[-1] if found else None


def lambda_wheels(tops: list[str], cache: Path = WHEEL_CACHE) -> list[Path]:
    """arm64 CPython 3.12 wheels of the distributions behind ``tops``: from ``cache``, and from
    the package index only for a pinned version the cache does not hold yet."""
    if not tops:
        return []
    requirements = []
    for top in tops:
        names = importlib.metadata.packages_distributions().get(top, [])
        if not names:
            raise SystemExit(f"cannot find the distribution of {top!r}")
        requirements.append(pinned(names[0]))
    cache.mkdir(parents=True, exist_ok=True)
    missing = [r for r in requirements if _cached_wheel(r, cache) is None]
    if missing:
        _download(missing, cache)
    wheels = []
    for requirement in requirements:
        found = _cached_wheel(requirement, cache)
        if found is None:
            raise SystemExit(f"no wheel for {requirement} in {cache}")
        wheels.append(found)
    return wheels


def _download(requirements: list[str], cache: Path) -> None:
    platforms = [arg for platform in LAMBDA_PLATFORMS for arg in ("--platform", platform)]
    subprocess.run(  # noqa: S603 - pip, with pinned requirements
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            *platforms,
            "--python-version",
            LAMBDA_PYTHON,
            "--implementation",
            "cp",
            "--dest",
            str(cache),
            *requirements,
        ],
        check=True,
    )


def layer_entries(wheels: list[Path]) -> list[tuple[str, bytes]]:
    """The wheels' files under ``python/`` (where Lambda puts layers on sys.path)."""
    entries = []
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                if not name.endswith("/") and _wanted(Path(name)):
                    entries.append((f"python/{name}", archive.read(name)))
    return entries


def _wanted(path: Path) -> bool:
    return "__pycache__" not in path.parts and not path.name.endswith(SKIP_SUFFIXES)


def _distribution_files(top: str) -> list[tuple[str, Path]]:
    names = importlib.metadata.packages_distributions().get(top, [])
    if not names:
        raise SystemExit(f"cannot find the distribution of {top!r} to package it")
    dist = importlib.metadata.distribution(names[0])
    found = []
    for file in dist.files or []:
        path = Path(str(dist.locate_file(file)))
        if file.parts[0] == top or file.name == f"{top}.py":
            if path.suffix in (".so", ".pyd", ".dylib"):
                raise SystemExit(f"{top} is not pure Python: ship it in a layer for arm64")
            if _wanted(path) and path.is_file():
                found.append((file.as_posix(), path))
    return found


def etl_files() -> list[tuple[str, Path]]:
    """The whole tglake package plus the pure-Python third-party packages the ETL needs."""
    files = [
        (p.relative_to(SRC).as_posix(), p)
        for p in (SRC / "tglake").rglob("*")
        if p.is_file() and _wanted(p)
    ]
    modules = imported_modules([*WEBHOOK_ENTRIES, ETL_ENTRY])
    for top in sorted(third_party(modules) - IN_RUNTIME - IN_PANDAS_LAYER - OPTIONAL_NATIVE):
        files += _distribution_files(top)
    return sorted(files)


def write_zip(target: Path, files: list[tuple[str, Path]] | list[tuple[str, bytes]]) -> None:
    """A zip whose bytes depend only on the names and contents of ``files``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w") as archive:
        for name, source in sorted(files, key=lambda item: item[0]):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            info.compress_type = zipfile.ZIP_DEFLATED
            data = source if isinstance(source, bytes) else source.read_bytes()
            archive.writestr(info, data, compresslevel=9)
    tmp.replace(target)


def build(out: Path, *, wheel_cache: Path | None = None) -> dict[str, Path]:
    artifacts = {
        "webhook": out / "lambda-webhook.zip",
        "bot-deps": out / "layer-bot-deps.zip",
        "etl": out / "lambda-etl.zip",
    }
    write_zip(artifacts["webhook"], webhook_files())
    # always built, so the template's layer always has content (a README when the bot needs
    # no third-party package)
    wheels = lambda_wheels(bot_dependencies(), wheel_cache or WHEEL_CACHE)
    write_zip(artifacts["bot-deps"], layer_entries(wheels) or [("python/README", b"no deps\n")])
    write_zip(artifacts["etl"], etl_files())
    return artifacts


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build")
    parser.add_argument(
        "--fetch-wheels",
        action="store_true",
        help=f"only fill the wheel cache ({WHEEL_CACHE}) from the package index, then stop",
    )
    args = parser.parse_args(argv)
    if args.fetch_wheels:
        for wheel in lambda_wheels(bot_dependencies()):
            print(f"cached {wheel}")
        return 0
    for kind, path in build(args.out).items():
        with zipfile.ZipFile(path) as archive:
            count = len(archive.namelist())
        print(f"{kind}: {path} ({path.stat().st_size} bytes, {count} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
