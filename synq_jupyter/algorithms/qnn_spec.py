"""What to train a QNN classifier on and how: the checked request behind ``train_qnn``."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from synq_jupyter.algorithms.qnn_data import QNNData
from synq_jupyter.algorithms.qnn_dataset import QNNDataset
from synq_jupyter.algorithms.qnn_model import EMBEDDINGS, MAX_LAYERS, MAX_QUBITS
from synq_jupyter.errors import SynqInputError

DEFAULT_QUBITS = 4
MAX_EPOCHS = 500
MAX_SEED = 2**31 - 1


@dataclass(frozen=True, eq=False)
class QNNSpec:
    """A QNN training request; every value is checked on construction.

    Args:
        data: The user's labelled samples; give this or ``dataset``.
        dataset: A built-in data set; give this or ``data``.
        embedding: ``"reuploading"`` (the angles before every layer) or ``"angle"`` (once).
        layers: Number of ``StronglyEntanglingLayers``.
        n_qubits: Qubits of the circuit. More features than qubits are reduced by PCA, fewer
            are repeated over the qubits; the default is one qubit per feature, at most
            ``DEFAULT_QUBITS``.
        epochs: Passes over the training samples.
        batch_size: Samples per Adam step.
        learning_rate: Adam's step size.
        test_size: Fraction of the samples held out, stratified by class.
        seed: Seeds the split, the initial weights, the shuffling and the moons data; a fresh
            one is drawn at training time when ``None``.

    Raises:
        SynqInputError: A value is out of range, or the data is too small to split; ``field``
            names the key of ``from_dict``'s input.
    """

    data: QNNData | None = None
    dataset: QNNDataset | None = None
    embedding: str = "reuploading"
    layers: int = 5
    n_qubits: int | None = None
    epochs: int = 10
    batch_size: int = 5
    learning_rate: float = 0.05
    test_size: float = 0.25
    seed: int | None = None

    def __post_init__(self) -> None:
        if (self.data is None) == (self.dataset is None):
            raise SynqInputError("give either data or dataset, not both or neither", field="data")
        if self.embedding not in EMBEDDINGS:
            raise SynqInputError(
                f"embedding must be one of {', '.join(EMBEDDINGS)}, not {self.embedding!r}",
                field="embedding",
            )
        _check_int(self.layers, 1, MAX_LAYERS, "layers")
        if self.n_qubits is not None:
            _check_int(self.n_qubits, 1, MAX_QUBITS, "n_qubits")
        _check_int(self.epochs, 1, MAX_EPOCHS, "epochs")
        _check_int(self.batch_size, 1, 10_000, "batch_size")
        _check_float(self.learning_rate, 0.0, 10.0, "learning_rate")
        _check_float(self.test_size, 0.0, 1.0, "test_size")
        if self.seed is not None:
            _check_int(self.seed, 0, MAX_SEED, "seed")
        if self.data is not None:
            self.check_split(self.data.y)
        elif self.dataset is not None:
            self.check_split(np.arange(self.dataset.size) % 2)

    @classmethod
    def from_dict(cls, d: Any) -> QNNSpec:
        """Reads a JSON request: ``data`` (arrays or CSV) or ``dataset``, plus the options.

        Raises:
            SynqInputError: An unknown key or a bad value, with ``field`` naming it.
        """
        if not isinstance(d, Mapping):
            raise SynqInputError("the QNN request must be a JSON object", field="spec")
        known = {f.name for f in fields(cls)}
        for key in d:
            if key not in known:
                raise SynqInputError(f"unknown option {key!r}", field=str(key))
        options = {key: value for key, value in d.items() if value is not None}
        if ("data" in options) == ("dataset" in options):
            raise SynqInputError("give either data or dataset, not both or neither", field="data")
        if "data" in options:
            options["data"] = QNNData.from_json(options["data"])
        if "dataset" in options:
            options["dataset"] = QNNDataset.from_dict(options["dataset"])
        return cls(**options)

    def qubits_for(self, n_features: int) -> int:
        """The number of qubits to use for samples of ``n_features`` features."""
        return self.n_qubits or min(n_features, DEFAULT_QUBITS)

    def check_split(self, y: np.ndarray) -> None:
        """Raises ``SynqInputError`` unless both sides of the split get both classes."""
        n = len(y)
        n_test = math.ceil(self.test_size * n)
        if n_test < 2 or n - n_test < 2:
            raise SynqInputError(
                f"a test_size of {self.test_size} splits {n} samples into {n - n_test} for "
                f"training and {n_test} for testing; each side needs at least 2",
                field="test_size",
            )
        smallest = int(np.bincount(y, minlength=2).min())
        if smallest < 2:
            raise SynqInputError(
                f"each class needs at least 2 samples to split, one has {smallest}",
                field="data.y",
            )


def _check_int(value: Any, low: int, high: int, field: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SynqInputError(f"{field} must be an integer from {low} to {high}", field=field)


def _check_float(value: Any, low: float, high: float, field: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low < value < high:
        raise SynqInputError(f"{field} must be a number above {low} and below {high}", field=field)
