"""What compiled standards call at run time: the missing-fact value, three-valued logic,
calendar arithmetic, indexes for joins, and the recorder of an explained evaluation.

A fact the document does not give is `MISSING`. It propagates through every operation
(Kleene's logic for `and`/`or`: `false and missing` is false, `true or missing` is true),
so a rule whose outcome depends on an absent fact ends "cannot be judged", never a pass
or a fail by accident. Arithmetic that cannot be carried out (a date past the end of the
calendar, a division by zero, a number too large) raises `ArithmeticError`; the evaluator
turns that into "cannot be judged" with the reason. Nothing here reads the clock, files or
the network.
"""
from __future__ import annotations

import calendar
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, localcontext
from typing import Any

MAX_ITEMS_SHOWN = 25  # list items an explanation shows for one quantifier or aggregate


class _Missing:
    """The value of a fact the document does not give (absent or null)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:  # a missing fact must never pass for a truth value
        raise TypeError("a missing fact has no truth value")

    def get(self, key: str, default: Any = None) -> Any:
        """A field of a missing record is missing: generated code reads a field that cannot be
        null as `record.get(field, M)`, whether or not the record is there."""
        return self


MISSING: Any = _Missing()
M = MISSING


class NotYet:
    """The memo of a definition or determination not evaluated yet in this evaluation."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NOT_YET"


NOT_YET = NotYet()


class OutOfRange:
    """A value computed once per as-of date from parameters that could not be computed (a
    date moved past year 9999): any use of it raises, so the rules that need it cannot be
    judged, with the reason."""

    __slots__ = ("reason",)

    def __init__(self, error: BaseException):
        self.reason = str(error) or type(error).__name__

    def __repr__(self) -> str:
        return f"out of range ({self.reason})"

    def _raise(self, *_: object) -> Any:
        raise ArithmeticError(self.reason)

    __lt__ = __le__ = __gt__ = __ge__ = __add__ = __radd__ = __sub__ = __rsub__ = _raise
    __mul__ = __rmul__ = __truediv__ = __rtruediv__ = __neg__ = __contains__ = __iter__ = __len__ = _raise

    def __eq__(self, other: object) -> bool:
        raise ArithmeticError(self.reason)

    def __bool__(self) -> bool:
        raise ArithmeticError(self.reason)

    def __hash__(self) -> int:
        return 0


def in_range(value: Any) -> Any:
    """A truth value computed once per as-of date, as read by a rule: one that could not be
    computed raises with its reason (a test by identity, `is True`, would not)."""
    if value.__class__ is OutOfRange:
        raise ArithmeticError(value.reason)
    return value


_fromiso = date.fromisoformat


def get(record: Any, key: str) -> Any:
    """A field of a record, or MISSING when the record, the field or its value is absent."""
    if record is M or not isinstance(record, dict):
        return M
    value = record.get(key)
    return M if value is None else value


def to_date(value: Any) -> Any:
    if value is M or isinstance(value, date):
        return value
    try:
        return _fromiso(value)
    except (TypeError, ValueError):
        return M


def scale(value: Any, factor: int) -> Any:
    return M if value is M else value * factor


def list_items(value: Any, dates: bool, factor: int) -> Any:
    """A list read from a plan with its items (at any depth of lists) read as a single field of
    their kind is: a date's ISO text a date (`dates`), an amount in the plan's unit in nis's
    (`factor`: weeks to days, years to months). A list with an item that is null, or not what
    its kind needs, is missing as a whole, as a list made by `list of` with a missing value is.
    What is not a list (missing, or a plan not validated against the schema) is left as it is."""
    if type(value) is not list:
        return value
    items = [_item(item, dates, factor) for item in value]
    return M if any(item is M for item in items) else items


def _item(item: Any, dates: bool, factor: int) -> Any:
    if type(item) is list:
        return list_items(item, dates, factor)
    if item is None:
        return M
    if dates:
        return to_date(item)
    return item * factor if factor != 1 and (type(item) is int or isinstance(item, Decimal)) else item


