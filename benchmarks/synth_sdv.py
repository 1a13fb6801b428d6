"""SDV's GaussianCopulaSynthesizer and CTGAN on the benchmark's training tables; run by
``synth_bench.py`` with the python of its own virtual environment (``/tmp/sdv-venv``), never
imported by CalmOps.

Reads ``FOLDER/spec.json`` (``tables``: names; ``ctgan_epochs``; ``seed``) and
``FOLDER/<table>.train.parquet``; fits each SDV synthesizer on each table and samples as many
rows, writing ``FOLDER/<table>.<method>.parquet`` and ``FOLDER/sdv.json``: the seconds of fit +
sample and the peak memory (``tracemalloc``: Python and numpy allocations; torch's own buffers
are not seen, so CTGAN's figure is a lower bound) of each.

Usage: ``python synth_sdv.py FOLDER``
"""

from __future__ import annotations

import json
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import sdv
import torch
from sdv.metadata import Metadata
from sdv.single_table import CTGANSynthesizer, GaussianCopulaSynthesizer

warnings.filterwarnings("ignore")


def _metadata(frame: pd.DataFrame) -> Metadata:
    """Every column's sdtype from its dtype (no ids or keys guessed from names)."""
    columns = {}
    for name, dtype in frame.dtypes.items():
        if pd.api.types.is_bool_dtype(dtype):
            columns[name] = {"sdtype": "boolean"}
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            columns[name] = {"sdtype": "datetime"}
        elif pd.api.types.is_numeric_dtype(dtype):
            columns[name] = {"sdtype": "numerical"}
        else:
            columns[name] = {"sdtype": "categorical"}
    spec = {"METADATA_SPEC_VERSION": "V1", "tables": {"table": {"columns": columns}}}
    return Metadata.load_from_dict(spec)


def _build(method: str, metadata: Metadata, epochs: int):
    if method == "sdv_gaussian_copula":
        return GaussianCopulaSynthesizer(metadata)
    return CTGANSynthesizer(metadata, epochs=epochs, enable_gpu=False)


def main(folder: Path) -> None:
    spec = json.loads((folder / "spec.json").read_text())
    torch.set_num_threads(1)
    out: dict = {"version": sdv.__version__, "runs": {}}
    for name in spec["tables"]:
        train = pd.read_parquet(folder / f"{name}.train.parquet")
        for method in ("sdv_gaussian_copula", "sdv_ctgan"):
            np.random.seed(spec["seed"])
            torch.manual_seed(spec["seed"])
            tracemalloc.start()
            start = time.perf_counter()
            synthesizer = _build(method, _metadata(train), spec["ctgan_epochs"])
            synthesizer.fit({"table": train})  # SDV 2 takes {table name: frame}
            sample = synthesizer.sample(num_rows=len(train))
            if isinstance(sample, dict):
                sample = sample["table"]
            seconds = time.perf_counter() - start
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            sample.to_parquet(folder / f"{name}.{method}.parquet", index=False)
            out["runs"][f"{name}.{method}"] = {"seconds": seconds, "peak_mb": peak / 2**20}
            print(f"  sdv: {name} {method} {seconds:.1f} s", flush=True)
    (folder / "sdv.json").write_text(json.dumps(out))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
