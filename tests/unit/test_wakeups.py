"""Who claims on a job notification: as many workers as the upload has jobs, plus one."""

from __future__ import annotations

import uuid

from worker.wakeups import CHOSEN_SPARE, chosen_to_claim

FLEET = [uuid.UUID(int=n) for n in range(1, 21)]


def claimers(payload: str, room: int = 2) -> list[uuid.UUID]:
    return [worker for worker in FLEET if chosen_to_claim(worker, room, FLEET, payload)]


def test_a_one_job_upload_wakes_two_of_twenty_workers():
    assert len(claimers(f"{uuid.uuid4()} 1")) == 1 + CHOSEN_SPARE


def test_every_worker_computes_the_same_choice_and_uploads_land_on_different_workers():
    chosen = {frozenset(claimers(f"{uuid.uuid4()} 1")) for _ in range(50)}
    assert len(chosen) > 20  # spread over the fleet, not always the same two
    assert all(len(pair) == 2 for pair in chosen)


def test_an_upload_with_as_many_jobs_as_workers_wakes_them_all():
    assert claimers(f"{uuid.uuid4()} 19") == FLEET
    assert len(claimers(f"{uuid.uuid4()} 5")) == 5 + CHOSEN_SPARE


def test_a_reconnect_or_a_payload_without_a_count_wakes_everyone():
    assert claimers("") == FLEET
    assert claimers(str(uuid.uuid4())) == FLEET


def test_a_worker_without_room_never_claims():
    assert claimers(f"{uuid.uuid4()} 1", room=0) == []


def test_a_worker_missing_from_a_stale_fleet_list_still_counts_itself():
    newcomer = uuid.uuid4()
    chosen = sum(chosen_to_claim(newcomer, 1, FLEET, f"{uuid.uuid4()} 1") for _ in range(400))
    assert 0 < chosen < 400  # ranked with the others, not always or never
