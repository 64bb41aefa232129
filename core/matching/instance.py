"""The matching problem as plain data, independent of the database.

The engine only ever sees an `Instance`, so it can be tested, benchmarked and run from a JSON file
without a portal. Loading validates everything up front and fails with one line that names the
offending record, because the people who feed it are admins fixing a spreadsheet, not developers.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from core import timezones
from core.errors import DomainError
from core.people.availability import SLOTS

Id = str | int
Topic = str | int

PRIORITY_LABELS = {1: "must have", 2: "important", 3: "nice to have"}
# The weights are part of what an instance is (a pilot sets them, loading checks them), so they
# live here; scoring reads them from here and nothing in this module imports the engine.
DEFAULT_WEIGHTS: dict[str, float] = {
    "coverage": 60,
    "reciprocity": 15,
    "cross_department": 10,
    "time_overlap": 15,
}
WEIGHT_HELP: dict[str, str] = {
    "coverage": "How well the mentor's expertise covers the mentee's learning goals, "
    "counting must-have goals three times as much as nice-to-have ones.",
    "reciprocity": "How much of what the mentor wants to learn back the mentee can offer.",
    "cross_department": "A bonus when mentor and mentee work in different departments, "
    "to spread contacts across silos.",
    "time_overlap": "How easily they can meet: close time zones and shared weekly slots.",
}


class InstanceError(DomainError):
    """The matching input is inconsistent; the message names the record to fix."""


@dataclass(frozen=True)
class Mentee:
    id: Id
    department: str = ""
    grade: int | None = None
    manager: Id | None = None
    time_zone: str = "UTC"
    goals: dict[Topic, int] = field(default_factory=dict)
    offers: tuple[Topic, ...] = ()
    availability: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mentor:
    id: Id
    department: str = ""
    grade: int | None = None
    manager: Id | None = None
    time_zone: str = "UTC"
    expertise: dict[Topic, int] = field(default_factory=dict)
    capacity: int = 1
    wants: tuple[Topic, ...] = ()
    availability: tuple[str, ...] = ()


@dataclass(frozen=True)
class Instance:
    topics: tuple[Topic, ...]
    mentees: tuple[Mentee, ...]
    mentors: tuple[Mentor, ...]
    forbidden: frozenset[tuple[Id, Id]] = frozenset()
    min_grade_gap: int = 1
    weights: dict[str, float] = field(default_factory=dict)
    people: dict[Id, Id | None] = field(default_factory=dict)
    topic_names: dict[Topic, str] = field(default_factory=dict)
    locked: tuple[tuple[Id, Id], ...] = ()

    # Indexes are derived once per instance; cached_property writes to __dict__, which a frozen
    # dataclass allows, so the instance stays immutable from the caller's point of view.
    @cached_property
    def mentee_index(self) -> dict[Id, int]:
        return {m.id: i for i, m in enumerate(self.mentees)}

    @cached_property
    def mentor_index(self) -> dict[Id, int]:
        return {m.id: j for j, m in enumerate(self.mentors)}

    @cached_property
    def topic_index(self) -> dict[Topic, int]:
        return {t: k for k, t in enumerate(self.topics)}

    @cached_property
    def managers(self) -> dict[Id, Id | None]:
        """Everyone's manager: people first, then mentees and mentors (who override)."""
        chain: dict[Id, Id | None] = dict(self.people)
        for person in (*self.mentees, *self.mentors):
            chain[person.id] = person.manager
        return chain

    @cached_property
    def effective_weights(self) -> dict[str, float]:
        return {**DEFAULT_WEIGHTS, **self.weights}

    def topic_name(self, topic: Topic) -> str:
        name = self.topic_names.get(topic)  # not .get(topic, str(topic)): str() on every call
        return str(topic) if name is None else name


def ensure_valid(inst: Instance) -> Instance:
    """Validate an instance built in code, once; load_instance has already done it for files."""
    if "_valid" not in inst.__dict__:
        validate_instance(inst)
        inst.__dict__["_valid"] = True  # frozen dataclass: bypass __setattr__, like cached_property
    return inst