_SPANS: dict[int, timedelta] = {}  # the day counts rules add (a few dozen), each made once


def add_days(d: Any, days: Any) -> Any:
    if d is M or days is M:
        return M
    try:
        span = _SPANS.get(days) if type(days) is int else None
        if span is None:
            span = timedelta(days=days)
            if type(days) is int and len(_SPANS) < 1024:
                _SPANS[days] = span
        return d + span
    except OverflowError:
        raise ArithmeticError(f"{d.isoformat()} moved by {days} days falls outside the calendar") from None


def add_months(d: Any, months: Any) -> Any:
    """Add calendar months; a day past the end of the target month becomes its last day
    (31 January + 1 month = 28 or 29 February), as docs/language.md says."""
    if d is M or months is M:
        return M
    index = d.year * 12 + d.month - 1 + int(months)
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise ArithmeticError(f"{d.isoformat()} moved by {months} months falls outside the calendar")
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def days_between(a: Any, b: Any) -> Any:
    if a is M or b is M:
        return M
    return (a - b).days


def divide(a: Any, b: Any) -> Any:
    """Exact division: hours and money never go through binary floating point."""
    if a is M or b is M:
        return M
    if b == 0:
        raise ArithmeticError("a division by zero")
    with localcontext() as context:
        context.prec = 28
        quotient = Decimal(a) / Decimal(b)
    return int(quotient) if quotient == quotient.to_integral_value() else quotient


def neg(a: Any) -> Any:
    return M if a is M else -a


def age_on(dob: Any, on: Any) -> Any:
    """Completed months of age on a date, so `age_on(dob, d) >= 16 years` holds from the
    16th birthday (in England a 29 February birthday falls on 1 March in other years)."""
    if dob is M or on is M:
        return M
    months = (on.year - dob.year) * 12 + on.month - dob.month
    if on.day < dob.day:  # someone born on 29 February turns a year older on 1 March
        months -= 1
    return months


def academic_year(d: Any) -> Any:
    if d is M:
        return M
    return d.year if d.month >= 9 else d.year - 1


def start_of_academic_year(d: Any) -> Any:
    if d is M:
        return M
    return date(academic_year(d), 9, 1)


def year_group_on(dob: Any, on: Any) -> Any:
    """National curriculum year group: age in whole years on 31 August before the school year, minus 4."""
    if dob is M or on is M:
        return M
    return age_on(dob, date(academic_year(on), 8, 31)) // 12 - 4


def term(d: Any) -> Any:
    if d is M:
        return M
    return "autumn" if d.month >= 9 else ("spring" if d.month <= 3 else "summer")


def year_of(d: Any) -> Any:
    return M if d is M else d.year


def make_date(y: Any, m: Any, d: Any) -> Any:
    if y is M or m is M or d is M:
        return M
    try:
        return date(int(y), int(m), int(d))
    except (ValueError, OverflowError):
        return M


def overlap_days(a_from: Any, a_to: Any, b_from: Any, b_to: Any) -> Any:
    """Days two periods share, first and last days included; 0 when they do not meet."""
    if a_from is M or a_to is M or b_from is M or b_to is M:
        return M
    return max(0, (min(a_to, b_to) - max(a_from, b_from)).days + 1)


def days_covered(starts: Any, ends: Any, first: Any, last: Any) -> Any:
    """Days from `first` to `last` (both included) inside at least one period starts[i]..ends[i].

    A day that two periods share counts once, so overlapping exceptions to a time limit never
    excuse the same day twice. Lists of different lengths, or a missing date, are missing."""
    if starts is M or ends is M or first is M or last is M or len(starts) != len(ends):
        return M
    starts, ends = [to_date(d) for d in starts], [to_date(d) for d in ends]  # list items arrive as ISO text
    if any(d is M for d in starts) or any(d is M for d in ends):
        return M
    periods = sorted((max(s, first), min(e, last)) for s, e in zip(starts, ends, strict=True))
    total, reached = 0, first - timedelta(days=1)  # the last day already counted
    for start, end in periods:
        counted_from = max(start, reached + timedelta(days=1))
        if counted_from <= end:
            total += (end - counted_from).days + 1
            reached = end
    return total


