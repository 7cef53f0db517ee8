"""IonQ's cloud through qiskit-ionq: submit a native-gate circuit, wait, and read its counts."""

from __future__ import annotations

import contextlib
import math
import os
import threading
import warnings
from collections import Counter
from collections.abc import Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from synq_jupyter.errors import SynqInputError, TargetError
from synq_jupyter.transport_errors import no_answer
from synq_jupyter_server.jobs.providers.sampling import (
    Report,
    sample_result,
    transpile_for_sampling,
    wait_until_final,
)

if TYPE_CHECKING:
    from qiskit import QuantumCircuit
    from qiskit.result import Result
    from qiskit_ionq.ionq_backend import IonQQPUBackend
    from qiskit_ionq.ionq_client import IonQClient
    from qiskit_ionq.ionq_job import IonQJob

    from synq_jupyter.quantum.targets import SynqTarget

BACKENDS = {"ionq_aria_1": "qpu.aria-1", "ionq_forte_1": "qpu.forte-1"}
POLL_SECONDS = 0.25
# qiskit-ionq retries a failing status or results request forever; a worker stuck that way
# never gives its job back. These bound it (about 1.4 s in all), after which the job fails as
# transient and is retried later, reattaching to the same remote job.
READ_TRIES = 4
READ_RETRY_DELAY = 0.2
# qiskit-ionq reads the URL for its backend-width lookups from the environment, so building
# a backend briefly sets this variable; the lock keeps two builds from interleaving.
URL_VARIABLE = "QISKIT_IONQ_API_URL"
_build_lock = threading.Lock()


def sample_on_ionq(
    circuit: QuantumCircuit,
    target: SynqTarget,
    payload: dict[str, Any],
    credentials: dict[str, Any],
    report: Report,
) -> dict[str, Any]:
    """Samples ``circuit`` on an IonQ QPU through IonQ's cloud API, with qiskit-ionq.

    The circuit is transpiled by SynQ to IonQ's native gates on the device's full width and
    sent as a ``native`` gateset job. When ``payload["provider_job_id"]`` is set, that job
    was submitted before (the server restarted since): it is reattached, not sent again.

    Counts come from IonQ's per-shot results when the job offers them; otherwise from its
    probabilities, with largest-remainder rounding (see ``counts_from_probabilities``).

    Args:
        circuit: The circuit; when it measures nothing, every qubit is measured.
        target: ``ionq_aria_1`` or ``ionq_forte_1``.
        payload: ``shots``, ``seed``, ``optimization_level`` and maybe ``provider_job_id``.
        credentials: ``token``, and ``url`` (``None`` for qiskit-ionq's default).
        report: Called with ``("provider_job_id", id)`` as soon as IonQ gives the job an id,
            and ``("progress", (fraction, message))`` while it waits, ending with
            ``(1.0, "done")``.

    Returns:
        The counts with the shots, seed, target, noise, whether every qubit was measured,
        IonQ's job id and the transpile report.

    Raises:
        SynqInputError: IonQ refused the token (``field="credentials"``) or the job, or the
            job failed.
        TransientJobError: IonQ is unreachable, busy, or answered with a server error.
        RuntimeError: The job was cancelled on IonQ's side.
    """
    device = BACKENDS.get(target.name)
    if device is None:
        raise TargetError(f"{target.name} is not an IonQ device")
    url = _resolved_url(credentials)
    shots, seed = payload["shots"], payload["seed"]
    transpiled, measured_all = transpile_for_sampling(circuit, target, payload, report)
    with _ionq_errors():
        backend = _backend(device, credentials["token"], url)
        remote_id = payload.get("provider_job_id")
        if remote_id:
            report("progress", (0.1, f"reattaching to IonQ job {remote_id}"))
            job = backend.retrieve_job(remote_id)
            job.memory = True  # ask for per-shot results, as the first submission did
        else:
            report("progress", (0.1, f"submitting to IonQ {device}"))
            job = backend.run(transpiled.circuit, shots=shots, sampler_seed=seed, memory=True)
            remote_id = job.job_id()
        report("provider_job_id", remote_id)
        _wait(job, device, report)
        report("progress", (0.9, f"reading the results of IonQ job {remote_id}"))
        counts = _counts(job.result(), shots)
    report("progress", (1.0, "done"))
    noise = f"IonQ cloud ({urlsplit(url).netloc})"
    return sample_result(
        counts, payload, target, transpiled, measured_all, noise=noise, provider_job_id=remote_id
    )


def cancel_on_ionq(provider_job_id: str, credentials: dict[str, Any]) -> None:
    """Asks IonQ to cancel a job; a job that already finished stays as it is.

    Args:
        provider_job_id: IonQ's id of the job.
        credentials: ``token``, and ``url`` (``None`` for qiskit-ionq's default).

    Raises:
        SynqInputError: IonQ refused the token, or knows no such job.
        TransientJobError: IonQ is unreachable or busy.
    """
    url = _resolved_url(credentials)
    with _ionq_errors():
        _client_class()(credentials["token"], url).cancel_job(provider_job_id)


