#!/usr/bin/python3
"""The seed's architectures (github mohitgulla/Edge, model/dnn.py and model/cnn.py), re-expressed in torch, as state
dicts: every entry's name and shape in PyTorch's order, num_batches_tracked left out as EdgeQ leaves it out.
EdgeQ's presets must have the same entries in the same order, under EdgeQ's root name 'net'.

For each architecture it also records which tensors the seed's per-tensor rules touch, applied to torch's own
named_parameters() / state_dict() order: multi-point (multipoint_quantization.py: skip index 0, the last index and
every '.bias'), pruning (prune_model: every state_dict entry but the last, of which EdgeQ changes the parameters),
QAT (qat.py: every parameter whose name ends in '.weight'), and the landmark-set modules of unique_value_generator
(one set per module, pooled from '<module>.weight' and '<module>.bias').

Writes java/src/test/resources/golden/seed/architectures.json. Run with Debian's /usr/bin/python3 (torch 1.13).
"""
import json
import sys

import torch
from torch import nn


def dense(inputs, outputs, hidden, dropout):
    """DenseNeuralNet: Linear, ReLU (and Dropout when p > 0) per hidden layer, then the output Linear."""
    layers, prev = [], inputs
    for h in hidden:
        layers += [nn.Linear(prev, h), nn.ReLU()]
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
        prev = h
    layers.append(nn.Linear(prev, outputs))
    return nn.Sequential(*layers)


def cnn(channels, classes):
    """The seed's CNN for 32x32 inputs: conv32-BN, conv64, pool, dropout, conv128-BN, dropout, conv128-BN, pool,
    conv256-BN, conv256-BN, pool, dropout, flatten, fc512, fc classes."""
    def conv(i, o):
        return nn.Conv2d(i, o, kernel_size=3, padding=1)
    return nn.Sequential(
        conv(channels, 32), nn.BatchNorm2d(32), nn.ReLU(), conv(32, 64), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Dropout(0.2), conv(64, 128), nn.BatchNorm2d(128), nn.ReLU(), nn.Dropout(0.3),
        conv(128, 128), nn.BatchNorm2d(128), nn.ReLU(), nn.MaxPool2d(2, 2),
        conv(128, 256), nn.BatchNorm2d(256), nn.ReLU(), conv(256, 256), nn.BatchNorm2d(256), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Dropout(0.3), nn.Flatten(), nn.Linear(256 * 4 * 4, 512), nn.ReLU(), nn.Linear(512, classes))


def entries(module, root):
    out = []
    for name, t in module.state_dict().items():
        if name.endswith('num_batches_tracked'):
            continue
        out.append({'name': root + '.' + name, 'shape': list(t.shape)})
    params = sum(p.numel() for p in module.parameters())
    names = [n for n, _ in module.named_parameters()]
    multipoint = [root + '.' + n for i, n in enumerate(names)
                  if i not in (0, len(names) - 1) and n.split('.')[-1] != 'bias']
    state = list(module.state_dict().keys())
    pruned = [root + '.' + n for n in state[:-1] if n in names]
    qat = [root + '.' + n for n in names if n.rsplit('.', 1)[1] == 'weight']
    modules = sorted({root + '.' + n.rsplit('.', 1)[0] for n in names})
    return {'entries': out, 'parameters': params, 'multipoint': multipoint, 'seed_pruning': pruned,
            'seed_qat': qat, 'landmark_modules': modules}


def main(path):
    models = {
        'dense-simple churn': dict(edgeq={'model': 'dense-simple', 'input': [13], 'outputs': 2},
                                   **entries(dense(13, 2, [10], 0.0), 'net')),
        'dense-complex churn': dict(edgeq={'model': 'dense-complex', 'input': [13], 'outputs': 2},
                                    **entries(dense(13, 2, [20, 40, 60, 30], 0.1), 'net')),
        'dense-complex california (seed preset)': dict(edgeq={'model': 'dense', 'hidden': [50, 100, 100, 50], 'dropout': 0.1,
                                                              'input': [6], 'outputs': 1},
                                                       **entries(dense(6, 1, [50, 100, 100, 50], 0.1), 'net')),
        'cnn-seed cifar': dict(edgeq={'model': 'cnn-seed', 'input': [3, 32, 32], 'outputs': 10}, **entries(cnn(3, 10), 'net')),
    }
    with open(path, 'w') as f:
        json.dump({'generator': 'java/src/test/python/seed_golden_architectures.py', 'torch': torch.__version__,
                   'models': models}, f, indent=1)


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'architectures.json')
