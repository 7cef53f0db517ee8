"""IBM Quantum Platform through qiskit-ibm-runtime: submit a SamplerV2 job, wait, read counts.

Signing in (``ibm_service``), waiting for a job (``wait_for_ibm_job``) and turning the client's
errors into SynQ's (``ibm_errors``) serve every IBM job, the VQE's estimator jobs too.
"""

from __future__ import annotations

import contextlib
import os
import threading
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from synq_jupyter.errors import SynqInputError, TargetError
from synq_jupyter.transport_errors import no_answer
from synq_jupyter_server.jobs.providers.sampling import (
    Report,
    register_counts,
    sample_result,
    transpile_for_sampling,
    wait_until_final,
)

if TYPE_CHECKING:
    from qiskit import QuantumCircuit
    from qiskit_ibm_runtime import QiskitRuntimeService, RuntimeJobV2

    from synq_jupyter.quantum.targets import SynqTarget

DEVICES = ("ibm_brisbane", "ibm_torino")  # SynQ's catalogue names are IBM's device names
CHANNEL = "ibm_quantum_platform"
FIRST_POLL_SECONDS = 0.25
MAX_POLL_SECONDS = 5.0
# With a ``url``, SynQ's IBM credentials name one gateway serving every IBM Cloud host the
# client talks to, each under a path prefix. The client reads the IAM, Global Search and
# Global Catalog URLs from these environment variables (the last two through
# ibm-cloud-sdk-core's external configuration) while it connects, under a lock.
GATEWAY_VARIABLES = {
    "IAM_URL": "/iam",
    "GLOBAL_SEARCH_URL": "/global-search-tagging",
    "GLOBAL_CATALOG_URL": "/globalcatalog/api/v1",
}
RUNTIME_PATH = "/quantum/api/v1"
_connect_lock = threading.Lock()


def sample_on_ibm(
    circuit: QuantumCircuit,
    target: SynqTarget,
    payload: dict[str, Any],
    credentials: dict[str, Any],
    report: Report,
) -> dict[str, Any]:
    """Samples ``circuit`` on an IBM device with qiskit-ibm-runtime's ``SamplerV2``.

    SynQ transpiles the circuit for the device (the same calibration snapshot the device
    reports) and sends it as an ISA circuit. When ``payload["provider_job_id"]`` is set, that
    job was submitted before (the server restarted since): it is reattached, not sent again.

    Args:
        circuit: The circuit; when it measures nothing, every qubit is measured.
        target: ``ibm_brisbane`` or ``ibm_torino``.
        payload: ``shots``, ``seed``, ``optimization_level`` and maybe ``provider_job_id``.
        credentials: ``token`` (an IBM Cloud API key); optionally ``instance`` (a CRN or
            instance name; the client picks one otherwise) and ``url`` (a gateway; IBM's own
            hosts by default).
        report: Called with ``("provider_job_id", id)`` as soon as IBM gives the job an id,
            and ``("progress", (fraction, message))`` while it waits, ending with
            ``(1.0, "done")``.

    Returns:
        The counts (keyed as Aer keys them: registers separated by spaces) with the shots,
        seed, target, noise, whether every qubit was measured, IBM's job id and the transpile
        report.

    Raises:
        SynqInputError: IBM refused the key (``field="credentials"``) or the job, or the job
            failed.
        TransientJobError: IBM is unreachable, busy, or answered with a server error.
        RuntimeError: The job was cancelled on IBM's side.
    """
    from qiskit_ibm_runtime import SamplerV2

    if target.name not in DEVICES:
        raise TargetError(f"{target.name} is not an IBM Quantum device")
    url = _checked_url(credentials)
    shots = payload["shots"]
    transpiled, measured_all = transpile_for_sampling(circuit, target, payload, report)
    remote_id = payload.get("provider_job_id")
    with ibm_errors():
        report("progress", (0.05, "signing in to IBM Quantum"))
        service = ibm_service(credentials)
        if remote_id:
            report("progress", (0.1, f"reattaching to IBM job {remote_id}"))
            job = service.job(remote_id)
        else:
            report("progress", (0.1, f"submitting to IBM {target.name}"))
            backend = service.backend(target.name)
            with warnings.catch_warnings():
                # 0.50 deprecated the server-side SamplerV2 for a client-side sampler on a
                # newer API; SamplerV2 is still what IBM's documented primitives run.
                warnings.simplefilter("ignore", DeprecationWarning)
                job = SamplerV2(mode=backend).run([transpiled.circuit], shots=shots)
            remote_id = job.job_id()
        report("provider_job_id", remote_id)
        wait_for_ibm_job(job, target.name, report)
        report("progress", (0.9, f"reading the results of IBM job {remote_id}"))
        counts = register_counts(job.result()[0])
    report("progress", (1.0, "done"))
    noise = f"IBM Quantum ({urlsplit(url).netloc})" if url else "IBM Quantum Platform"
    return sample_result(
        counts, payload, target, transpiled, measured_all, noise=noise, provider_job_id=remote_id
    )


