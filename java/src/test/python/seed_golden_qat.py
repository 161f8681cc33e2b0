#!/usr/bin/python3
"""Golden steps of the seed's quantization-aware training (github mohitgulla/Edge, qat.py + Demo_Code.ipynb's qat_train),
re-expressed here with torch, numpy and scipy, independently of EdgeQ's Java code.

One step, as the seed runs it: every parameter named '*.weight' is quantized with a set built from that weight alone
(biases stay full precision); forward and backward run on the quantized weights; every gradient is multiplied by
slope = (max(wq) - min(wq)) / (max(w) - min(w)) of its tensor (1 for biases, and 1 where the seed's division fails);
the full-precision weights are put back and the optimizer steps on them.

Each step records the loss, the slopes, the quantized weights used (as the float32 parameters hold them), which
rounding rule ran per weight ('binned': scipy's binned_statistic, 'elementwise': rounding_quant_old, 'mid_rise'),
the gradients the optimizer sees (after the slope) and the full-precision parameters after the step.

The seed's utils/util_functions.rounding_quant at HEAD calls stats.binned_statistic without importing scipy.stats
(a NameError as committed); this generator imports it, which is the rule EdgeQ follows (DECISIONS.md).

Writes java/src/test/resources/golden/seed/qat-steps.json. Run with Debian's /usr/bin/python3 (numpy 1.24, scipy 1.10, torch 1.13).
"""
import json
import sys

import numpy as np
import scipy
import torch
from scipy import stats
from scipy.stats import norm


def weight_set(w, bits, kind):
    """The landmark set of one weight tensor, as qat_unique_value_generator builds it (stored order kept)."""
    if kind == 'uniform_range':
        return torch.linspace(start=torch.min(w).item(), end=torch.max(w).item(), steps=2 ** bits).numpy()
    if kind == 'histogram':
        edges = np.histogram_bin_edges(w.detach().numpy(), bins=2 ** bits)
        return np.array([(a + b) / 2 for a, b in zip(edges[:-1], edges[1:])])
    if kind == 'prior_normal':
        mean, std = torch.mean(w).item(), torch.std(w).item()
        q = np.linspace(0, 1, num=2 ** bits)[1:-1]
        pts = [norm.ppf(x, loc=mean, scale=std) for x in q] + [torch.min(w).item(), torch.max(w).item()]
        return np.array(pts)
    raise ValueError(kind)


def round_to_set(w, qset):
    """Regular rounding: scipy's binned_statistic over consecutive midpoints where they are monotonic; the seed's
    element-wise rounding_quant_old rule otherwise (binned_statistic raises there).

    Returns the rounded tensor in the dtype the seed's function returns it in, and which rule ran. The seed takes
    its slope from this tensor BEFORE it is copied into the float32 parameter: binned_statistic's result is
    torch.tensor(qset[bin]) in the SET's dtype (float64 for histogram and prior_normal), rounding_quant_old writes
    into a float32 clone of the weights (Tensor.apply_)."""
    flat = w.detach().numpy().flatten()
    edges = [(qset[i] + qset[i - 1]) / 2.0 for i in range(1, len(qset))]
    d = np.diff(edges)
    if np.all(d > 0):
        idx = stats.binned_statistic(flat, flat, 'sum', bins=edges)[2]
        return torch.tensor(qset[idx]).reshape(w.shape), 'binned'
    try:
        stats.binned_statistic(flat, flat, 'sum', bins=edges)
        raise AssertionError('binned_statistic accepted a non-monotonic set')
    except ValueError:
        pass
    out = []
    lo_all, hi_all = np.min(qset), np.max(qset)
    for v in flat:
        if v <= lo_all:
            out.append(qset[0])
        elif v >= hi_all:
            out.append(qset[-1])
        else:
            lower = np.max(qset[qset <= v])
            upper = np.min(qset[qset >= v])
            out.append(lower if (v - lower) < (upper - v) else upper)
    return torch.tensor(np.array(out)).reshape(w.shape).to(torch.float32), 'elementwise'


def mid_rise(w, bits):
    if len(w) == 1:
        delta = w / 2 ** bits
    else:
        delta = (torch.max(w) - torch.min(w)) / 2 ** bits
    return delta * (torch.floor(w / delta) + 0.5)


def quantize(w, method, kind, bits):
    """The quantized tensor in the dtype the seed computes its slope from, and the rounding rule that ran."""
    if method == 'mid_rise':
        return mid_rise(w, bits), 'mid_rise'
    return round_to_set(w, weight_set(w, bits, kind))


def slope(w, wq):
    den = torch.max(w).item() - torch.min(w).item()
    if den == 0:
        return 1.0
    return (torch.max(wq).item() - torch.min(wq).item()) / den


def case(method, kind, bits, optimizer, steps, seed):
    g = torch.Generator().manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.ReLU(), torch.nn.Linear(5, 2))
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.6)
    initial = {('net.' + n): p.detach().clone().flatten().tolist() for n, p in model.named_parameters()}
    x = torch.randn(6, 3, generator=g)
    y = torch.tensor([0, 1, 1, 0, 1, 0])
    opt = torch.optim.Adam(model.parameters(), lr=1e-2) if optimizer == 'adam' else torch.optim.SGD(model.parameters(), lr=0.5)
    crit = torch.nn.CrossEntropyLoss()
    record = []
    fp = {n: p.detach().clone() for n, p in model.named_parameters()}
    for _ in range(steps):
        opt.zero_grad()
        slopes = {}
        quantized = {}
        rules = {}
        for n, p in model.named_parameters():
            if n.rsplit('.', 1)[1] == 'weight':
                wq, rule = quantize(fp[n], method, kind, bits)
                slopes[n] = slope(fp[n], wq)
                p.data.copy_(wq)
                quantized['net.' + n] = p.detach().flatten().tolist()
                rules['net.' + n] = rule
            else:
                slopes[n] = 1.0
                p.data.copy_(fp[n])
        loss = crit(model(x), y)
        loss.backward()
        grads = {}
        for n, p in model.named_parameters():
            p.grad *= slopes[n]
            grads['net.' + n] = p.grad.flatten().tolist()
            p.data.copy_(fp[n])
        opt.step()
        fp = {n: p.detach().clone() for n, p in model.named_parameters()}
        record.append({'loss': loss.item(), 'slopes': {('net.' + n): s for n, s in slopes.items()},
                       'quantized': quantized, 'rules': rules, 'grads': grads,
                       'after': {('net.' + n): p.flatten().tolist() for n, p in fp.items()}})
    return {'method': method, 'set': kind, 'bits': bits, 'optimizer': optimizer, 'initial': initial,
            'x': x.flatten().tolist(), 'y': y.tolist(), 'steps': record}


def main(out):
    torch.set_num_threads(1)
    cases = []
    seed = 0
    for method, kinds in (('mid_rise', [None]), ('regular_rounding', ['uniform_range', 'histogram', 'prior_normal'])):
        for kind in kinds:
            for bits in (2, 4):
                for optimizer in ('sgd', 'adam'):
                    seed += 1
                    cases.append(case(method, kind, bits, optimizer, 3, seed))
    doc = {'generator': 'java/src/test/python/seed_golden_qat.py',
           'versions': {'numpy': np.__version__, 'scipy': scipy.__version__, 'torch': torch.__version__},
           'model': 'Linear(3,5) ReLU Linear(5,2), cross-entropy; sgd lr 0.5, adam lr 1e-2',
           'cases': cases}
    with open(out, 'w') as f:
        json.dump(doc, f, indent=None, separators=(',', ':'))


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'qat-steps.json')
