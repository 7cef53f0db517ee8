"""A cloud that cannot be reached is named with the reason in words, not urllib3's repr."""

from __future__ import annotations

import pytest
import requests

from synq_jupyter.transport_errors import no_answer
from synq_jupyter_server.jobs.providers.ibm_cloud import ibm_errors
from synq_jupyter_server.jobs.providers.ionq_cloud import _ionq_errors
from synq_jupyter_server.jobs.scheduler import TransientJobError

REFUSED = "http://127.0.0.1:1/"  # nothing listens on port 1
UNRESOLVED = "https://quantum.invalid/"  # .invalid never resolves (RFC 2606)


def failure(url: str) -> requests.RequestException:
    with pytest.raises(requests.RequestException) as info:
        requests.get(url, timeout=5)
    return info.value


def test_the_reason_is_said_in_words():
    assert no_answer(failure(REFUSED)) == "127.0.0.1 refused the connection"
    assert no_answer(failure(UNRESOLVED)) == (
        "the host name quantum.invalid does not resolve (no network, or DNS is down)"
    )
    assert no_answer(ValueError("not a transport error")) == "not a transport error"


def test_an_unreachable_ionq_or_ibm_is_a_transient_failure_that_says_why():
    with pytest.raises(TransientJobError) as ionq, _ionq_errors():
        requests.get(REFUSED, timeout=5)
    assert str(ionq.value) == "cannot reach IonQ: 127.0.0.1 refused the connection"
    with pytest.raises(TransientJobError) as ibm, ibm_errors():
        requests.get(UNRESOLVED, timeout=5)
    assert str(ibm.value) == (
        "IBM Quantum is busy or unreachable: the host name quantum.invalid does not resolve "
        "(no network, or DNS is down)"
    )