def cancel_on_ibm(provider_job_id: str, credentials: dict[str, Any]) -> None:
    """Asks IBM to cancel a job; a job that already finished stays as it is.

    Args:
        provider_job_id: IBM's id of the job.
        credentials: ``token``, and maybe ``instance`` and ``url``.

    Raises:
        SynqInputError: IBM refused the key, or knows no such job.
        TransientJobError: IBM is unreachable or busy.
    """
    from qiskit_ibm_runtime.exceptions import RuntimeInvalidStateError

    _checked_url(credentials)
    with ibm_errors(), contextlib.suppress(RuntimeInvalidStateError):
        ibm_service(credentials).job(provider_job_id).cancel()


def _checked_url(credentials: dict[str, Any]) -> str | None:
    """The gateway URL, if any, checking the key is there at all."""
    token = credentials.get("token")
    if not isinstance(token, str) or not token.strip():
        raise SynqInputError("no IBM Quantum API key is stored", field="credentials")
    url = credentials.get("url")
    if url is None:
        return None
    if urlsplit(str(url)).scheme not in ("http", "https") or not urlsplit(str(url)).netloc:
        raise SynqInputError(f"the IBM gateway URL {url!r} is not http(s)", field="credentials")
    return str(url).rstrip("/")


def ibm_service(credentials: dict[str, Any]) -> QiskitRuntimeService:
    """Signs in: IAM token, instance lookup and the Runtime clients, all made here.

    Args:
        credentials: ``token``, and maybe ``instance`` and ``url``.

    Raises:
        SynqInputError: No key is stored, or the key cannot use the instance
            (``field="credentials"``).
    """
    from qiskit_ibm_runtime import QiskitRuntimeService
    from qiskit_ibm_runtime.exceptions import IBMInputValueError

    url = _checked_url(credentials)
    with _gateway(url):
        try:
            return QiskitRuntimeService(
                channel=CHANNEL,
                token=credentials["token"],
                url=url,
                instance=credentials.get("instance") or "auto",
                url_resolver=(lambda *_: f"{url}{RUNTIME_PATH}") if url else None,
            )
        except IBMInputValueError as exc:  # an instance the key cannot use, or none at all
            raise SynqInputError(f"IBM Quantum: {exc}", field="credentials") from None


