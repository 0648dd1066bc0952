"""itss: assessment against Japan's IT Skill Standard.

>>> import datetime as dt
>>> import itss
>>> framework = itss.load_framework()
>>> evidence = itss.read_evidence("me.yaml", framework)
>>> result = itss.assess(framework, evidence, as_of=dt.date(2026, 4, 1))
>>> for field in result.fields:
...     for verdict in field.missing:
...         print(itss.render(verdict.missing, "en", framework))
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from itss.catalogue import Catalogue
    from itss.engine.evaluate import Evaluator, assess
    from itss.engine.evidence import Evidence
    from itss.engine.policy import DEFAULT_POLICY, Policy
    from itss.engine.registry import Registry, RuleKind, default_registry, register
    from itss.engine.result import Assessment, FieldResult
    from itss.engine.verdict import Status, Verdict
    from itss.errors import CatalogueError, EvidenceError, ItssError, PolicyError
    from itss.i18n.render import render
    from itss.io.documents import read_evidence, read_policy
    from itss.io.framework import load_framework

# Imported on first use, so that `import itss.cli` (every command) does not import the
# whole library: the command line starts faster.
_HOMES = {
    "Catalogue": "itss.catalogue",
    "Evaluator": "itss.engine.evaluate",
    "assess": "itss.engine.evaluate",
    "Evidence": "itss.engine.evidence",
    "DEFAULT_POLICY": "itss.engine.policy",
    "Policy": "itss.engine.policy",
    "Registry": "itss.engine.registry",
    "RuleKind": "itss.engine.registry",
    "default_registry": "itss.engine.registry",
    "register": "itss.engine.registry",
    "Assessment": "itss.engine.result",
    "FieldResult": "itss.engine.result",
    "Status": "itss.engine.verdict",
    "Verdict": "itss.engine.verdict",
    "CatalogueError": "itss.errors",
    "EvidenceError": "itss.errors",
    "ItssError": "itss.errors",
    "PolicyError": "itss.errors",
    "render": "itss.i18n.render",
    "read_evidence": "itss.io.documents",
    "read_policy": "itss.io.documents",
    "load_framework": "itss.io.framework",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'itss' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


__version__ = "0.1.0"


__all__ = [
    "DEFAULT_POLICY",
    "Assessment",
    "Catalogue",
    "CatalogueError",
    "Evaluator",
    "Evidence",
    "EvidenceError",
    "FieldResult",
    "ItssError",
    "Policy",
    "PolicyError",
    "Registry",
    "RuleKind",
    "Status",
    "Verdict",
    "assess",
    "default_registry",
    "load_framework",
    "read_evidence",
    "read_policy",
    "register",
    "render",
]
