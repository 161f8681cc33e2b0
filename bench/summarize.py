#!/usr/bin/env python3
"""Summarises a JMH JSON result: mean, error and best iteration per benchmark and parameter set; GFLOP/s for
GEMM sizes (2 * size^3 flops per call; for the int8 GEMMs read "giga-ops"); EdgeQ relative to the OpenBLAS anchor
measured in the same run; and the other same-run ratios the issues' targets are stated in.

Usage: python3 bench/summarize.py bench/results/NAME.json
"""
import json
import sys

rows = json.load(open(sys.argv[1]))


def best_of(metric):
    return min(x for fork in metric["rawData"] for x in fork)


for r in rows:
    params = r.get("params", {})
    label = " ".join(f"{k}={v}" for k, v in sorted(params.items()))
    m = r["primaryMetric"]
    best = best_of(m)
    line = (f'{r["benchmark"].rsplit(".", 1)[-1]:>16} {label}: mean {m["score"]:.4f} ± {m["scoreError"]:.4f}'
            f' (best iteration {best:.4f}) {m["scoreUnit"]}')
    size = params.get("size")
    if size and m["scoreUnit"] == "ms/op":
        flops = 2 * int(size) ** 3
        line += f'  = {flops / (m["score"] * 1e-3) / 1e9:.1f} GFLOP/s (best {flops / (best * 1e-3) / 1e9:.1f})'
    print(line)

# EdgeQ relative to the OpenBLAS anchor measured in the same run: OpenBLAS time / EdgeQ time (> 1 = faster).
# On a busy machine the best iterations are the steadier comparison; on a quiet one both agree.
times = {}
for r in rows:
    name = r["benchmark"].rsplit(".", 1)[-1]
    m = r["primaryMetric"]
    times.setdefault(tuple(sorted(r.get("params", {}).items())), {})[name] = (m["score"], best_of(m))
for params, t in times.items():
    ours = [v for k, v in t.items() if k.startswith("edgeq")]
    anchor = [v for k, v in t.items() if k.startswith("openBlas")]
    if ours and anchor:
        print(f'ratio {dict(params)}: EdgeQ speed / OpenBLAS speed = {anchor[0][0] / ours[0][0]:.2f} (means),'
              f' {anchor[0][1] / ours[0][1]:.2f} (best iterations)')

# Ratios of benchmarks that answer "X relative to Y measured in the same run" (issue 3's targets).
pairs = [("fakeQuantize", "copy", "fake-quant bandwidth / copy bandwidth (target >= 0.60)", True),
         ("qatEpoch", "fp32Epoch", "QAT epoch / FP32 epoch (target <= 1.25)", False)]
for params, t in times.items():
    for num, den, text, inverse in pairs:
        if num in t and den in t:
            mean = t[den][0] / t[num][0] if inverse else t[num][0] / t[den][0]
            best = t[den][1] / t[num][1] if inverse else t[num][1] / t[den][1]
            print(f'{text}: {mean:.2f} (means), {best:.2f} (best iterations)')

# Int8GemmVsF32 (issue 9): int8 multiply-accumulates per second relative to the f32 CpuGemm's, same run and size.
# Both f32 layouts are timed; the faster one is the reference, so the ratio is the conservative one.
for params, t in times.items():
    f32 = [v for k, v in t.items() if k in ("f32Nt", "f32Nn")]
    if not f32:
        continue
    f32_mean = min(v[0] for v in f32)
    f32_best = min(v[1] for v in f32)
    for name in ("int8Vnni", "int8VectorApi", "int8VnniAcc16"):
        if name in t:
            target = " (target >= 1.5)" if name != "int8VnniAcc16" else " (16-bit accumulator, stepwise; no target)"
            print(f'{name} MAC/s / faster f32 CpuGemm MAC/s {dict(params)}: {f32_mean / t[name][0]:.2f} (means),'
                  f' {f32_best / t[name][1]:.2f} (best iterations){target}')
# Paired epochs (MeasuredEpochOverhead): each invocation ran a plain and a measured epoch back to back, so the ratio
# of their summed times compares epochs under the same load; per-iteration ratios show the spread.
for r in rows:
    sec = r.get("secondaryMetrics", {})
    if "plainSeconds" in sec and "measuredSeconds" in sec:
        plain = [x for fork in sec["plainSeconds"]["rawData"] for x in fork]
        measured = [x for fork in sec["measuredSeconds"]["rawData"] for x in fork]
        ratios = sorted(m / p for m, p in zip(measured, plain) if p > 0)
        median = ratios[len(ratios) // 2] if len(ratios) % 2 else (ratios[len(ratios) // 2 - 1] + ratios[len(ratios) // 2]) / 2
        print(f'measured epoch / plain epoch (target <= 1.02): {sum(measured) / sum(plain):.4f} (summed over {len(plain)} '
              f'iterations), median per iteration {median:.4f}, range {ratios[0]:.4f} .. {ratios[-1]:.4f}; '
              f'plain {sum(plain):.2f} s, measured {sum(measured):.2f} s')
