"""The election's reference data: the 2024 candidates of Mogi das Cruzes from the TSE's open data.

``build`` (with ``tse_votes``, ``tse_import``, ``places``, ``parties``) makes the bundled file
offline; ``catalog`` loads it, ``overlay`` lays a lake's own file over it, ``mentions`` finds
candidates in a message and ``text`` folds and formats Portuguese text. The bot, the ETL and the
analytics all read candidates from here.
"""
