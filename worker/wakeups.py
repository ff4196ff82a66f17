"""Which workers act on a job notification: enough for the work, not the whole fleet.

A NOTIFY on a shared channel wakes every listener, its backend and its process, so an upload of
one job (nearly all of them) is not sent there: the upload's statement addresses it to the
channel of one worker, the live one with room that ranks first for the session
(reelstats_jobs_channel, migration 0011), and only that worker wakes (Dispatcher.addressed; one
without room after all passes it on to everyone). Nobody else hears of it; the poll is the last
resort, for a chosen worker that died since its last heartbeat.

A job NOTIFY on the shared channel says how many jobs an upload queued. Of the workers with room
(as their heartbeats last said), that many claim at once, the first in an order every worker
computes alike from the session and worker ids (a hash, so each upload lands on different
workers), and CHOSEN_SPARE more a moment later (SPARE_DELAY_SECONDS, by when the first have
their jobs: the spare finds nothing and is done in one statement) in case one of the first is
busy after all. The others sleep on; the poll is the last resort.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable

CHOSEN_SPARE = 1  # workers woken beyond an upload's job count, in case one is busy after all
SPARE_DELAY_SECONDS = 0.01


def claim_delay(me: uuid.UUID, room: int, fleet: Iterable[uuid.UUID], payload: str) -> float | None:
    """How long after a notification with `payload` ("<session> <jobs>"; anything else, such as a
    reconnect or a released job, wakes everyone) this worker, having `room` for jobs now, claims:
    0 for the first chosen, SPARE_DELAY_SECONDS for a spare, None when it leaves it to others."""
    session, _, count = payload.partition(" ")
    if not count.isdigit():
        return 0.0
    if room <= 0:
        return None
    workers = set(fleet) | {me}
    jobs = int(count)
    if jobs >= len(workers):
        return 0.0

    def rank(worker: uuid.UUID) -> bytes:
        return hashlib.blake2b(f"{session}:{worker}".encode(), digest_size=8).digest()

    place = sorted(workers, key=rank).index(me)
    if place < jobs:
        return 0.0
    return SPARE_DELAY_SECONDS if place < jobs + CHOSEN_SPARE else None


def chosen_to_claim(me: uuid.UUID, room: int, fleet: Iterable[uuid.UUID], payload: str) -> bool:
    """Whether this worker claims at all on the notification (see claim_delay)."""
    return claim_delay(me, room, fleet, payload) is not None
