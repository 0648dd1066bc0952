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
