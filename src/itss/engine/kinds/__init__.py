"""The built-in rule kinds, registered the way a tailored kind is."""

from itss.engine.kinds import engagement, person
from itss.engine.registry import Registry


def register_builtin(registry: Registry) -> None:
    for kind in (*engagement.KINDS, *person.KINDS):
        registry.register(kind)


__all__ = ["register_builtin"]
