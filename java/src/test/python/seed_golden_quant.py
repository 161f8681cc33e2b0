#!/usr/bin/python3
"""Golden fixtures for EdgeQ's post-training quantizers under the seed's names.

The rules are those of the seed's code (github mohitgulla/Edge, utils/util_functions.py and
utils/post_training_quantization/*.py), re-expressed here with the same library calls the seed makes (torch.linspace,
torch.mean/std/max/min/norm, numpy.percentile with the midpoint method, numpy.histogram_bin_edges,
scipy.stats.norm.ppf, scipy.stats.binned_statistic, numpy.random.choice) so that every float operation happens in
the library and dtype the seed's code uses. Run with Debian's interpreter (numpy 1.24, scipy 1.10, torch 1.13):

    /usr/bin/python3 java/src/test/python/seed_golden_quant.py

It writes java/src/test/resources/golden/seed/quant-*.json; the Java tests never run Python.

Number formats in the files: values that the seed stores in float32 tensors are written as the shortest decimal
that parses back to that float32 ("f32" fields); float64 values (prior_normal landmarks, probabilities, multi-point
scales) as Python's shortest round-trip decimal for the double.
"""

import hashlib
import json
import math
import os
import sys

import numpy as np
import scipy
import scipy.stats
import torch

torch.set_num_threads(1)  # the seed's CPU reductions are serial below 32768 elements; keep them serial everywhere

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'resources', 'golden', 'seed')
FULL_SET_BITS = 4       # sets up to 2^4 entries are written whole; wider ones as a digest plus samples
SAMPLES = 4


# ---------------------------------------------------------------- output formatting

class F32(float):
    """A float32 value: written as the shortest decimal that reads back as the same float32."""


def f32(x):
    return F32(float(np.float32(x)))


def f32_list(t):
    return [f32(v) for v in np.asarray(t, dtype=np.float32).ravel()]


def f64_list(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def emit(x):
    if isinstance(x, F32):
        if math.isnan(x):
            return 'null'
        s = np.format_float_positional(np.float32(x), unique=True, trim='-')
        if 'e' not in s and len(s) > 12:
            s = np.format_float_scientific(np.float32(x), unique=True, trim='-')
        return s
    if isinstance(x, float):
        if math.isnan(x) or math.isinf(x):
            return 'null'
        return repr(x)
    if isinstance(x, bool) or x is None or isinstance(x, (int, str)):
        return json.dumps(x)
    if isinstance(x, dict):
        return '{' + ', '.join(json.dumps(k) + ': ' + emit(v) for k, v in x.items()) + '}'
    if isinstance(x, (list, tuple)):
        return '[' + ', '.join(emit(v) for v in x) + ']'
    raise TypeError(type(x))


def write(name, doc):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name)
    text = emit(doc)
    # one case per line keeps diffs readable
    text = text.replace('}, {"', '},\n{"')
    with open(path, 'w') as fh:
        fh.write(text + '\n')
    print(f'{path}: {len(text)} bytes')


