"""Password hashing with Argon2id, run in an executor so the event loop never blocks."""
from __future__ import annotations

import asyncio
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id with the library's current recommended parameters


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash of no one's password, made once (in an executor thread: it costs a full hash)."""
    return _hasher().hash("not a password of anyone")


def password_problem(password: str) -> str:
    """'' for an acceptable new password, else the key of the console text that says why not."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "password_too_short"
    if len(password) > MAX_PASSWORD_LENGTH:
        return "password_too_long"
    return ""


async def hash_password(password: str) -> str:
    """The Argon2id hash of `password`."""
    return await asyncio.get_running_loop().run_in_executor(None, _hasher().hash, password)


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher().verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


async def verify_password(stored: str, password: str) -> bool:
    """True when `password` matches `stored`."""
    return await asyncio.get_running_loop().run_in_executor(None, _verify, stored, password)


def _burn(password: str) -> None:
    _verify(_dummy_hash(), password)


async def burn_time(password: str) -> None:
    """Verify against a dummy hash, so unknown usernames take as long as known ones.

    The dummy hash itself is made in the executor too, the first time: no Argon2 work ever
    runs on the event loop.
    """
    await asyncio.get_running_loop().run_in_executor(None, _burn, password)


async def prepare() -> None:
    """Make the dummy hash now (off the loop), so the first unknown username costs no more than later ones."""
    await asyncio.get_running_loop().run_in_executor(None, _dummy_hash)


def needs_rehash(stored: str) -> bool:
    """True when `stored` was made with older parameters than the current ones."""
    try:
        return _hasher().check_needs_rehash(stored)
    except InvalidHashError:
        return True
