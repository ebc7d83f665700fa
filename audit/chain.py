"""The keyed audit chain (AVG-4): hashing, pseudonyms, verification and signed checkpoints.

- Key: settings.AUDIT_HMAC_KEY (environment; production refuses to start without it). Never in the DB.
- Row hash: HMAC-SHA256 over chain, seq, time, action, object type, success, the previous hash and
  the *pseudonyms* of the identifying fields (IDENTIFYING). A pseudonym is HMAC(key, field, value).
  An identifying field may later be erased (retention, AVG-3): verification then uses the stored
  pseudonym; while the value is present it must match its pseudonym.
- Anchors: AuditHead per chain must point at the chain's last row (deleting the newest rows is
  noticed), and `write_checkpoint()` (periodic job "audit.checkpoint") writes the heads, signed,
  to files in settings.AUDIT_CHECKPOINT_DIR, outside the database; `verify()` checks that every
  checkpointed row is still there with the same hash (truncation behind a rewritten head).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from schools.periodic import periodic_job

GENESIS = "0" * 64
IDENTIFYING = ("student_id", "actor_id", "actor_label", "address", "object_id", "data")


def _key() -> bytes:
    key = getattr(settings, "AUDIT_HMAC_KEY", "")
    if not key:
        raise ImproperlyConfigured("AUDIT_HMAC_KEY must be set (AVG-4).")
    return key.encode()


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))


def _mac(text: str) -> str:
    return hmac.new(_key(), text.encode(), hashlib.sha256).hexdigest()


def _is_empty(value) -> bool:
    return value is None or value == "" or value == {}


def pseudonym(field: str, value) -> str:
    """The keyed pseudonym of one identifying value ("" for an empty value)."""
    if _is_empty(value):
        return ""
    return _mac(f"{field}\x1f{_canonical(value)}")


def pseudonyms_of(event) -> dict[str, str]:
    return {field: pseudonym(field, getattr(event, field)) for field in IDENTIFYING}


def row_hash(event) -> str:
    return _mac(
        _canonical(
            {
                "chain": event.chain,
                "seq": event.seq,
                "at": event.at.isoformat(),
                "action": event.action,
                "object_type": event.object_type,
                "success": event.success,
                "prev_hash": event.prev_hash,
                "pseudonyms": {field: event.pseudonyms.get(field, "") for field in IDENTIFYING},
            }
        )
    )


def seal(event) -> None:
    """Fill in the pseudonyms and the hash of a new row (chain, seq, prev_hash set)."""
    event.pseudonyms = pseudonyms_of(event)
    event.hash = row_hash(event)


@dataclass(frozen=True)
class Problem:
    chain: int
    seq: int | None
    reason: str

    def __str__(self) -> str:
        where = f"regel seq={self.seq}" if self.seq is not None else "het einde"
        return f"keten {self.chain}, {where}: {self.reason}"


def _row_problem(event, expected_seq: int, expected_prev: str) -> str:
    if event.seq != expected_seq:
        return "ontbrekende regel"
    if event.prev_hash != expected_prev:
        return "koppeling naar vorige regel klopt niet"
    for field in IDENTIFYING:
        value = getattr(event, field)
        if not _is_empty(value) and pseudonym(field, value) != event.pseudonyms.get(field, ""):
            return f"veld {field} gewijzigd"
    if not hmac.compare_digest(row_hash(event), event.hash):
        return "inhoud gewijzigd"
    return ""


def verify(batch_size: int = 2000) -> list[Problem]:
    """Every chain from its first row, its head, and the checkpoints; [] when intact."""
    from audit.models import AuditEvent, AuditHead

    problems: list[Problem] = []
    last: dict[int, tuple[int, str]] = {}
    broken: set[int] = set()
    expected: dict[int, tuple[int, str]] = {}
    for event in AuditEvent.objects.order_by("chain", "seq").iterator(chunk_size=batch_size):
        if event.chain in broken:
            continue
        seq, prev = expected.get(event.chain, (1, GENESIS))
        reason = _row_problem(event, seq, prev)
        if reason:
            problems.append(Problem(event.chain, event.seq, reason))
            broken.add(event.chain)
            continue
        expected[event.chain] = (event.seq + 1, event.hash)
        last[event.chain] = (event.seq, event.hash)
    heads = {head.chain: (head.last_seq, head.last_hash) for head in AuditHead.objects.all()}
    for chain in sorted(set(heads) | set(last)):
        if chain in broken:
            continue
        head = heads.get(chain, (0, GENESIS))
        if head != last.get(chain, (0, GENESIS)):
            problems.append(
                Problem(
                    chain,
                    head[0],
                    "de kop van de keten wijst niet naar de laatste regel (regels verwijderd?)",
                )
            )
    problems.extend(_checkpoint_problems(broken))
    return problems


# Checkpoints outside the database --------------------------------------------------------------


def checkpoint_dir() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def _current_heads() -> dict[str, list]:
    from audit.models import AuditHead

    return {
        str(chain): [seq, digest]
        for chain, seq, digest in AuditHead.objects.filter(last_seq__gt=0)
        .order_by("chain")
        .values_list("chain", "last_seq", "last_hash")
    }


def _checkpoints() -> list[tuple[Path, dict | None]]:
    directory = checkpoint_dir()
    if not directory.is_dir():
        return []
    found = []
    for path in sorted(directory.glob("checkpoint-*.json")):
        try:
            found.append((path, json.loads(path.read_text())))
        except (OSError, ValueError):
            found.append((path, None))
    return found


def _signed(body: dict) -> str:
    return _mac("checkpoint\x1f" + _canonical(body))


def write_checkpoint() -> Path | None:
    """Write the heads of all chains, signed, unless they are unchanged since the last checkpoint."""
    heads = _current_heads()
    existing = _checkpoints()
    if existing and existing[-1][1] and existing[-1][1].get("chains") == heads:
        return None
    now = timezone.now()
    body = {"written_at": now.isoformat(), "chains": heads}
    directory = checkpoint_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"checkpoint-{now:%Y%m%dT%H%M%S%fZ}.json"
    path.write_text(json.dumps({**body, "mac": _signed(body)}, sort_keys=True, indent=1))
    return path


def _checkpoint_problems(broken: set[int]) -> list[Problem]:
    from audit.models import AuditEvent

    problems = []
    for path, content in _checkpoints():
        if content is None or not isinstance(content, dict):
            problems.append(Problem(-1, None, f"controlepunt {path.name} is onleesbaar"))
            continue
        body = {"written_at": content.get("written_at"), "chains": content.get("chains")}
        if not hmac.compare_digest(str(content.get("mac", "")), _signed(body)):
            problems.append(Problem(-1, None, f"handtekening van controlepunt {path.name} klopt niet"))
            continue
        for chain_text, (seq, digest) in (body["chains"] or {}).items():
            chain = int(chain_text)
            if chain in broken:
                continue
            stored = AuditEvent.objects.filter(chain=chain, seq=seq).values_list("hash", flat=True).first()
            if stored != digest:
                problems.append(
                    Problem(chain, seq, f"regel uit controlepunt {path.name} ontbreekt of is gewijzigd")
                )
                broken.add(chain)
    return problems


@periodic_job("audit.checkpoint")
def checkpoint_job() -> dict:
    """Periodic: sign the current heads into a file outside the database (AVG-4). Idempotent."""
    return {"written": 1 if write_checkpoint() else 0}