def describe_set(values, as_float32):
    """A landmark set as the seed holds it: whole when small, else its SHA-256 and evenly spaced samples."""
    arr = np.asarray(values, dtype=np.float64)
    n = len(arr)
    conv = f32_list if as_float32 else f64_list
    if n <= (1 << FULL_SET_BITS):
        return {'size': n, 'entries': conv(arr)}
    step = n // (SAMPLES if as_float32 else 2 * SAMPLES)  # float32 sets are checked by digest, float64 ones by samples
    idx = sorted(set(list(range(0, n, step)) + [n // 2 - 1, n // 2, n - 2, n - 1]))
    digest = hashlib.sha256(arr.astype('<f8').tobytes()).hexdigest()
    return {'size': n, 'sha256_f64le': digest, 'sample_index': idx, 'sample': conv(arr[idx])}


# ---------------------------------------------------------------- the test tensors (modules: weight and bias)

def modules():
    g = np.random.default_rng(20201130)
    m = []

    def add(name, w, b, shape_w):
        wt = torch.tensor(np.asarray(w, dtype=np.float32).reshape(shape_w))
        bt = None if b is None else torch.tensor(np.asarray(b, dtype=np.float32))
        m.append((name, wt, bt))

    add('ties', [0.5, -0.25, 0.5, 0.0, 1.0, -0.25, 0.75, 0.5], [0.5, -1.0], (2, 4))
    add('row', [0.31, -0.12, 0.0, 0.47, -0.47, 0.05], [-0.2], (1, 6))
    add('single', [0.7], [-0.3], (1, 1))
    add('negative', [-0.9, -0.1, -0.4, -0.4, -0.05, -0.7], [0.0, -0.2, -0.6], (3, 2))
    add('constant', [0.25] * 6, [0.25, 0.25], (2, 3))
    add('random', g.normal(0, 0.4, 16), g.normal(0, 0.1, 4), (4, 4))
    add('batchnorm', 1 + g.normal(0, 0.1, 4), g.normal(0, 0.05, 4), (4,))
    add('nobias', g.normal(0, 0.3, 12), None, (3, 4))
    return m


def tensor_doc(t):
    return {'shape': list(t.shape), 'values': f32_list(t)}


# ---------------------------------------------------------------- the seed's landmark sets (unique_value_generator)

def pooled(weight, bias):
    flat = torch.flatten(weight)
    return flat if bias is None else torch.cat((flat, bias), dim=0)


def seed_set(kind, comb, p):
    """One module's set, built with the calls unique_value_generator makes for each approach."""
    steps = 2 ** p
    if kind == 'uniform':
        return torch.linspace(start=torch.min(comb).item(), end=torch.max(comb).item(), steps=steps)
    if kind == 'iqr':
        srt = np.sort(comb.detach().cpu().numpy())
        q1 = np.percentile(srt, 25, method='midpoint')
        q3 = np.percentile(srt, 75, method='midpoint')
        spread = q3 - q1
        return torch.linspace(start=q1 - 1.5 * spread, end=q3 + 1.5 * spread, steps=steps)
    if kind == 'histogram':
        edges = np.histogram_bin_edges(comb.detach().cpu().numpy(), bins=steps)
        centres = [(lo + hi) / 2 for lo, hi in zip(edges[:-1], edges[1:])]
        return torch.tensor(np.array(centres))
    if kind == 'prior-normal':
        loc = torch.mean(comb).item()
        scale = torch.std(comb).item()
        qs = np.linspace(0, 1, num=steps)[1:-1]
        pts = [scipy.stats.norm.ppf(q, loc=loc, scale=scale) for q in qs]
        pts.append(torch.min(comb).item())
        pts.append(torch.max(comb).item())
        return torch.tensor(np.array(pts))
    raise ValueError(kind)


SET_KINDS = ['uniform', 'iqr', 'histogram', 'prior-normal']


# ---------------------------------------------------------------- rounding (rounding_quant and rounding_quant_old)

def binned_rounding(weights, qset):
    """rounding_quant: scipy's binned_statistic over the midpoints of consecutive stored entries."""
    qn = qset.detach().cpu().numpy()
    wn = weights.detach().cpu().flatten().numpy()
    mids = [(qn[i] + qn[i - 1]) / 2.0 for i in range(1, len(qn))]
    res = scipy.stats.binned_statistic(wn, wn, 'sum', bins=mids)
    return torch.tensor(qn[res[2]]).reshape(weights.shape).to(torch.float32)


def elementwise_rounding(weights, qset):
    """rounding_quant_old: ends by stored position, else the nearest entry below/above, ties to the upper one."""
    qn = qset.detach().cpu().numpy()
    out = []
    for w in weights.detach().cpu().flatten().tolist():
        if w <= np.min(qn):
            v = qn[0]
        elif w >= np.max(qn):
            v = qn[-1]
        else:
            lower = np.max(qn[qn <= w])
            upper = np.min(qn[qn >= w])
            v = lower if (w - lower) < (upper - w) else upper
        out.append(float(v))
    return torch.tensor(np.array(out, dtype=np.float64)).reshape(weights.shape).to(torch.float32)


def rounding_doc(weights, qset):
    """Both rules: what binned_statistic gives (or the error it raises) and rounding_quant_old's result."""
    try:
        binned = f32_list(binned_rounding(weights, qset))
        raised = None
    except Exception as e:  # noqa: BLE001 - the message is the fixture
        binned = None
        raised = f'{type(e).__name__}: {e}'
    elementwise = f32_list(elementwise_rounding(weights, qset))
    doc = {'binned': binned, 'raises': raised}
    if binned is None or [np.float32(v).tobytes() for v in binned] != [np.float32(v).tobytes() for v in elementwise]:
        doc['elementwise'] = elementwise  # written only where it differs from binned_statistic's result
    return doc


# ---------------------------------------------------------------- stochastic rounding (stochastic_quant)

def stochastic_doc(weights, qset):
    """Per element: [value] when stochastic_quant returns without drawing, else [lower, upper, P(lower)]."""
    qn = qset.detach().cpu().numpy()
    out = []
    for w in weights.detach().cpu().flatten().tolist():
        if w <= np.min(qn):
            out.append([f32(qn[0])])
            continue
        if w >= np.max(qn):
            out.append([f32(qn[-1])])
            continue
        lower = np.max(qn[qn <= w])
        upper = np.min(qn[qn >= w])
        if lower == upper:
            out.append([f32(lower)])
            continue
        p_lower = (upper - w) / (upper - lower)
        out.append([f32(lower), f32(upper), float(p_lower)])
    return out


# ---------------------------------------------------------------- mid-rise (mid_rise_quantization.quantization, util_functions.quantization)

def midrise(w, p, iqr=False):
    if len(w) == 1:
        delta = w / 2 ** p
    elif iqr:
        srt = np.sort(w.detach().cpu().numpy())
        q1 = np.percentile(srt, 25, method='midpoint')
        q3 = np.percentile(srt, 75, method='midpoint')
        spread = q3 - q1
        delta = (torch.tensor(q3 + 1.5 * spread) - torch.tensor(q1 - 1.5 * spread)) / 2 ** p
    else:
        delta = (torch.max(w) - torch.min(w)) / 2 ** p
    return delta * (torch.floor(w / delta) + 0.5)


# ---------------------------------------------------------------- multi-point (multipoint_quantization.py)

def multipoint(weights, p, seed):
    """multipoint_layer_quantization with numpy's global generator seeded; records every draw."""
    np.random.seed(seed)
    k_star = torch.max(torch.flatten(weights))
    qset = k_star * torch.linspace(-1, 1, 2 ** p - 1) + torch.mean(torch.flatten(weights))
    qn = qset.numpy()
    mids = [(qn[i] + qn[i - 1]) / 2.0 for i in range(1, len(qn))]

    def onto_grid(x):
        xn = x.detach().cpu().flatten().numpy()
        res = scipy.stats.binned_statistic(xn, xn, 'sum', bins=mids)
        return torch.tensor(qn[res[2]]).reshape(x.shape)

    steps = []
    scales, points = [], []
    r = weights
    for _ in range(p + 1):
        flat = r.flatten()
        uniq = torch.unique(torch.sort(torch.abs(flat)).values.type(torch.float32).detach())
        gaps = torch.cat([uniq, torch.tensor([float('inf')])]) - torch.cat([torch.tensor([float('-inf')]), uniq])
        half_gap = torch.min(gaps).item() / 2.0
        gamma = max(half_gap / (2 ** (p - 1) - 1), 1 / (2 ** 9))
        top = int(((2 ** p) - 2) * torch.norm(flat, p=float('inf')).item())
        count = min(100, top + 1)
        state = np.random.get_state()
        ks = np.random.choice(np.arange(1, top + 2, 1), size=count, replace=False)
        np.random.set_state(state)
        candidates = torch.tensor(np.random.choice(np.arange(1, top + 2, 1) * gamma, size=count, replace=False))
        assert np.array_equal(candidates.numpy(), ks * gamma), 'recorded k must reproduce the candidates'
        errors = candidates.clone()
        errors.apply_(lambda a: torch.norm(flat - (a * onto_grid(flat / a)), p=2))
        best = int(np.argmin(errors))
        a_star = candidates[best].item()
        w_star = onto_grid(r / a_star)
        r = r - a_star * w_star
        scales.append(a_star)
        points.append(w_star)
        steps.append({'gamma': float(gamma), 'top': top, 'k': [int(k) for k in ks], 'best': best,
                      'a': float(a_star), 'error': f32(errors[best].item())})
    result = torch.sum(torch.stack([a * w for a, w in zip(scales, points)]), dim=0)
    return qset, steps, result


# ---------------------------------------------------------------- fixtures

def sets_and_rounding(mods):
    sets, rounding, stochastic = [], [], []
    for name, w, b in mods:
        comb = pooled(w, b)
        for kind in SET_KINDS:
            for p in range(1, 17):
                s = seed_set(kind, comb, p)
                as_f32 = s.dtype == torch.float32
                entry = {'module': name, 'set': kind, 'bits': p, 'dtype': str(s.dtype).replace('torch.', '')}
                if kind == 'prior-normal':
                    entry['mean'] = f32(torch.mean(comb).item())
                    entry['std'] = f32(torch.std(comb).item())
                entry.update(describe_set(s.numpy(), as_f32))
                sets.append(entry)
                r = {'module': name, 'set': kind, 'bits': p, 'weight': rounding_doc(w, s)}
                if b is not None:
                    r['bias'] = rounding_doc(b, s)
                rounding.append(r)
                st = {'module': name, 'set': kind, 'bits': p, 'weight': stochastic_doc(w, s)}
                if b is not None:
                    st['bias'] = stochastic_doc(b, s)
                stochastic.append(st)
    return sets, rounding, stochastic


def explicit_rounding_cases():
    """Rounding against given sets: midpoints, the rightmost edge and its np.around neighbourhood, unsorted sets."""
    cases = []

    def case(name, qset, weights):
        q = torch.tensor(qset)
        w = torch.tensor(np.asarray(weights, dtype=np.float32))
        d = {'name': name, 'dtype': str(q.dtype).replace('torch.', ''),
             'set': f32_list(q) if q.dtype == torch.float32 else f64_list(q.numpy()),
             'weights': f32_list(w)}
        d.update(rounding_doc(w, q))
        d['stochastic'] = stochastic_doc(w, q)
        cases.append(d)

    five = np.array([-1, -0.5, 0, 0.5, 1], dtype=np.float32)
    last = np.float32(0.75)
    case('sorted float32 set: midpoints, the last edge and values just above it', five,
         [-2, -1, -0.75, -0.25, 0.25, 0.75, np.nextafter(last, np.float32(-1)), np.nextafter(last, np.float32(2)),
          np.float32(0.75 + 3e-7), np.float32(0.75 + 6e-7), np.float32(0.7500049), 1, 3, 0, -0.5])
    lin = torch.linspace(-0.3, 0.7, 8).numpy()
    mids = [np.float32((lin[i] + lin[i - 1]) / 2.0) for i in range(1, len(lin))]
    near = [np.nextafter(m, np.float32(-1)) for m in mids] + [np.nextafter(m, np.float32(1)) for m in mids]
    case('torch.linspace(-0.3, 0.7, 8): every midpoint and its float32 neighbours', lin, mids + near + list(lin))
    unsorted = np.array([-0.2, 0.1, 0.4, -0.9, 0.8])
    case('prior_normal-like order (quantiles, then min, then max): ties go up, ends by stored position', unsorted,
         [-0.9, -1.0, 0.8, 0.9, -0.05, 0.25, -0.55, 0.6, 0.1, -0.2, 0.0])
    case('repeated entries: the smallest edge difference is 0', np.array([0, 0, 1, 2], dtype=np.float32),
         [-1, 0, 0.25, 0.5, 1.5, 2, 3])
    case('descending float32 set', np.array([1, 0.5, 0], dtype=np.float32), [-1, 0, 0.2, 0.25, 0.5, 0.9, 1, 2])
    case('unsorted entries with increasing midpoints', np.array([0, 2, 1, 3], dtype=np.float32),
         [-1, 0.5, 0.99, 1, 1.25, 1.5, 1.75, 2, 2.5, 4])
    case('two entries: a single edge', np.array([-0.5, 0.5], dtype=np.float32), [-1, -0.1, 0, 0.1, 1])
    return cases


def midrise_fixture(mods):
    out = []
    for name, w, b in mods:
        for tname, t in [('weight', w), ('bias', b)]:
            if t is None:
                continue
            for iqr in (False, True):
                rows = []
                for p in range(1, 17):
                    rows.append(f32_list(midrise(t, p, iqr)))
                out.append({'module': name, 'tensor': tname, 'range': 'iqr' if iqr else 'full', 'input': tensor_doc(t),
                            'by_bits': rows})
    return out


def multipoint_fixture(mods):
    cases = []
    chosen = {'random': range(2, 17), 'ties': range(2, 17), 'row': range(2, 9), 'negative': range(2, 4),
              'batchnorm': range(2, 9), 'wide': range(2, 7)}
    # a 40-element tensor: torch.sum over the stacked terms reduces its first 32 columns in a block, the rest by row_sum
    wide = torch.tensor(np.random.default_rng(7).normal(0, 0.2, 40).astype(np.float32).reshape(5, 8))
    for name, w, b in mods + [('wide', wide, None)]:
        if name not in chosen:
            continue
        for p in chosen[name]:
            seed = 1000 * p + len(name)
            doc = {'module': name, 'bits': p, 'numpy_seed': seed, 'input': tensor_doc(w)}
            try:
                qset, steps, result = multipoint(w, p, seed)
                doc['grid'] = describe_set(qset.numpy(), True)
                doc['steps'] = steps
                doc['result'] = f32_list(result)
            except Exception as e:  # noqa: BLE001
                doc['raises'] = f'{type(e).__name__}: {e}'
            cases.append(doc)
    # p = 1: 2^(p-1) - 1 = 0 divides the half gap
    try:
        multipoint(mods[0][1], 1, 1)
        p1 = None
    except Exception as e:  # noqa: BLE001
        p1 = f'{type(e).__name__}: {e}'
    return cases, p1


def main():
    versions = {'torch': torch.__version__, 'numpy': np.__version__, 'scipy': scipy.__version__,
                'python': sys.version.split()[0]}
    mods = modules()
    module_docs = [{'module': n, 'weight': tensor_doc(w), 'bias': None if b is None else tensor_doc(b)} for n, w, b in mods]
    sets, rounding, stochastic = sets_and_rounding(mods)
    write('quant-sets.json', {'generator': 'seed_golden_quant.py', 'versions': versions, 'modules': module_docs, 'sets': sets})
    write('quant-rounding.json', {'generator': 'seed_golden_quant.py', 'versions': versions, 'modules': module_docs,
                                  'cases': rounding, 'explicit': explicit_rounding_cases()})
    write('quant-stochastic.json', {'generator': 'seed_golden_quant.py', 'versions': versions, 'modules': module_docs,
                                    'cases': stochastic})
    write('quant-midrise.json', {'generator': 'seed_golden_quant.py', 'versions': versions, 'cases': midrise_fixture(mods)})
    mp, p1 = multipoint_fixture(mods)
    write('quant-multipoint.json', {'generator': 'seed_golden_quant.py', 'versions': versions, 'bits1_raises': p1, 'cases': mp})


if __name__ == '__main__':
    main()
