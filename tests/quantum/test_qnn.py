"""The QNN classifier: accuracy against an SVC, data sets, user data, storage and callbacks."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from typing import Any

import numpy as np
import pytest

from synq_jupyter.algorithms.qnn import (
    QNNData,
    QNNDataset,
    QNNModel,
    QNNSpec,
    QNNTrainResult,
    predict,
    predict_qnn,
    train_qnn,
)
from synq_jupyter.errors import SynqInputError

# A small, fast run shared by the storage and callback tests.
SMALL: dict[str, Any] = {
    "dataset": {"name": "moons", "n_samples": 60},
    "layers": 2,
    "epochs": 3,
    "seed": 7,
}


def blobs(n: int, labels: tuple[Any, Any] = ("cat", "dog")) -> tuple[list[list[float]], list[Any]]:
    """Two well separated clusters in three features."""
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(-2, 0.5, (n // 2, 3)), rng.normal(2, 0.5, (n - n // 2, 3))])
    y = [labels[0]] * (n // 2) + [labels[1]] * (n - n // 2)
    return X.round(4).tolist(), y


@pytest.fixture(scope="module")
def small_run() -> tuple[QNNTrainResult, list[tuple[float, str]], list[tuple[int, float]]]:
    progress: list[tuple[float, str]] = []
    epochs: list[tuple[int, float]] = []
    result = train_qnn(
        QNNSpec.from_dict(SMALL),
        progress=lambda fraction, message: progress.append((fraction, message)),
        on_epoch=lambda epoch, loss: epochs.append((epoch, loss)),
    )
    return result, progress, epochs


@pytest.mark.slow
def test_moons_accuracy_matches_the_svc_baseline_on_the_same_split() -> None:
    spec = QNNSpec.from_dict(
        {"dataset": {"name": "moons", "n_samples": 200, "noise": 0.1}, "seed": 0}
    )
    result = train_qnn(spec)
    assert (result.n_train, result.n_test) == (150, 50)
    assert result.svc_test_accuracy >= 0.9
    assert result.test_accuracy >= 0.98 * result.svc_test_accuracy
    assert result.loss_curve[-1] < result.loss_curve[0]


def test_iris_trains_on_four_qubits_to_a_high_accuracy() -> None:
    result = train_qnn(QNNSpec.from_dict({"dataset": "iris", "layers": 2, "epochs": 2, "seed": 1}))
    assert result.n_train + result.n_test == 100
    assert result.model.n_qubits == 4
    assert set(result.model.classes) == {"setosa", "versicolor"}
    assert result.test_accuracy >= 0.9


@pytest.mark.slow
def test_breast_cancer_is_reduced_by_pca_to_one_feature_per_qubit() -> None:
    spec = {"dataset": "breast_cancer", "n_qubits": 3, "layers": 2, "epochs": 1, "seed": 2}
    result = train_qnn(QNNSpec.from_dict(spec))
    stored = result.model.to_dict()
    assert np.shape(stored["features"]["pca"]["components"]) == (3, 30)
    assert result.n_train + result.n_test == 569
    assert result.test_accuracy >= 0.85
    assert result.svc_test_accuracy >= 0.85
    raw = QNNDataset("breast_cancer").load(0).X[:5]
    assert (
        predict_qnn(json.loads(json.dumps(stored)), raw.tolist())[0]
        == predict(result.model, raw)[0]
    )


def test_user_data_with_string_labels_is_predicted_in_those_labels() -> None:
    X, y = blobs(40)
    result = train_qnn(
        QNNSpec.from_dict(
            {"data": {"X": X, "y": y}, "layers": 2, "epochs": 2, "learning_rate": 0.2, "seed": 3}
        )
    )
    labels, probabilities = predict(result.model, np.array([[-2.0, -2.0, -2.0], [2.0, 2.0, 2.0]]))
    assert labels == ["cat", "dog"]
    assert probabilities.shape == (2,)
    assert np.all((probabilities > 0.5) & (probabilities <= 1.0))
    assert result.test_accuracy >= 0.9


def test_csv_text_trains_exactly_like_the_same_json_arrays() -> None:
    X, y = blobs(20, labels=(0, 1))
    csv_text = "a,b,c,label\n" + "\n".join(
        ",".join(map(str, [*row, label])) for row, label in zip(X, y, strict=True)
    )
    options = {"layers": 1, "epochs": 1, "seed": 4}
    from_csv = train_qnn(QNNSpec.from_dict({"data": csv_text, **options}))
    from_json = train_qnn(QNNSpec.from_dict({"data": {"X": X, "y": y}, **options}))
    assert from_csv.model.classes == (0, 1)
    assert from_csv.to_dict() == from_json.to_dict()


def test_angle_embedding_trains_and_round_trips() -> None:
    X, y = blobs(24)
    result = train_qnn(
        QNNSpec.from_dict({"data": {"X": X, "y": y}, "embedding": "angle", "epochs": 2, "seed": 5})
    )
    stored = json.loads(json.dumps(result.model.to_dict()))
    assert stored["embedding"] == "angle"
    assert predict_qnn(stored, X)[0] == predict(result.model, np.array(X))[0]


def test_stored_model_predicts_exactly_as_at_training_time(small_run: Any) -> None:
    result, _, _ = small_run
    data = QNNDataset("moons", n_samples=60).load(SMALL["seed"])
    X = data.X
    stored = json.loads(json.dumps(result.to_dict()))["model"]
    labels, probabilities = predict_qnn(stored, X.tolist())
    before_labels, before_probabilities = predict(result.model, X)
    assert labels == before_labels
    assert probabilities == before_probabilities.tolist()
    test_correct = [labels[i] == data.y[i] for i in result.test_index]
    assert np.mean(test_correct) == result.test_accuracy
    assert QNNModel.from_dict(stored).to_dict() == stored


def test_progress_is_reported_once_per_epoch(small_run: Any) -> None:
    result, progress, epochs = small_run
    assert [fraction for fraction, _ in progress] == pytest.approx([1 / 3, 2 / 3, 1.0])
    assert [m for _, m in progress] == [f"epoch {e}/3: loss {loss:.2f}" for e, loss in epochs]
    assert all(re.fullmatch(r"epoch \d/3: loss \d\.\d\d", m) for _, m in progress)
    assert epochs == list(enumerate(result.loss_curve, start=1))
    assert result.epochs == 3
    assert not result.stopped


def test_same_seed_reproduces_the_run_and_another_seed_does_not(small_run: Any) -> None:
    result, _, _ = small_run
    again = train_qnn(QNNSpec.from_dict(SMALL))
    other = train_qnn(QNNSpec.from_dict({**SMALL, "seed": 8}))
    assert again.to_dict() == result.to_dict()
    assert other.loss_curve != result.loss_curve


def test_should_stop_ends_training_before_the_next_batch() -> None:
    epochs: list[int] = []
    result = train_qnn(
        QNNSpec.from_dict(SMALL),
        on_epoch=lambda epoch, _: epochs.append(epoch),
        should_stop=lambda: len(epochs) >= 1,
    )
    assert result.stopped
    assert result.epochs == 1
    assert len(result.loss_curve) == 1
    assert 0.0 <= result.test_accuracy <= 1.0


NAN = math.nan


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        ({}, "data"),
        ({"data": {"X": [[1, 2]], "y": [0]}, "dataset": "iris"}, "data"),
        ({"data": {"X": [], "y": []}}, "data.X"),
        ({"data": {"X": [[1, 2], [3]], "y": [0, 1]}}, "data.X"),
        ({"data": {"X": [[1, NAN], [3, 4]], "y": [0, 1]}}, "data.X"),
        ({"data": {"X": [[1, math.inf], [3, 4]], "y": [0, 1]}}, "data.X"),
        ({"data": {"X": [[1, None], [3, 4]], "y": [0, 1]}}, "data.X"),
        ({"data": {"X": [[1.0] * 13] * 8, "y": [0, 1] * 4}}, "data.X"),
        ({"data": {"X": [[1], [2], [3]], "y": [0, 1]}}, "data.y"),
        ({"data": {"X": [[1], [2], [3]], "y": [0, 1, 2]}}, "data.y"),
        ({"data": {"X": [[1], [2], [3], [4]], "y": [1, 1, 1, 1]}}, "data.y"),
        ({"data": {"X": [[1], [2], [3], [4]], "y": [0, NAN, 1, 0]}}, "data.y"),
        ({"data": {"X": [[1]] * 8, "y": [0] * 7 + [1]}}, "data.y"),
        ({"data": "x,label\n1,a\nfoo,b\n"}, "data"),
        ({"data": {"csv": "1,2,a\n1,b\n"}}, "data.csv"),
        ({"dataset": {"name": "mnist"}}, "dataset.name"),
        ({"dataset": {"name": "moons", "noise": -1}}, "dataset.noise"),
        ({"dataset": {"name": "iris", "n_samples": 50}}, "dataset.n_samples"),
        ({"dataset": "iris", "embedding": "amplitude"}, "embedding"),
        ({"dataset": "iris", "layers": 0}, "layers"),
        ({"dataset": "iris", "n_qubits": 13}, "n_qubits"),
        ({"dataset": "iris", "learning_rate": -0.1}, "learning_rate"),
        ({"dataset": "iris", "test_size": 1.5}, "test_size"),
        ({"dataset": "iris", "seed": -1}, "seed"),
        ({"dataset": "iris", "learnig_rate": 0.1}, "learnig_rate"),
    ],
)
def test_bad_request_raises_input_error_naming_the_field(
    request_: dict[str, Any], field: str
) -> None:
    with pytest.raises(SynqInputError) as caught:
        QNNSpec.from_dict(request_)
    assert caught.value.field == field


def test_csv_error_reports_the_line() -> None:
    with pytest.raises(SynqInputError) as caught:
        QNNData.from_json("x,label\n1,a\nfoo,b\n")
    assert caught.value.line == 3


@pytest.mark.parametrize(
    ("X", "field"),
    [([[0.1, 0.2, 0.3]], "X"), ([[0.1, NAN]], "X"), ([], "X"), ("1,2", "X")],
)
def test_predict_rejects_bad_samples(small_run: Any, X: Any, field: str) -> None:
    stored = small_run[0].model.to_dict()
    with pytest.raises(SynqInputError) as caught:
        predict_qnn(stored, X)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "svm"}, "model"),
        ({"weights": [[[0.0, 0.0, 0.0]]]}, "model.weights"),
        ({"bias": "high"}, "model.bias"),
        ({"embedding": "amplitude"}, "model.embedding"),
        ({"features": {"scale": [1.0], "offset": [0.0, 0.0], "pca": None}}, "model.features.scale"),
    ],
)
def test_predict_rejects_a_damaged_model(
    small_run: Any, change: dict[str, Any], field: str
) -> None:
    stored = {**small_run[0].model.to_dict(), **change}
    with pytest.raises(SynqInputError) as caught:
        predict_qnn(stored, [[0.0, 0.0]])
    assert caught.value.field == field


def test_importing_the_module_leaves_pennylane_and_sklearn_unloaded() -> None:
    code = (
        "import sys, synq_jupyter.algorithms.qnn; "
        "print(sorted(m for m in ('pennylane', 'sklearn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
