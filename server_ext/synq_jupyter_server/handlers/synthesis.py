"""``POST /synq/api/circuits/{synthesize,estimate,optimize}``: circuit work run as jobs."""

from __future__ import annotations

from synq_jupyter_server.handlers.qml import AlgorithmHandler, algorithm_operation
from synq_jupyter_server.schemas.qml import EstimateRequest, OptimizeRequest, SynthesizeRequest


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


class EstimateHandler(AlgorithmHandler):
    kind = "cost_estimate"
    request_model = EstimateRequest
    operations = {
        "post": algorithm_operation(
            "Compare a circuit's feasibility, fidelity, run time and price on every target",
            EstimateRequest,
            "One row per target: feasible or not with the reason, the transpiled 2-qubit "
            "count, the estimated success probability, the run time and the price from the "
            "target's published price data (with its source).",
            tags=("circuits",),
        )
    }


class OptimizeHandler(AlgorithmHandler):
    kind = "optimize"
    request_model = OptimizeRequest
    operations = {
        "post": algorithm_operation(
            "Suggest measured optimizations of a circuit for a target",
            OptimizeRequest,
            "Every candidate is applied and transpiled for the target; only those measured "
            "to help (2-qubit count, depth and estimated success probability, before and "
            "after, with an equivalence check) are suggested, each with the settings that "
            "reproduce it. `trials` lists every candidate and why it was kept or not.",
            tags=("circuits",),
        )
    }