def length(value: Any) -> Any:
    return M if value is M else len(value)


def lower(value: Any) -> Any:
    return M if value is M else value.lower()


# ---- words in texts ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Phrases:
    """A list of phrases compiled to one pattern: found as whole words, ignoring case, with
    one scan of a text whatever the number of phrases."""

    phrases: tuple[str, ...]
    finder: re.Pattern[str] | None  # the phrases as a trie: one branch a letter, not a phrase
    number: int  # tells lists apart in the texts searched (`_SEARCHED`)
    members: frozenset[str]  # the phrases, for a quick "is this one of them"

    def search(self, text: str) -> bool:
        key = (self.number, text)
        found = _SEARCHED.get(key)
        if found is None:
            found = self.finder is not None and self.finder.search(text) is not None
            if len(_SEARCHED) >= _TEXTS_KEPT:
                _SEARCHED.clear()
            _SEARCHED[key] = found
        return found

    def found_each(self, text: str) -> frozenset[str]:
        """The phrases of the list each found in the text, as `contains` finds one. The text
        is scanned once for the places where any phrase starts, and each phrase is tried
        there with its own pattern: a phrase found anywhere starts at one of those places. At
        a place whose character is ASCII only the phrases whose first character is that
        letter in either case (or is not ASCII) are tried; for ASCII characters that is
        exactly what ignoring case matches."""
        key = (self.number, text)
        found = _FOUND_EACH.get(key)
        if found is None:
            found = frozenset()
            if self.search(text):
                starts = _STARTS.get(self.number)
                if starts is None:
                    starts = _STARTS[self.number] = _Starts(self.phrases)
                found = starts.found(text)
            if len(_FOUND_EACH) >= _TEXTS_KEPT:
                _FOUND_EACH.clear()
            _FOUND_EACH[key] = found
        return found

    def all_found(self, text: str) -> list[str]:
        """Every phrase found in the text, in list order, each once."""
        if not self.phrases:
            return []
        pattern = _NAMED.get(self.number)
        if pattern is None:
            # Longest first, so "as and when" wins over "as"; groups remember list order. Made
            # only when a message names the phrases found: most checks never need it.
            order = sorted(range(len(self.phrases)), key=lambda i: -len(self.phrases[i]))
            alternatives = "|".join(f"(?P<p{i}>{re.escape(self.phrases[i])})" for i in order)
            pattern = re.compile(r"(?<!\w)(?:" + alternatives + r")(?!\w)", re.IGNORECASE)
            if len(_NAMED) < 1024:
                _NAMED[self.number] = pattern
        found = {int(name[1:]) for m in pattern.finditer(text)
                 for name, value in m.groupdict().items() if value is not None}
        return [self.phrases[i] for i in sorted(found)]


def _pattern(one: Phrases) -> re.Pattern[str]:
    assert one.finder is not None  # a list of one phrase has a pattern
    return one.finder


class _Starts:
    """Where a list's phrases may start in a text, and which phrase to try at each place."""

    def __init__(self, listed: tuple[str, ...]):
        self.pattern = re.compile(r"(?<!\w)(?=" + _trie(listed) + r"(?!\w))", re.IGNORECASE)
        tried = [(phrase, _pattern(_alone(phrase))) for phrase in dict.fromkeys(listed)]
        anywhere = [(phrase, alone) for phrase, alone in tried if not phrase[:1].isascii() or not phrase]
        self.everything = tried
        self.by_letter: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
        for phrase, alone in tried:
            if phrase and phrase[0].isascii():
                self.by_letter.setdefault(phrase[0].lower(), []).append((phrase, alone))
        for letter in self.by_letter:
            self.by_letter[letter] += anywhere
        self.anywhere = anywhere

    def found(self, text: str) -> frozenset[str]:
        found: set[str] = set()
        for match in self.pattern.finditer(text):
            start = match.start()
            letter = text[start:start + 1]
            tried = self.everything if not letter.isascii() or not letter else \
                self.by_letter.get(letter.lower(), self.anywhere)
            found.update(phrase for phrase, alone in tried if phrase not in found and alone.match(text, start))
        return frozenset(found)


