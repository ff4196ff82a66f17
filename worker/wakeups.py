"""Which workers act on a job notification: enough for the work, not the whole fleet.

A job NOTIFY says how many jobs an upload queued. Of the workers with room (as their heartbeats
last said), that many plus CHOSEN_SPARE claim at once: the first in an order every worker computes
alike from the session and worker ids (a hash, so each upload lands on different workers). The
others sleep on; if the chosen turn out busy, the poll finds the job.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable

CHOSEN_SPARE = 1  # workers woken beyond an upload's job count, in case one is busy after all


def chosen_to_claim(me: uuid.UUID, room: int, fleet: Iterable[uuid.UUID], payload: str) -> bool:
    """Whether this worker claims on a notification with `payload` ("<session> <jobs>"; anything
    else, such as a reconnect or a released job, wakes everyone), having `room` for jobs now."""
    session, _, count = payload.partition(" ")
    if not count.isdigit():
        return True
    if room <= 0:
        return False
    workers = set(fleet) | {me}
    wanted = int(count) + CHOSEN_SPARE
    if wanted >= len(workers):
        return True

    def rank(worker: uuid.UUID) -> bytes:
        return hashlib.blake2b(f"{session}:{worker}".encode(), digest_size=8).digest()

    return me in sorted(workers, key=rank)[:wanted]
