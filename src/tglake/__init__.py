"""tglake: turn a Telegram bot's conversations into analytical data."""

from tglake.config import Settings
from tglake.errors import TglakeError
from tglake.ingest import Outcome, receive
from tglake.storage import LocalStore, ObjectStore

__all__ = ["LocalStore", "ObjectStore", "Outcome", "Settings", "TglakeError", "receive"]
__version__ = "0.1.0"
