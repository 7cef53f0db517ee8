"""Variational algorithms (VQE, QAOA, QNN) as pure functions with seeds and progress callbacks."""
