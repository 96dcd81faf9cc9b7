#!/usr/bin/env python3
"""Writes the safetensors fixtures that arnn's SafetensorsTests read, using Python's own `safetensors`.

    pip install safetensors numpy
    python3 Tests/Fixtures/make_safetensors_fixture.py

Every value is given by a formula that the Swift tests repeat, so the tests know what to expect without
Python. See Tests/Fixtures/README.md.
"""
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

HERE = Path(__file__).resolve().parent


def main() -> None:
    # Several F32 tensors of different ranks (including a scalar and an empty one) and metadata with
    # characters that need JSON escapes.
    weight = (np.arange(12, dtype=np.float32) * 0.25 - 1.0).reshape(3, 4)
    bias = np.array([0.1, -0.2, 3.0e-7], dtype=np.float32)
    memory = (np.arange(8, dtype=np.float32) - 3.5).reshape(2, 2, 2)
    scale = np.array(1.0 / 3.0, dtype=np.float32)
    empty = np.zeros((0, 3), dtype=np.float32)
    save_file(
        {
            "controller.weight": weight,
            "controller.bias": bias,
            "memory.initial": memory,
            "scale": scale,
            "empty": empty,
        },
        HERE / "python_written.safetensors",
        metadata={
            "arnn.kind": "fixture",
            "note": "written by Python safetensors",
            "escapes": 'caf\u00e9 \u2211 "quoted" back\\slash\nnew line\ttab',
        },
    )

    # Other floating-point dtypes that arnn converts to Float32 on load.
    half = np.array([0.0, -1.5, 65504.0, 2.0**-24, np.inf, 0.333251953125], dtype=np.float16)
    double = np.array([[0.1, -2.5], [1.0e-3, 1.0e300]], dtype=np.float64)
    save_file({"half": half, "double": double}, HERE / "python_dtypes.safetensors")

    # A small file whose exact bytes arnn's writer must reproduce: one metadata key (Python keeps
    # metadata in a hash map, so with several keys their order is not fixed).
    layout = {
        "b": np.arange(6, dtype=np.float32).reshape(2, 3),
        "a": np.array([1.5], dtype=np.float32),
    }
    save_file(layout, HERE / "python_layout.safetensors", metadata={"arnn.kind": "ntm"})


if __name__ == "__main__":
    main()
