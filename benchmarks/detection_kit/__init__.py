"""The parts of ``benchmarks/detection_bench.py`` (issue 13): streams with ground truth,
baselines, the pipeline driver, scoring and the printed tables."""
