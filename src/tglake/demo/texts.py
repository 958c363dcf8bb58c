"""The words of the simulated conversation (pt-BR): people, places and what they say.

Templates take ``{prefeito}`` (a mayoral candidate's ballot name), ``{vereador}`` and ``{num}``
(a council candidate and their number), ``{bairro}`` and ``{partido}``.
"""

from __future__ import annotations

FIRST_NAMES: tuple[str, ...] = (
    "Ana", "Bruno", "Carla", "Diego", "Eduarda", "Fábio", "Gabriela", "Henrique", "Isabela",
    "João", "Juliana", "Lucas", "Mariana", "Marcos", "Natália", "Otávio", "Patrícia", "Rafael",
    "Renata", "Sérgio", "Tatiane", "Thiago", "Vanessa", "Vinícius", "Wagner", "Yasmin",
    "Aline", "André", "Beatriz", "Caio", "Camila", "Cláudio", "Daniela", "Edson", "Fernanda",
    "Gustavo", "Helena", "Igor", "Jéssica", "Kátia", "Leandro", "Luana", "Márcia", "Nelson",
    "Paulo", "Priscila", "Roberto", "Sandra", "Simone", "Tiago", "Valéria", "Zé", "Cida",
    "Dona Lurdes", "Seu Jorge", "Akira", "Hiroshi", "Keiko", "Mayara", "Rodrigo",
)  # fmt: skip

LAST_NAMES: tuple[str, ...] = (
    "Silva", "Santos", "Oliveira", "Souza", "Pereira", "Lima", "Costa", "Ferreira", "Rodrigues",
    "Almeida", "Nascimento", "Carvalho", "Gomes", "Ribeiro", "Martins", "Rocha", "Barbosa",
    "Moreira", "Nakamura", "Tanaka", "Yamamoto", "Mendes", "Teixeira", "Cardoso", "Melo",
)  # fmt: skip

BAIRROS: tuple[str, ...] = (
    "Braz Cubas", "Jundiapeba", "César de Souza", "Centro", "Vila Oliveira", "Mogilar",
    "Alto Ipiranga", "Socorro", "Biritiba Ussu", "Vila Industrial", "Jardim Universo",
    "Conjunto Santo Ângelo", "Vila Natal", "Parque Morumbi", "Taiaçupeba", "Sabaúna",
    "Jardim Layr", "Vila Moraes", "Botujuru", "Jardim Aracy", "Cocuera", "Rodeio",
    "Vila São Francisco", "Jardim Santista", "Nova Mogilar",
)  # fmt: skip

HASHTAGS: tuple[str, ...] = (
    "#Mogi2024", "#EleicoesMogi", "#MogiDasCruzes", "#Eleicoes2024", "#Debate", "#Vereador",
)  # fmt: skip

CHAT_TEXTS: tuple[str, ...] = (
    "Alguém sabe onde {prefeito} vai fazer comício em {bairro}?",
    "O trânsito na Francisco Rodrigues Filho hoje tá impossível",
    "Vou de {num} pra vereador, {vereador} é gente boa lá de {bairro}",
    "Em {bairro} ninguém fala de outra coisa que não seja eleição",
    "O debate foi fraco, {prefeito} fugiu da pergunta sobre saúde",
    "Falta vaga em creche em {bairro} e ninguém fala nisso",
    "Acho que dá {prefeito} no primeiro turno",
    "{prefeito} prometeu asfalto em {bairro} de novo kkkk",
    "Alguém tem o número de {vereador}?",
    "Bom dia, Mogi! ☀️",
    "O ônibus pra {bairro} atrasou de novo, 40 minutos no ponto",
    "Cadê a UBS prometida em {bairro}?",
    "A enchente em {bairro} ninguém esquece, quero ver quem resolve",
    "Santinho de {vereador} ({num}) espalhado pela rua toda em {bairro} 🙄",
    "Fechado, meu voto é {num}",
    "Quem é do {partido} aqui? Quero entender a proposta de vocês",
    "{prefeito} passou aqui em {bairro} hoje cedo",
    "O Rodoanel vai mudar tudo em Mogi, e ninguém discute",
    "Mogi precisa de mais segurança na estação de Braz Cubas à noite",
    "Alguém viu a carreata de {vereador}? Parou a Avenida Japão",
    "Minha mãe vota em {bairro} e quer saber quem é {vereador}",
    "Gente, respeito no grupo, cada um vota em quem quiser 🙏",
    "Tem candidato demais pra vereador, como escolher?",
    "{vereador} respondeu minha mensagem, achei atencioso",
    "Proposta de tarifa zero no ônibus é séria ou é só promessa?",
    "Lá em {bairro} a iluminação da praça tá apagada faz meses",
    "Vi a entrevista de {prefeito} na rádio, falou bem de educação",
    "Quem vai no Mogi das Cruzes x Corinthians? ops, grupo errado 😅",
    "A feira de {bairro} virou palanque hoje kkk",
    "Alguém sabe se o {num} é da coligação de {prefeito}?",
)

