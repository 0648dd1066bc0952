"""A synthetic organisation: plausible people with careers, for demos, tests and benchmarks.

Everything is read off the loaded framework (a tailored one as well as the built-in one): the
fields and their levels, the concepts of each level's complexity checklist, the size clauses,
the expertise areas and depths, the succession activities and the criteria that need a person's
attestation. A person's career runs in one field (sometimes also a related field of the same
category), starting as a member on small engagements and growing, engagement by engagement,
towards the complexity, size and role of higher levels. Some engagements fail, some claims fall
short and managers attest only part of what they could, so the organisation's levels spread.

The same seed gives the same people; person *i* does not depend on how many are asked for.

    >>> import itss
    >>> from itss.demo import generate_people
    >>> people = list(generate_people(itss.load_framework(), 100, seed=1))
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from itss.catalogue.catalogue import Catalogue
from itss.catalogue.models import Criterion, Level, SkillItem
from itss.engine.evidence import DEPTHS, ROLES, Evidence
from itss.engine.examples import INTEGER_MEASURES, ExamplePlan, Planner
from itss.engine.registry import default_registry

AS_OF = dt.date(2026, 4, 1)
_T = TypeVar("_T")
MAX_ENGAGEMENTS = 40
_DAYS_PER_MONTH = 30.44

# -- names -------------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    """'漢字:Romaji ...' as (kanji, romaji) pairs."""
    return tuple((kanji, romaji) for kanji, _, romaji in (w.partition(":") for w in text.split()))


_FAMILY = _pairs("""
    佐藤:Sato 鈴木:Suzuki 高橋:Takahashi 田中:Tanaka 伊藤:Ito 渡辺:Watanabe 山本:Yamamoto
    中村:Nakamura 小林:Kobayashi 加藤:Kato 吉田:Yoshida 山田:Yamada 佐々木:Sasaki
    山口:Yamaguchi 松本:Matsumoto 井上:Inoue 木村:Kimura 林:Hayashi 斎藤:Saito 清水:Shimizu
    山崎:Yamazaki 森:Mori 池田:Ikeda 橋本:Hashimoto 阿部:Abe 石川:Ishikawa 山下:Yamashita
    中島:Nakajima 石井:Ishii 小川:Ogawa 前田:Maeda 岡田:Okada 長谷川:Hasegawa 藤田:Fujita
    後藤:Goto 近藤:Kondo 村上:Murakami 遠藤:Endo 青木:Aoki 坂本:Sakamoto 西村:Nishimura
    福田:Fukuda 太田:Ota 三浦:Miura 藤井:Fujii 岡本:Okamoto 松田:Matsuda 中川:Nakagawa
    原田:Harada 小野:Ono
""")
_GIVEN = _pairs("""
    健一:Kenichi 大輔:Daisuke 翔太:Shota 拓也:Takuya 直樹:Naoki 浩二:Koji 誠:Makoto 隆:Takashi
    剛:Tsuyoshi 亮:Ryo 健太:Kenta 和也:Kazuya 達也:Tatsuya 哲也:Tetsuya 雄一:Yuichi 修:Osamu
    博之:Hiroyuki 智也:Tomoya 悠斗:Yuto 蓮:Ren 大樹:Daiki 信之:Nobuyuki 正人:Masato 慎吾:Shingo
    陽子:Yoko 恵子:Keiko 美穂:Miho 由美:Yumi 裕子:Yuko 直美:Naomi 智子:Tomoko 麻衣:Mai 彩:Aya
    愛:Ai 美咲:Misaki 真由美:Mayumi 香織:Kaori 結衣:Yui 沙織:Saori 明美:Akemi 久美子:Kumiko
    千尋:Chihiro 陽菜:Hina 理恵:Rie 奈々:Nana 早紀:Saki
""")
_ENGLISH_GIVEN = _words("""
    Emily James Olivia Daniel Sophie Michael Hannah David Laura Thomas Priya Wei Grace Lucas Anna
    Ryan
""")
_ENGLISH_FAMILY = _words("""
    Smith Johnson Brown Clark Walker Wright Turner Evans Patel Chen Miller Anderson Nguyen Kim
    Garcia Murphy
