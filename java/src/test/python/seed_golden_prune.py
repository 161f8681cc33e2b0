#!/usr/bin/python3
"""Golden fixtures for the seed's magnitude pruning (prune_model in github mohitgulla/Edge, utils/util_functions.py).

Run with Debian's interpreter from the repository root:

    /usr/bin/python3 java/src/test/python/seed_golden_prune.py

It writes java/src/test/resources/golden/seed/prune-*.json, which are committed; the Java tests never run Python.

The rule, as the seed's code runs it: walk model.state_dict() in PyTorch order and prune every entry except the
last one. Per tensor, r = scipy.stats.rankdata(|w|, method='dense') - 1 (0-based dense ranks; -0 and +0 tie);
bound = ceil(max(r) * ratio) in float64 arithmetic; every element with r <= bound becomes w * 0 (so a negative
weight becomes -0.0), every other element stays w * 1. EdgeQ leaves running statistics unchanged (the seed's
behaviour on a CUDA device, where .cpu() copies), so the expected values below change parameters only; the
running statistics and the last entry must come back untouched.

The models are PyTorch modules laid out like EdgeQ's dense and cnn-small architectures (a root attribute `net`
holding an nn.Sequential), so their state_dict names and order are PyTorch's own; the Java test checks that
EdgeQ's state dict lists the same entries in the same order, less BatchNorm's num_batches_tracked.
"""
import json
import math
import pathlib
from fractions import Fraction

import numpy as np
import scipy
import scipy.stats
import torch
import torch.nn as nn

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "golden" / "seed"

# The seed's own list (pruning_multiple) and the issue's, plus ratios where max_rank * ratio is not exact in binary.
RATIOS = [0.0, 0.1, 0.25, 0.28, 0.5, 0.56, 0.6, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99]
# max_rank * ratio lands just above an integer in float64 for these (the ceiling is one higher than in decimals).
WIDE_RATIOS = [0.0, 0.07, 0.14, 0.5, 0.55, 0.7, 0.9, 0.99]


class Wrapped(nn.Module):
    """A root module whose only child is `net`, as EdgeQ names its state dict entries (net.0.weight, ...)."""

    def __init__(self, net):
        super().__init__()
        self.net = net


def dense(inputs, outputs, hidden, batch_norm):
    """EdgeQ's dense architecture: Linear, [BatchNorm1d], ReLU per hidden width, then the output Linear."""
    layers = []
    prev = inputs
    for h in hidden:
        layers.append(nn.Linear(prev, h))
        if batch_norm:
            layers.append(nn.BatchNorm1d(h))
        layers.append(nn.ReLU())
        prev = h
    layers.append(nn.Linear(prev, outputs))
    return Wrapped(nn.Sequential(*layers))


