"""One message catalogue in two languages: every key has both texts, every text is used,
every placeholder is filled, and nothing renders as a gap."""

from __future__ import annotations

import ast
import datetime as dt
import io
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import itss
from itss.catalogue.catalogue import Catalogue
from itss.demo import generate_people
from itss.engine.evaluate import MESSAGES as EVALUATOR_MESSAGES
from itss.engine.evidence import DEPTHS, MEASURES, ROLES
from itss.engine.registry import default_registry
from itss.engine.verdict import Message, Status
from itss.i18n import DOMAIN, LANGS, po_path, tr
from itss.i18n.render import render
from itss.io.validation import TRANSLATED
from tests.conftest import Itss

SRC = Path(__file__).resolve().parents[2] / "src" / "itss"
KEY = re.compile(r"[a-z_][a-z0-9_]*(\.[a-z0-9_]+)+")
# A template's text: t("web.key", ...) or t('web.key').
TEMPLATE_KEY = re.compile(r"""\bt\(\s*["']([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)+)["']""")


def _catalogue(lang: str) -> dict[str, str]:
    with po_path(lang).open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle) if m.id}


def _literal_keys() -> Iterator[str]:
    """Keys written in the code: strings in the namespaces of the catalogue."""
    namespaces = {k.split(".")[0] for k in _catalogue("en")}
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                if KEY.fullmatch(text) and text.split(".")[0] in namespaces:
                    yield text
    for path in (SRC / "web" / "templates").rglob("*.html"):
        yield from TEMPLATE_KEY.findall(path.read_text(encoding="utf-8"))


def _declared_keys(framework: Catalogue) -> set[str]:
    """Keys the code builds from values: kinds' messages, words, statuses, sections."""
    found = set(EVALUATOR_MESSAGES)
    for kind in default_registry():
        found.update(kind.messages)
    found.update(f"role.{r}" for r in ROLES)
    found.update(f"depth.{d}" for d in DEPTHS)
    found.update(f"measure.{m}" for m in MEASURES)
    found.update(f"status.{s.value}" for s in Status)
    found.update(f"section.{c.section}" for c in framework.criteria.values())
    found.add("exam.ap")
    found.update(f"validation.{kind}" for kind in TRANSLATED)
    return found


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", LANGS)
def test_what_runs_is_the_catalogue_compiled(lang: str) -> None:
    with po_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    assert po_path(lang, ".mo").read_bytes() == compiled.getvalue(), "run `make messages`"


def test_every_key_has_a_text_in_both_languages(framework: Catalogue) -> None:
    used = set(_literal_keys()) | _declared_keys(framework)
    for lang in LANGS:
        texts = _catalogue(lang)
        assert sorted(k for k in used if not texts.get(k, "").strip()) == [], lang


def test_every_text_of_the_catalogue_is_used(framework: Catalogue) -> None:
    used = set(_literal_keys()) | _declared_keys(framework)
    assert sorted(set(_catalogue("en")) - used) == []
    assert set(_catalogue("ja")) == set(_catalogue("en"))


def test_both_languages_fill_the_same_placeholders() -> None:
    ja, en = _catalogue("ja"), _catalogue("en")
    assert {k: _placeholders(v) for k, v in ja.items()} == {
        k: _placeholders(v) for k, v in en.items()
    }


def _verdict_messages(result: itss.Assessment) -> Iterator[Message]:
    for field in result.fields:
        explained = field.explanation
        for level in (explained.reached, explained.next, explained.within_reach):
            for verdict in level.criteria if level else ():
                yield verdict.reason
                if verdict.missing is not None:
                    yield verdict.missing


@pytest.mark.parametrize("lang", LANGS)
def test_explanations_render_whole_in_both_languages(
    framework: Catalogue, evaluator: itss.Evaluator, lang: str
) -> None:
    """Strictly: a placeholder without its value, or a value that is None, fails."""
    day = dt.date(2026, 4, 1)
    people = generate_people(framework, 150, seed=5, as_of=day)
    keys: set[str] = set()
    for person in people:
        for message in _verdict_messages(evaluator.assess(person, day)):
            text = render(message, lang, framework, strict=True)
            keys.add(message.key)
            assert text
            assert text != message.key
            assert "{" not in text
            assert "—" not in text
            assert "None" not in text
    assert len(keys) >= 25  # the sample reaches most kinds of explanation


def test_a_tailored_kind_brings_its_own_texts() -> None:
    registry = itss.default_registry()
    assert "tenure.met" not in registry.texts
    kind = itss.RuleKind(
        "tenure-texts",
        "person",
        registry.get("mentoring").params,
        registry.get("mentoring").build,
        messages=("tenure.met",),
        texts={"tenure.met": ("在籍{years}年", "{years} years in the company")},
    )
    scoped = registry.copy()
    scoped.register(kind)
    assert scoped.texts["tenure.met"] == ("在籍{years}年", "{years} years in the company")
    assert "tenure.met" not in registry.texts


def test_japanese_and_english_messages_and_errors(itss: Itss, tmp_path: Path) -> None:
    code, _, err = itss("assess", "--all", "--lang", "ja")
    assert code == 2
    assert err.startswith("エラー: ")
    assert "存在しません: `itss db init` を実行してください" in err
    code, _, err = itss("assess", "--all", "--lang", "en")
    assert err.startswith("error: ")
    assert "does not exist: run `itss db init`" in err
    bad = tmp_path / "bad.csv"
    bad.write_text("person_id,name\n,x\n", encoding="utf-8")
    itss("db", "init")
    code, _, err = itss("import", str(bad), "--lang", "ja")
    assert code == 2
    assert "何も取り込んでいません: 問題 1件" in err
    assert "bad.csv、2行目、列 person_id: 値が必要です" in err
    assert tr("cli.wrote", "ja", path="x") == "x に書き出しました"


def test_evidence_problems_in_japanese(itss: Itss, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "person: {id: p, name: P}\n"
        "engagements:\n"
        "  - {id: a, field: itsm.operation, role: member, start: 2020-01-01}\n"
        "  - {id: b, field: itsm.operations, role: boss, start: 2020/13/01}\n",
        encoding="utf-8",
    )
    code, _, err = itss("assess", str(path), "--lang", "ja")
    assert code == 2
    assert "engagements[1](b).role: 次のいずれかを指定してください" in err
    assert "engagements[1](b).start: 暦にない日付です" in err
    path.write_text(
        "person: {id: p, name: P}\n"
        "engagements:\n"
        "  - {id: a, field: itsm.operation, role: member, start: 2020-01-01}\n",
        encoding="utf-8",
    )
    code, _, err = itss("assess", str(path), "--lang", "ja")
    assert "不明な専門分野 'itsm.operation'(もしかして: 'itsm.operations'" in err
