"""EstimatorV2 jobs on an IBM device through qiskit-ibm-runtime, one per batch of PUBs."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from synq_jupyter.errors import SynqInputError, TargetError
from synq_jupyter_server.jobs.providers.ibm_cloud import (
    DEVICES,
    ibm_errors,
    ibm_service,
    wait_for_ibm_job,
)
from synq_jupyter_server.jobs.providers.sampling import Report

if TYPE_CHECKING:
    from qiskit_ibm_runtime import IBMBackend

    from synq_jupyter.algorithms.vqe_hardware import Pub

NO_KEY = (
    "the hardware estimator runs on IBM Quantum with your API key: store one with "
    "PUT /synq/api/providers/ibm/credentials"
)


class IbmEstimator:
    """Sends estimator PUBs to an IBM device and waits for their results.

    Runs in job mode, not in a session: every IBM plan may submit jobs, while the Open
    plan cannot open sessions. Each call is one Runtime job, reported with
    ``("provider_job_id", id)`` as soon as IBM gives it an id, so cancelling the SynQ job
    cancels the job IBM is working on.

    Args:
        device: ``ibm_brisbane`` or ``ibm_torino``.
        credentials: The owner's IBM key (``token``, maybe ``instance`` and ``url``), or
            ``None`` when none is stored.
        report: Called with ``("provider_job_id", id)`` and ``("progress", ...)``.

    Attributes:
        job_ids: IBM's ids of the jobs sent, oldest first.

    Raises:
        SynqInputError: No IBM key is stored (``field="credentials"``).
        TargetError: ``device`` is not an IBM Quantum device.
    """

    def __init__(self, device: str, credentials: dict[str, Any] | None, report: Report) -> None:
        if device not in DEVICES:
            raise TargetError(f"{device} is not an IBM Quantum device")
        if not credentials:
            raise SynqInputError(NO_KEY, field="credentials")
        self.device = device
        self.job_ids: list[str] = []
        self._credentials = credentials
        self._report = report
        self._fraction = 0.0
        self._backend: IBMBackend | None = None

    def progress(self, fraction: float, message: str) -> None:
        """Reports the run's progress, and keeps its fraction for the waits that follow."""
        self._fraction = fraction
        self._report("progress", (fraction, message))

    def __call__(self, pubs: list[Pub], precision: float) -> Sequence[Any]:
        """Runs ``pubs`` at ``precision`` as one job; returns its ``PrimitiveResult``.

        Raises:
            SynqInputError: IBM refused the key, the device or the job, or the job failed.
            TransientJobError: IBM is unreachable, busy, or answered with a server error.
            RuntimeError: The job was cancelled on IBM's side.
        """
        from qiskit_ibm_runtime import EstimatorV2

        with ibm_errors():
            backend = self._connect()
            with warnings.catch_warnings():
                # 0.50 deprecated the server-side EstimatorV2 for a client-side estimator
                # on a newer API; EstimatorV2 is still what IBM's documented primitives run.
                warnings.simplefilter("ignore", DeprecationWarning)
                job = EstimatorV2(mode=backend).run(pubs, precision=precision)
            self.job_ids.append(job.job_id())
            self._report("provider_job_id", job.job_id())
            wait_for_ibm_job(job, self.device, self._report, fraction=self._fraction)
            result: Sequence[Any] = job.result()
        return result

    def _connect(self) -> IBMBackend:
        """Signs in and fetches the device once, at the first job."""
        if self._backend is None:
            self._report("progress", (self._fraction, "signing in to IBM Quantum"))
            self._backend = ibm_service(self._credentials).backend(self.device)
        return self._backend
