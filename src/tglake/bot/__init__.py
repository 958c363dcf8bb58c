"""The candidate bot: commands, search, cards and the responder that answers an update.

Pure domain code: nothing here imports boto3, an ASGI framework or click at module level. The
candidate data it answers from lives in :mod:`tglake.candidates`.
"""
