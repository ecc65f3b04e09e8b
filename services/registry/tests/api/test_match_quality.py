"""``evaluate``: precision, recall and F1 of blocking + scoring on planted duplicates, with a
sample of persons who have none; the truth closed transitively."""

import uuid

import httpx
from sqlalchemy.ext.asyncio import AsyncSession
from tests.person_support import new_enp, operator, person_body, seed_document_types

from oms_kit.testing.tokens import TokenFactory
from registry.matching.quality import evaluate, true_pairs
from registry.matching.weights import POSSIBLE, PROBABLE

NONE = {"snils": None, "enp": None, "documents": [], "confirm_new": True}


async def register(client: httpx.AsyncClient, auth: dict[str, str], **overrides: object) -> uuid.UUID:
    response = await client.post("/persons", json=person_body(**{**NONE, **overrides}), headers=auth)
    assert response.status_code == 201, response.text
    return uuid.UUID(response.json()["id"])


def test_truth_is_closed_transitively() -> None:
    a, b, c, d = (uuid.uuid4() for _ in range(4))
    truth = true_pairs([(a, b), (b, c), (d, a)])
    assert len(truth) == 6  # one cluster of four
    assert true_pairs([]) == set()


async def test_evaluate_on_planted_duplicates(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    await seed_document_types(session)
    auth = operator(tokens)
    planted: list[tuple[uuid.UUID, uuid.UUID]] = []
    base = {"first_name": "Ксения", "patronymic": "Андреевна", "birth_date": "1979-04-09"}
    original = await register(client, auth, surname="Орлова", **base)
    planted.append((original, await register(client, auth, surname="Орлва", **base)))  # typo
    planted.append(
        (original, await register(client, auth, surname="Орлова", **{**base, "birth_date": "1979-09-04"}))
    )
    man = {"first_name": "Глеб", "patronymic": "Юрьевич", "sex": "male", "birth_date": "1966-12-01"}
    planted.append(
        (
            await register(client, auth, surname="Жуков", **man),
            await register(
                client,
                auth,
                surname="Zhukov",
                first_name="Gleb",
                patronymic="Iurevich",
                sex="male",
                birth_date="1966-12-01",
            ),
        )
    )
    # the demo's duplicates: each record with a policy of its own (different ENPs), the day and
    # month exchanged; a name written by ICAO rules in which IA is И+А, not Я
    man2 = {"surname": "Громов", "first_name": "Павел", "patronymic": "Ильич", "sex": "male"}
    planted.append(
        (
            await register(client, auth, **man2, birth_date="1955-03-06", enp=new_enp()),
            await register(client, auth, **man2, birth_date="1955-06-03", enp=new_enp()),
        )
    )
    woman = {"patronymic": "Олеговна", "birth_date": "1985-09-27", "enp": None}
    planted.append(
        (
            await register(client, auth, surname="Назарова", first_name="Диана", **woman),
            await register(
                client, auth, surname="Nazarova", first_name="Diana", **{**woman, "patronymic": "Olegovna"}
            ),
        )
    )
    maiden = await register(
        client, auth, surname="Лебедева", first_name="Инна", patronymic="Олеговна", birth_date="1992-02-29"
    )
    married = await register(
        client, auth, surname="Соколова", first_name="Инна", patronymic="Олеговна", birth_date="1992-02-29"
    )
    planted.append((maiden, married))  # no name history: the hard case
    # noise: a twin sister and an unrelated person of the same birth date
    await register(
        client, auth, surname="Орлова", first_name="Мария", patronymic="Андреевна", birth_date="1979-04-09"
    )
    await register(
        client, auth, surname="Белова", first_name="Нина", patronymic="Ивановна", birth_date="1966-12-01"
    )

    report = await evaluate(session, planted, threshold=PROBABLE, sample_size=50)
    # the typo, the swapped date (and, transitively, typo vs swapped), the transliterations and
    # the swapped date with two policies are found; the maiden name without history is not
    # (possible only), no false positives
    assert report.true_pairs == 7 and report.false_positives == 0
    assert report.true_positives == 6 and report.false_negatives == 1
    assert report.precision == 1.0 and report.recall == round(6 / 7, 4)
    assert report.f1 == round(2 * (6 / 7) / (1 + 6 / 7), 4)
    assert report.blocking_recall == 1.0 and report.labelled_outside == 0
    assert report.missed_examples[0][:2] in {(maiden, married), (married, maiden)}
    assert report.persons_examined == report.sample_size + 11

    lenient = await evaluate(session, planted, threshold=POSSIBLE, sample_size=0)
    assert lenient.recall == 1.0 and lenient.false_positives >= 1  # the twin sister is possible

    # Measured on a sample of the labelled pairs, a labelled pair outside the sample is a
    # duplicate, not a false positive, and its persons are no "persons without a duplicate"
    sampled = await evaluate(session, planted[:1], sample_size=50, labelled=planted)
    assert sampled.true_pairs == 1 and sampled.true_positives == 1
    assert sampled.false_positives == 0 and sampled.precision == 1.0
    assert sampled.labelled_outside == 2  # the original vs the swapped copy; the typo vs it
    # without the labels, the other planted pairs (the swapped copy with both Орловы, Жуков,
    # Громов, Назарова) count against precision
    unlabelled = await evaluate(session, planted[:1], sample_size=50)
    assert unlabelled.false_positives == 5 and unlabelled.precision == round(1 / 6, 4)
