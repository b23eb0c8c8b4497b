"""taizhang (台账): the ledger of an organisation's ideological-work responsibility system."""

__version__ = "0.1.0"
