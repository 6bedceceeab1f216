"""Secondary (complementary) suppression: no hidden small count can be worked back from what is shown.

Plain functions, no Django (the threshold is passed in; `suppression.threshold()` reads the setting).

Primary suppression hides counts below the threshold ("<5"). That is not enough when a table also shows a
total and its parts (categories, women and men, a county and its municipalities): total minus the shown
parts gives the hidden one back. Nor when a rate per 100 000 or a share is shown beside the hidden count,
since the population is public (`analysis.count_from_rate`). The rule here:

1. Primary: every count below `limit` (zero included) is hidden and shown as "<limit".
2. Complementary: while some relation *total = sum(parts)* has exactly one hidden member, hide the smallest
   shown part of that relation (the total only when every part is hidden already); shown as "..", so a
   reader knows it is at least `limit`.
3. Audit: for every hidden cell, the smallest and largest values consistent with everything shown (the
   relations, "<limit" meaning 0..limit-1, ".." meaning ≥ limit) are found by linear programming; a cell
   whose range is a single value is still disclosed, and the smallest shown member of a relation holding
   it is hidden too. Repeat until no cell is disclosed.
4. Rates and shares are hidden whenever any count they are computed from is hidden.

`needs_suppression(source)` says which sources need it: official statistics (Brå, Kolada, SCB) are
published already; local and sensitive figures (social services, local police figures) are not.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog

PUBLISHED_SOURCES = frozenset({"bra", "kolada", "scb", "ntu", "jsonstat", "px"})


def needs_suppression(source: str) -> bool:
    """False for sources that publish the figures themselves (suppression is theirs); True otherwise."""
    return source.strip().lower() not in PUBLISHED_SOURCES


@dataclass(frozen=True)
class Relation:
    """total = sum(parts), as shown in one view or export (a breakdown and its total)."""

    total: Hashable
    parts: tuple[Hashable, ...]


@dataclass(frozen=True)
class Protected:
    values: Mapping[Hashable, int | None]
    limit: int
    primary: frozenset = frozenset()
    complementary: frozenset = frozenset()
    hidden_derived: frozenset = frozenset()  # rates and shares hidden with their counts

    def hidden(self, key: Hashable) -> bool:
        return key in self.primary or key in self.complementary or key in self.hidden_derived

    def text(self, key: Hashable) -> str | None:
        """ "<5" (primary), ".." (complementary or derived), or None when the value may be shown."""
        if key in self.primary:
            return f"<{self.limit}"
        if key in self.complementary or key in self.hidden_derived:
            return ".."
        return None

    @property
    def note(self) -> str:
        if not (self.primary or self.complementary or self.hidden_derived):
            return ""
        text = f"Värden under {self.limit} redovisas inte (<{self.limit})."
        if self.complementary or self.hidden_derived:
            text += " Värden markerade .. döljs så att de dolda värdena inte kan räknas fram ur summor och andelar."
        return text


@dataclass
class _State:
    values: dict
    relations: list[Relation]
    limit: int
    primary: set = field(default_factory=set)
    complementary: set = field(default_factory=set)

    @property
    def hidden(self) -> set:
        return self.primary | self.complementary

    def members(self, relation: Relation) -> list:
        return [k for k in (relation.total, *relation.parts) if self.values.get(k) is not None]

    def hide_one_more(self, relation: Relation, avoid: Iterable = ()) -> bool:
        """Hide the smallest shown part of the relation (else its total); False when nothing is left."""
        avoid = set(avoid)
        shown_parts = [
            p
            for p in relation.parts
            if self.values.get(p) is not None and p not in self.hidden and p not in avoid
        ]
        if shown_parts:
            self.complementary.add(min(shown_parts, key=lambda k: (self.values[k], repr(k))))
            return True
        total = relation.total
        if self.values.get(total) is not None and total not in self.hidden:
            self.complementary.add(total)
            return True
        return False


def _single_hidden_pass(state: _State) -> bool:
    changed = False
    for relation in state.relations:
        hidden = [k for k in state.members(relation) if k in state.hidden]
        if len(hidden) == 1:
            changed |= state.hide_one_more(relation)
    return changed


def feasible_ranges(
    values: Mapping[Hashable, int | None],
    relations: Sequence[Relation],
    primary: Iterable[Hashable],
    complementary: Iterable[Hashable],
    limit: int,
) -> dict[Hashable, tuple[float, float]]:
    """For each hidden cell, (min, max) over all non-negative values consistent with what is shown:
    shown values as they are, primary cells in [0, limit - 1], complementary cells ≥ limit, and every
    relation. max is inf when unbounded. This is the attack a reader with a spreadsheet can make."""
    hidden = sorted(set(primary) | set(complementary), key=repr)
    if not hidden:
        return {}
    index = {k: i for i, k in enumerate(hidden)}
    primary = set(primary)
    bounds = [(0, limit - 1) if k in primary else (limit, None) for k in hidden]
    rows, rhs = [], []
    for relation in relations:
        row = np.zeros(len(hidden))
        constant = 0.0
        involved = False
        for key, sign in [(relation.total, -1.0)] + [(p, 1.0) for p in relation.parts]:
            value = values.get(key)
            if value is None:
                continue
            if key in index:
                row[index[key]] += sign
                involved = True
            else:
                constant += sign * value
        if involved:
            rows.append(row)
            rhs.append(-constant)
    a_eq = np.array(rows) if rows else None
    b_eq = np.array(rhs) if rows else None
    out = {}
    for key, i in index.items():
        c = np.zeros(len(hidden))
        c[i] = 1.0
        low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        high = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        lo = float(low.x[i]) if low.status == 0 else float("nan")
        hi = float(high.x[i]) if high.status == 0 else float("inf")
        out[key] = (lo, hi)
    return out


def _disclosed(ranges: Mapping[Hashable, tuple[float, float]]) -> list:
    """Cells whose integer range holds one value only."""
    return [
        k for k, (lo, hi) in ranges.items() if np.isfinite(hi) and np.floor(hi + 1e-7) <= np.ceil(lo - 1e-7)
    ]


def protect(
    values: Mapping[Hashable, int | None],
    relations: Sequence[Relation] = (),
    limit: int = 5,
    *,
    derived: Mapping[Hashable, Sequence[Hashable]] | None = None,
) -> Protected:
    """Primary and complementary suppression of one view or export.

    ``values``: every count the view shows, by any hashable key (None = missing, shown as ".."); ``relations``:
    the totals and their parts shown together; ``derived``: rate or share key -> the count keys it is
    computed from (a rate per 100 000 -> its count; a share -> its part and its total). Returns which keys to
    hide and how to show them."""
    state = _State(dict(values), list(relations), limit)
    state.primary = {k for k, v in values.items() if v is not None and limit > 0 and v < limit}
    for _ in range(10 * (len(values) + 1)):
        while _single_hidden_pass(state):
            pass
        disclosed = _disclosed(
            feasible_ranges(state.values, state.relations, state.primary, state.complementary, limit)
        )
        if not disclosed:
            break
        progressed = False
        for key in disclosed:
            for relation in state.relations:
                if key in state.members(relation) and state.hide_one_more(relation):
                    progressed = True
                    break
            if progressed:
                break
        if not progressed:  # nothing left to hide around it: hide every member of its relations
            for key in disclosed:
                for relation in state.relations:
                    if key in state.members(relation):
                        state.complementary.update(
                            k for k in state.members(relation) if k not in state.primary
                        )
            break
    hidden = state.hidden
    derived_hidden = {r for r, inputs in (derived or {}).items() if any(k in hidden for k in inputs)}
    return Protected(
        values=dict(values),
        limit=limit,
        primary=frozenset(state.primary),
        complementary=frozenset(state.complementary),
        hidden_derived=frozenset(derived_hidden),
    )