@contextlib.contextmanager
def _gateway(url: str | None) -> Iterator[None]:
    """Points the client's IAM and instance lookups at the gateway while it connects."""
    if url is None:
        yield
        return
    with _connect_lock:
        saved = {name: os.environ.get(name) for name in GATEWAY_VARIABLES}
        os.environ.update({name: url + path for name, path in GATEWAY_VARIABLES.items()})
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def wait_for_ibm_job(
    job: RuntimeJobV2, device: str, report: Report, fraction: float | None = None
) -> None:
    """Polls the job until it is final, less often as it waits longer.

    Args:
        job: The submitted job.
        device: The device's name, for the progress messages.
        report: Called with ``("progress", (fraction, message))`` while it waits.
        fraction: The progress to report at every stage, for a job that is one step of a
            longer run (a VQE iteration); by default each stage has its own.

    Raises:
        SynqInputError: The job failed.
        RuntimeError: The job was cancelled on IBM's side.
    """
    stages = {
        "INITIALIZING": (0.2, "submitted to IBM"),
        "QUEUED": (0.3, "queued at IBM"),
        "RUNNING": (0.6, f"running on IBM {device}"),
    }
    waiting = (0.2, "waiting for IBM")
    if fraction is not None:
        stages = {status: (fraction, words) for status, (_, words) in stages.items()}
        waiting = (fraction, waiting[1])
    status = wait_until_final(
        lambda: str(job.status()),
        ("DONE", "CANCELLED", "ERROR"),
        stages,
        report,
        waiting=waiting,
        pause=FIRST_POLL_SECONDS,
        backoff=1.5,
        max_pause=MAX_POLL_SECONDS,
    )
    if status == "CANCELLED":
        raise RuntimeError(f"IBM job {job.job_id()} was cancelled remotely")
    if status == "ERROR":
        raise SynqInputError(f"the IBM job failed: {job.error_message()}")


def _transport_error(exc: BaseException) -> tuple[int | None, str]:
    """The HTTP status an error comes from (-1: no answer at all) and that answer's message,
    following the error's causes; ``(None, str(exc))`` when no request failed."""
    import requests
    from ibm_cloud_sdk_core import ApiException
    from qiskit_ibm_runtime.api.exceptions import RequestsApiError

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, RequestsApiError):
            return seen.status_code, str(seen)
        if isinstance(seen, ApiException):
            return (int(seen.status_code) if seen.status_code else -1), str(seen.message)
        if isinstance(seen, requests.RequestException):
            if seen.response is None:
                return -1, no_answer(seen)
            return seen.response.status_code, str(seen)
        seen = seen.__cause__ or seen.__context__
    return None, str(exc)


@contextlib.contextmanager
def ibm_errors() -> Iterator[None]:
    """Turns qiskit-ibm-runtime's, ibm-cloud-sdk-core's and requests' errors into SynQ's."""
    import requests
    from ibm_cloud_sdk_core import ApiException
    from qiskit.providers.exceptions import QiskitBackendNotFoundError
    from qiskit_ibm_runtime.accounts.exceptions import InvalidAccountError
    from qiskit_ibm_runtime.exceptions import (
        IBMError,
        IBMNotAuthorizedError,
        RuntimeJobFailureError,
        RuntimeJobNotFound,
    )

    from synq_jupyter_server.jobs.scheduler import TransientJobError

    try:
        yield
    except (IBMError, ApiException, requests.RequestException) as exc:
        status, message = _transport_error(exc)
        if status == -1 or status == 429 or (status or 0) >= 500:
            raise TransientJobError(f"IBM Quantum is busy or unreachable: {message}") from None
        refused = status in (401, 403) or (status == 400 and isinstance(exc, InvalidAccountError))
        if isinstance(exc, IBMNotAuthorizedError) or refused:
            raise SynqInputError(
                f"IBM Quantum refused the API key ({status}: {message}); "
                "check the IBM key stored in SynQ",
                field="credentials",
            ) from None
        if isinstance(exc, RuntimeJobNotFound):
            raise SynqInputError(f"IBM Quantum knows no such job: {exc}") from None
        detail = "" if message == str(exc) else f" ({message})"
        raise SynqInputError(f"IBM Quantum refused the request: {exc}{detail}") from None
    except RuntimeJobFailureError as exc:
        raise SynqInputError(f"the IBM job failed: {exc}") from None
    except QiskitBackendNotFoundError as exc:
        raise SynqInputError(
            f"IBM Quantum offers this account no such device: {exc}", field="target"
        ) from None
