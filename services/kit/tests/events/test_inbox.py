"""The idempotent inbox: one event, one effect, whether handled alone or in a batch."""

import asyncio

import pytest

from oms_kit.events import Delivery
from oms_kit.events.inbox import InboxBatcher, handle_batch, handle_delivery


async def test_handle_delivery_runs_once_per_event_id(database, rows, events):
    handlers = events.handlers("q")
    envelope = events.envelope("once")
    assert await handle_delivery(database, handlers, Delivery(envelope, 1)) is True
    assert await handle_delivery(database, handlers, Delivery(envelope, 2)) is False
    assert await rows.effects_of(envelope.id) == 1


async def test_a_failing_handler_leaves_no_inbox_row_so_the_redelivery_runs_it(database, rows, events):
    handlers = events.handlers("q")
    failing = events.envelope("flaky", fail=True)
    with pytest.raises(RuntimeError):
        await handle_delivery(database, handlers, Delivery(failing, 1))
    assert await rows.inbox() == 0
    fixed = failing.model_copy(update={"data": {**failing.data, "fail": False}})  # same id
    assert await handle_delivery(database, handlers, Delivery(fixed, 2)) is True
    assert await rows.effects_of(failing.id) == 1


async def test_batch_counts_a_second_copy_and_an_old_event_as_duplicates(database, rows, events):
    handlers = events.handlers("q")
    old, new = events.envelope("old"), events.envelope("new")
    await handle_delivery(database, handlers, Delivery(old, 1))
    outcome = await handle_batch(database, handlers, [Delivery(new, 1), Delivery(old, 2), Delivery(new, 1)])
    assert outcome == [True, False, False]
    assert await rows.effects_of(new.id) == 1 and await rows.effects_of(old.id) == 1


async def test_unknown_event_types_are_recorded_and_skipped(database, rows, events):
    handlers = events.handlers("q")
    stranger = events.envelope("x").model_copy(update={"type": "kit.note.unknown"})
    assert await handle_delivery(database, handlers, Delivery(stranger, 1)) is True
    assert await rows.inbox() == 1 and await rows.effects() == 0


async def test_batcher_isolates_a_failing_event_from_its_batch(database, rows, events):
    handlers = events.handlers("q")
    batcher = InboxBatcher(database, handlers, max_batch=50, concurrency=1)
    good = [events.envelope(f"g{i}") for i in range(30)]
    poison = events.envelope("poison", fail=True)
    deliveries = (
        [Delivery(e, 1) for e in good[:15]] + [Delivery(poison, 1)] + [Delivery(e, 1) for e in good[15:]]
    )
    results = await asyncio.gather(*(batcher(d) for d in deliveries), return_exceptions=True)

    assert isinstance(results[15], RuntimeError)
    assert [r for i, r in enumerate(results) if i != 15] == [True] * 30
    assert await rows.effects() == 30
    assert await rows.effects("poison") == 0
    assert await rows.inbox() == 30
    # One batch ran until the poison raised (16 handler calls), was rolled back, and then
    # every event ran alone (31): the good ones' effects are there once each.
    assert len(events.calls) == 16 + 31


async def test_batcher_reports_duplicates_like_handle_delivery(database, rows, events):
    batcher = InboxBatcher(database, events.handlers("q"))
    envelope = events.envelope("dup")
    results = await asyncio.gather(batcher(Delivery(envelope, 1)), batcher(Delivery(envelope, 1)))
    assert sorted(results) == [False, True]
    assert await batcher(Delivery(envelope, 2)) is False
    assert await rows.effects_of(envelope.id) == 1


async def test_batcher_keeps_one_transaction_under_load_but_a_slow_one_does_not_hold_the_rest(
    database, rows, events
):
    handlers = events.handlers("q")
    batcher = InboxBatcher(database, handlers, max_batch=100, concurrency=4, patience=0.05)
    first = [events.envelope(f"a{i}") for i in range(40)]
    results = await asyncio.gather(*(batcher(Delivery(e, 1)) for e in first))
    assert results == [True] * 40
    # Deliveries that arrive together are one batch, not one per worker.
    assert batcher._taken == 1

    slow = asyncio.ensure_future(batcher(Delivery(events.envelope("slow", slow=1.0), 1)))
    await asyncio.sleep(0.05)
    start = asyncio.get_running_loop().time()
    assert await batcher(Delivery(events.envelope("quick"), 1)) is True
    assert asyncio.get_running_loop().time() - start < 0.5  # another transaction took it
    assert await slow is True
    assert await rows.effects() == 42
