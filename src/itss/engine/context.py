"""What a rule kind may look at while it is built: its criterion, level and the policy."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from itss.catalogue.catalogue import Catalogue
from itss.catalogue.models import Criterion, Level, Text
from itss.engine.policy import Policy


@dataclass(frozen=True)
class BuildContext:
    catalogue: Catalogue
    criterion: Criterion
    level: Level
    policy: Policy
    complexity_concepts: frozenset[str]
    build_rule: Callable[[Mapping[str, Any], Criterion], Any]

    @property
    def fields(self) -> list[str]:
        return self.level.fields

    def nested(self, rule: Mapping[str, Any]) -> Any:
        """Build a rule nested in this one (inside any_of / all_of)."""
        return self.build_rule(rule, self.criterion)

    def item_texts(self) -> list[Text]:
        return [item.text for item in self.criterion.items]

    def field_names(self) -> list[Text]:
        return [self.catalogue.fields[f].name for f in self.fields]