_PHRASES: dict[tuple[str, ...], Phrases] = {}
_PHRASE: dict[str, Phrases] = {}  # one phrase, by itself (`contains`)
_NUMBERS = itertools.count()
# The texts of one plan searched for each list: the outcome pass, a rule explained again and its
# message look in the same texts. Forgotten when the next plan is judged (`forget_texts`),
# so nothing carries from one plan to the next, and bounded in any case.
_SEARCHED: dict[tuple[int, str], bool] = {}
_FOUND_EACH: dict[tuple[int, str], frozenset[str]] = {}  # the same, for `found_each`
_STARTS: dict[int, _Starts] = {}  # by list number: where its phrases may start
_NAMED: dict[int, re.Pattern[str]] = {}  # by list number: one named group a phrase (`all_found`)
_TEXTS_KEPT = 4096


def forget_texts() -> None:
    """Start a new plan: forget the texts searched for the last one."""
    _SEARCHED.clear()
    _FOUND_EACH.clear()


def phrases(items: Iterable[str]) -> Phrases:
    """The compiled form of a list of phrases (built once per distinct list: the standards
    hold a handful of lists, so the table stays small)."""
    key = tuple(str(i) for i in items)
    found = _PHRASES.get(key)
    if found is None:
        finder = None
        if key:
            # Shared prefixes factored out: where a text has no phrase the engine tries a
            # branch per distinct letter instead of one per phrase (8 times faster on the
            # standards' 65-phrase lists than one alternative a phrase).
            finder = re.compile(r"(?<!\w)" + _trie(key) + r"(?!\w)", re.IGNORECASE)
        found = Phrases(key, finder, next(_NUMBERS), frozenset(key))
        if len(_PHRASES) < 1024:
            _PHRASES[key] = found
    return found


_Branches = dict[str, "_Branches"]  # a prefix tree: each next letter, "" where a phrase ends


def _trie(phrases: Iterable[str]) -> str:
    """A regular expression matching exactly the given phrases, as a prefix tree."""
    root: _Branches = {}
    for phrase in phrases:
        node = root
        for letter in phrase:
            node = node.setdefault(letter, {})
        node[""] = {}

    def branches(node: _Branches) -> str:
        options = [re.escape(letter) + branches(child) for letter, child in node.items() if letter]
        if not options:
            return ""
        if "" in node:  # a phrase ends here, and longer ones go on
            return "(?:" + "|".join(options) + ")?"
        return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"

    return branches(root)


def contains(container: Any, item: Any) -> Any:
    """`contains`: a phrase in a text, as whole words and ignoring case ("should" is not
    found in "shoulder"), or a value in a list."""
    if container is M or item is M:
        return M
    if isinstance(container, str):
        return (_alone(item) if isinstance(item, str) else phrases((str(item),))).search(container)
    return item in container


def _alone(phrase: str) -> Phrases:
    """One phrase, compiled as `contains` looks for it, found by the phrase."""
    one = _PHRASE.get(phrase)
    if one is None:
        one = phrases((phrase,))
        if len(_PHRASE) < 1024:
            _PHRASE[phrase] = one
    return one


def contains_each(container: Any, item: Any, listed: Any) -> Any:
    """`text contains w` where `w` goes through the phrase list `listed` (`list of w for w in
    phrases where text contains w`): the same answer as `contains`, with the text scanned
    once for the whole list rather than once for each phrase."""
    if isinstance(container, str) and isinstance(item, str) and isinstance(listed, Phrases) \
            and item in listed.members:
        return item in listed.found_each(container)
    return contains(container, item)


def contains_any(text: Any, listed: Any) -> Any:
    if text is M or listed is M:
        return M
    if not isinstance(listed, Phrases):
        listed = phrases(listed) if isinstance(text, str) else listed
    if isinstance(text, str):
        return listed.search(text)
    return any(p in text for p in (listed.phrases if isinstance(listed, Phrases) else listed))


