"""A trained QNN classifier: its circuit, its weights, JSON storage and prediction."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from synq_jupyter.algorithms.qnn_data import Label, check_label, feature_matrix
from synq_jupyter.algorithms.qnn_features import QNNFeatureMap
from synq_jupyter.errors import SynqInputError

EMBEDDINGS = ("angle", "reuploading")
MAX_QUBITS = 12
MAX_LAYERS = 20
# Above the user data's MAX_FEATURES: built-in data sets (breast_cancer has 30 features)
# reach a model through PCA.
MAX_RAW_FEATURES = 1024
MODEL_KIND = "synq.qnn_classifier"
MODEL_VERSION = 1

Circuit = Callable[[Any, Any], Any]


@dataclass(frozen=True, eq=False)
class QNNModel:
    """A variational classifier: embedding, ``StronglyEntanglingLayers``, then ⟨Z⟩ on qubit 0.

    The decision value of a sample is ``f = ⟨Z0⟩ + bias``; ``f >= 0`` predicts ``classes[1]``
    and ``(1 + f) / 2``, clipped to [0, 1], is the probability of ``classes[1]``.

    Attributes:
        embedding: ``"angle"`` embeds the angles once, before all layers; ``"reuploading"``
            embeds them again before every layer.
        layers: Number of entangling layers.
        classes: The two labels; training maps ``classes[0]`` to -1 and ``classes[1]`` to +1.
        features: The map from raw features to angles, fitted on the training data.
        weights: Rotation angles, shape (layers, n_qubits, 3).
        bias: Added to ⟨Z0⟩.
    """

    embedding: str
    layers: int
    classes: tuple[Label, Label]
    features: QNNFeatureMap
    weights: np.ndarray
    bias: float

    @property
    def n_qubits(self) -> int:
        """Number of qubits the circuit acts on."""
        return self.features.n_qubits

    def decision(self, X: np.ndarray) -> np.ndarray:
        """Decision values ``⟨Z0⟩ + bias`` of raw features ``X``, shape (samples,)."""
        circuit = build_circuit(self.n_qubits, self.layers, self.embedding)
        with single_threaded():
            values = circuit(self.weights, self.features.angles(X))
        return np.atleast_1d(np.asarray(values, dtype=float)) + self.bias

    def to_dict(self) -> dict[str, Any]:
        """The model as plain JSON values, which ``from_dict`` reads back."""
        return {
            "kind": MODEL_KIND,
            "version": MODEL_VERSION,
            "n_qubits": self.n_qubits,
            "n_features": self.features.n_features,
            "layers": self.layers,
            "embedding": self.embedding,
            "classes": list(self.classes),
            "features": self.features.to_dict(),
            "weights": self.weights.tolist(),
            "bias": self.bias,
        }

    @classmethod
    def from_dict(cls, d: Any) -> QNNModel:
        """Rebuilds a model from ``to_dict``'s output.

        Raises:
            SynqInputError: The dictionary is not a QNN model or its shapes disagree; the field
                starts with ``"model"``.
        """
        if not isinstance(d, dict) or d.get("kind") != MODEL_KIND:
            raise SynqInputError(
                f'not a QNN model (expected "kind": "{MODEL_KIND}")', field="model"
            )
        if d.get("version") != MODEL_VERSION:
            raise SynqInputError(
                f"unsupported model version {d.get('version')!r}", field="model.version"
            )
        n_qubits = _count(d.get("n_qubits"), MAX_QUBITS, "model.n_qubits")
        n_features = _count(d.get("n_features"), MAX_RAW_FEATURES, "model.n_features")
        layers = _count(d.get("layers"), MAX_LAYERS, "model.layers")
        if d.get("embedding") not in EMBEDDINGS:
            raise SynqInputError(
                f"embedding must be one of {', '.join(EMBEDDINGS)}", field="model.embedding"
            )
        classes = d.get("classes")
        if not isinstance(classes, list) or len(classes) != 2 or classes[0] == classes[1]:
            raise SynqInputError("classes must list two different labels", field="model.classes")
        features = QNNFeatureMap.from_dict(
            d.get("features"), n_features=n_features, n_qubits=n_qubits
        )
        try:
            weights = np.asarray(d.get("weights"), dtype=float)
        except (TypeError, ValueError):
            weights = np.empty(0)
        if weights.shape != (layers, n_qubits, 3) or not np.all(np.isfinite(weights)):
            raise SynqInputError(
                f"weights must be finite numbers of shape [{layers}, {n_qubits}, 3]",
                field="model.weights",
            )
        bias = d.get("bias")
        if isinstance(bias, bool) or not isinstance(bias, int | float) or not np.isfinite(bias):
            raise SynqInputError("bias must be a finite number", field="model.bias")
        return cls(
            embedding=d["embedding"],
            layers=layers,
            classes=(
                check_label(classes[0], "model.classes"),
                check_label(classes[1], "model.classes"),
            ),
            features=features,
            weights=weights,
            bias=float(bias),
        )


def predict(model: QNNModel, X: np.ndarray) -> tuple[list[Label], np.ndarray]:
    """Classifies the raw features ``X``, shape (samples, features).

    Returns:
        The predicted label of each sample, and the probability the model gives that label,
        from 0.5 to 1, shape (samples,).
    """
    p1 = np.clip((1.0 + model.decision(X)) / 2.0, 0.0, 1.0)
    ones = p1 >= 0.5
    labels = [model.classes[1] if one else model.classes[0] for one in ones]
    return labels, np.where(ones, p1, 1.0 - p1)


def predict_qnn(model_dict: Any, X: Any) -> tuple[list[Label], list[float]]:
    """Classifies ``X`` (a list of rows of raw features) with a model stored by ``to_dict``.

    Returns:
        The label of each sample and its probability, as plain lists.

    Raises:
        SynqInputError: The model dictionary is invalid (field ``"model..."``), or ``X`` is
            not a finite matrix with the model's number of features (field ``"X"``).
    """
    model, features = _checked(model_dict, X)
    labels, probabilities = predict(model, features)
    return labels, probabilities.tolist()


def check_features(model_dict: Any, X: Any) -> None:
    """Checks a prediction request as ``predict_qnn`` would, without simulating anything.

    Raises:
        SynqInputError: As ``predict_qnn``.
    """
    _checked(model_dict, X)


def build_circuit(n_qubits: int, layers: int, embedding: str) -> Circuit:
    """The classifier's QNode on ``lightning.qubit``, differentiated by the adjoint method.

    It takes ``(weights, angles)``, with angles of shape (n_qubits,) or (samples, n_qubits),
    and returns ⟨Z0⟩ per sample.
    """
    import pennylane as qml

    wires = list(range(n_qubits))

    def ranges(layer: int) -> list[int] | None:
        # Each layer is its own template call when re-uploading, so give it the CNOT range
        # that StronglyEntanglingLayers would have chosen for it in a stack.
        return [layer % (n_qubits - 1) + 1] if n_qubits > 1 else None

    @qml.qnode(qml.device("lightning.qubit", wires=n_qubits), diff_method="adjoint")
    def circuit(weights: Any, angles: Any) -> Any:
        if embedding == "angle":
            qml.AngleEmbedding(angles, wires=wires, rotation="X")
            qml.StronglyEntanglingLayers(weights, wires=wires)
        else:
            for layer in range(layers):
                qml.AngleEmbedding(angles, wires=wires, rotation="X")
                qml.StronglyEntanglingLayers(
                    weights[layer : layer + 1], wires=wires, ranges=ranges(layer)
                )
        return qml.expval(qml.PauliZ(0))

    return circuit


@contextmanager
def single_threaded() -> Iterator[None]:
    """Runs the simulator on one thread.

    States of at most 2**12 amplitudes are too small for OpenMP to pay off, and on shared cores
    its threads spin-wait against other processes, slowing training several times over.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="openmp"):
        yield


def _checked(model_dict: Any, X: Any) -> tuple[QNNModel, np.ndarray]:
    model = QNNModel.from_dict(model_dict)
    return model, feature_matrix(X, field="X", n_features=model.features.n_features)


def _count(value: Any, maximum: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise SynqInputError(f"must be an integer from 1 to {maximum}", field=field)
    return value
