"""JetStream key-value adapters: the one-time code store shared by all replicas."""

from __future__ import annotations

import time
from typing import Any

import nats.js.errors
from nats.aio.client import Client as NatsClient
from nats.js.api import KeyValueConfig, StorageType

from gateway.codes import check_fresh, new_code
from gateway.errors import BusUnavailable, CodeRejected
from gateway.grants import Grant
from gateway.natsbus import NATS_ERRORS


async def open_bucket(nc: NatsClient, *, bucket: str, ttl: float | None, replicas: int, memory: bool) -> Any:
    """Bind to ``bucket``, creating it when absent.

    Raises:
        BusUnavailable: JetStream is not enabled or not reachable.
    """
    js = nc.jetstream()
    try:
        try:
            return await js.key_value(bucket)
        except nats.js.errors.BucketNotFoundError:
            config = KeyValueConfig(
                bucket=bucket,
                history=1,
                ttl=ttl,
                replicas=replicas,
                storage=StorageType.MEMORY if memory else StorageType.FILE,
            )
            return await js.create_key_value(config)
    except NATS_ERRORS as exc:
        raise BusUnavailable(f"cannot open JetStream bucket {bucket}: {exc}") from exc


class KvCodeStore:
    """Codes in a JetStream KV bucket whose entries age out after the code TTL."""

    def __init__(self, kv: Any, *, ttl: float) -> None:
        self._kv = kv
        self._ttl = ttl

    @classmethod
    async def open(cls, nc: NatsClient, *, root: str, ttl: float, replicas: int) -> KvCodeStore:
        # The bucket keeps entries a little longer than the TTL; freshness is checked at redemption.
        kv = await open_bucket(nc, bucket=f"{root}_codes", ttl=ttl + 5, replicas=replicas, memory=True)
        return cls(kv, ttl=ttl)

    async def mint(self, grant: Grant) -> str:
        code = new_code()
        try:
            await self._kv.create(code, grant.to_json())
        except NATS_ERRORS as exc:
            raise BusUnavailable(f"cannot store code: {type(exc).__name__}") from exc
        return code

    async def redeem(self, code: str) -> Grant:
        if not code or len(code) > 128 or not code.replace("-", "").replace("_", "").isalnum():
            raise CodeRejected("invalid code")
        try:
            entry = await self._kv.get(code)
        except nats.js.errors.KeyNotFoundError as exc:  # includes deleted keys
            raise CodeRejected("invalid code") from exc
        except NATS_ERRORS as exc:
            raise BusUnavailable(f"cannot read code: {type(exc).__name__}") from exc
        try:
            # Only one delete naming this revision succeeds, whichever replica sends it first.
            await self._kv.delete(code, last=entry.revision)
        except nats.js.errors.APIError as exc:
            raise CodeRejected("code already used") from exc
        except NATS_ERRORS as exc:
            raise BusUnavailable(f"cannot consume code: {type(exc).__name__}") from exc
        return check_fresh(Grant.from_json(entry.value), self._ttl, time.time())
