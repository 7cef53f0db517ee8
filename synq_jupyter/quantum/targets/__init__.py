"""Targets: devices and simulators with their gates, connectivity, errors and prices."""

from synq_jupyter.quantum.targets.catalogue import get_target, list_targets, target_names
from synq_jupyter.quantum.targets.synq_target import SynqTarget

__all__ = ["SynqTarget", "get_target", "list_targets", "target_names"]