def counts_from_probabilities(probabilities: Mapping[str, float], shots: int) -> dict[str, int]:
    """Turns probabilities into integer counts that sum to ``shots``, the same way every time.

    Largest-remainder rounding: each outcome first gets ``floor(p * shots)`` (``p`` scaled so
    the probabilities sum to 1), then the shots still missing go one each to the outcomes with
    the largest fractional parts, ties to the smaller bitstring. Counts that are exact
    multiples of ``1 / shots`` come back unchanged.

    Args:
        probabilities: Probability of each bitstring.
        shots: The total the counts must reach.

    Returns:
        Nonzero counts by bitstring, sorted.
    """
    total = sum(p for p in probabilities.values() if p > 0)
    if total <= 0:
        raise SynqInputError("IonQ returned no outcomes for this job")
    quotas = {key: p * shots / total for key, p in probabilities.items() if p > 0}
    counts = {key: math.floor(quota) for key, quota in quotas.items()}
    missing = shots - sum(counts.values())
    for key in sorted(quotas, key=lambda k: (counts[k] - quotas[k], k))[:missing]:
        counts[key] += 1
    return {key: n for key, n in sorted(counts.items()) if n}


def _resolved_url(credentials: dict[str, Any]) -> str:
    """The API URL (with its version), checking the token is there at all."""
    from qiskit_ionq.helpers import resolve_credentials

    token = credentials.get("token")
    if not isinstance(token, str) or not token.strip():
        # qiskit-ionq would quietly fall back to a token from the environment.
        raise SynqInputError("no IonQ API token is stored", field="credentials")
    return str(resolve_credentials(token, credentials.get("url"))["url"]).rstrip("/")


def _backend(device: str, token: str, url: str) -> IonQQPUBackend:
    """qiskit-ionq's native-gate backend for ``device`` (``qpu.aria-1``), talking to ``url``."""
    from qiskit_ionq import IonQProvider
    from qiskit_ionq.exceptions import IonQTranspileLevelWarning

    with _build_lock, warnings.catch_warnings():
        # Its advice on transpiler levels is for its own transpiler, which SynQ does not use.
        warnings.simplefilter("ignore", IonQTranspileLevelWarning)
        saved = os.environ.get(URL_VARIABLE)
        os.environ[URL_VARIABLE] = url
        try:
            backend = IonQProvider(token=token, url=url).get_backend(device, gateset="native")
        finally:
            if saved is None:
                os.environ.pop(URL_VARIABLE, None)
            else:
                os.environ[URL_VARIABLE] = saved
    # The client the backend would make has the unbounded retries; give it the bounded one.
    backend._client = _client_class()(token, url)
    return backend


@cache
def _client_class() -> type[IonQClient]:
    """qiskit-ionq's client, with a bounded number of retries on status and results reads."""
    from qiskit_ionq.exceptions import IonQRetriableError
    from qiskit_ionq.helpers import retry
    from qiskit_ionq.ionq_client import IonQClient

    bounded = retry(
        IonQRetriableError,
        tries=READ_TRIES,
        delay=READ_RETRY_DELAY,
        backoff=2,
        enable_logging=False,
    )

    class BoundedRetryClient(IonQClient):
        retrieve_job = bounded(IonQClient.retrieve_job.__wrapped__)
        get_results = bounded(IonQClient.get_results.__wrapped__)

    return BoundedRetryClient


def _wait(job: IonQJob, device: str, report: Report) -> None:
    """Polls the job until it is final; raises ``RuntimeError`` when it was cancelled."""
    from qiskit.providers import JobStatus

    stages = {
        JobStatus.INITIALIZING: (0.2, "submitted to IonQ"),
        JobStatus.QUEUED: (0.3, "queued at IonQ"),
        JobStatus.RUNNING: (0.6, f"running on IonQ {device}"),
    }
    status = wait_until_final(
        job.status,
        (JobStatus.DONE, JobStatus.CANCELLED),
        stages,
        report,
        waiting=(0.2, "waiting for IonQ"),
        pause=POLL_SECONDS,
    )
    if status is JobStatus.CANCELLED:
        raise RuntimeError(f"IonQ job {job.job_id()} was cancelled remotely")


def _counts(result: Result, shots: int) -> dict[str, int]:
    """Counts from the per-shot results, or from the probabilities when there are none."""
    from qiskit.exceptions import QiskitError

    try:
        memory = result.get_memory()
    except QiskitError:
        return counts_from_probabilities(result.get_probabilities(), shots)
    return dict(sorted(Counter(memory).items()))


@contextlib.contextmanager
def _ionq_errors() -> Iterator[None]:
    """Turns qiskit-ionq's and requests' errors into SynQ's."""
    import requests
    from qiskit_ionq import exceptions as ionq

    from synq_jupyter_server.jobs.scheduler import TransientJobError

    try:
        yield
    except ionq.IonQAPIError as exc:
        if exc.status_code in (401, 403):
            raise SynqInputError(
                f"IonQ refused the token ({exc.status_code}: {exc.message}); "
                "check the IonQ API key stored in SynQ",
                field="credentials",
            ) from None
        if exc.status_code >= 500:
            raise TransientJobError(f"IonQ answered {exc.status_code}: {exc.message}") from None
        raise SynqInputError(
            f"IonQ refused the request ({exc.status_code}: {exc.message})"
        ) from None
    except ionq.IonQRetriableError as exc:
        detail = no_answer(exc.__cause__) if exc.__cause__ else exc.message
        raise TransientJobError(f"IonQ is busy or unreachable: {detail}") from None
    except requests.RequestException as exc:
        raise TransientJobError(f"cannot reach IonQ: {no_answer(exc)}") from None
    except ionq.IonQCredentialsError as exc:
        raise SynqInputError(f"IonQ credentials: {exc.message}", field="credentials") from None
    except ionq.IonQJobFailureError as exc:
        raise SynqInputError(f"the IonQ job failed: {exc.message}") from None
    except (ionq.IonQGateError, ionq.IonQMidCircuitMeasurementError) as exc:
        raise SynqInputError(f"IonQ cannot run this circuit: {exc.message}") from None
