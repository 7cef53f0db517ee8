"""Train a PennyLane QNN classifier and compare it with an SVC on the same split."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from synq_jupyter.algorithms.qnn_data import QNNData
from synq_jupyter.algorithms.qnn_dataset import QNNDataset
from synq_jupyter.algorithms.qnn_features import QNNFeatureMap
from synq_jupyter.algorithms.qnn_model import (
    QNNModel,
    build_circuit,
    check_features,
    predict,
    predict_qnn,
    single_threaded,
)
from synq_jupyter.algorithms.qnn_spec import MAX_SEED, QNNSpec
from synq_jupyter.errors import SynqInputError

__all__ = [
    "QNNData",
    "QNNDataset",
    "QNNModel",
    "QNNSpec",
    "QNNTrainResult",
    "check_features",
    "predict",
    "predict_qnn",
    "train_qnn",
]

Progress = Callable[[float, str], None]
OnEpoch = Callable[[int, float], None]
ShouldStop = Callable[[], bool]
WEIGHT_SCALE = 0.5


@dataclass
class QNNTrainResult:
    """A trained model with its scores and those of an SVC trained on the same split.

    Attributes:
        model: The trained classifier.
        train_accuracy: Fraction of training samples the model classifies correctly.
        test_accuracy: The same on the held-out samples.
        svc_train_accuracy: The RBF SVC baseline's training accuracy.
        svc_test_accuracy: The RBF SVC baseline's held-out accuracy.
        loss_curve: Mean squared error between ``⟨Z0⟩ + bias`` and the ±1 labels over each
            epoch's mini-batches, as the epoch trained.
        n_train: Number of training samples.
        n_test: Number of held-out samples.
        epochs: Epochs completed; fewer than asked when ``should_stop`` ended training.
        seed: The seed used, drawn when the spec had none.
        stopped: Whether ``should_stop`` ended training early; the weights then include the
            batches of the interrupted epoch, which the loss curve leaves out.
        test_index: Positions of the held-out samples in the data.
    """

    model: QNNModel
    train_accuracy: float
    test_accuracy: float
    svc_train_accuracy: float
    svc_test_accuracy: float
    loss_curve: list[float]
    n_train: int
    n_test: int
    epochs: int
    seed: int
    stopped: bool = False
    test_index: list[int] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON values, the model included (``model`` key)."""
        return {
            "train_accuracy": self.train_accuracy,
            "test_accuracy": self.test_accuracy,
            "svc_train_accuracy": self.svc_train_accuracy,
            "svc_test_accuracy": self.svc_test_accuracy,
            "loss_curve": list(self.loss_curve),
            "n_train": self.n_train,
            "n_test": self.n_test,
            "epochs": self.epochs,
            "seed": self.seed,
            "stopped": self.stopped,
            "model": self.model.to_dict(),
        }


