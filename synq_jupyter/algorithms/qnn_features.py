"""The map from a sample's features to the rotation angles a QNN embeds, fitted on training data."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from synq_jupyter.errors import SynqInputError


@dataclass(frozen=True, eq=False)
class QNNFeatureMap:
    """Reduces features to one per qubit, scales them to [0, π] and repeats them over the qubits.

    A sample ``x`` becomes ``z = (x - pca_mean) @ pca_components.T`` when there are more features
    than qubits (otherwise ``z = x``), then ``z * scale + offset``, which maps the training
    range of each column onto [0, π]; with fewer columns than qubits the columns repeat
    cyclically, so qubit ``i`` receives column ``i % columns``.

    Attributes:
        n_features: Number of raw features a sample has.
        n_qubits: Number of angles the map produces.
        scale: Factor per reduced column.
        offset: Shift per reduced column.
        pca_mean: Training mean of the raw features, when PCA reduces them.
        pca_components: Principal axes (one row per qubit) of the standardised training
            features, each divided by the features' standard deviations, so one affine map
            both standardises and projects.
    """

    n_features: int
    n_qubits: int
    scale: np.ndarray
    offset: np.ndarray
    pca_mean: np.ndarray | None = None
    pca_components: np.ndarray | None = None

    @classmethod
    def fit(cls, X: np.ndarray, n_qubits: int) -> QNNFeatureMap:
        """Fits the map on the training features ``X``, with PCA when they outnumber the qubits."""
        n_features = X.shape[1]
        mean = components = None
        if n_features > n_qubits:
            from sklearn.decomposition import PCA

            mean = X.mean(axis=0)
            std = X.std(axis=0)
            std[std == 0] = 1.0
            pca = PCA(n_components=n_qubits, svd_solver="full").fit((X - mean) / std)
            components = pca.components_ / std
        reduced = X if components is None else (X - mean) @ components.T
        low, high = reduced.min(axis=0), reduced.max(axis=0)
        span = high - low
        span[span == 0] = 1.0
        scale = math.pi / span
        return cls(n_features, n_qubits, scale, -low * scale, mean, components)

    def scaled(self, X: np.ndarray) -> np.ndarray:
        """Reduced and scaled features, one column per distinct angle (what the SVC sees)."""
        if self.pca_components is not None and self.pca_mean is not None:
            X = (X - self.pca_mean) @ self.pca_components.T
        return X * self.scale + self.offset

    def angles(self, X: np.ndarray) -> np.ndarray:
        """Rotation angles, shape (samples, n_qubits)."""
        z = self.scaled(X)
        return z[:, [i % z.shape[1] for i in range(self.n_qubits)]]

    def to_dict(self) -> dict[str, Any]:
        """The map as plain JSON values."""
        pca = None
        if self.pca_components is not None and self.pca_mean is not None:
            pca = {"mean": self.pca_mean.tolist(), "components": self.pca_components.tolist()}
        return {"scale": self.scale.tolist(), "offset": self.offset.tolist(), "pca": pca}

    @classmethod
    def from_dict(
        cls, d: Any, *, n_features: int, n_qubits: int, field: str = "model.features"
    ) -> QNNFeatureMap:
        """Reads what ``to_dict`` wrote, checking every shape against the architecture."""
        if not isinstance(d, dict):
            raise SynqInputError("the feature map must be an object", field=field)
        pca = d.get("pca")
        columns = min(n_features, n_qubits) if pca is not None else n_features
        if pca is not None and n_features <= n_qubits:
            raise SynqInputError("PCA applies only with more features than qubits", field=field)
        scale = _array(d.get("scale"), (columns,), f"{field}.scale")
        offset = _array(d.get("offset"), (columns,), f"{field}.offset")
        mean = components = None
        if pca is not None:
            if not isinstance(pca, dict):
                raise SynqInputError("pca must be an object or null", field=f"{field}.pca")
            mean = _array(pca.get("mean"), (n_features,), f"{field}.pca.mean")
            components = _array(
                pca.get("components"), (n_qubits, n_features), f"{field}.pca.components"
            )
        elif n_features > n_qubits:
            raise SynqInputError(
                f"{n_features} features need PCA to fit {n_qubits} qubits", field=field
            )
        return cls(n_features, n_qubits, scale, offset, mean, components)


def _array(value: Any, shape: tuple[int, ...], field: str) -> np.ndarray:
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise SynqInputError("must be an array of numbers", field=field) from None
    if array.shape != shape:
        raise SynqInputError(f"must have shape {list(shape)}, not {list(array.shape)}", field=field)
    if not np.all(np.isfinite(array)):
        raise SynqInputError("must hold finite numbers only", field=field)
    return array
