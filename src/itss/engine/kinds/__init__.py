"""The built-in rule kinds; importing this package registers them."""

from itss.engine.kinds import engagement, person

__all__ = ["engagement", "person"]