SHORT_REPLIES: tuple[str, ...] = (
    "kkkkk", "verdade", "concordo", "isso mesmo", "👍", "nada a ver", "também acho",
    "fonte?", "😂😂", "pois é", "exatamente", "discordo total", "boa!", "hahaha",
    "sério isso?", "obrigado!", "valeu pela info", "👏👏👏",
)  # fmt: skip

ELECTION_DAY_TEXTS: tuple[str, ...] = (
    "Fila enorme na escola em {bairro}, vai cedo!",
    "Já votei! {num} pra vereador ✅",
    "Não esqueçam documento com foto, pessoal",
    "Meu local de votação mudou pra {bairro}, alguém sabe o endereço?",
    "Urna quebrou na minha seção em {bairro}, trocaram rápido",
    "Apuração começou! {prefeito} na frente",
    "Saiu o resultado: {prefeito} com mais de 50%?",
    "Boca de urna rolando solta em {bairro} 🙄",
)

CAPTIONS: tuple[str, ...] = (
    "Santinho de {prefeito} na Avenida Voluntário Fernando Pinheiro Franco",
    "Buraco na rua aqui em {bairro}, quem vai resolver?",
    "Comício de {vereador} ontem em {bairro}",
    "Pôr do sol na Serra do Itapeti 😍",
    "Olha a fila na escola em {bairro}",
    "Adesivo do {num} em todo carro aqui",
    "Praça de {bairro} largada",
    "Panfleto que recebi no semáforo",
)

CHANNEL_POSTS: tuple[str, ...] = (
    "Debate dos candidatos a prefeito hoje às 21h {tag}",
    "TRE-SP divulga locais de votação de Mogi das Cruzes {tag}",
    "{prefeito} apresenta plano para a saúde em {bairro} {tag}",
    "Pesquisa: veja como estão os candidatos em Mogi {tag}",
    "Justiça Eleitoral alerta para propaganda irregular em {bairro} {tag}",
    "Candidatos a vereador fazem caminhada em {bairro} {tag}",
    "Eleitor de Mogi pode consultar a seção no app e-Título {tag}",
)

FORWARD_TEXTS: tuple[str, ...] = (
    "URGENTE: horário de votação é das 8h às 17h, horário de Brasília",
    "Confira a lista de candidatos a vereador de Mogi das Cruzes",
    "{prefeito} e {vereador} visitam {bairro} neste sábado",
    "Corrente: vote consciente, pesquise o candidato antes!",
    "Nota oficial do {partido} de Mogi das Cruzes",
)

NOT_ON_THE_BALLOT: tuple[str, ...] = (
    "Tarcísio",
    "Boulos",
    "Pablo Marçal",
    "Ricardo Nunes",
    "Tabata Amaral",
    "Lula",
    "Haddad",
)
"""Names people ask the bot about that are not Mogi das Cruzes 2024 candidates: its misses."""

PRIVATE_QUESTIONS: tuple[str, ...] = (
    "quem ganhou em {bairro}?",
    "qual o número de {vereador}?",
    "oi, como funciona esse bot?",
    "quero saber dos candidatos do {partido}",
    "{prefeito} é de qual partido?",
)

EDIT_SUFFIXES: tuple[str, ...] = (" (corrigindo)", "!", " *", " — editado", ".")

STICKER_EMOJIS: tuple[str, ...] = ("👍", "😂", "😡", "🙏", "🗳️", "🤔", "❤️", "😎")

REACTIONS: tuple[str, ...] = ("👍", "❤", "🔥", "😁", "🤔", "👎", "😢", "🎉", "🤡", "🙏")

FORWARDED_NAMES: tuple[str, ...] = ("Tia do Zap", "Grupo da Família", "Fulano")
