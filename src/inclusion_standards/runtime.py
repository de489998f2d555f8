"""What compiled standards call at run time: the missing-fact value, three-valued logic,
calendar arithmetic and the trace recorder.

A fact the document does not give is `MISSING`. It propagates through every operation
(Kleene's logic for `and`/`or`: `false and missing` is false, `true or missing` is true),
so a rule whose outcome depends on an absent fact ends "cannot be judged", never a pass
or a fail by accident. Nothing here reads the clock, files or the network.
"""
from __future__ import annotations

import calendar
import functools
import re
from datetime import date, timedelta


class _Missing:
    """The value of a fact the document does not give (absent or null)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:  # a missing fact must never pass for a truth value
        raise TypeError("a missing fact has no truth value")


MISSING = _Missing()
M = MISSING
_fromiso = date.fromisoformat


def get(record, key):
    """A field of a record, or MISSING when the record, the field or its value is absent."""
    if record is M or not isinstance(record, dict):
        return M
    value = record.get(key)
    return M if value is None else value


def to_date(value):
    if value is M or isinstance(value, date):
        return value
    try:
        return _fromiso(value)
    except (TypeError, ValueError):
        return M


def add_days(d, days):
    if d is M or days is M:
        return M
    return d + timedelta(days=days)


def add_months(d, months):
    """Add calendar months; a day past the end of the target month becomes its last day
    (31 January + 1 month = 28 or 29 February), as docs/language.md says."""
    if d is M or months is M:
        return M
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def days_between(a, b):
    if a is M or b is M:
        return M
    return (a - b).days


def age_on(dob, on):
    """Completed months of age on a date, so `age_on(dob, d) >= 16 years` holds from the
    16th birthday (in England a 29 February birthday falls on 1 March in other years)."""
    if dob is M or on is M:
        return M
    months = (on.year - dob.year) * 12 + on.month - dob.month
    if on.day < dob.day:  # someone born on 29 February turns a year older on 1 March
        months -= 1
    return months


def academic_year(d):
    if d is M:
        return M
    return d.year if d.month >= 9 else d.year - 1


def start_of_academic_year(d):
    if d is M:
        return M
    return date(academic_year(d), 9, 1)


def year_group_on(dob, on):
    """National curriculum year group: age in whole years on 31 August before the school year, minus 4."""
    if dob is M or on is M:
        return M
    return age_on(dob, date(academic_year(on), 8, 31)) // 12 - 4


def term(d):
    if d is M:
        return M
    return "autumn" if d.month >= 9 else ("spring" if d.month <= 3 else "summer")


def year_of(d):
    return M if d is M else d.year


def make_date(y, m, d):
    if y is M or m is M or d is M:
        return M
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return M


def overlap_days(a_from, a_to, b_from, b_to):
    """Days two periods share, first and last days included; 0 when they do not meet."""
    if a_from is M or a_to is M or b_from is M or b_to is M:
        return M
    return max(0, (min(a_to, b_to) - max(a_from, b_from)).days + 1)


def days_covered(starts, ends, first, last):
    """Days from `first` to `last` (both included) inside at least one period starts[i]..ends[i].

    A day that two periods share counts once, so overlapping exceptions to a time limit never
    excuse the same day twice. Lists of different lengths, or a missing date, are missing."""
    if starts is M or ends is M or first is M or last is M or len(starts) != len(ends):
        return M
    starts, ends = [to_date(d) for d in starts], [to_date(d) for d in ends]  # list items arrive as ISO text
    if any(d is M for d in starts) or any(d is M for d in ends):
        return M
    periods = sorted((max(s, first), min(e, last)) for s, e in zip(starts, ends))
    total, reached = 0, first - timedelta(days=1)  # the last day already counted
    for start, end in periods:
        start = max(start, reached + timedelta(days=1))
        if start <= end:
            total += (end - start).days + 1
            reached = end
    return total


def length(value):
    return M if value is M else len(value)


def lower(value):
    return M if value is M else value.lower()


@functools.lru_cache(maxsize=4096)
def _phrase(phrase: str) -> "re.Pattern":
    return re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", re.IGNORECASE)


def contains(container, item):
    """`contains`: a phrase in a text, as whole words and ignoring case ("should" is not
    found in "shoulder"), or a value in a list."""
    if container is M or item is M:
        return M
    if isinstance(container, str):
        return _phrase(str(item)).search(container) is not None
    return item in container


@functools.lru_cache(maxsize=256)
def _any_phrase(phrases: tuple) -> "re.Pattern":
    """One pattern for a whole list of phrases: one scan of the text instead of one a phrase."""
    alternatives = "|".join(f"(?P<p{i}>{re.escape(p)})" for i, p in enumerate(phrases))
    return re.compile(r"(?<!\w)(?:" + alternatives + r")(?!\w)", re.IGNORECASE)


def matched_phrase(text, phrases):
    """The first phrase of `phrases` (in list order) that `text` contains, as whole words and
    ignoring case; None when it contains none."""
    phrases = tuple(phrases)
    if not phrases:
        return None
    found = [int(name[1:]) for m in _any_phrase(phrases).finditer(text)
             for name, value in m.groupdict().items() if value is not None]
    return phrases[min(found)] if found else None


def contains_any(text, phrases):
    if text is M or phrases is M:
        return M
    if isinstance(text, str):
        return bool(phrases) and _any_phrase(tuple(phrases)).search(text) is not None
    return any(p in text for p in phrases)


# ---- three-valued logic for operands that may be missing ----------------------------------

def k_and(a, rest):
    if a is False:
        return False
    b = rest()
    if b is False:
        return False
    return M if (a is M or b is M) else True


def k_or(a, rest):
    if a is True:
        return True
    b = rest()
    if b is True:
        return True
    return M if (a is M or b is M) else False


def k_not(a):
    return M if a is M else not a


def k_if(c, then, otherwise):
    if c is M:
        return M
    return then() if c else otherwise()


def lift(fn, a, b):
    """Apply a two-argument operation unless either side is missing."""
    if a is M or b is M:
        return M
    return fn(a, b)


def lift1(fn, a):
    return M if a is M else fn(a)


def _search(items, body, where, wanted: bool):
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


def k_every(items, body, where=None):
    return k_not(_search(items, body, where, False))


def k_some(items, body, where=None):
    return _search(items, body, where, True)


def k_no(items, body, where=None):
    return k_not(_search(items, body, where, True))


def k_aggregate(kind, items, value, where=None):
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
    return _reduce(kind, values)


def _reduce(kind, values):
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


# ---- traces ----------------------------------------------------------------------------

class Recorder:
    """Collects the value of every evaluated sub-expression for the explanation of a decision.

    Values outside any list go to `values` by node number (`r`). Values computed per list
    item go to one dict per frame, the (quantifier, item index) pairs being iterated over
    (`rf` writes to the current frame's dict). Both are closures, the cheapest call CPython
    has. A quantifier first runs its items into a scratch dict and then runs again, into
    frames of their own, only the items that decide it (those that failed an `every`, held
    for a `some`, or could not be judged): evaluation is pure, so the values are the same,
    and a plan that passes pays for no frames.
    """

    __slots__ = ("values", "frames", "frame", "current", "capturing", "r", "rf")

    def __init__(self):
        values: dict = {}
        self.values = values
        self.frames: dict[tuple, dict] = {(): values}
        self.frame: tuple = ()
        self.current = values
        self.capturing = True

        def r(node_id, value):
            values[node_id] = value
            return value

        def rf(node_id, value):
            self.current[node_id] = value
            return value

        self.r, self.rf = r, rf

    def top(self) -> tuple:
        """Record at the top level (a definition or determination is traced once, outside any
        list item); returns what `restore` needs to go back."""
        saved = (self.frame, self.current, self.capturing)
        self.frame, self.current, self.capturing = (), self.values, True
        return saved

    def restore(self, saved: tuple) -> None:
        self.frame, self.current, self.capturing = saved

    def get(self, node_id, frame, default=None):
        values = self.frames.get(frame)
        return default if values is None else values.get(node_id, default)

    def every(self, node_id, items, body, where=None, kind="every", capture=True):
        if items is M:
            return M
        outer, outer_values, capturing = self.frame, self.current, self.capturing
        decisive = kind == "every"  # `every` looks for a False item; `some`/`no` for a True one
        unknown = found = False
        deciding = []
        scratch: dict = {}
        try:
            self.capturing = False
            self.current = scratch
            for index, item in enumerate(items):
                if where is not None:
                    w = where(item)
                    if w is False:
                        continue
                    if w is M:
                        unknown = True
                        deciding.append(index)
                        continue
                v = body(item)  # every item is evaluated, so the trace can name all that failed
                if v is M:
                    unknown = True
                    deciding.append(index)
                elif v is not decisive:
                    found = True
                    deciding.append(index)
            if kind == "some" and not found and not unknown:
                # Nothing held: every item looked at explains why, so all of them are kept.
                deciding = [i for i in range(len(items))
                            if where is None or where(items[i]) is not False]
            if capturing and capture:
                self.capturing = True
                for index in deciding:
                    frame = self.frame = outer + ((node_id, index),)
                    self.current = self.frames[frame] = {}
                    if where is None or where(items[index]) is not False:
                        body(items[index])
        finally:
            self.frame, self.current, self.capturing = outer, outer_values, capturing
        if kind == "every":
            return False if found else (M if unknown else True)
        result = True if found else (M if unknown else False)
        return k_not(result) if kind == "no" else result

    def aggregate(self, node_id, kind, items, value, where=None, capture=True):
        if items is M or not (self.capturing and capture):
            return k_aggregate(kind, items, value, where)
        outer, outer_values, frames = self.frame, self.current, self.frames
        values = []
        try:
            for index, item in enumerate(items):
                frame = self.frame = outer + ((node_id, index),)
                self.current = frames[frame] = {}
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
        finally:
            self.frame, self.current = outer, outer_values
        return _reduce(kind, values)
