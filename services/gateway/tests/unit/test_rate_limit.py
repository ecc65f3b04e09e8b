from gateway.api_key.rate_limit import RateLimiter, retry_after_header


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_minute_worth_of_burst_then_a_steady_rate():
    clock = Clock()
    limiter = RateLimiter(clock)
    assert [limiter.take("k", 60) for _ in range(60)] == [0.0] * 60
    wait = limiter.take("k", 60)
    assert 0.99 <= wait <= 1.0
    clock.now += 1.0
    assert limiter.take("k", 60) == 0.0
    assert limiter.take("k", 60) > 0


def test_keys_are_independent():
    limiter = RateLimiter(Clock())
    assert limiter.take("a", 1) == 0.0
    assert limiter.take("a", 1) == 60.0
    assert limiter.take("b", 1) == 0.0


def test_a_changed_rate_starts_a_fresh_bucket():
    limiter = RateLimiter(Clock())
    limiter.take("a", 1)
    assert limiter.take("a", 1) > 0
    assert limiter.take("a", 10) == 0.0


def test_full_buckets_are_evicted_when_the_table_is_full():
    clock = Clock()
    limiter = RateLimiter(clock, max_buckets=2)
    limiter.take("a", 60)
    limiter.take("b", 60)
    clock.now += 120  # both refilled
    limiter.take("c", 60)
    assert set(limiter._buckets) == {"c"}


def test_retry_after_is_whole_seconds_and_at_least_one():
    assert retry_after_header(0.2) == {"Retry-After": "1"}
    assert retry_after_header(19.01) == {"Retry-After": "20"}
