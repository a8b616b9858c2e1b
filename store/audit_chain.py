"""The audit log's hash chain: each entry holds a hash of its content and of the one before.

An entry's ``hash`` is the SHA-256 of :func:`canonical` (its ``seq, at, actor, role,
office, action, target, details`` and ``prev_hash``, as JSON), and its ``prev_hash`` is
the ``hash`` of the entry before it (:data:`GENESIS` for the first). Changing an entry's
content, deleting one in the middle or slipping one in then shows where it happened:
:func:`verify` walks the log and names the entry.

What a chain alone cannot show is the *last* entries deleted (the shorter log is a valid
chain) or the whole log rewritten from some point with new hashes (the hash has no
secret key). Both are caught against an :class:`Anchor` kept outside the store: the
head (``seq`` and ``hash``) noted at an earlier check (``pocmap audit --verify --anchor
FILE``, or the head the Admin page shows, written down).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from languages import N_, _

GENESIS = "0" * 64
"""The ``prev_hash`` of the first entry."""
CONTENT_COLUMNS = ("seq", "at", "actor", "role", "office", "action", "target", "details")
CHAIN_COLUMNS = ("prev_hash", "hash")

# The kinds of break :func:`verify` reports.
# Kinds of break: identifiers, in English, shown translated (``_(kind)``).
CHANGED = N_("content changed")
MISSING = N_("entries missing")
INSERTED = N_("entry inserted")
RELINKED = N_("chain broken")
UNHASHED = N_("no hash")
ANCHOR = N_("anchor not found")


def canonical(entry: Mapping[str, Any]) -> bytes:
    """The bytes an entry's hash is taken over: a JSON array, in :data:`CONTENT_COLUMNS`
    order then ``prev_hash``, compact, UTF-8. ``seq`` is an integer, the rest text or null;
    both backends store the same text, so a chain stays valid when the store moves."""
    values: list[int | str | None] = [int(entry["seq"])]
    values += [_text(entry[name]) for name in CONTENT_COLUMNS[1:]]
    values.append(_text(entry["prev_hash"]))
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def entry_hash(entry: Mapping[str, Any]) -> str:
    """The SHA-256 (hex) of :func:`canonical`."""
    return hashlib.sha256(canonical(entry)).hexdigest()


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class Break:
    """One place where the chain does not hold.

    Attributes
    ----------
    seq : the entry where the break shows.
    kind : :data:`CHANGED`, :data:`MISSING`, :data:`INSERTED`, :data:`RELINKED`,
        :data:`UNHASHED` or :data:`ANCHOR`.
    message : what differs, for a person.
    """

    seq: int
    kind: str
    message: str


@dataclass(frozen=True)
class Anchor:
    """A head noted outside the store: entry ``seq`` had hash ``hash``."""

    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> Anchor:
        """``SEQ:HASH`` as :meth:`__str__` writes it.

        Raises
        ------
        ValueError
            naming the text and the form expected.
        """
        seq, _colon, digest = text.strip().partition(":")
        if not seq.strip().isdigit() or len(digest.strip()) != 64:
            raise ValueError(
                _(
                    "anchor {text} is not SEQ:HASH (an entry number, a colon and the 64 hex "
                    "digits of its hash, as `pocmap audit --verify` prints the head)",
                    text=repr(text.strip()[:80]),
                )
            )
        return cls(int(seq), digest.strip().lower())


@dataclass(frozen=True)
class ChainCheck:
    """What :func:`verify` found.

    Attributes
    ----------
    entries : how many entries the log holds.
    head : the last entry's ``seq`` and ``hash`` (``None`` for an empty log).
    breaks : where the chain does not hold, in log order; empty when intact.
    """

    entries: int
    head: Anchor | None
    breaks: list[Break] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        """No break found."""
        return not self.breaks

    def summary(self) -> str:
        """One line: intact with its head, or how many breaks and the first."""
        if self.intact and self.head:
            return _(
                "audit log intact: {entries} entries, every hash and link holds; head {head}",
                entries=self.entries,
                head=self.head,
            )
        if self.intact:
            return _(
                "audit log intact: {entries} entries, every hash and link holds",
                entries=self.entries,
            )
        first = self.breaks[0]
        return _(
            "audit log BROKEN: {breaks} break(s) in {entries} entries; first at seq {seq}: {kind}",
            breaks=len(self.breaks),
            entries=self.entries,
            seq=first.seq,
            kind=_(first.kind),
        )


def verify(entries: Iterable[Mapping[str, Any]], anchor: Anchor | None = None) -> ChainCheck:
    """Check the chain of ``entries`` (oldest first, each with :data:`CONTENT_COLUMNS` and
    :data:`CHAIN_COLUMNS`), and that ``anchor``, if given, is still in it.

    Each entry's hash must match its content, and its ``prev_hash`` the hash stored in the
    entry before it. A broken link is explained as well as the stored values allow:
    numbers skipped (entries deleted), an entry whose neighbours chain past it (inserted),
    or else a relinked or rewritten entry.
    """
    rows = [dict(e) for e in entries]
    breaks: list[Break] = []
    for i, row in enumerate(rows):
        seq = int(row["seq"])
        if not row.get("hash") or not row.get("prev_hash"):
            breaks.append(
                Break(
                    seq,
                    UNHASHED,
                    _("seq {seq} has no hash: it was written bypassing pocmap", seq=seq),
                )
            )
            continue
        if entry_hash(row) != row["hash"]:
            breaks.append(
                Break(
                    seq,
                    CHANGED,
                    _(
                        "seq {seq} ({action} by {actor} at {at}): its content no longer "
                        "matches its hash; it was changed after it was written",
                        seq=seq,
                        action=row["action"],
                        actor=row["actor"],
                        at=row["at"],
                    ),
                )
            )
        link = _link_break(rows, i)
        if link is not None:
            breaks.append(link)
    head = Anchor(int(rows[-1]["seq"]), str(rows[-1]["hash"] or "")) if rows else None
    if anchor is not None:
        breaks.extend(_anchor_breaks(rows, anchor))
    return ChainCheck(entries=len(rows), head=head, breaks=breaks)


def _link_break(rows: list[dict[str, Any]], i: int) -> Break | None:
    """Why ``rows[i]`` does not chain to the entry before it, or ``None`` when it does."""
    row = rows[i]
    seq = int(row["seq"])
    if i == 0:
        if row["prev_hash"] == GENESIS:
            return None
        return Break(
            seq,
            MISSING,
            _(
                "seq {seq} is the first entry but chains to an earlier one: the entries before "
                "seq {seq} were deleted",
                seq=seq,
            ),
        )
    before = rows[i - 1]
    if row["prev_hash"] == before["hash"]:
        return None
    before_seq = int(before["seq"])
    if i >= 2 and row["prev_hash"] == rows[i - 2]["hash"]:
        return Break(
            before_seq,
            INSERTED,
            _(
                "seq {inserted} ({action} by {actor}) was inserted: seq {seq} chains to seq "
                "{before}, the entry before it",
                inserted=before_seq,
                action=before["action"],
                actor=before["actor"],
                seq=seq,
                before=rows[i - 2]["seq"],
            ),
        )
    if seq > before_seq + 1:
        gap = f"seq {before_seq + 1}" + (f"-{seq - 1}" if seq > before_seq + 2 else "")
        return Break(
            seq,
            MISSING,
            _(
                "{gap} missing: seq {seq} chains to an entry no longer in the log "
                "(deleted between seq {before} and seq {seq})",
                gap=gap,
                seq=seq,
                before=before_seq,
            ),
        )
    return Break(
        seq,
        RELINKED,
        _(
            "seq {seq} does not chain to seq {before}: seq {before} was rewritten with a "
            "new hash, or entries were deleted and the rest renumbered",
            seq=seq,
            before=before_seq,
        ),
    )


def _anchor_breaks(rows: list[dict[str, Any]], anchor: Anchor) -> list[Break]:
    found = next((r for r in rows if int(r["seq"]) == anchor.seq), None)
    if found is None:
        last = int(rows[-1]["seq"]) if rows else 0
        return [
            Break(
                anchor.seq,
                ANCHOR,
                _(
                    "the anchor's entry seq {seq} is not in the log (it ends at seq {last}): "
                    "entries at its end were deleted",
                    seq=anchor.seq,
                    last=last,
                ),
            )
        ]
    if found["hash"] != anchor.hash:
        return [
            Break(
                anchor.seq,
                ANCHOR,
                _(
                    "seq {seq} has hash {found}… but the anchor noted {noted}…: the log was "
                    "rewritten up to there",
                    seq=anchor.seq,
                    found=str(found["hash"])[:16],
                    noted=anchor.hash[:16],
                ),
            )
        ]
    return []


def chained(entries: Iterable[Mapping[str, Any]], prev_hash: str = GENESIS) -> list[dict[str, Any]]:
    """``entries`` (oldest first) with ``prev_hash`` and ``hash`` computed, chained after
    ``prev_hash``: what a migration writes into a log made before the chain existed."""
    out = []
    for entry in entries:
        row = {name: entry[name] for name in CONTENT_COLUMNS}
        row["prev_hash"] = prev_hash
        row["hash"] = prev_hash = entry_hash(row)
        out.append(row)
    return out
