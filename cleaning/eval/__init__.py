"""Extraction evaluation: the metric, the baselines and the harness behind `zhnews eval-extract`."""