# ---- three-valued logic for operands that may be missing ----------------------------------

def k_and(first: Any, *rest: Callable[[], Any]) -> Any:
    """Kleene's `and`, left to right: false as soon as an operand is false."""
    if first is False:
        return False
    unknown = first is M
    for operand in rest:
        value = operand()
        if value is False:
            return False
        if value is M:
            unknown = True
    return M if unknown else True


def k_or(first: Any, *rest: Callable[[], Any]) -> Any:
    """Kleene's `or`, left to right: true as soon as an operand is true."""
    if first is True:
        return True
    unknown = first is M
    for operand in rest:
        value = operand()
        if value is True:
            return True
        if value is M:
            unknown = True
    return M if unknown else False


def k_not(a: Any) -> Any:
    return M if a is M else not a


def k_if(c: Any, then: Callable[[], Any], otherwise: Callable[[], Any]) -> Any:
    if c is M:
        return M
    return then() if c else otherwise()


def k_eq(a: Any, b: Any) -> Any:
    return M if a is M or b is M else a == b


def k_ne(a: Any, b: Any) -> Any:
    return M if a is M or b is M else a != b


def k_lt(a: Any, b: Any) -> Any:
    return M if a is M or b is M else a < b


def k_le(a: Any, b: Any) -> Any:
    return M if a is M or b is M else a <= b


def k_gt(a: Any, b: Any) -> Any:
    return M if a is M or b is M else a > b


def k_ge(a: Any, b: Any) -> Any:
    return M if a is M or b is M else a >= b


def k_add(a: Any, b: Any) -> Any:
    return M if a is M or b is M else a + b


def k_sub(a: Any, b: Any) -> Any:
    return M if a is M or b is M else a - b


def k_mul(a: Any, b: Any) -> Any:
    return M if a is M or b is M else a * b


def lists_equal(a: Any, b: Any) -> Any:
    """`=` on lists: the same items in the same order, however each list was made (written
    out, `list of`, read from the plan) and lists inside lists alike; missing when either is."""
    if a is M or b is M:
        return M
    return _same_items(a, b)


def lists_differ(a: Any, b: Any) -> Any:
    same = lists_equal(a, b)
    return same if same is M else not same


def lists_in(item: Any, collection: Any) -> Any:
    """`in` (and `contains`) for a list among lists: one of them equal to it, as `lists_equal`
    says (a list is never looked up by hash: a plan's list has none)."""
    if item is M or collection is M:
        return M
    return any(_same_items(item, other) for other in collection)


def lists_not_in(item: Any, collection: Any) -> Any:
    found = lists_in(item, collection)
    return found if found is M else not found


