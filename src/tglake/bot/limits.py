"""What the bot knows, said once: every refusal, the help text and the turnout note read it.

A question the data cannot answer (another city or year, the electorate, why someone lost, a
prediction, a candidate's age or proposals, a name no candidate has) gets :func:`refusal`: one
line saying what is missing, then :data:`KNOWS`, then examples of what can be asked, and never
a figure about something else presented as the answer.
"""

from __future__ import annotations

from tglake.bot import menu
from tglake.bot.question import Limit

KNOWS = (
    "Eu sei os resultados do 1º turno da eleição municipal de 2024 em Mogi das Cruzes (SP), "
    "seção por seção, dos arquivos do TSE: votos de cada candidato a prefeito e a vereador, "
    "brancos, nulos e de legenda, por bairro, local de votação e zona eleitoral."
)
"""The one statement of what the data holds."""
EXAMPLES = (
    "Pergunte, por exemplo: «quem ganhou pra prefeito?», «quantos votos teve a Inês Paz no "
    "Jundiapeba?», «quem teve mais, Caio ou Valverde?», «o 2º mais votado do PL», «quem ganhou "
    "na escola Aprigio de Oliveira?», «quantos votos brancos na zona 287?», «quem foi eleito "
    "vereador?»."
)
TURNOUT_NOTE = (
    "O total de votos apurados é o comparecimento (cada eleitor vota uma vez em cada cargo). "
    "Eleitorado e abstenção não estão nestes dados."
)
WHY = {
    Limit.OTHER_CITY: "Só tenho dados de Mogi das Cruzes, não de {detail}.",
    Limit.OTHER_YEAR: "Só tenho a eleição de 2024, não a de {detail}.",
    Limit.ELECTORATE: (
        "Eleitorado, eleitores aptos e abstenção não estão nos meus dados (só os votos "
        "apurados); sei o total de votos apurados, que é o comparecimento."
    ),
    Limit.PROFILE: (
        "Idade, profissão, propostas, vice, salário e vida dos candidatos não estão nos meus "
        "dados (só nome de urna, número, partido e votos; veja /perfil)."
    ),
    Limit.OPINION: "Não dou opinião sobre candidatos: só mostro os votos que cada um teve.",
    Limit.PREDICTION: "Não faço previsões: só tenho os resultados já apurados de 2024.",
    Limit.WHY: "Os motivos de uma vitória ou derrota não estão nos dados: só os votos.",
    Limit.UNKNOWN_NAME: "Não encontrei candidato com o nome «{detail}» em Mogi das Cruzes em 2024.",
    Limit.UNKNOWN_PLACE: "Não encontrei o lugar «{detail}» entre os locais de votação de Mogi.",
    Limit.NOT_IN_DATA: "Isso não está nos dados que tenho.",
    Limit.ABSENT_PARTY: "O {detail} não teve candidatos em Mogi das Cruzes em 2024.",
    Limit.OTHER_OFFICE: (
        "Só tenho a eleição municipal (prefeito e vereador); deputados, senadores, governador "
        "e presidente não estão nos meus dados."
    ),
}
WHICH_PLACE = (
    "De qual bairro? Pergunte com o nome do lugar («quem ganhou no Jundiapeba?»), ou envie "
    "/meubairro &lt;nome&gt; e eu lembro."
)
HELP = "\n".join(
    [
        "<b>Eleições 2024 em Mogi das Cruzes</b> — pergunte do seu jeito sobre candidatos, "
        "partidos, bairros, locais de votação e zonas.",
        KNOWS,
        EXAMPLES,
        "Comandos:",
        *menu.help_lines(),
    ]
)
"""The answer to /ajuda, «como funciona?», «oi»: the command lines come from the menu table."""


def refusal(limit: Limit | None, detail: str = "") -> str:
    """Why the question is not answered, what the bot knows, and what to ask instead."""
    from tglake.candidates.text import esc

    if limit == Limit.WHICH_PLACE:
        return WHICH_PLACE
    why = WHY.get(limit or Limit.NOT_IN_DATA, WHY[Limit.NOT_IN_DATA])
    shown = esc(detail.upper() if limit == Limit.ABSENT_PARTY else detail.title())
    first = why.format(detail=f"<b>{shown}</b>" if detail else "outro lugar/ano")
    return "\n".join([f"ℹ️ {first}", KNOWS, EXAMPLES])
