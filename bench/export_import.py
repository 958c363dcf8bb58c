"""Benchmark of ``tglake import export``: MB/s and peak memory of the streamed import, against
a floor run in the same invocation: ``json.load`` of the same file (what a non-streaming import
would start with, before doing any work).

    python bench/export_import.py             # a ~100 MB single-chat export
    python bench/export_import.py --mb 300

Each measurement runs in a fresh child process, so its peak memory (``ru_maxrss``) is its own.
Numbers on a shared machine are noisy; the memory ratio is the figure that matters.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import export_shapes as xs


def make_export(path: Path, megabytes: int) -> int:
    """Write the export in a child process: a parent that held it would hand its peak memory
    to every child (Linux keeps ``ru_maxrss`` across fork and exec)."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_make_export, args=(str(path), megabytes, queue))
    process.start()
    count: int = queue.get()
    process.join()
    return count


def _make_export(path_name: str, megabytes: int, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    path = Path(path_name)
    one = xs.message(1, xs.at(16, 9), 1001, "Ana Souza", text="texto de campanha em Mogi " * 8)
    size = len(json.dumps(one, ensure_ascii=False, indent=1)) + 2
    count = megabytes * 2**20 // size
    messages = [
        {**one, "id": i, "from_id": f"user{1000 + i % 500}",
         "date_unixtime": str(int(xs.at(1 + i % 28, 9).timestamp()) + i % 50_000)}
        for i in range(count)
    ]  # fmt: skip
    xs.write(path.parent, xs.single_chat(messages))
    out.put(count)


def _import(path: str, lake: str, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    from tglake.config import Settings
    from tglake.ingest.export import import_export
    from tglake.storage import LocalStore

    settings = Settings.from_env({"TGLAKE_LAKE": lake})
    started = time.perf_counter()
    report = import_export(Path(path), settings=settings, raw=LocalStore(settings.raw_uri))
    seconds = time.perf_counter() - started
    out.put((seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, report.kept))


def _json_load(path: str, lake: str, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    started = time.perf_counter()
    with open(path, "rb") as handle:
        document = json.load(handle)
    seconds = time.perf_counter() - started
    out.put(
        (seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(document["messages"]))
    )


def measure(target: object, path: Path, lake: Path) -> tuple[float, int, int]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(str(path), str(lake), queue))
    process.start()
    result = queue.get()
    process.join()
    return result  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export" / "result.json"
        count = make_export(path, args.mb)
        size = path.stat().st_size / 2**20
        floor = measure(_json_load, path, Path(folder) / "unused")
        ours = measure(_import, path, Path(folder) / "lake")
        print(f"export: {size:.0f} MB, {count:,} messages")
        print(f"json.load (floor): {floor[0]:.1f} s, peak RSS {floor[1] / 1024:.0f} MB")
        print(f"import export:     {ours[0]:.1f} s ({size / ours[0]:.1f} MB/s), "
              f"peak RSS {ours[1] / 1024:.0f} MB, {ours[2]:,} messages kept")  # fmt: skip
        print(f"ratio: time ×{ours[0] / floor[0]:.2f}, peak memory ×{ours[1] / floor[1]:.2f}")


if __name__ == "__main__":
    main()
