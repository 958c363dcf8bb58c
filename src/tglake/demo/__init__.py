"""``tglake demo``: the whole pipeline on a simulated election conversation.

``simulate`` makes the conversation (pure), ``player`` posts it to a real webhook over HTTP,
``run`` ties server, player, ETL and report together. Nothing here is used in production.
"""