def cnn_small(channels, height, width, classes):
    """EdgeQ's cnn-small: two conv3x3-BN-ReLU-maxpool stages, flatten, fc 128, ReLU, dropout 0.25, fc classes."""
    flat = 32 * (height // 4) * (width // 4)
    return Wrapped(nn.Sequential(
        nn.Conv2d(channels, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(flat, 128), nn.ReLU(), nn.Dropout(0.25), nn.Linear(128, classes)))


def seed_prune(state, parameter_names, ratio):
    """Expected values of every pruned parameter at `ratio`, with each tensor's max rank and bound."""
    names = list(state)
    expected = {}
    info = {}
    for name in names[:-1]:
        if name not in parameter_names:
            continue  # a running statistic: ranked in the walk, left unchanged by EdgeQ
        w = state[name].detach().numpy()
        assert w.dtype == np.float32
        ranks = (scipy.stats.rankdata(np.abs(w).ravel(), method="dense") - 1).astype(np.int64).reshape(w.shape)
        max_rank = int(ranks.max())
        bound = int(np.ceil(np.max(ranks) * ratio))  # int64 * float64: float64 arithmetic, as the seed's numpy
        keep = (ranks > bound).astype(np.int64)
        out = (w * keep).astype(np.float32)  # float32 * int64 computes in float64; -0.0 where w < 0 was removed
        expected[name] = out
        exact = math.ceil(Fraction(max_rank) * Fraction(str(ratio)))
        info[name] = {"max_rank": max_rank, "bound": bound, "exact_decimal_bound": exact,
                      "removed": int((keep == 0).sum())}
    return expected, info


def values(a):
    """Row-major float32 values as JSON numbers: repr of the exact double, so -0.0 and every bit survive."""
    return [float(x) for x in np.asarray(a, dtype=np.float32).ravel()]


def write(file_name, description, model, architecture, ratios):
    state = model.state_dict()
    parameter_names = {n for n, _ in model.named_parameters()}
    entries = []
    for name, t in state.items():
        kind = "parameter" if name in parameter_names else "buffer"
        entry = {"name": name, "kind": kind, "shape": list(t.shape)}
        if t.dtype == torch.float32:
            entry["values"] = values(t.numpy())
        else:
            entry["dtype"] = str(t.dtype).replace("torch.", "")  # num_batches_tracked: EdgeQ has no such entry
        entries.append(entry)
    cases = []
    for ratio in ratios:
        expected, info = seed_prune(state, parameter_names, ratio)
        cases.append({"ratio": ratio, "tensors": info, "expected": {n: values(v) for n, v in expected.items()}})
    doc = {
        "description": description,
        "generator": "java/src/test/python/seed_golden_prune.py",
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "torch": torch.__version__},
        "architecture": architecture,
        "state_dict": entries,
        "cases": cases,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / file_name
    path.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(path, path.stat().st_size, "bytes")


def load(model, tensors):
    """Sets float tensors by name; everything not named keeps its value."""
    state = model.state_dict()
    for name, v in tensors.items():
        t = torch.tensor(np.asarray(v, dtype=np.float32)).reshape(state[name].shape)
        state[name].copy_(t)


def dense_regression():
    """6 -> [5] -> 1: ties of opposite sign, zeros of both signs, 26 distinct magnitudes k/8 in the first weight
    (max rank 25: 25 * 0.28 = 7.000000000000001 and 25 * 0.56 = 14.000000000000002 in float64, so the bound is
    one above the decimal answer), a bias with a -0.0 and a [1, 5] output weight."""
    m = dense(6, 1, [5], False)
    k = [0, -1, 2, -3, 4, -5, 6, -7, 8, -9, 10, -11, 12, -13, 14, -15, 16, -17, 18, -19, 20, -21, 22, -23, 24, 25]
    w0 = [v / 8 for v in k] + [-0.0, 0.125, -3.125, 1.5]
    load(m, {
        "net.0.weight": w0,
        "net.0.bias": [0.5, -0.5, 0.25, -0.0, 1.5],
        "net.2.weight": [[-0.3125, 0.3125, 0.0625, -2.0, 0.6875]],
        "net.2.bias": [0.046875],
    })
    return m


def dense_wide(rng):
    """21 -> [5] -> 2: 101 distinct magnitudes k/16 in the first weight (max rank 100: 100 * 0.07, 100 * 0.14 and
    100 * 0.55 land just above an integer in float64), signs at random."""
    m = dense(21, 2, [5], False)
    k = np.concatenate([np.arange(101), rng.integers(0, 101, size=4)])
    signs = rng.choice([-1.0, 1.0], size=k.size)
    w0 = rng.permutation(signs * k / 16)
    state = m.state_dict()
    load(m, {
        "net.0.weight": w0,
        "net.0.bias": np.round(rng.normal(0, 1, size=5) * 16) / 16,
        "net.2.weight": np.round(rng.normal(0, 1, size=(2, 5)) * 16) / 16,
        "net.2.bias": [0.5, -0.25],
    })
    assert state["net.0.weight"].shape == (5, 21)
    return m


def dense_batch_norm(rng):
    """4 -> [3, 1] -> 3 with batch norm: two BatchNorm1d modules with non-trivial running statistics, a one-unit
    hidden layer (a single-element bias [1], a [1, 3] weight, a BatchNorm of one feature: one-element tensors are
    always removed) and a [3, 1] output weight; values rounded to 1/8 so that ties are many."""
    m = dense(4, 3, [3, 1], True)
    state = m.state_dict()
    tensors = {}
    for name, t in state.items():
        if t.dtype != torch.float32:
            continue
        v = np.round(rng.normal(0.0, 1.0, size=t.shape) * 8) / 8
        if name.endswith("running_var"):
            v = np.abs(v) + 0.5
        tensors[name] = v
    tensors["net.0.weight"][0, 1] = -0.0
    tensors["net.0.bias"][:] = [0.0, -0.0, 0.125]
    load(m, tensors)
    return m


def cnn(rng):
    """cnn-small on [1, 4, 4] images, 3 classes: conv 4-D kernels and two BatchNorm2d modules; values are
    multiples of 1/4 in [-2, 2], so that most magnitudes tie."""
    m = cnn_small(1, 4, 4, 3)
    tensors = {}
    for name, t in m.state_dict().items():
        if t.dtype != torch.float32:
            continue
        v = rng.integers(-8, 9, size=t.shape) / 4
        if name.endswith("running_var"):
            v = np.abs(v) + 0.25
        tensors[name] = v
    load(m, tensors)
    return m


def main():
    torch.manual_seed(0)
    rng = np.random.default_rng(8)
    write("prune-dense.json", dense_regression.__doc__, dense_regression(),
          {"architecture": "dense", "input_shape": [6], "outputs": 1, "hidden": [5], "batch_norm": False}, RATIOS)
    write("prune-dense-wide.json", dense_wide.__doc__, dense_wide(rng),
          {"architecture": "dense", "input_shape": [21], "outputs": 2, "hidden": [5], "batch_norm": False}, WIDE_RATIOS)
    write("prune-dense-bn.json", dense_batch_norm.__doc__, dense_batch_norm(rng),
          {"architecture": "dense", "input_shape": [4], "outputs": 3, "hidden": [3, 1], "batch_norm": True}, RATIOS)
    write("prune-cnn-small.json", cnn.__doc__, cnn(rng),
          {"architecture": "cnn-small", "input_shape": [1, 4, 4], "outputs": 3, "hidden": [], "batch_norm": False},
          [0.7])


if __name__ == "__main__":
    main()