def show(value: Any) -> str:
    """Ids as they appear in the JSON file, so "7" and 7 are told apart.

    Plain text and integers are written directly: every person's messages are prepared this
    way while loading, and json.dumps for each cost about a second at 250 000 people."""
    kind = type(value)
    if kind is str and value.isprintable() and '"' not in value and "\\" not in value:
        return f'"{value}"'
    if kind is int:
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=str)


@lru_cache(maxsize=4096)
def utc_offset_hours(zone: str) -> float:
    """Hours east of UTC, read by the portal's one time-zone parser; InstanceError if unknown.
    Cached: a pilot has a few dozen zones and its scores and reasons ask once per person."""
    try:
        return timezones.utc_offset_hours(zone)
    except timezones.TimeZoneError as exc:
        raise InstanceError(f"time zone {show(zone)} {exc.reason}") from None


# ---------------------------------------------------------------------------------- validation


def _is_id(value: Any) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _manager_loop(managers: dict[Id, Id | None]) -> list[Id] | None:
    """The first cycle in the manager relation, as the list of people in it."""
    state: dict[Id, int] = {}  # 1 = on the current walk, 2 = known to reach a root
    for start in managers:
        walk: list[Id] = []
        node: Id | None = start
        while node is not None and node in managers and state.get(node) is None:
            state[node] = 1
            walk.append(node)
            node = managers[node]
        if node is not None and state.get(node) == 1:
            return walk[walk.index(node) :]
        for person in walk:
            state[person] = 2
    return None


def validate_instance(inst: Instance, strict_forbidden: bool = False) -> None:
    """Everything the engine relies on; the first problem found is raised as one line.

    A forbidden pair naming someone who is not in the instance cannot apply, so callers that
    pass a pilot's whole history may leave such pairs in; a JSON file is held to the stricter
    standard (`strict_forbidden`), where an unknown id is most likely a typo.
    """
    topics = set()
    as_text = set()
    for t in inst.topics:
        if not _is_id(t):
            raise InstanceError(f"topic {show(t)} must be a string or an integer")
        if t in topics or str(t) in as_text:  # JSON keys cannot tell 7 from "7"
            raise InstanceError(f"duplicate topic {show(t)}")
        topics.add(t)
        as_text.add(str(t))
    seen: dict[Id, str] = {}

    def claim(pid: Any, role: str) -> None:
        if not _is_id(pid):
            raise InstanceError(f"{role} id {show(pid)} must be a string or an integer")
        if pid in seen:
            both = role if seen[pid] == role else f"{seen[pid]} and {role}"
            raise InstanceError(f"duplicate id {show(pid)} (used as {both})")
        seen[pid] = role

    def topic_ok(t: Any, where: str) -> None:
        if t not in topics:
            raise InstanceError(f"unknown topic {show(t)} in {where}")

    def common(p: Mentee | Mentor, where: str) -> None:
        if p.grade is not None and not _is_int(p.grade):
            raise InstanceError(f"{where}: grade must be an integer or null, not {show(p.grade)}")
        if p.manager is not None and not _is_id(p.manager):
            raise InstanceError(f"{where}: manager must be an id or null")
        if not isinstance(p.department, str):
            raise InstanceError(f"{where}: department must be text")
        try:
            utc_offset_hours(p.time_zone)
        except InstanceError as exc:
            raise InstanceError(f"{where}: {exc}") from None
        for slot in p.availability:
            if slot not in SLOTS:
                raise InstanceError(
                    f"{where}: unknown availability slot {show(slot)} (use e.g. mon-am, wed-pm)"
                )

    for m in inst.mentees:
        claim(m.id, "mentee")
        where = f"mentee {show(m.id)}"
        common(m, where)
        for t, prio in m.goals.items():
            topic_ok(t, f"goals of {where}")
            if not _is_int(prio) or not 1 <= prio <= 3:
                raise InstanceError(f"{where}: priority of {show(t)} must be 1, 2 or 3")
        for t in m.offers:
            topic_ok(t, f"offers of {where}")
    for m in inst.mentors:
        claim(m.id, "mentor")
        where = f"mentor {show(m.id)}"
        common(m, where)
        if not _is_int(m.capacity) or m.capacity < 1:
            raise InstanceError(f"{where}: capacity must be a whole number of at least 1")
        for t, level in m.expertise.items():
            topic_ok(t, f"expertise of {where}")
            if not _is_int(level) or not 1 <= level <= 3:
                raise InstanceError(f"{where}: expertise level of {show(t)} must be 1, 2 or 3")
        for t in m.wants:
            topic_ok(t, f"wants of {where}")
    for pid, manager in inst.people.items():
        claim(pid, "person")
        if manager is not None and not _is_id(manager):
            raise InstanceError(f"person {show(pid)}: manager must be an id or null")
    loop = _manager_loop(inst.managers)
    if loop:
        chain = " → ".join(show(p) for p in [*loop, loop[0]])
        raise InstanceError(f"manager loop: {chain}")
    checks = [("locked", inst.locked)]
    if strict_forbidden:
        checks.insert(0, ("forbidden", inst.forbidden))
    for kind, pairs in checks:
        for pair in sorted(pairs, key=show):
            mentee, mentor = pair
            if mentee not in inst.mentee_index:
                raise InstanceError(
                    f"{kind} pair {show(list(pair))}: {show(mentee)} is not a mentee"
                )
            if mentor not in inst.mentor_index:
                raise InstanceError(
                    f"{kind} pair {show(list(pair))}: {show(mentor)} is not a mentor"
                )
    if not _is_int(inst.min_grade_gap) or inst.min_grade_gap < 0:
        raise InstanceError("min_grade_gap must be a whole number of at least 0")
    _check_weights(inst.weights)


