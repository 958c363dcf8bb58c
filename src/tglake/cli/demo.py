"""``tglake demo``: the whole pipeline on a simulated election conversation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click


class RichReporter:
    """One rich progress bar per stage."""

    def __init__(self) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.progress = Progress(
            TextColumn("{task.description:<28}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        self.task: Any = None

    def stage(self, name: str, total: int | None) -> Callable[[int], None]:
        if self.task is None:
            self.progress.start()
        self.task = self.progress.add_task(name, total=total)
        task = self.task
        return lambda n: self.progress.advance(task, n)

    def end_stage(self) -> None:
        if self.task is not None:
            done = self.progress.tasks[-1].completed
            self.progress.update(self.task, total=done, completed=done)

    def close(self) -> None:
        self.progress.stop()


@click.command()
@click.option(
    "--days",
    default=7,
    show_default=True,
    type=click.IntRange(1, 366),
    help="Days of conversation, ending on election day (6 Oct 2024).",
)
@click.option(
    "--updates-per-day",
    default=3000,
    show_default=True,
    type=click.IntRange(1),
    help="Average updates a day (weekends calmer, election day busier).",
)
@click.option("--seed", default=2024, show_default=True, type=int, help="Same seed, same chat.")
@click.option(
    "--lake",
    default="demo-lake",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of the demo lake (a previous demo lake there is replaced).",
)
def demo(days: int, updates_per_day: int, seed: int, lake: Path) -> None:
    """Run the whole pipeline on a simulated election chat: no token, no cloud, no network."""
    from tglake.demo.run import DemoOptions, run_demo
    from tglake.demo.summary import summary_lines

    reporter = RichReporter()
    try:
        result = run_demo(
            DemoOptions(lake=lake, days=days, updates_per_day=updates_per_day, seed=seed),
            reporter,
        )
    finally:
        reporter.close()
    for line in summary_lines(result):
        click.echo(line)
