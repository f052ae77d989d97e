"""Reproducible measurements of ViR-Bot on a real local Synapse, each against a floor in the
same run. ``python -m benchmarks [--quick]`` runs them all (see benchmarks/__main__.py)."""
