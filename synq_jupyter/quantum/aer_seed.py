"""The seed Qiskit Aer is given for a SynQ seed."""

from __future__ import annotations

AER_SEED_BITS = 62
"""Aer takes a signed 64-bit seed and adds a shot's index to it: 62 bits leave room for the
offsets SynQ adds (a run's parts, a batch's circuits)."""


def aer_seed(seed: int) -> int:
    """The ``seed_simulator`` for SynQ's ``seed``: the same for the same seed, unrelated for
    any other.

    Aer seeds shot ``j`` of a run with ``seed_simulator + j`` wherever it simulates shot by
    shot (noisy trajectories, measurements that steer later gates). Given a SynQ seed as it
    is, seeds 0, 1, 2, ... of such a run would share all but a few of their shots' seeds: a
    sweep over seeds gave the same counts again and again (499/501 of a fair coin for every
    seed from 0 to 8). Spread over 62 bits by NumPy's ``SeedSequence``, two seeds' runs
    share no shot seed unless they land within a run's length of each other, a chance
    of about one in two trillion for a million shots.
    """
    import numpy as np

    state = np.random.SeedSequence(seed).generate_state(1, dtype=np.uint64)
    return int(state[0]) >> (64 - AER_SEED_BITS)
