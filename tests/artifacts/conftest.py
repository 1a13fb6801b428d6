"""Artifact stores to run the contract against: the workspace folder, fsspec in memory,
and S3 (moto's server on loopback, standing in for S3/MinIO; see ``tests/s3.py``)."""

from __future__ import annotations

from tests.s3 import s3_env, s3_server, s3_url  # noqa: F401  (fixtures)
