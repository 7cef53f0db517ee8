"""Labelled data for the QNN classifier: the user's arrays or CSV text, checked and made binary."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from synq_jupyter.errors import SynqInputError

Label = int | float | str
MAX_FEATURES = 12
MAX_SAMPLES = 10_000


@dataclass(frozen=True, eq=False)
class QNNData:
    """Features with binary labels.

    Attributes:
        X: Features, shape (samples, features), finite floats.
        y: Class index of each sample, 0 or 1.
        classes: The two labels as the user wrote them; ``y == 1`` means ``classes[1]``.
    """

    X: np.ndarray
    y: np.ndarray
    classes: tuple[Label, Label]

    @classmethod
    def from_json(cls, data: Any, *, field: str = "data") -> QNNData:
        """Reads ``{"X": [[...]], "y": [...]}``, ``{"csv": text}`` or CSV text.

        Raises:
            SynqInputError: The data is malformed, not binary or too large; ``field`` names
                the part at fault (``"data.X"``, ``"data.y"``, ``"data.csv"`` ...).
        """
        if isinstance(data, str):
            return cls.from_csv(data, field=field)
        if not isinstance(data, Mapping):
            raise SynqInputError('data must be {"X": [[...]], "y": [...]} or CSV text', field=field)
        if "csv" in data:
            return cls.from_csv(data["csv"], field=f"{field}.csv")
        for key in ("X", "y"):
            if key not in data:
                raise SynqInputError(f"data has no {key!r}", field=f"{field}.{key}")
        return cls.from_arrays(data["X"], data["y"], field=field)

    @classmethod
    def from_arrays(cls, X: Any, y: Any, *, field: str = "data") -> QNNData:
        """Checks features ``X`` and labels ``y`` of the same length, with two classes."""
        features = feature_matrix(X, field=f"{field}.X")
        if features.shape[1] > MAX_FEATURES:
            raise SynqInputError(
                f"X has {features.shape[1]} features; at most {MAX_FEATURES} are allowed "
                "(reduce them first, e.g. with PCA)",
                field=f"{field}.X",
            )
        if features.shape[0] > MAX_SAMPLES:
            raise SynqInputError(
                f"X has {features.shape[0]} rows; at most {MAX_SAMPLES} are allowed",
                field=f"{field}.X",
            )
        if isinstance(y, str) or not isinstance(y, Sequence | np.ndarray):
            raise SynqInputError("y must be a list of labels", field=f"{field}.y")
        if len(y) != features.shape[0]:
            raise SynqInputError(
                f"y has {len(y)} labels but X has {features.shape[0]} rows", field=f"{field}.y"
            )
        labels = [check_label(value, f"{field}.y") for value in y]
        classes = _two_classes(labels, f"{field}.y")
        index = np.array([classes.index(label) for label in labels], dtype=int)
        return cls(X=features, y=index, classes=classes)

    @classmethod
    def from_csv(cls, text: Any, *, field: str = "data") -> QNNData:
        """Reads CSV text whose last column is the label; a non-numeric first row is a header."""
        if not isinstance(text, str):
            raise SynqInputError("CSV data must be text", field=field)
        rows = [
            (number, row)
            for number, row in enumerate(csv.reader(io.StringIO(text)), start=1)
            if any(cell.strip() for cell in row)
        ]
        if rows and not _numeric(rows[0][1][:-1]):
            rows = rows[1:]
        if not rows:
            raise SynqInputError("the CSV text holds no data rows", field=field)
        width = len(rows[0][1])
        if width < 2:
            raise SynqInputError(
                "each CSV row needs at least one feature and a label", field=field, line=rows[0][0]
            )
        X, y = [], []
        for number, row in rows:
            if len(row) != width:
                raise SynqInputError(
                    f"expected {width} columns, found {len(row)}", field=field, line=number
                )
            try:
                X.append([float(cell) for cell in row[:-1]])
            except ValueError:
                raise SynqInputError(
                    "a feature is not a number", field=field, line=number
                ) from None
            y.append(row[-1].strip())
        labels: list[Label] = [_number(label) for label in y] if _numeric(y) else list(y)
        return cls.from_arrays(X, labels, field=field)


def feature_matrix(X: Any, *, field: str, n_features: int | None = None) -> np.ndarray:
    """Returns ``X`` as a finite 2-D float array, optionally with ``n_features`` columns.

    Raises:
        SynqInputError: ``X`` is empty, ragged, not numeric, holds NaN or infinity, or has the
            wrong number of columns.
    """
    if isinstance(X, str) or not isinstance(X, Sequence | np.ndarray):
        raise SynqInputError("X must be a list of rows of numbers", field=field)
    try:
        array = np.asarray(X, dtype=float)
    except (TypeError, ValueError):
        raise SynqInputError(
            "X must be a list of rows of numbers, all rows the same length", field=field
        ) from None
    if array.ndim != 2 or array.shape[0] == 0 or array.shape[1] == 0:
        raise SynqInputError("X must be a non-empty list of non-empty rows", field=field)
    if n_features is not None and array.shape[1] != n_features:
        raise SynqInputError(
            f"X has {array.shape[1]} features but the model takes {n_features}", field=field
        )
    bad = np.argwhere(~np.isfinite(array))
    if bad.size:
        row, column = bad[0]
        raise SynqInputError(
            f"X[{row}][{column}] is missing, NaN or infinite; every feature must be a number",
            field=field,
        )
    return array


def check_label(value: Any, field: str) -> Label:
    """Returns a label as a string or a number (an integer when it is whole)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        if not math.isfinite(number):
            raise SynqInputError("a label is NaN or infinite", field=field)
        return _number(number)
    raise SynqInputError(f"labels must be numbers or strings, not {value!r}", field=field)


def _two_classes(labels: list[Label], field: str) -> tuple[Label, Label]:
    if len({type(label) is str for label in labels}) > 1:
        raise SynqInputError("labels must be all numbers or all strings", field=field)
    classes = sorted(set(labels))
    if len(classes) != 2:
        shown = ", ".join(repr(label) for label in classes[:5])
        raise SynqInputError(
            f"the classifier is binary: y must hold exactly two classes, found "
            f"{len(classes)} ({shown}{', ...' if len(classes) > 5 else ''})",
            field=field,
        )
    return classes[0], classes[1]


def _numeric(cells: Sequence[str]) -> bool:
    try:
        for cell in cells:
            float(cell)
    except ValueError:
        return False
    return True


def _number(value: str | float) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number
