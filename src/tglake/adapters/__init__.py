"""Adapters: the edges where HTTP, AWS and Telegram meet the core."""
