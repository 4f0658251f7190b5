"""Rate limits of the gateway (no server needed); origins: tests/test_origins.py."""
from aiohttp.test_utils import make_mocked_request

from bot.config import load_settings
from bot.web.limits import ConnectionCounter, Limits, SlidingWindow


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_sliding_window_allows_the_limit_per_minute_and_per_key():
    clock = Clock()
    window = SlidingWindow(3, 60, clock)
    assert [window.allow("a") for _ in range(4)] == [True, True, True, False]
    assert window.allow("b")
    clock.now += 59.9
    assert not window.allow("a")
    clock.now += 0.2
    assert window.allow("a")


def test_connection_counter():
    counter = ConnectionCounter(2)
    assert counter.acquire("x") and counter.acquire("x") and not counter.acquire("x")
    counter.release("x")
    assert counter.acquire("x") and counter.count("x") == 2
    counter.release("x")
    counter.release("x")
    assert counter.count("x") == 0


def test_forwarded_for_is_trusted_only_when_configured():
    request = make_mocked_request("GET", "/ws", headers={"X-Forwarded-For": "1.2.3.4, 10.0.0.7"})
    untrusted = Limits.from_settings(load_settings({}))
    trusted = Limits.from_settings(load_settings({"BOT_TRUST_FORWARDED_FOR": "true"}))
    assert untrusted.address(request) != "10.0.0.7"
    assert trusted.address(request) == "10.0.0.7"


async def test_limits_come_from_the_settings():
    limits = Limits.from_settings(load_settings({
        "BOT_MESSAGES_PER_MINUTE": "2", "BOT_MESSAGES_PER_MINUTE_PER_ADDRESS": "3", "BOT_CONNECTIONS_PER_ADDRESS": "4",
    }))
    assert (limits.per_conversation.limit, limits.per_address.limit, limits.connections.limit) == (2, 3, 4)
    assert await limits.allow_message("c1", "a") and await limits.allow_message("c1", "a")
    assert not await limits.allow_message("c1", "a")
    leases = [await limits.open_connection("x") for _ in range(5)]
    assert all(leases[:4]) and leases[4] is None
    await limits.close_connection("x", leases[0])
    assert await limits.open_connection("x")
