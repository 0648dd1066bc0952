"""The pages' templates and what they may call: texts from the message catalogue, framework
texts in the chosen language (the source's Japanese where no English exists)."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from itss.i18n import tr


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("itss.web", "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["level_class"] = level_class
    env.filters["trend_total"] = trend_total
    return env


def trend_total(levels: dict[str, dict[int, int]], field: str) -> int:
    """People at level 1 or above in a field, at one run (the trend chart's scale)."""
    return sum(n for level, n in levels.get(field, {}).items() if level > 0)


def level_class(level: int | None) -> str:
    """The heat map's shade of a level (0: none)."""
    return f"lv{min(max(level or 0, 0), 7)}"


class Words:
    """The template's `t` and `text`: the catalogue and framework texts in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def t(self, key: str, /, **values: Any) -> str:
        return tr(key, self.lang, **values)

    def text(self, found: Any) -> str:
        """A framework or report text (`ja`, `en`): English only where there is one."""
        if found is None:
            return ""
        return str(getattr(found, self.lang, None) or found.ja)


def render(name: str, lang: str, values: dict[str, Any]) -> str:
    words = Words(lang)
    return environment().get_template(name).render(t=words.t, text=words.text, lang=lang, **values)
