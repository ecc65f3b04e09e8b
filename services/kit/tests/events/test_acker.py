"""Coalesced acknowledgements: what the consumer's ``Acker`` writes for a given order of
settlements (a fake channel records the frames)."""

import asyncio

import pamqp.frame
from pamqp import commands

from oms_kit.events.rabbit.consumer import Acker


class FakeChannel:
    number = 1
    is_closed = False

    def __init__(self) -> None:
        self.write_queue: asyncio.Queue = asyncio.Queue()

    def sent(self) -> list[tuple[str, int, bool]]:
        out = []
        while not self.write_queue.empty():
            data = self.write_queue.get_nowait().payload
            while data:
                used, _, frame = pamqp.frame.unmarshal(data)
                data = data[used:]
                kind = {commands.Basic.Ack: "ack", commands.Basic.Nack: "nack"}
                kind[commands.Basic.Reject] = "reject"
                multiple = getattr(frame, "multiple", False)
                out.append((kind[type(frame)], frame.delivery_tag, multiple))
        return out


async def _turn():
    await asyncio.sleep(0)
    await asyncio.sleep(0)


async def test_a_settled_prefix_is_one_multiple_ack_and_a_gap_holds_the_rest():
    channel = FakeChannel()
    acker = Acker(channel, hold=10)  # type: ignore[arg-type]
    for tag in range(1, 7):
        acker.delivered(tag)
    for tag in (1, 2, 3, 5, 6):  # 4 is still being handled
        acker.ack(tag)
    await _turn()
    assert channel.sent() == [("ack", 3, True)]
    acker.nack(4, requeue=True)
    await _turn()
    # the nack goes first, then one ack covers 5 and 6 (4 is no longer outstanding)
    assert channel.sent() == [("nack", 4, False), ("ack", 6, True)]


async def test_acks_held_behind_a_slow_delivery_go_out_one_by_one_past_hold():
    channel = FakeChannel()
    acker = Acker(channel, hold=3)  # type: ignore[arg-type]
    for tag in range(1, 6):
        acker.delivered(tag)
    acker.ack(2)
    acker.ack(3)
    await _turn()
    assert channel.sent() == []
    acker.ack(4)  # three waiting behind 1: the prefetch window must not stall
    await _turn()
    assert channel.sent() == [("ack", 2, False), ("ack", 3, False), ("ack", 4, False)]
    acker.reject(1)
    acker.ack(5)
    await _turn()
    assert channel.sent() == [("reject", 1, False), ("ack", 5, True)]


async def test_close_flushes_everything_waiting_and_a_closed_channel_gets_nothing():
    channel = FakeChannel()
    acker = Acker(channel, hold=100)  # type: ignore[arg-type]
    for tag in (1, 2, 3):
        acker.delivered(tag)
    acker.ack(3)
    acker.flush(everything=True)
    assert channel.sent() == [("ack", 3, False)]
    channel.is_closed = True
    acker.ack(2)
    await _turn()
    assert channel.sent() == []
