"""itss: assessment against Japan's IT Skill Standard.

>>> import itss
>>> framework = itss.load_framework()
>>> evidence = itss.read_evidence(path, framework)
>>> result = itss.assess(framework, evidence)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from itss.catalogue import Catalogue, load_catalogue
from itss.engine import registry
from itss.engine.evaluate import Evaluator, assess
from itss.engine.evidence import Evidence
from itss.engine.policy import DEFAULT_POLICY, Policy
from itss.engine.registry import RuleKind, register
from itss.engine.result import Assessment, FieldResult
from itss.engine.verdict import Status, Verdict
from itss.errors import CatalogueError, EvidenceError, ItssError, PolicyError
from itss.io.documents import read_evidence, read_policy

__version__ = "0.1.0"


def load_framework(extra: Sequence[Path | str] = (), *, include_builtin: bool = True) -> Catalogue:
    """The built-in ITSS framework plus any tailored framework files, validated."""
    return load_catalogue(
        [Path(p) for p in extra], checkers=registry.checkers(), include_builtin=include_builtin
    )


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
    "RuleKind",
    "Status",
    "Verdict",
    "assess",
    "load_framework",
    "read_evidence",
    "read_policy",
    "register",
]