""")
_ENGLISH_SHARE = 0.08

# -- descriptions and titles -------------------------------------------------------------------

_CLIENTS = _words("""
    大手銀行 地方銀行 生命保険会社 損害保険会社 自動車メーカー 電機メーカー 小売チェーン
    物流会社 自治体 中央省庁 大学病院 通信事業者 電力会社 製薬会社 航空会社 証券会社
    食品メーカー 社内
""")
_SYSTEMS = {
    "itsm": (
        "勘定系システム",
        "基幹業務システム",
        "ECサイト",
        "クラウド基盤",
        "会計システム",
        "人事給与システム",
        "生産管理システム",
        "電子カルテシステム",
    ),
    "ops": (
        "基幹業務システム",
        "社内ネットワーク",
        "WAN",
        "コールセンター",
        "バッチ処理基盤",
        "メールシステム",
        "受発注システム",
    ),
    "cs": (
        "サーバ群",
        "ストレージ装置",
        "POS端末",
        "ミドルウェア製品",
        "データセンター",
        "電算室",
        "ネットワーク機器",
    ),
}
_OTHER_SYSTEMS = ("業務システム", "情報システム", "社内システム")
_TOPICS = {
    "itsm": (
        "インシデント管理",
        "変更管理",
        "サービスレベル管理",
        "問題管理",
        "構成管理",
        "キャパシティ管理",
        "運用自動化",
    ),
    "ops": (
        "ジョブ運用の自動化",
        "ネットワーク監視",
        "ヘルプデスク運営",
        "障害一次対応",
        "運用手順の標準化",
    ),
    "cs": ("予防保守", "障害切り分け", "ファシリティ管理", "保守サービス品質", "リモート保守"),
}
_OTHER_TOPICS = ("ITサービスの品質向上", "運用改善", "人材育成")
_TITLES = {
    "activity.community": "{topic}研究会 委員",
    "activity.book": "『{topic}実践ガイド』(共著)",
    "activity.external-paper": "{topic}の事例研究(学会誌掲載)",
    "activity.internal-paper": "社内技報「{topic}の改善事例」",
    "activity.external-lecturer": "{topic}セミナー 講師",
    "activity.internal-lecturer": "社内研修「{topic}入門」講師",
    "activity.patent": "{topic}に関する特許出願",
}
_MENTORING_NOTES = ("OJT指導", "新人育成担当", "チームリーダー育成", "資格取得支援", "")

# -- sizes -------------------------------------------------------------------------------------

_DEFAULT_SCALE = {
    "headcount": 10.0,
    "contract_value_yen": 1e8,
    "annual_users": 1000.0,
    "sites": 20.0,
    "computer_rooms": 2.0,
    "floor_area_m2": 1000.0,
}
# Team size of an engagement whose size the level leaves open, by the level it aims at.
_HEADCOUNT_BY_TIER = {
    1: (2, 6),
    2: (3, 10),
    3: (4, 15),
    4: (15, 35),
    5: (35, 75),
    6: (75, 150),
    7: (150, 300),
}
# How likely a person's potential is each level (only the field's levels count).
_CEILING_WEIGHTS = {1: 1.5, 2: 2.5, 3: 5.0, 4: 5.0, 5: 3.5, 6: 2.0, 7: 1.0}
_ENGAGEMENT_COUNT_WEIGHTS = (10, 14, 15, 15, 14, 12, 10, 10)  # 1..8 engagements

_FAILED_SHARE = 0.07
_SHORT_CLAIM_SHARE = 0.08
_SECOND_FIELD_SHARE = 0.3
_ADVANCE_CHANCE = 0.7
_SENIOR_ROLE_SHARE = 0.3


# -- the framework, read once ------------------------------------------------------------------


@dataclass(frozen=True)
class _ExpertiseNeed:
    areas: tuple[str, ...]
    depth: int
    minimum: int


@dataclass(frozen=True)
class _LevelPlan:
    number: int
    role: int
    complexity: tuple[str, ...]
    cx_min: int
    cx_required: tuple[str, ...]
    size: tuple[Criterion, ...]
    expertise: tuple[_ExpertiseNeed, ...]
    succession: tuple[tuple[str, ...], int] | None
    mentoring: bool
    attest: tuple[str, ...]


@dataclass(frozen=True)
class _FieldPlan:
    id: str
    category: str
    name: str
    levels: dict[int, _LevelPlan]
    numbers: tuple[int, ...]
    measures: frozenset[str]
    related: tuple[str, ...]
    skills: tuple[tuple[str, int], ...]  # (skill item, highest proficiency level)


def _rule(criterion: Criterion) -> dict[str, Any]:
    return criterion.rule or {"kind": "attested"}


def _needs_attestation(criterion: Criterion) -> bool:
    return not criterion.informational and (
        criterion.attestation or _rule(criterion).get("kind") == "attested"
    )


def _role_of(level: Level) -> int:
    roles = [
        ROLES.index(str(c.rule["role"]))
        for c in level.criteria
        if c.section == "responsibility" and c.rule and c.rule.get("role") in ROLES
    ]
    return max(roles, default=0)


def _level_plan(level: Level, activities: frozenset[str]) -> _LevelPlan:
    complexity: tuple[str, ...] = ()
    cx_min, required = 0, ()
    expertise: list[_ExpertiseNeed] = []
    succession = None
    for criterion in level.criteria:
        rule = _rule(criterion)
        kind = rule.get("kind")
        if kind == "checklist" and criterion.section == "complexity":
            complexity = tuple(i.concept or i.id for i in criterion.items)
            cx_min, required = int(rule.get("min", 0)), tuple(rule.get("required", ()))
        elif kind == "expertise" and str(rule.get("depth")) in DEPTHS:
            expertise.append(
                _ExpertiseNeed(
                    tuple(i.concept or i.id for i in criterion.items),
                    DEPTHS.index(str(rule["depth"])),
                    int(rule.get("min_areas", 1)),
                )
            )
        elif kind == "succession":
            types = tuple(c for i in criterion.items if (c := i.concept or i.id) in activities)
            succession = (types, int(rule.get("min", 1))) if types else None
    return _LevelPlan(
        level.level,
        _role_of(level),
        complexity,
        cx_min,
        required,
        tuple(c for c in level.criteria if c.section == "size" and not c.informational),
        tuple(expertise),
        succession,
        any(_rule(c).get("kind") == "mentoring" for c in level.criteria),
        tuple(c.id for c in level.criteria if _needs_attestation(c)),
    )


def _measures_of(rule: Any, found: set[str]) -> None:
    if not isinstance(rule, dict):
        return
    if rule.get("kind") == "measure" and isinstance(rule.get("measure"), str):
        found.add(rule["measure"])
    for nested in rule.get("of", []) or []:
        _measures_of(nested, found)


def _field_measures(levels: Sequence[Level]) -> frozenset[str]:
    found = {"headcount"}
    for level in levels:
        for top in level.criteria:
            for criterion in top.walk():
                _measures_of(criterion.rule, found)
    return frozenset(found)


def _skills_for(items: Sequence[SkillItem], field_id: str) -> tuple[tuple[str, int], ...]:
    found = []
    for item in items:
        if item.scope == "common" or field_id in item.fields:
            top = max(
                (
                    p.level
                    for entry in item.by_field
                    if entry.field == field_id or entry.field.endswith(".common")
                    for p in entry.proficiency
                ),
                default=5,
            )
            found.append((item.id, top))
    return tuple(found)


def _plans(catalogue: Catalogue) -> list[_FieldPlan]:
    activities = frozenset(c for c in catalogue.concepts if c.startswith("activity."))
    plans = []
    for category in catalogue.categories.values():
        with_levels = [f for f in category.fields if catalogue.by_field.get(f.id)]
        for fld in with_levels:
            by_number = catalogue.by_field[fld.id]
            numbers = tuple(sorted(by_number))
            plans.append(
                _FieldPlan(
                    fld.id,
                    category.id,
                    fld.name.ja,
                    {n: _level_plan(by_number[n], activities) for n in numbers},
                    numbers,
                    _field_measures(list(by_number.values())),
                    tuple(f.id for f in with_levels if f.id != fld.id),
                    _skills_for(category.skill_items, fld.id),
                )
            )
    return plans


# -- one engagement ----------------------------------------------------------------------------


class _RandomPicker:
    """Chooses among a rule's alternatives at random: varied careers from one seed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def some(self, options: Sequence[_T], *, every: bool) -> list[_T]:
        if every or not options:
            return list(options)
        return [self.rng.choice(options)]

    def sample(self, options: Sequence[_T], count: int) -> list[_T]:
        return self.rng.sample(list(options), min(count, len(options)))


