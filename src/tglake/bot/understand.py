"""A message in plain Portuguese, understood: parsed, resolved against the conversation's
context, evaluated and worded; and the context the next message may lean on.

:func:`understand` is the bot's one path for free text (private messages, mentions of the bot
in groups, replies to it); commands and buttons keep their own routes in
:mod:`tglake.bot.commands`.
"""

from __future__ import annotations

import dataclasses

from tglake.bot import parse, render
from tglake.bot.context import Context
from tglake.bot.question import Ask, Limit, Question
from tglake.bot.render import Reply
from tglake.candidates.catalog import CandidateData

_ASKING = frozenset({"quem", "qual", "quais", "quantos", "quantas", "como", "onde", "quando",
                     "quanto", "que"})  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Understood:
    question: Question | None
    reply: Reply
    context: Context | None
    """What to keep for the next message (None: keep nothing new)."""
    rule: str


def understand(
    data: CandidateData,
    text: str,
    context: Context | None = None,
    *,
    replying: bool = False,
) -> Understood:
    """The reply to one message, given the conversation's context (None: a fresh start)."""
    q, p, rule = parse.parse(data, text)
    q = parse.resolve(q, p, context, data, rule=rule, replying=replying)
    if q is None:
        q = _unrecognised(data, p)
        rule = rule or "unrecognised"
    reply = render.render(data, q)
    keep = q.ask not in (Ask.HELP, Ask.LIMIT, Ask.CLARIFY)
    return Understood(q, reply, to_context(q) if keep and reply.answered else None, rule)


def _unrecognised(data: CandidateData, p: parse.Parsed) -> Question:
    """No rule answered: a question the data cannot answer, or a name no candidate has."""
    words = p.words
    asking = "?" in p.raw or bool(words and words[0] in _ASKING)
    if not asking and 0 < len(words) <= 4:
        return Question(Ask.LIMIT, limit=Limit.UNKNOWN_NAME, detail=" ".join(t.raw for t in p.toks))
    return Question(Ask.LIMIT, limit=Limit.NOT_IN_DATA)


def to_context(q: Question) -> Context:
    scope = None if q.scope.is_city else (q.scope.kind, q.scope.id)
    return Context(
        ask=q.ask.value,
        candidates=q.candidates,
        parties=q.parties,
        office=q.office,
        scope=scope,
        position=q.position,
    )
