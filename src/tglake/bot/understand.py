"""A message in plain Portuguese, understood: parsed, resolved against the conversation's
context, evaluated and worded; and the context the next message may lean on.

:func:`understand` is the bot's one path for free text (private messages, mentions of the bot
in groups, replies to it); commands and buttons keep their own routes in
:mod:`tglake.bot.commands`.
"""

from __future__ import annotations

import dataclasses
import re

from tglake.bot import parse, render
from tglake.bot.context import Context
from tglake.bot.question import Ask, Limit, Question
from tglake.bot.render import Reply
from tglake.candidates.catalog import CandidateData

_ASKING = frozenset(
    {"quem", "qual", "quais", "quantos", "quantas", "como", "onde", "quando", "quanto", "que"}
)


@dataclasses.dataclass(frozen=True)
class Understood:
    question: Question | None
    reply: Reply
    context: Context | None
    """What to keep for the next message (None: keep nothing new)."""
    rule: str


_SENTENCES = re.compile(r"[?!;\n]+|(?<!\d)\.(?!\d)")
_AND_THEN = re.compile(
    r",?\s+(?=(?:e|mas|tb|tbm|tamb[ée]m|e\s+tamb[ée]m)\s+(?:quantos|quantas|quanto|qnts|qts|"
    r"quem|qual|quais|onde|em\s+que|em\s+qual|se\s|com\s+quantos|ele|ela|como|qm|no|na|em)\b)",
    re.IGNORECASE,
)
"""Where a sentence goes on to a new question: the «e» stays, so the clause is a follow-up."""
MAX_CLAUSES = 4
"""Questions answered from one message (a voice message may ask three things at once)."""


def clauses(text: str) -> list[str]:
    """The message cut into sentences, and sentences at «… e quantos…», «… e quem…»."""
    out: list[str] = []
    for sentence in _SENTENCES.split(text):
        out += [c.strip(" ,") for c in _AND_THEN.split(sentence) if c.strip(" ,")]
    return out


def understand(
    data: CandidateData,
    text: str,
    context: Context | None = None,
    *,
    replying: bool = False,
) -> Understood:
    """The reply to one message, given the conversation's context (None: a fresh start). A
    message that asks several things gets each answered, in order, each clause a follow-up of
    the ones before (a story's «moro no Jundiapeba» gives the later «quem ganhou aqui?» its
    place)."""
    parts = clauses(text)
    if len(parts) < 2:
        return _one(data, text, context, replying)
    answered: list[Understood] = []
    running = context
    for part in parts[: MAX_CLAUSES * 3]:
        u = _one(data, part, running, replying and not answered)
        asks = u.rule not in parse.ENTITY_ONLY and u.rule not in ("", "unrecognised", "help")
        if u.question is not None and u.question.ask in (Ask.LIMIT,) and u.rule == "unrecognised":
            asks = False
        if asks or (
            u.rule in parse.ENTITY_ONLY
            and running is not None
            and running.ask
            and answered
            and parse.read(data, part).words[:1] == ("e",)
        ):
            if not any(a.reply.text == u.reply.text for a in answered):
                answered.append(u)
        if u.context is not None:
            running = u.context if asks or running is None else _with_entities(running, u.context)
        if len(answered) >= MAX_CLAUSES:
            break
    if not answered:
        return _one(data, text, context, replying)
    if len(answered) == 1:
        return dataclasses.replace(answered[0], context=running or answered[0].context)
    reply = Reply(
        "\n\n".join(a.reply.text for a in answered),
        tuple(i for a in answered for i in a.reply.ids),
        any(a.reply.answered for a in answered),
        answered[-1].reply.buttons,
    )
    return Understood(answered[-1].question, reply, running, "+".join(a.rule for a in answered))


def _with_entities(base: Context, found: Context) -> Context:
    """A story clause («sou do Jardim Universo») adds its place or people to the context."""
    return dataclasses.replace(
        base,
        scope=found.scope or base.scope,
        candidates=found.candidates or base.candidates,
        parties=found.parties or base.parties,
    )


def _one(data: CandidateData, text: str, context: Context | None, replying: bool) -> Understood:
    q, p, rule = parse.parse(data, text)
    q = parse.resolve(q, p, context, data, rule=rule, replying=replying)
    if q is None:
        q = _unrecognised(data, p)
        rule = rule or "unrecognised"
    reply = render.render(data, q)
    keep = q.ask not in (Ask.HELP, Ask.LIMIT, Ask.CLARIFY)
    kept = to_context(q, reply, context) if keep and reply.answered else None
    return Understood(q, reply, kept, rule)


def _unrecognised(data: CandidateData, p: parse.Parsed) -> Question:
    """No rule answered: a question the data cannot answer, or a name no candidate has."""
    words = p.words
    asking = "?" in p.raw or bool(words and words[0] in _ASKING)
    if not asking and 0 < len(words) <= 4:
        return Question(Ask.LIMIT, limit=Limit.UNKNOWN_NAME, detail=" ".join(t.raw for t in p.toks))
    return Question(Ask.LIMIT, limit=Limit.NOT_IN_DATA)


def to_context(q: Question, reply: Reply | None = None, before: Context | None = None) -> Context:
    """What a follow-up may lean on: the question's entities, and what the answer found (the
    candidate in «o segundo», the bairro in «onde foi melhor»), with the candidates asked about
    before (``before``) for «os dois»."""
    where = reply.where if reply is not None and reply.where is not None else q.scope
    scope = None if where.is_city else (where.kind, where.id)
    about = reply.about if reply is not None else ()
    candidates = q.candidates or about
    earlier: tuple[int, ...] = ()
    if before is not None:
        earlier = before.candidates if before.candidates != candidates else before.earlier
    return Context(
        ask=q.ask.value,
        candidates=candidates,
        earlier=earlier,
        parties=q.parties,
        office=q.office,
        scope=scope,
        position=q.position,
    )