def _pick_measure(
    rng: random.Random, name: str, low: float | None, high: float | None
) -> int | float:
    scale = _DEFAULT_SCALE.get(name, 10.0)
    if low is None or low <= 0:
        low = max(1.0, (high or scale * 4) / 4)
    if high is None:
        high = low * rng.uniform(1.2, 2.2)
    value = math.exp(rng.uniform(math.log(low), math.log(high)))
    unit = 10**6 if name == "contract_value_yen" and high - low > 10**7 else 1
    unit = 10 if name == "floor_area_m2" and high - low > 100 else unit
    value = math.floor(value / unit) * unit
    if not low <= value < high:
        value = math.ceil(low) if name in INTEGER_MEASURES else low
    return int(value) if name in INTEGER_MEASURES else float(value)


def _complete_measures(
    rng: random.Random, measures: dict[str, int | float], relevant: frozenset[str], tier: int
) -> None:
    """The measures the level leaves open, consistent with the ones it fixes."""
    if "headcount" not in measures:
        if "contract_value_yen" in measures:
            per_person = rng.uniform(9e6, 14e6)
            measures["headcount"] = max(1, int(measures["contract_value_yen"] / per_person))
        elif "annual_users" in measures:
            measures["headcount"] = max(1, int(measures["annual_users"] / rng.uniform(80, 200)))
        else:
            low, high = _HEADCOUNT_BY_TIER.get(tier, (2, 10))
            measures["headcount"] = rng.randrange(low, high)
    headcount = float(measures["headcount"])
    if "contract_value_yen" in relevant and "contract_value_yen" not in measures:
        measures["contract_value_yen"] = int(headcount * rng.uniform(6e6, 9.5e6)) // 10**6 * 10**6
    if "annual_users" in relevant and "annual_users" not in measures:
        measures["annual_users"] = int(headcount * rng.uniform(40, 140))
    if "computer_rooms" in relevant and "computer_rooms" not in measures:
        floor = measures.get("floor_area_m2")
        measures["computer_rooms"] = max(1, int(floor // 1100)) if floor else rng.randint(1, 2)
    if "floor_area_m2" in relevant and "floor_area_m2" not in measures:
        rooms = measures.get("computer_rooms") or rng.randint(1, 2)
        measures["floor_area_m2"] = float(round(rooms * rng.uniform(300, 900), -1))
    if "sites" in relevant and "sites" not in measures:
        measures["sites"] = rng.randint(1, 80)


def _claims(rng: random.Random, plan: _LevelPlan, draft: ExamplePlan, short: bool) -> list[str]:
    """The complexity concepts the engagement claims, then its size-scope concepts."""
    pool = list(plan.complexity)
    wanted = plan.cx_min + rng.choice((0, 0, 1, 1, 2))
    wanted = max(0, plan.cx_min - 1) if short else max(wanted, draft.complexity_min)
    wanted = min(wanted, len(pool))
    chosen = [c for c in plan.cx_required if c in pool][:wanted]
    rest = [c for c in pool if c not in chosen]
    chosen += rng.sample(rest, max(0, wanted - len(chosen)))
    ordered = [c for c in pool if c in chosen]
    return ordered + [c for c in dict.fromkeys(draft.concepts) if c not in ordered]


def _describe(rng: random.Random, plan: _FieldPlan) -> str:
    system = rng.choice(_SYSTEMS.get(plan.category, _OTHER_SYSTEMS))
    return f"{rng.choice(_CLIENTS)}向け {system}({plan.name})"


@dataclass(frozen=True)
class _Step:
    field: _FieldPlan
    tier: int
    role: int
    start: dt.date
    end: dt.date | None
    succeeded: bool


def _engagement(rng: random.Random, ident: str, step: _Step) -> dict[str, Any]:
    plan = step.field.levels[step.tier]
    # What the level's size clauses ask, as each rule's kind says (alternatives at random).
    planner = Planner(default_registry(), _RandomPicker(rng))
    draft = ExamplePlan()
    for criterion in plan.size:
        planner.rule(_rule(criterion), criterion, draft)
    measures: dict[str, int | float] = {
        name: _pick_measure(rng, name, low, high) for name, (low, high) in draft.bounds.items()
    }
    _complete_measures(rng, measures, step.field.measures, step.tier)
    short = rng.random() < _SHORT_CLAIM_SHARE
    return {
        "id": ident,
        "field": step.field.id,
        "role": ROLES[step.role],
        "start": step.start,
        "end": step.end,
        **measures,
        "criteria": _claims(rng, plan, draft, short),
        "succeeded": step.succeeded,
        "description": _describe(rng, step.field),
    }


# -- one career --------------------------------------------------------------------------------


def _days(months: float) -> dt.timedelta:
    return dt.timedelta(days=round(months * _DAYS_PER_MONTH))


def _between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    if last <= first:
        return last
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _fiscal_year(day: dt.date) -> int:
    """The Japanese fiscal year (April to March) a date falls in."""
    return day.year if day.month >= 4 else day.year - 1


def _next_tier(plan: _FieldPlan, tier: int) -> int:
    higher = [n for n in plan.numbers if n > tier]
    return higher[0] if higher else tier


def _clamp_tier(plan: _FieldPlan, tier: int) -> int:
    lower = [n for n in plan.numbers if n <= tier]
    return lower[-1] if lower else plan.numbers[0]


def _ceiling(rng: random.Random, plan: _FieldPlan) -> int:
    weights = [_CEILING_WEIGHTS.get(n, 1.0) for n in plan.numbers]
    return rng.choices(plan.numbers, weights)[0]


def _timeline(rng: random.Random, count: int, as_of: dt.date) -> list[tuple[dt.date, dt.date]]:
    longest = min(36, max(6, 360 // count))
    spans = [(rng.randint(min(8, longest // 2), longest), rng.randint(0, 3)) for _ in range(count)]
    total = sum(m + g for m, g in spans)
    start = as_of - _days(total) + dt.timedelta(days=rng.randint(-540, 120))
    found = []
    for months, gap in spans:
        end = start + _days(months) - dt.timedelta(days=1)
        found.append((start, end))
        start = end + dt.timedelta(days=1) + _days(gap)
    latest = found[-1][0]
    if latest > as_of - dt.timedelta(days=30):  # the last engagement has begun by as_of
        shift = latest - (as_of - dt.timedelta(days=30))
        found = [(s - shift, e - shift) for s, e in found]
    return found


def _career(
    rng: random.Random, primary: _FieldPlan, second: _FieldPlan | None, count: int, as_of: dt.date
) -> list[_Step]:
    ceiling = _ceiling(rng, primary)
    tier = primary.numbers[0]
    if tier < ceiling and rng.random() < 0.2:  # an experienced hire
        tier = _next_tier(primary, tier)
    others: set[int] = set()
    if second is not None and count > 2:
        others = set(rng.sample(range(1, count), k=rng.randint(1, 2)))
    steps, role = [], 0
    for index, (start, end) in enumerate(_timeline(rng, count, as_of)):
        plan = second if index in others and second is not None else primary
        step_tier = _clamp_tier(plan, tier)
        needed = plan.levels[step_tier].role
        if step_tier == plan.numbers[-1] and rng.random() < _SENIOR_ROLE_SHARE:
            needed = min(needed + 1, len(ROLES) - 1)  # at the top, sometimes in overall charge
        role = max(role, needed)
        succeeded = rng.random() >= _FAILED_SHARE
        steps.append(_Step(plan, step_tier, role, start, None if end > as_of else end, succeeded))
        if succeeded and tier < ceiling and rng.random() < _ADVANCE_CHANCE:
            tier = _next_tier(primary, tier)
    return steps


@dataclass
class _Person:
    """The career of one person, and what it lets us say about their contributions."""

    rng: random.Random
    as_of: dt.date
    manager: str
    steps: list[_Step]
    reached: dict[str, dict[int, dt.date]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # For each field, the date each level's complexity and size was first shown.
        for step in self.steps:
            if not step.succeeded:
                continue
            by_level = self.reached.setdefault(step.field.id, {})
            shown = min(step.end or self.as_of, self.as_of)
            for number in step.field.numbers:
                if number <= step.tier and number not in by_level:
                    by_level[number] = shown

    @property
    def career_start(self) -> dt.date:
        return self.steps[0].start

    def plans(self) -> list[tuple[_FieldPlan, _LevelPlan, dt.date]]:
        """Every level of every field the person plausibly reaches, with the date."""
        fields = {s.field.id: s.field for s in self.steps}
        return [
            (fields[fid], fields[fid].levels[n], day)
            for fid, by_level in self.reached.items()
            for n, day in sorted(by_level.items())
        ]

    def expertise(self) -> list[dict[str, Any]]:
        held: dict[str, tuple[int, dt.date]] = {}
        top: list[str] = []
        for _fld, level, day in self.plans():
            for need in level.expertise:
                have = [a for a in need.areas if held.get(a, (-1, day))[0] >= need.depth]
                new = [a for a in need.areas if a not in held]
                # Deepen an area already held before taking up a new one.
                candidates = [a for a in need.areas if a in held and a not in have]
                candidates += self.rng.sample(new, k=len(new))
                for area in candidates[: max(0, need.minimum - len(have))]:
                    held[area] = (need.depth, min(day, self.as_of))
                top = list(need.areas)
        if held and self.rng.random() < 0.12:  # not yet as deep as the level asks
            area = max(held, key=lambda a: held[a][0])
            held[area] = (max(0, held[area][0] - 1), held[area][1])
        spare = [a for a in top if a not in held]
        if spare and self.rng.random() < 0.4:
            depth = max((d for d, _ in held.values()), default=1)
            held[self.rng.choice(spare)] = (max(0, depth - 1), self.as_of)
        return [{"area": a, "depth": DEPTHS[d], "since": since} for a, (d, since) in held.items()]

    def succession(self, activities: Sequence[str]) -> list[dict[str, Any]]:
        need = 0
        types: tuple[str, ...] = ()
        for _fld, level, _day in self.plans():
            if level.succession and level.succession[1] >= need:
                types, need = level.succession
        if need and self.rng.random() < 0.15:
            need -= 1
        chosen = self.rng.sample(list(types), k=min(need, len(types)))
        senior = any(level.number >= 3 for _f, level, _d in self.plans())
        if activities and senior and self.rng.random() < 0.35:
            chosen += self.rng.choices(list(activities), k=self.rng.randint(1, 2))
        topics = _TOPICS.get(self.steps[0].field.category, _OTHER_TOPICS)
        earliest = max(self.career_start + dt.timedelta(days=365), self.as_of - _days(120))
        return [
            {
                "type": kind,
                "date": _between(self.rng, earliest, self.as_of),
                "title": _TITLES.get(kind, kind + " {topic}").format(topic=self.rng.choice(topics)),
            }
            for kind in chosen
        ]

    def mentoring(self, mentees: Sequence[str]) -> list[dict[str, Any]]:
        needed = [day for _f, level, day in self.plans() if level.mentoring]
        if self.rng.random() >= (0.9 if needed else 0.08):
            return []
        first = min(needed, default=self.career_start + dt.timedelta(days=365))
        found = []
        for _ in range(self.rng.randint(1, 3)):
            start = _between(self.rng, min(first, self.as_of), self.as_of)
            end: dt.date | None = start + dt.timedelta(days=self.rng.randint(180, 720))
            found.append(
                {
                    "start": start,
                    "end": None if end and end > self.as_of else end,
                    "mentee": self.rng.choice(mentees),
                    "note": self.rng.choice(_MENTORING_NOTES),
                }
            )
        return found

    def qualifications(self) -> list[dict[str, Any]]:
        senior = any(level.number >= 3 for _f, level, _d in self.plans())
        if self.rng.random() >= (0.35 if senior else 0.12):
            return []
        return [
            {
                "id": "ap",
                "date": _between(self.rng, self.career_start, self.as_of),
                "name": "応用情報技術者試験",
            }
        ]

    def skills(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        claims, attestations = [], []
        for fid, by_level in self.reached.items():
            plan = next(s.field for s in self.steps if s.field.id == fid)
            top = max(by_level)
            for item, highest in plan.skills:
                if self.rng.random() < 0.3:
                    continue
                level = max(1, min(highest, top + self.rng.choice((-1, 0, 0, 1))))
                claims.append({"item": item, "field": fid, "level": level})
                if self.rng.random() < 0.3:
                    attestations.append(
                        {
                            "by": self.manager,
                            "date": _between(self.rng, by_level[top], self.as_of),
                            "skill_item": item,
                            "field": fid,
                            "level": max(1, level - self.rng.choice((0, 0, 1))),
                        }
                    )
        return claims, attestations

    def attestations(self) -> list[dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for fld, level, day in self.plans():
            complete = self.rng.random() < (
                0.6 if level.number == max(self.reached[fld.id]) else 0.8
            )
            for criterion in level.attest:
                if criterion in found or not (complete or self.rng.random() < 0.5):
                    continue
                date = min(day + dt.timedelta(days=self.rng.randint(0, 120)), self.as_of)
                found[criterion] = {
                    "by": self.manager,
                    "date": date,
                    "criterion": criterion,
                    "note": f"{_fiscal_year(date)}年度 評価面談",
                }
        return list(found.values())


# -- the organisation --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    as_of: dt.date
    manager: str
    activities: Sequence[str]
    mentees: Sequence[str]


def _name(rng: random.Random) -> tuple[str, str]:
    if rng.random() < _ENGLISH_SHARE:
        name = f"{rng.choice(_ENGLISH_GIVEN)} {rng.choice(_ENGLISH_FAMILY)}"
        return name, name
    family, given = rng.choice(_FAMILY), rng.choice(_GIVEN)
    return f"{family[0]} {given[0]}", f"{given[1]} {family[1]}"


def _pick_engagement_count(rng: random.Random, fixed: int | None) -> int:
    if fixed is not None:
        return fixed
    return rng.choices(range(1, len(_ENGAGEMENT_COUNT_WEIGHTS) + 1), _ENGAGEMENT_COUNT_WEIGHTS)[0]


def generate_people(
    catalogue: Catalogue,
    count: int,
    *,
    seed: int = 0,
    engagements_per_person: int | None = None,
    as_of: dt.date = AS_OF,
) -> Iterator[Evidence]:
    """`count` synthetic people, deterministic for `seed`, spread over every field.

    Person *i* (id ``p{i+1:06d}``) works mainly in field *i* modulo the number of fields (in
    catalogue order), so any ``count`` at least the number of fields covers them all. Each has
    1 to 8 engagements, or exactly ``engagements_per_person``, all begun by ``as_of``.
    """
    if count < 0:
        raise ValueError(f"count must not be negative, got {count}")
    if engagements_per_person is not None and not 1 <= engagements_per_person <= MAX_ENGAGEMENTS:
        raise ValueError(f"engagements_per_person must be 1..{MAX_ENGAGEMENTS}")
    plans = _plans(catalogue)
    if not plans:
        raise ValueError("the framework has no field with levels")
    by_id = {p.id: p for p in plans}
    activities = sorted(c for c in catalogue.concepts if c.startswith("activity."))
    staff = random.Random(f"itss-demo:{seed}:staff")
    managers = [_name(staff)[0] for _ in range(40)]
    mentees = [_name(staff)[0] for _ in range(200)]
    for index in range(count):
        rng = random.Random(f"itss-demo:{seed}:{index}")
        primary = plans[index % len(plans)]
        second = (
            by_id[rng.choice(primary.related)]
            if primary.related and rng.random() < _SECOND_FIELD_SHARE
            else None
        )
        number = _pick_engagement_count(rng, engagements_per_person)
        yield _evidence(
            rng,
            f"p{index + 1:06d}",
            _career(rng, primary, second, number, as_of),
            _Context(as_of, rng.choice(managers), activities, mentees),
        )


def _evidence(rng: random.Random, ident: str, steps: list[_Step], ctx: _Context) -> Evidence:
    name, name_en = _name(rng)
    person = _Person(rng, ctx.as_of, ctx.manager, steps)
    engagements = [_engagement(rng, f"{ident}-e{n + 1:02d}", step) for n, step in enumerate(steps)]
    claims, skill_attestations = person.skills()
    return Evidence.model_validate(
        {
            "person": {"id": ident, "name": name, "name_en": name_en},
            "engagements": engagements,
            "expertise": person.expertise(),
            "succession": person.succession(ctx.activities),
            "mentoring": person.mentoring(ctx.mentees),
            "qualifications": person.qualifications(),
            "skills": claims,
            "attestations": person.attestations() + skill_attestations,
        }
    )


__all__ = ["AS_OF", "generate_people"]