def train_qnn(
    spec: QNNSpec,
    *,
    progress: Progress | None = None,
    on_epoch: OnEpoch | None = None,
    should_stop: ShouldStop | None = None,
) -> QNNTrainResult:
    """Trains the classifier ``spec`` describes with Adam on ``lightning.qubit``.

    The samples are split (stratified, seeded); the feature map is fitted on the training
    side only; the weights start from a seeded normal draw and the mini-batches are shuffled
    with the same generator, so a seed reproduces the whole run.

    Args:
        spec: The data and the hyper-parameters.
        progress: Called once per epoch with (epoch / epochs, ``"epoch 3/20: loss 0.41"``).
        on_epoch: Called once per epoch with (epoch, loss), epochs counted from 1.
        should_stop: Polled before every mini-batch; training ends early when it returns true.

    Returns:
        The model and its scores next to the SVC baseline's.

    Raises:
        SynqInputError: The data cannot be split or reduced as asked.
    """
    from pennylane import numpy as pnp
    from pennylane.optimize import AdamOptimizer
    from sklearn.model_selection import train_test_split

    seed = secrets.randbelow(MAX_SEED) if spec.seed is None else spec.seed
    data = _load(spec, seed)
    n_qubits = spec.qubits_for(data.X.shape[1])
    train_index, test_index = train_test_split(
        np.arange(len(data.y)), test_size=spec.test_size, stratify=data.y, random_state=seed
    )
    if data.X.shape[1] > n_qubits and len(train_index) < n_qubits:
        raise SynqInputError(
            f"PCA to {n_qubits} components needs at least {n_qubits} training samples",
            field="n_qubits",
        )
    features = QNNFeatureMap.fit(data.X[train_index], n_qubits)
    angles = features.angles(data.X[train_index])
    targets = 2.0 * data.y[train_index] - 1.0
    circuit = build_circuit(n_qubits, spec.layers, spec.embedding)

    def cost(weights: Any, bias: Any, *, x: Any, t: Any) -> Any:
        return pnp.mean((t - circuit(weights, x) - bias) ** 2)

    rng = np.random.default_rng(seed)
    weights = pnp.array(rng.normal(0.0, WEIGHT_SCALE, (spec.layers, n_qubits, 3)))
    bias = pnp.array(0.0)
    optimiser = AdamOptimizer(spec.learning_rate)
    loss_curve: list[float] = []
    stopped = False
    with single_threaded():
        for epoch in range(1, spec.epochs + 1):
            order = rng.permutation(len(targets))
            total = 0.0
            for start in range(0, len(order), spec.batch_size):
                if should_stop is not None and should_stop():
                    stopped = True
                    break
                batch = order[start : start + spec.batch_size]
                (weights, bias), loss = optimiser.step_and_cost(
                    cost, weights, bias, x=angles[batch], t=targets[batch]
                )
                total += float(loss) * len(batch)
            if stopped:
                break
            loss_curve.append(total / len(order))
            if on_epoch is not None:
                on_epoch(epoch, loss_curve[-1])
            if progress is not None:
                progress(
                    epoch / spec.epochs, f"epoch {epoch}/{spec.epochs}: loss {loss_curve[-1]:.2f}"
                )

    model = QNNModel(
        embedding=spec.embedding,
        layers=spec.layers,
        classes=data.classes,
        features=features,
        weights=np.asarray(weights, dtype=float),
        bias=float(bias),
    )
    svc_train, svc_test = _svc_scores(features, data, train_index, test_index)
    return QNNTrainResult(
        model=model,
        train_accuracy=_accuracy(model, data, train_index),
        test_accuracy=_accuracy(model, data, test_index),
        svc_train_accuracy=svc_train,
        svc_test_accuracy=svc_test,
        loss_curve=loss_curve,
        n_train=len(train_index),
        n_test=len(test_index),
        epochs=len(loss_curve),
        seed=seed,
        stopped=stopped,
        test_index=[int(i) for i in test_index],
    )


def _load(spec: QNNSpec, seed: int) -> QNNData:
    if spec.data is not None:
        return spec.data
    assert spec.dataset is not None  # QNNSpec guarantees one of the two
    return spec.dataset.load(seed)


def _accuracy(model: QNNModel, data: QNNData, index: np.ndarray) -> float:
    labels, _ = predict(model, data.X[index])
    truth = [data.classes[y] for y in data.y[index]]
    return float(np.mean([label == true for label, true in zip(labels, truth, strict=True)]))


def _svc_scores(
    features: QNNFeatureMap, data: QNNData, train_index: np.ndarray, test_index: np.ndarray
) -> tuple[float, float]:
    """Accuracies of an RBF SVC with default C and gamma on the QNN's own scaled features."""
    from sklearn.svm import SVC

    train_x = features.scaled(data.X[train_index])
    svc = SVC(kernel="rbf", C=1.0, gamma="scale").fit(train_x, data.y[train_index])
    return (
        float(svc.score(train_x, data.y[train_index])),
        float(svc.score(features.scaled(data.X[test_index]), data.y[test_index])),
    )
