"""The root of reelstats' exceptions; each process adds a few subclasses and translates them at its edge."""


class ReelstatsError(Exception):
    """Base class of every error reelstats raises on purpose."""


class ConfigError(ReelstatsError):
    """The environment does not describe a usable configuration; the message names the variable."""