def _same_items(a: Any, b: Any) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same_items(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def k_in(item: Any, collection: Any) -> Any:
    return M if item is M or collection is M else item in collection


def k_not_in(item: Any, collection: Any) -> Any:
    return M if item is M or collection is M else item not in collection


def _search(items: Any, body: Callable[[Any], Any], where: Callable[[Any], Any] | None, wanted: bool) -> Any:
    """Look for an item whose body is `wanted`: True when found, MISSING when not found but
    some item (or its filter) could not be judged, else False."""
    if items is M:
        return M
    unknown = False
    for item in items:
        if where is not None:
            w = where(item)
            if w is False:
                continue
            if w is M:
                unknown = True
                continue
        v = body(item)
        if v is wanted:
            return True
        if v is M:
            unknown = True
    return M if unknown else False


def k_every(items: Any, body: Callable[[Any], Any], where: Callable[[Any], Any] | None = None) -> Any:
    return k_not(_search(items, body, where, False))


def k_some(items: Any, body: Callable[[Any], Any], where: Callable[[Any], Any] | None = None) -> Any:
    return _search(items, body, where, True)


def k_no(items: Any, body: Callable[[Any], Any], where: Callable[[Any], Any] | None = None) -> Any:
    return k_not(_search(items, body, where, True))


def k_aggregate(kind: str, items: Any, value: Callable[[Any], Any] | None,
                where: Callable[[Any], Any] | None = None) -> Any:
    """count / sum / min / max / list over the items that pass `where`; MISSING if any needed
    fact is missing (an unknown filter or value leaves the total unknown)."""
    if items is M:
        return M
    values = []
    for item in items:
        if where is not None:
            w = where(item)
            if w is False:
                continue
            if w is M:
                return M
        v = value(item) if value is not None else item
        if v is M:
            return M
        values.append(v)
    return reduce_values(kind, values)


def reduce_values(kind: str, values: list[Any]) -> Any:
    """count / sum / list / min / max of the values an aggregate kept (min and max of no
    values are missing)."""
    if kind == "count":
        return len(values)
    if kind == "sum":
        return sum(values, 0)
    if kind == "list":
        return values
    if not values:
        return M
    return min(values) if kind == "min" else max(values)


# ---- joins: `some x in LIST satisfies x.key = VALUE` as a lookup ---------------------------

@dataclass(frozen=True, slots=True)
class Index:
    """The keys of a list's items, built once per evaluation so that a quantifier over the
    list inside another quantifier costs a lookup, not a second pass over the list.

    `keys` maps each key to the first item that has it. `unknown` is true when an item's
    key (or its filter) could not be judged, and `considered` counts the items whose filter
    held: with them a lookup answers exactly as the quantifier would."""

    keys: dict[Any, int]
    unknown: bool
    considered: int
    size: int


def build_index(items: Any, keys: Callable[[Any], Any], where: Callable[[Any], Any] | None,
                many: bool) -> Any:
    """An Index of `keys(item)` over the items passing `where` (`many`: each key is a list of
    keys, as in `n.id in f.need_ids`)."""
    if items is M:
        return M
    found: dict[Any, int] = {}
    unknown = False
    considered = 0
    for index, item in enumerate(items):
        if where is not None:
            w = where(item)
            if w is False:
                continue
            if w is M:
                unknown = True
                continue
        considered += 1
        key = keys(item)
        if key is M:
            unknown = True
        elif many:
            for k in key:
                found.setdefault(k, index)
        else:
            found.setdefault(key, index)
    return Index(found, unknown, considered, len(items))


def lookup(index: Any, key: Any) -> Any:
    """`some` over the indexed list: true if an item has the key, else MISSING or false."""
    if index is M:
        return M
    if key is M:
        return M if index.considered or index.unknown else False
    if key in index.keys:
        return True
    return M if index.unknown else False


def lookup_any(index: Any, keys: Any) -> Any:
    """`some` over the indexed list where the item's key is one of `keys`."""
    if index is M:
        return M
    if keys is M:
        return M if index.considered or index.unknown else False
    unknown = False
    if not keys:
        return M if index.unknown else False
    for key in keys:
        found = lookup(index, key)
        if found is True:
            return True
        if found is M:
            unknown = True
    return M if unknown else False


def memo(values: list[Any], slot: int, build: Callable[[], Any]) -> Any:
    """A value computed once per evaluation (an index): slot `slot` of the memo list."""
    value = values[slot]
    if value is NOT_YET:
        value = values[slot] = build()
    return value


def keep(params: dict[str, Any], key: str, value: Any) -> Any:
    """A step of a part computed once per as-of date, kept for explanations."""
    params[key] = value
    return value


# ---- explained evaluation: the recorder ----------------------------------------------------

Frame = tuple[tuple[int, int], ...]  # the (quantifier node, item index) pairs being iterated


@dataclass(slots=True)
class ItemsSeen:
    """Which items of a list a quantifier or aggregate looked at, and which of them decided
    it: those that failed an `every`, held for a `some` or `no`, could not be judged, or (for
    a `some` that found none) every item looked at. At most MAX_ITEMS_SHOWN are kept, with
    how many there were."""

    kind: str
    total: int
    deciding: tuple[int, ...]
    deciding_count: int
    pointer_base: str | None = None


@dataclass(slots=True)
class Recorder:
    """What an explained evaluation did, recorded as it happened.

    Every evaluated sub-expression's value, by node number: outside any list in `values`,
    inside a list item in that item's frame. The items each quantifier looked at and the ones
    that decided it (`items`); each exception tried and its outcome; the case that decided
    each determination, and the exception that set a case aside. A node with no value was not
    evaluated (an `and` stopped early, an `if` took the other branch). The explanation is
    rendered from this record; nothing is worked out again."""

    values: dict[int, Any] = field(default_factory=dict)
    frames: dict[Frame, dict[int, Any]] = field(default_factory=dict)
    items: dict[tuple[int, Frame], ItemsSeen] = field(default_factory=dict)
    exceptions: dict[str, Any] = field(default_factory=dict)   # exception id -> True/False/MISSING
    applied: dict[str, str] = field(default_factory=dict)      # target (rule id) -> exception applied
    cases: dict[str, int] = field(default_factory=dict)        # determination -> deciding case index
    case_exceptions: dict[tuple[str, int], str] = field(default_factory=dict)
    undecidable: dict[str, str] = field(default_factory=dict)  # decision -> why its arithmetic failed
    outcome: list[Any] | None = None  # the memo of the outcome forms (`outcome_memo`)
    frame: Frame = ()
    current: dict[int, Any] = field(default_factory=dict)
    capturing: bool = True
    r: Callable[[int, Any], Any] = field(init=False)
    rf: Callable[[int, Any], Any] = field(init=False)

    def __post_init__(self) -> None:
        values = self.values
        self.current = values
        self.frames[()] = values

        def r(node: int, value: Any) -> Any:
            values[node] = value
            return value

        def rf(node: int, value: Any) -> Any:
            self.current[node] = value
            return value

        self.r, self.rf = r, rf

    # ---- events the generated code reports ------------------------------------------------
    def exception_tried(self, exception: str, outcome: Any) -> Any:
        self.exceptions[exception] = outcome
        return outcome

    def exception_applied(self, target: str, exception: str) -> None:
        self.applied[target] = exception

    def case_decided(self, determination: str, index: int) -> None:
        self.cases[determination] = index

    def case_excepted(self, determination: str, index: int, exception: str) -> None:
        self.case_exceptions[(determination, index)] = exception

    # ---- frames ----------------------------------------------------------------------------
    def top(self) -> tuple[Frame, dict[int, Any], bool]:
        """Record at the top level (a definition or determination is recorded once, outside
        any list item); returns what `restore` needs to go back."""
        saved = (self.frame, self.current, self.capturing)
        self.frame, self.current, self.capturing = (), self.values, True
        return saved

    def restore(self, saved: tuple[Frame, dict[int, Any], bool]) -> None:
        self.frame, self.current, self.capturing = saved

    def outcome_memo(self, slots: int) -> list[Any]:
        """The memo the outcome forms run inside an explained evaluation read and fill: the
        outcome pass's own (`outcome`), or one of their own, never the explained forms' (whose
        memo says what has been recorded)."""
        if self.outcome is None:
            self.outcome = [NOT_YET] * slots
        return self.outcome

    def once(self, memo_values: list[Any], slot: int, compute: Callable[[], Any]) -> Any:
        """A value the same for every list item: computed and recorded once, at the top level."""
        value = memo_values[slot]
        if value is NOT_YET:
            saved = self.top()
            try:
                value = memo_values[slot] = compute()
            finally:
                self.restore(saved)
        return value

    def value(self, node: int, frame: Frame, default: Any = None) -> Any:
        values = self.frames.get(frame)
        return default if values is None else values.get(node, default)

    def quantify(self, node: int, items: Any, body: Callable[[Any], Any], where: Callable[[Any], Any] | None,
                 kind: str, capture: bool, plain_body: Callable[[Any], Any] | None = None,
                 plain_where: Callable[[Any], Any] | None = None) -> Any:
        """Evaluate a quantifier, keeping frames only for the items that decided it: the items
        are judged first (by `plain_body` and `plain_where`, the outcome form, where the
        compiler gives them; else into a scratch record), then the deciding ones (at most
        MAX_ITEMS_SHOWN) run again explained into frames of their own. Evaluation is pure, so
        the values are the same, and a plan that passes pays for no frames."""
        if items is M:
            return M
        if plain_body is not None:
            body_first, where_first = plain_body, plain_where
        else:
            body_first, where_first = body, where
        if not self.capturing:
            # Inside an item no explanation will show: the answer, stopping at the first
            # item that settles it, as the outcome form does.
            return (k_every if kind == "every" else k_some if kind == "some" else k_no)(items, body_first, where_first)
        outer, outer_values, capturing = self.frame, self.current, self.capturing
        decisive = kind == "every"  # `every` looks for a False item; `some`/`no` for a True one
        unknown = found = False
        deciding: list[int] = []
        looked_at: list[int] = []
        try:
            self.capturing = False
            self.current = {}
            for index, item in enumerate(items):
                if where_first is not None:
                    w = where_first(item)
                    if w is False:
                        continue
                    if w is M:
                        unknown = True
                        deciding.append(index)
                        continue
                looked_at.append(index)
                v = body_first(item)  # every item is judged, so the trace can name all that failed
                if v is M:
                    unknown = True
                    deciding.append(index)
                elif v is not decisive:
                    found = True
                    deciding.append(index)
            if kind == "some" and not found and not unknown:
                deciding = looked_at  # nothing held: every item looked at explains why
            if capturing:
                self.items[(node, outer)] = ItemsSeen(kind, len(items), tuple(deciding[:MAX_ITEMS_SHOWN]),
                                                      len(deciding))
            if capturing and capture:
                self.capturing = True
                for index in deciding[:MAX_ITEMS_SHOWN]:
                    frame = self.frame = (*outer, (node, index))
                    self.current = self.frames[frame] = {}
                    if where is None or where(items[index]) is not False:
                        body(items[index])
        finally:
            self.frame, self.current, self.capturing = outer, outer_values, capturing
        if kind == "every":
            return False if found else (M if unknown else True)
        result = True if found else (M if unknown else False)
        return k_not(result) if kind == "no" else result

    def join(self, node: int, items: Any, found: Any, body: Callable[[Any], Any],
             where: Callable[[Any], Any] | None, kind: str) -> Any:
        """A join (see `compiler.find_join`), judged by its lookup. Where the explanation will
        show it (a deciding item of the quantifiers around it, at most MAX_ITEMS_SHOWN of
        them), it runs as the quantifier it is, so it is explained the same way; elsewhere
        the lookup is all it costs."""
        if not self.capturing:
            return found
        return self.quantify(node, items, body, where, kind, True)

    def aggregate(self, node: int, kind: str, items: Any, value: Callable[[Any], Any] | None,
                  where: Callable[[Any], Any] | None, capture: bool) -> Any:
        """Evaluate an aggregate, recording the first MAX_ITEMS_SHOWN items it kept."""
        if items is M or not self.capturing:
            return k_aggregate(kind, items, value, where)
        outer, outer_values, frames = self.frame, self.current, self.frames
        values: list[Any] = []
        kept: list[int] = []
        try:
            for index, item in enumerate(items):
                if capture and len(kept) < MAX_ITEMS_SHOWN:
                    frame = self.frame = (*outer, (node, index))
                    self.current = frames[frame] = {}
                else:
                    self.current, self.capturing = {}, False
                if where is not None:
                    w = where(item)
                    if w is False:
                        continue
                    if w is M:
                        kept.append(index)
                        return M
                v = value(item) if value is not None else item
                kept.append(index)
                if v is M:
                    return M
                values.append(v)
        finally:
            self.frame, self.current, self.capturing = outer, outer_values, True
            self.items[(node, outer)] = ItemsSeen(kind, len(items), tuple(kept[:MAX_ITEMS_SHOWN]), len(kept))
        return reduce_values(kind, values)


def sequence(value: Any) -> Sequence[Any] | None:
    """The list a collection evaluated to, or None when it is missing or not a list."""
    return value if isinstance(value, (list, tuple)) else None
