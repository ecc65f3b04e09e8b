"""Matching quality on a labelled set: precision, recall and F1 of blocking + scoring.

``evaluate(session, planted_pairs, threshold=...)`` (``make bench`` calls it on the demo's
planted duplicates):

1. The truth is the planted pairs closed transitively (an original with two planted copies
   makes three true pairs).
2. The persons examined are every person of a planted pair plus ``sample_size`` other persons
   of the register (a deterministic sample), so false positives among people who have no
   duplicate are counted too. When ``planted_pairs`` is a sample of the register's labelled
   pairs, pass them all as ``labelled``: their persons stay out of that sample, and a pair
   found that is labelled but not among ``planted_pairs`` is a duplicate this run does not
   examine — counted as neither a true nor a false positive (``labelled_outside``).
3. Each examined person is matched against the **whole register** exactly as ``$match`` does
   (the same blocking queries, the same scorer); every pair scoring ``threshold`` or more is
   a predicted duplicate.
4. precision = TP / predicted pairs, recall = TP / true pairs, F1 their harmonic mean;
   ``blocking_recall`` is the share of true pairs blocking retrieved at all (the ceiling of
   recall whatever the threshold).
Pairs are unordered; a pair seen from both of its persons counts once."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from sqlalchemy.ext.asyncio import AsyncSession

from registry.matching.blocking import candidate_ids
from registry.matching.profiles import load_profiles
from registry.matching.queue_repository import ordered
from registry.matching.repository import MatchingRepository
from registry.matching.scoring import compare
from registry.matching.weights import PROBABLE

BATCH = 200
PairKey = tuple[uuid.UUID, uuid.UUID]


@dataclass
class QualityReport:
    threshold: float
    true_pairs: int
    persons_examined: int
    sample_size: int
    labelled_outside: int
    predicted_pairs: int
    true_positives: int
    false_positives: int
    false_negatives: int
    precision: float
    recall: float
    f1: float
    blocking_recall: float
    seconds: float
    false_positive_examples: list[tuple[uuid.UUID, uuid.UUID, float]] = field(default_factory=list)
    missed_examples: list[tuple[uuid.UUID, uuid.UUID, float | None]] = field(default_factory=list)


def true_pairs(planted: Iterable[tuple[uuid.UUID, uuid.UUID]]) -> set[PairKey]:
    parent: dict[uuid.UUID, uuid.UUID] = {}

    def root(x: uuid.UUID) -> uuid.UUID:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in planted:
        parent[root(a)] = root(b)
    clusters: dict[uuid.UUID, list[uuid.UUID]] = {}
    for x in list(parent):
        clusters.setdefault(root(x), []).append(x)
    return {ordered(a, b) for members in clusters.values() for a, b in combinations(members, 2)}


async def evaluate(
    session: AsyncSession,
    planted_pairs: list[tuple[uuid.UUID, uuid.UUID]],
    *,
    threshold: float = PROBABLE,
    sample_size: int = 1000,
    labelled: Iterable[tuple[uuid.UUID, uuid.UUID]] = (),
) -> QualityReport:
    started = time.monotonic()
    truth = true_pairs(planted_pairs)
    outside = true_pairs([*planted_pairs, *labelled]) - truth
    involved = {pid for pair in truth for pid in pair}
    others = involved | {pid for pair in outside for pid in pair}
    examined = sorted(involved) + await MatchingRepository(session).sample(sample_size, others)
    scores: dict[PairKey, float] = {}
    for start in range(0, len(examined), BATCH):
        queries = await load_profiles(session, examined[start : start + BATCH])
        found = {pid: await candidate_ids(session, q.profile) for pid, q in queries.items()}
        candidates = await load_profiles(session, {c for ids in found.values() for c in ids})
        for pid, ids in found.items():
            for cid in ids:
                if cid in candidates:
                    scored = compare(queries[pid].profile, candidates[cid].profile)
                    key = ordered(pid, cid)
                    scores[key] = max(scores.get(key, scored.score), scored.score)
    at_threshold = {pair for pair, score in scores.items() if score >= threshold}
    predicted = at_threshold - outside
    tp = len(predicted & truth)
    fp, fn = len(predicted - truth), len(truth - predicted)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return QualityReport(
        threshold=threshold,
        true_pairs=len(truth),
        persons_examined=len(examined),
        sample_size=len(examined) - len(involved),
        labelled_outside=len(at_threshold & outside),
        predicted_pairs=len(predicted),
        true_positives=tp,
        false_positives=fp,
        false_negatives=fn,
        precision=round(precision, 4),
        recall=round(recall, 4),
        f1=round(f1, 4),
        blocking_recall=round(len(truth & scores.keys()) / len(truth), 4) if truth else 1.0,
        seconds=round(time.monotonic() - started, 2),
        false_positive_examples=[(a, b, scores[(a, b)]) for a, b in sorted(predicted - truth)[:20]],
        missed_examples=[(a, b, scores.get((a, b))) for a, b in sorted(truth - predicted)[:20]],
    )
