"""The built-in data sets a QNN classifier can train on: iris, moons and breast_cancer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from synq_jupyter.algorithms.qnn_data import MAX_SAMPLES, QNNData
from synq_jupyter.errors import SynqInputError

DATASETS = ("iris", "moons", "breast_cancer")
MOONS_SAMPLES = 200
MOONS_NOISE = 0.1
MIN_MOONS_SAMPLES = 10


@dataclass(frozen=True)
class QNNDataset:
    """A scikit-learn data set, made binary.

    * ``iris``: setosa against versicolor, 100 samples of 4 features. These two species are
      separable, so a short training run shows whether the model works; virginica is left out.
    * ``moons``: two interleaved half circles, ``n_samples`` points of 2 features with Gaussian
      ``noise``; the points depend on the training seed.
    * ``breast_cancer``: malignant against benign, 569 samples of 30 features, which training
      reduces by PCA to one feature per qubit.

    Args:
        name: One of ``DATASETS``.
        n_samples: Number of points, for ``moons`` only (default 200).
        noise: Standard deviation of the noise, for ``moons`` only (default 0.1).

    Raises:
        SynqInputError: An unknown name, or a size or noise out of range or not applicable.
    """

    name: str
    n_samples: int | None = None
    noise: float | None = None

    def __post_init__(self) -> None:
        if self.name not in DATASETS:
            raise SynqInputError(
                f"unknown data set {self.name!r}; choose one of {', '.join(DATASETS)}",
                field="dataset.name",
            )
        for key in ("n_samples", "noise"):
            if getattr(self, key) is not None and self.name != "moons":
                raise SynqInputError(
                    f"{key} applies to the moons data set only", field=f"dataset.{key}"
                )
        n = self.n_samples
        if n is not None and (
            isinstance(n, bool)
            or not isinstance(n, int)
            or not MIN_MOONS_SAMPLES <= n <= MAX_SAMPLES
        ):
            raise SynqInputError(
                f"n_samples must be an integer from {MIN_MOONS_SAMPLES} to {MAX_SAMPLES}",
                field="dataset.n_samples",
            )
        noise = self.noise
        if noise is not None and (
            isinstance(noise, bool) or not isinstance(noise, int | float) or not 0 <= noise <= 1
        ):
            raise SynqInputError("noise must be a number from 0 to 1", field="dataset.noise")

    @classmethod
    def from_dict(cls, d: Any) -> QNNDataset:
        """Reads ``{"name": ..., "n_samples": ..., "noise": ...}`` or a bare name."""
        if isinstance(d, str):
            return cls(d)
        if not isinstance(d, Mapping) or "name" not in d:
            raise SynqInputError(
                'dataset must be {"name": "iris" | "moons" | "breast_cancer", ...}',
                field="dataset",
            )
        unknown = set(d) - {"name", "n_samples", "noise"}
        if unknown:
            raise SynqInputError(f"unknown dataset option {sorted(unknown)[0]!r}", field="dataset")
        return cls(d["name"], d.get("n_samples"), d.get("noise"))

    @property
    def size(self) -> int:
        """Number of samples the data set holds."""
        return {"iris": 100, "breast_cancer": 569}.get(self.name) or (
            self.n_samples or MOONS_SAMPLES
        )

    def load(self, seed: int) -> QNNData:
        """Returns the samples; ``seed`` draws the moons and is ignored by the fixed sets."""
        from sklearn import datasets

        if self.name == "moons":
            X, y = datasets.make_moons(
                n_samples=self.n_samples or MOONS_SAMPLES,
                noise=MOONS_NOISE if self.noise is None else self.noise,
                random_state=seed,
            )
            return QNNData(X=X, y=y.astype(int), classes=(0, 1))
        bunch = datasets.load_iris() if self.name == "iris" else datasets.load_breast_cancer()
        keep = bunch.target < 2
        names = [str(name) for name in bunch.target_names]
        return QNNData(
            X=bunch.data[keep].astype(float),
            y=bunch.target[keep].astype(int),
            classes=(names[0], names[1]),
        )

    def to_dict(self) -> dict[str, Any]:
        """The data set as the JSON object ``from_dict`` reads."""
        d: dict[str, Any] = {"name": self.name}
        if self.name == "moons":
            d["n_samples"] = self.n_samples or MOONS_SAMPLES
            d["noise"] = MOONS_NOISE if self.noise is None else self.noise
        return d