def _check_weights(weights: Any) -> None:
    if not isinstance(weights, dict):
        raise InstanceError('weights must be an object such as {"coverage": 60}')
    for key, value in weights.items():
        if key not in DEFAULT_WEIGHTS:
            known = ", ".join(DEFAULT_WEIGHTS)
            raise InstanceError(f"unknown weight {show(key)} (known: {known})")
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or value < 0:
            raise InstanceError(f"weight {show(key)} must be a number of at least 0")
    if sum({**DEFAULT_WEIGHTS, **weights}.values()) <= 0:
        raise InstanceError("weights must not all be 0")


# -------------------------------------------------------------------------------------- loading


def _obj(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise InstanceError(f"{where} must be an object")
    return value


def _list(value: Any, where: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InstanceError(f"{where} must be a list")
    return value


def _text(value: Any, where: str, default: str = "") -> str:
    if value is None:
        return default
    if not isinstance(value, str):
        raise InstanceError(f"{where} must be text")
    return value


def _pairs(value: Any, kind: str) -> list[tuple[Id, Id]]:
    pairs = []
    for item in _list(value, kind):
        if not isinstance(item, list | tuple) or len(item) != 2:
            raise InstanceError(f"each {kind} entry must be [mentee, mentor], not {show(item)}")
        pairs.append((item[0], item[1]))
    return pairs


def load_instance(data: Any) -> Instance:
    """Build and validate an Instance from parsed JSON (see the README for the format)."""
    data = _obj(data, "the instance")
    for key in ("topics", "mentees", "mentors"):
        if key not in data:
            raise InstanceError(f"missing {show(key)}")
    topics: list[Topic] = []
    names: dict[Any, Any] = {}
    for item in _list(data["topics"], "topics"):
        if isinstance(item, dict):
            if not _is_id(item.get("id")):
                raise InstanceError(f"topic {show(item)} needs an id (text or integer)")
            topics.append(item["id"])
            if item.get("name") is not None:
                names[item["id"]] = _text(item["name"], f"name of topic {show(item['id'])}")
        else:
            topics.append(item)
    # JSON object keys are always strings, so goal {"7": 1} must find topic 7.
    by_text = {str(t): t for t in topics if _is_id(t)}
    known = set(by_text.values())
    for key, name in _obj(data.get("topic_names") or {}, "topic_names").items():
        names.setdefault(by_text.get(key, key), _text(name, f"topic_names[{show(key)}]"))

    def topic(key: Any, where: str) -> Any:
        if not _is_id(key):
            raise InstanceError(f"unknown topic {show(key)} in {where}")
        return key if key in known else by_text.get(str(key), key)

    def topics_of(value: Any, where: str) -> tuple[Topic, ...]:
        return tuple(dict.fromkeys(topic(t, where) for t in _list(value, where)))

    def levels(value: Any, where: str) -> dict[Topic, int]:
        if isinstance(value, list):  # a plain list means "important" / "confident"
            return {topic(t, where): 2 for t in value}
        return {topic(t, where): v for t, v in _obj(value or {}, where).items()}

    def person(raw: Any, role: str, n: int) -> dict[str, Any]:
        raw = _obj(raw, f"{role} #{n + 1}")
        if "id" not in raw:
            raise InstanceError(f"{role} #{n + 1} has no id")
        where = f"{role} {show(raw['id'])}"
        slots = _list(raw.get("availability"), f"{where}: availability")
        for slot in slots:
            if not isinstance(slot, str) or slot not in SLOTS:
                raise InstanceError(
                    f"{where}: unknown availability slot {show(slot)} (use e.g. mon-am, wed-pm)"
                )
        return {
            "id": raw["id"],
            "department": _text(raw.get("department"), f"{where}: department"),
            "grade": raw.get("grade"),
            "manager": raw.get("manager"),
            "time_zone": _text(raw.get("time_zone"), f"{where}: time_zone", "UTC") or "UTC",
            "availability": tuple(dict.fromkeys(slots)),
        }

    mentees = []
    for n, raw in enumerate(_list(data["mentees"], "mentees")):
        base = person(raw, "mentee", n)
        where = f"mentee {show(base['id'])}"
        mentees.append(
            Mentee(
                **base,
                goals=levels(raw.get("goals"), f"goals of {where}"),
                offers=topics_of(raw.get("offers"), f"offers of {where}"),
            )
        )
    mentors = []
    for n, raw in enumerate(_list(data["mentors"], "mentors")):
        base = person(raw, "mentor", n)
        where = f"mentor {show(base['id'])}"
        mentors.append(
            Mentor(
                **base,
                expertise=levels(raw.get("expertise"), f"expertise of {where}"),
                capacity=raw.get("capacity", 1),
                wants=topics_of(raw.get("wants"), f"wants of {where}"),
            )
        )
    people: dict[Id, Id | None] = {}
    for n, raw in enumerate(_list(data.get("people"), "people")):
        raw = _obj(raw, f"person #{n + 1}")
        if "id" not in raw:
            raise InstanceError(f"person #{n + 1} has no id")
        if not _is_id(raw["id"]):
            raise InstanceError(f"person id {show(raw['id'])} must be a string or an integer")
        if raw["id"] in people:
            raise InstanceError(f"duplicate id {show(raw['id'])} (used as person)")
        people[raw["id"]] = raw.get("manager")
    forbidden = _pairs(data.get("forbidden"), "forbidden")
    locked = _pairs(data.get("locked"), "locked")
    for pair in (*forbidden, *locked):
        if not all(_is_id(x) for x in pair):
            raise InstanceError(f"pair {show(list(pair))} must name a mentee id and a mentor id")
    inst = Instance(
        topics=tuple(topics),
        mentees=tuple(mentees),
        mentors=tuple(mentors),
        forbidden=frozenset(forbidden),
        min_grade_gap=1 if data.get("min_grade_gap") is None else data["min_grade_gap"],
        weights={} if data.get("weights") is None else data["weights"],
        people=people,
        topic_names=names,
        locked=tuple(locked),
    )
    validate_instance(inst, strict_forbidden=True)
    inst.__dict__["_valid"] = True
    return inst


def load_instance_file(path: str | Path) -> Instance:
    """Read a JSON instance; unreadable or malformed files become one-line InstanceErrors."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InstanceError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InstanceError(f"{path} is not UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InstanceError(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    return load_instance(data)
