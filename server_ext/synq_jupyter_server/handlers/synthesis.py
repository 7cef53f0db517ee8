"""``POST /synq/api/circuits/synthesize``: a circuit from a spec or a plain-English line."""

from __future__ import annotations

from synq_jupyter_server.handlers.qml import AlgorithmHandler, algorithm_operation
from synq_jupyter_server.schemas.qml import SynthesizeRequest


class SynthesizeHandler(AlgorithmHandler):
    kind = "synthesize"
    request_model = SynthesizeRequest
    operations = {
        "post": algorithm_operation(
            "Synthesize a verified circuit from a spec or a description",
            SynthesizeRequest,
            "A description the grammar cannot read is a 422 that lists the forms it "
            "understands. The result has the circuit as OpenQASM 3, its metrics, and the "
            "check that it does what the spec says (`verification`).",
            tags=("circuits",),
        )
    }
