"""Kernel side: the ``%%synq`` magics and what they display."""
