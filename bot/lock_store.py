"""Which lock store keeps each conversation's messages in order: Rasa's own two.

- CARE_CLOCK_REDIS_URL unset (`make run`): Rasa's in-memory lock store, as
  before; one process needs nothing more.
- CARE_CLOCK_REDIS_URL set (scaled mode, e.g. redis://127.0.0.1:6379/1):
  Rasa's RedisLockStore, shared by every Rasa server, so two messages of one
  patient are handled one after the other whichever servers receive them.

Rasa's RedisLockStore reads a lock, changes it in Python and writes it back: two
servers taking a ticket for the same conversation at the same instant can both
get ticket 0 and run side by side, and a server releasing its ticket can erase
the one another server has just taken. Here each of those read-change-write
steps is one Redis transaction (WATCH/MULTI), retried when another server
changed the lock in between; the lock format and the waiting are Rasa's.

bot/endpoints.yml names CareClockLockStore, so a stock `rasa run` with this
project's endpoints gets the same choice.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from urllib.parse import urlparse

from rasa.core.lock import TicketLock
from rasa.core.lock_store import (
    LOCK_LIFETIME,
    InMemoryLockStore,
    LockError,
    LockStore,
    RedisLockStore,
)

logger = logging.getLogger(__name__)

REDIS_URL_ENV = "CARE_CLOCK_REDIS_URL"
KEY_PREFIX = "careclock"


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's RedisLockStore whose lock changes cannot interleave across servers."""

    @classmethod
    def from_url(cls, url: str) -> AtomicRedisLockStore:
        parts = urlparse(url)
        return cls(
            host=parts.hostname or "localhost",
            port=parts.port or 6379,
            db=int(parts.path.strip("/") or 1),
            username=parts.username or None,
            password=parts.password or None,
            use_ssl=parts.scheme == "rediss",
            key_prefix=KEY_PREFIX,
        )

    def _change(self, conversation_id: str, change: Callable[[TicketLock], bool]):
        """Apply `change` to the stored lock in one transaction; it returns whether to keep the lock."""
        import redis

        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    stored = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(stored)) if stored else self.create_lock(conversation_id)
                    keep = change(lock)
                    pipe.multi()
                    if keep:
                        pipe.set(key, lock.dumps())
                    else:
                        pipe.delete(key)
                    pipe.execute()
                    return
                except redis.WatchError:
                    continue  # another server changed this lock first: read it again

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        issued = []

        def take(lock: TicketLock) -> bool:
            issued.append(lock.issue_ticket(lock_lifetime))
            return True

        try:
            self._change(conversation_id, take)
        except Exception as error:  # Rasa's contract: any failure here is a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error
        return issued[-1]

    def update_lock(self, conversation_id: str) -> None:
        self._change(conversation_id, _drop_expired)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        def release(lock: TicketLock) -> bool:
            lock.remove_ticket_for(ticket_number)
            return lock.is_someone_waiting()

        self._change(conversation_id, release)


def _drop_expired(lock: TicketLock) -> bool:
    lock.remove_expired_tickets()
    return bool(lock.tickets)


class CareClockLockStore(LockStore):
    """Named in bot/endpoints.yml; builds the in-memory or the Redis lock store (see the module doc)."""

    def __new__(cls, endpoint_config: object | None = None) -> LockStore:  # type: ignore[misc]
        url = os.environ.get(REDIS_URL_ENV, "").strip()
        if not url:
            return InMemoryLockStore()
        store = AtomicRedisLockStore.from_url(url)
        where = store.red.connection_pool.connection_kwargs
        logger.info("Conversations are locked in Redis at %s:%s", where.get("host"), where.get("port"))
        return store
