"""The candidate bot: TSE data for Mogi das Cruzes 2024 and the bot's command handlers.

Pure domain code: nothing here imports boto3, an ASGI framework or click at module level.
"""
