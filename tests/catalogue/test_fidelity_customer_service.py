"""Fidelity of customer_service.yaml to its source, 002_28c3cad262b983aa.txt (Customer Service).

The seed is parsed here independently of the data file: every checkbox item (split on □) of
every level, the criterion sentences, and the numbers they carry, are checked against the data.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SEED_NAME = "002_28c3cad262b983aa.txt"
SEED = REPO / ".." / "shared" / "seeds" / SEED_NAME
DATA = REPO / "src" / "itss" / "catalogue" / "data" / "customer_service.yaml"

FIELD_IDS = {
    "ハードウェア": "cs.hardware",
    "ソフトウェア": "cs.software",
    "ファシリティマネジメント": "cs.facility-management",
    "ハードウェア、ソフトウェア共通": "cs.common",
}
SECTION_MARKS = {"●責任性": "responsibility", "●複雑性": "complexity", "●サイズ": "size"}


def norm(text: str) -> str:
    """NFKC, no whitespace at all (the seed is full of layout spaces)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def numbers(text: str) -> set[int]:
    """The numbers a text states (㎡ would NFKC to 'm2', so it is taken out first)."""
    plain = norm(text.replace("㎡", "平方メートル")).replace(",", "")
    return {int(n) for n in re.findall(r"\d+", plain)}


@dataclass
class SeedLevel:
    level_id: str
    level: int
    # (section, normalised text, line) of every checkbox item
    items: list[tuple[str, str, int]] = field(default_factory=list)
    # (section, normalised text, line) of every criterion sentence
    heads: list[tuple[str, str, int]] = field(default_factory=list)


def parse_seed() -> list[SeedLevel]:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    end = next(i for i, line in enumerate(lines) if line.strip() == "職種の概要と達成度指標")
    starts = [
        i for i, line in enumerate(lines[:end]) if line.strip() == "カスタマサービスの達成度指標"
    ]
    levels: list[SeedLevel] = []
    for k, start in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else end
        assert lines[start + 1].strip() == "専門分野"
        field_id = FIELD_IDS[lines[start + 2].strip()]
        number = int(unicodedata.normalize("NFKC", lines[start + 3].strip()).removeprefix("レベル"))
        seed_level = SeedLevel(f"{field_id}.l{number}", number)
        section = ""
        for index in range(start + 4, stop):
            raw = lines[index]
            text = raw.strip(" \t\u3000")
            if not text or text.startswith("【"):
                continue
            if text in SECTION_MARKS:
                section = SECTION_MARKS[text]
                continue
            if text.startswith("－"):
                body = text[1:]
                if "技術の継承" in body:
                    section = "succession"
                elif body.startswith("後進の育成"):
                    section = "mentoring"
                else:
                    section = "expertise"
                seed_level.heads.append((section, norm(body), index + 1))
                continue
            if "□" in text:
                for part in raw.split("□")[1:]:
                    assert norm(part), f"empty checkbox item on line {index + 1}"
                    seed_level.items.append((section, norm(part), index + 1))
                continue
            seed_level.heads.append((section, norm(text), index + 1))
        levels.append(seed_level)
    return levels


SEED_LEVELS = parse_seed()


def load_category() -> dict[str, Any]:
    with DATA.open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    categories = document["categories"]
    assert len(categories) == 1
    category: dict[str, Any] = categories[0]
    return category


CATEGORY = load_category()
LEVELS: dict[str, dict[str, Any]] = {level["id"]: level for level in CATEGORY["levels"]}


def data_items(level: dict[str, Any]) -> list[tuple[str, str, int, dict[str, Any]]]:
    found: list[tuple[str, str, int, dict[str, Any]]] = []
    for criterion in level["criteria"]:
        for item in criterion.get("items", []):
            lines = [s["line"] for s in item["sources"] if s["file"] == SEED_NAME]
            assert len(lines) == 1, item["id"]
            found.append((item["section"], norm(item["text"]["ja"]), lines[0], item))
    return found


def rule_numbers(rule: Any) -> set[int]:
    found: set[int] = set()
    if isinstance(rule, dict):
        for key, value in rule.items():
            if key in ("min", "max", "below") and isinstance(value, int):
                found.add(value)
            elif key in ("of",):
                found |= rule_numbers(value)
    elif isinstance(rule, list):
        for entry in rule:
            found |= rule_numbers(entry)
    return found


def criterion(level: dict[str, Any], criterion_id: str) -> dict[str, Any]:
    matches = [c for c in level["criteria"] if c["id"] == criterion_id]
    assert len(matches) == 1, criterion_id
    found: dict[str, Any] = matches[0]
    return found


def test_every_seed_level_is_in_the_data() -> None:
    assert sorted(s.level_id for s in SEED_LEVELS) == sorted(LEVELS)
    assert len(SEED_LEVELS) == 12


def test_fields_and_their_levels() -> None:
    fields = {f["id"]: f["levels"] for f in CATEGORY["fields"]}
    assert fields == {
        "cs.hardware": [1, 2, 3, 4, 5],
        "cs.software": [1, 2, 3, 4, 5],
        "cs.facility-management": [3, 4, 5, 6],
    }
    for seed_level in SEED_LEVELS:
        level = LEVELS[seed_level.level_id]
        owners = [level["field"]] if level.get("field") else level["common_to"]
        for owner in owners:
            assert seed_level.level in fields[owner]


