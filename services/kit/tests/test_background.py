import asyncio

from oms_kit.background import Periodic, cancel_and_wait


async def test_periodic_runs_again_after_a_failure_and_stops_for_good():
    runs = 0

    async def job() -> None:
        nonlocal runs
        runs += 1
        if runs == 1:
            raise RuntimeError("first run fails")

    periodic = Periodic("test-job", 0.01, job, failure="test job failed")
    periodic.start()
    for _ in range(200):
        if runs >= 3:
            break
        await asyncio.sleep(0.01)
    await periodic.stop()
    assert runs >= 3  # the failing first run did not end the loop
    stopped_at = runs
    await asyncio.sleep(0.05)
    assert runs == stopped_at


async def test_cancel_and_wait_leaves_every_task_done():
    tasks = [asyncio.create_task(asyncio.sleep(60)) for _ in range(3)]
    await cancel_and_wait(tasks)
    assert all(t.done() and t.cancelled() for t in tasks)
