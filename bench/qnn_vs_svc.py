"""Test accuracy of SynQ's QNN classifier against an RBF SVC trained on the identical split.

For each data set and seed, ``train_qnn`` trains the default model (re-uploading, 5 layers of
``StronglyEntanglingLayers``, Adam on ``lightning.qubit`` with adjoint gradients) and reports
the SVC baseline (C=1, gamma="scale") on the same split and the same scaled features:

* ``moons``: 200 samples, noise 0.1, 2 qubits (target: QNN / SVC >= 0.98);
* ``breast_cancer``: 569 samples reduced by PCA to 4 qubits, for information.

Prints the accuracies, their ratio and the training time; exits 1 when a moons ratio is
below the target.

    python bench/qnn_vs_svc.py [--seeds 0 1 2] [--epochs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from typing import Any

from synq_jupyter.algorithms.qnn import QNNSpec, train_qnn

TARGET = 0.98
DATASETS: dict[str, dict[str, Any]] = {
    "moons": {"dataset": {"name": "moons", "n_samples": 200, "noise": 0.1}},
    "breast_cancer": {"dataset": {"name": "breast_cancer"}, "n_qubits": 4, "epochs": 3},
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=None, help="override every data set's")
    args = parser.parse_args()

    failed = False
    for name, request in DATASETS.items():
        if args.epochs is not None:
            request = {**request, "epochs": args.epochs}
        print(f"{name}:")
        ratios = []
        for seed in args.seeds:
            start = time.perf_counter()
            result = train_qnn(QNNSpec.from_dict({**request, "seed": seed}))
            seconds = time.perf_counter() - start
            ratio = result.test_accuracy / result.svc_test_accuracy
            ratios.append(ratio)
            print(
                f"  seed {seed}: QNN test {result.test_accuracy:.3f} (train "
                f"{result.train_accuracy:.3f}), SVC test {result.svc_test_accuracy:.3f} (train "
                f"{result.svc_train_accuracy:.3f}), ratio {ratio:.3f}, "
                f"{result.epochs} epochs on {result.model.n_qubits} qubits in {seconds:.1f} s"
            )
            if name == "moons" and ratio < TARGET:
                failed = True
        print(f"  median ratio (QNN / SVC test accuracy): {statistics.median(ratios):.3f}")
    print(f"moons target: every ratio >= {TARGET}")
    if failed:
        print("FAIL: the QNN falls short of the SVC on moons", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