@pytest.mark.parametrize("seed_level", SEED_LEVELS, ids=[s.level_id for s in SEED_LEVELS])
def test_checkbox_items_exactly_once(seed_level: SeedLevel) -> None:
    level = LEVELS[seed_level.level_id]
    items = data_items(level)
    seed_counts = Counter((section, text) for section, text, _ in seed_level.items)
    data_counts = Counter((section, text) for section, text, _, _ in items)
    assert data_counts == seed_counts
    assert all(count == 1 for count in seed_counts.values())
    assert sorted((s, t, n) for s, t, n, _ in items) == sorted(seed_level.items)
    per_section_seed = Counter(section for section, _, _ in seed_level.items)
    per_section_data = Counter(section for section, _, _, _ in items)
    assert per_section_data == per_section_seed


@pytest.mark.parametrize("seed_level", SEED_LEVELS, ids=[s.level_id for s in SEED_LEVELS])
def test_criterion_sentences_verbatim(seed_level: SeedLevel) -> None:
    level = LEVELS[seed_level.level_id]
    sentences = {
        (c["section"], norm(c["text"]["ja"]), c["sources"][0]["line"])
        for c in level["criteria"]
        if not c["id"].endswith(".conduct")
    }
    assert sentences == set(seed_level.heads)


@pytest.mark.parametrize("seed_level", SEED_LEVELS, ids=[s.level_id for s in SEED_LEVELS])
def test_size_numbers(seed_level: SeedLevel) -> None:
    level = LEVELS[seed_level.level_id]
    checked = 0
    for section, _, _, item in data_items(level):
        if section != "size":
            continue
        assert rule_numbers(item["rule"]) == numbers(item["text"]["ja"]), item["id"]
        checked += 1
    assert checked == sum(1 for section, _, _ in seed_level.items if section == "size")


@pytest.mark.parametrize("seed_level", SEED_LEVELS, ids=[s.level_id for s in SEED_LEVELS])
def test_responsibility_rule(seed_level: SeedLevel) -> None:
    level = LEVELS[seed_level.level_id]
    sentence = next(t for s, t, _ in seed_level.heads if s == "responsibility")
    rule = criterion(level, f"{seed_level.level_id}.responsibility")["rule"]
    assert rule["kind"] == "repetition"
    assert rule["role"] == ("responsible" if "責任者" in sentence else "member")
    split = re.search(r"(\d)回以上\(内(\d)回以上はレベル(\d)、他はレベル(\d)以上", sentence)
    if split:
        assert rule["count"] == int(split[1])
        assert rule["of_which"] == {"count": int(split[2]), "level_at_least": int(split[3])}
        assert rule["level_at_least"] == int(split[4])
    else:
        single = re.search(r"(\d)回以上\(レベル(\d)の複雑性", sentence)
        assert single, sentence
        assert rule["count"] == int(single[1])
        assert rule["level_at_least"] == int(single[2])
        assert "of_which" not in rule
    conduct = [c for c in level["criteria"] if c["id"].endswith(".responsibility.conduct")]
    if "リードする" in sentence or "保守容易性等を満足する" in sentence:
        assert len(conduct) == 1
        assert conduct[0]["rule"] == {"kind": "attested"}
        assert sentence.startswith(norm(conduct[0]["text"]["ja"]))
    else:
        assert conduct == []


@pytest.mark.parametrize("seed_level", SEED_LEVELS, ids=[s.level_id for s in SEED_LEVELS])
def test_minimums(seed_level: SeedLevel) -> None:
    level = LEVELS[seed_level.level_id]
    heads = {s: t for s, t, _ in seed_level.heads}
    complexity = criterion(level, f"{seed_level.level_id}.complexity")["rule"]
    if "幾つか" in heads["complexity"]:  # "several": two, one as a reading
        assert complexity["min"] == 2
        assert complexity["ambiguity"] == "some-of-list"
        assert complexity["readings"]["one-or-more"] == {"min": 1}
    else:
        wanted = re.search(r"以下の?(\d)項目以上", heads["complexity"])
        assert wanted
        assert complexity["min"] == int(wanted[1])
    size = criterion(level, f"{seed_level.level_id}.size")["rule"]
    if heads["size"].startswith("規模を問わず"):
        assert size == {"kind": "unrestricted"}
    else:
        assert size["kind"] == "any_item"
    for item in criterion(level, f"{seed_level.level_id}.size").get("items", []):
        combined = re.match(r"上記複雑性の(\d)項目以上", norm(item["text"]["ja"]))
        if combined:
            assert item["rule"]["kind"] == "all_of"
            assert {"kind": "complexity_count", "min": int(combined[1])} in item["rule"]["of"]
    if "succession" in heads:
        wanted = re.search(r"次の(\d)項目以上", heads["succession"])
        assert wanted
        succession = criterion(level, f"{seed_level.level_id}.succession")["rule"]
        assert succession["min"] == int(wanted[1])


def test_gaps_recorded() -> None:
    gap_lines = {s["line"] for gap in CATEGORY["gaps"] for s in gap["sources"]}
    assert {452, 521, 551} <= gap_lines


def test_every_entry_has_sources() -> None:
    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            if "id" in node and path != "framework":
                assert node.get("sources"), path
                for source in node["sources"]:
                    assert source["file"] == SEED_NAME
                    assert 1 <= source["line"] <= 554
            for key, value in node.items():
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}[{index}]")

    walk(CATEGORY, "cs")
