"""The demo's closing summary as plain lines (pure: the CLI prints them)."""

from __future__ import annotations

from tglake.candidates.catalog import bundled
from tglake.demo.run import DemoResult


def _before(result: DemoResult) -> list[str]:
    """What the group's export of the days before the bot added (see demo/before.py)."""
    before = result.before
    if not before.days:
        return []
    days = list(before.days)
    return [
        f"export      {before.kept:>8,} messages of the group before the bot joined ({days[0]} … "
        f"{days[-1]}), from a Telegram Desktop export: {result.etl.exported_rows:,} rows "
        f"(source 'export'), {result.etl.exported_dropped:,} also seen by the webhook",
    ]


def summary_lines(result: DemoResult) -> list[str]:
    traffic, play, etl, report = result.traffic, result.play, result.etl, result.report
    days = f"{result.raw_days[0]} … {result.raw_days[-1]}" if result.raw_days else "none"
    kinds = ", ".join(f"{kind} {count:,}" for kind, count in traffic.kinds.most_common())
    tables = ", ".join(f"{table} {rows:,}" for table, rows in sorted(etl.rows.items()))
    verdict = "✓" if etl.accounted == traffic.distinct else "✗ MISMATCH"
    filled = report.charts - len(report.empty)
    empty = f"; empty: {', '.join(report.empty)}" if report.empty else ""
    lines = [
        f"Simulated {result.first_day} to {result.last_day} (Brasília time), lake {result.lake}",
        f"posted      {traffic.deliveries:>8,} deliveries = {traffic.distinct:,} updates "
        f"+ {traffic.redeliveries:,} redeliveries ({traffic.across_midnight} across midnight)",
        f"kinds       {kinds}",
        f"answered    {play.ok:>8,} × 200, {play.retried:,} retries, {play.failed:,} failed, "
        f"{play.per_second:,.0f} posts/s, p50 {play.percentile(50):.1f} ms, "
        f"p99 {play.percentile(99):.1f} ms",
        f"raw zone    {result.raw_objects:>8,} objects on {len(result.raw_days)} days ({days})",
        f"duplicates  {traffic.deliveries - result.raw_objects:>8,} redeliveries stored nothing new"
        f"; {result.raw_objects - traffic.distinct:,} landed on a later day",
        f"bot         {play.replies:>8,} replies in the webhook answers (its events in raw/bot/)",
        f"ETL         {etl.days:>8} days in {etl.seconds:.1f} s: {etl.updates_read:,} raw "
        f"objects read, {etl.duplicates_dropped:,} duplicates dropped, "
        f"{etl.conflicts_kept} conflicts, {etl.rejects} rejects",
        f"enriched    {tables}",
        *_before(result),
        f"check       {traffic.distinct:,} distinct updates = {etl.update_rows:,} rows "
        f"(one per update) + {etl.unknown_kinds:,} of kinds not flattened {verdict}",
    ]
    lines += _chat_lines(result)
    for preview in result.queries:
        lines.append(f"query {preview.name}: " + " | ".join(preview.columns))
        lines += ["    " + " | ".join(_cell(v) for v in row) for row in preview.rows]
    lines.append(f"report      {report.path} ({filled} of {report.charts} charts with data{empty})")
    return lines + loop_lines(result)


def loop_lines(result: DemoResult) -> list[str]:
    """The loop: what the first days taught the bot, and the held-out days before/after."""
    loop = result.loop
    if loop is None:
        return []
    batch, before, after = loop.batch, loop.before, loop.after
    lines = [
        f"loop        {len(batch.aliases)} aliases learned from {batch.learned_from.start} … "
        f"{batch.learned_from.end} (misses people resolved), applied to the running bot",
    ]
    data = bundled()
    lines += [f"    «{s.text}» → {s.label(data)}: {s.people} people" for s in batch.suggestions[:5]]
    lines.append(
        f"held out    {loop.held_out.start} … {loop.held_out.end}: answered "
        f"{before.answered:,} of {before.questions:,} questions ({before.percent:.1f}%) "
        f"without the aliases, {after.answered:,} ({after.percent:.1f}%) with them; the live "
        f"bot answered {loop.live.answered:,} of {loop.live.questions:,} ({loop.live.percent:.1f}%)"
    )
    return lines


def _chat_lines(result: DemoResult) -> list[str]:
    """Conversations by kind, from the ``summary`` query: a private conversation is one person
    talking to the bot (counted by ``user_key``; the lake keeps no private chat id)."""
    summary = next((q for q in result.queries if q.name == "summary" and q.rows), None)
    if summary is None:
        return []
    row = dict(zip(summary.columns, summary.rows[0], strict=True))
    return [
        f"chats       {row['chats']:>8,} conversations: {row['groups']:,} groups, "
        f"{row['channels']:,} channel(s), {row['private_chats']:,} private conversations "
        f"(one per person)"
    ]


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
