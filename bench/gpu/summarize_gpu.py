#!/usr/bin/env python3
"""Writes summary.md for one GPU run of bench/gpu/run-on-device.sh: the figures of the GPU JMH benchmarks and the
PyTorch QAT step found in DIR, each set against issue 4's acceptance thresholds, plus the gpu test suite's and
gpu_check's outcome. Files it reads (any may be missing; the row then says so): GpuFakeQuantBandwidth.json,
GpuGemm.json, GpuQatStep.json (JMH JSON), pytorch_qat_step.json, checks.log (native build, gpu_check and the
JUnit console's output), machine.txt.

Usage: python3 bench/gpu/summarize_gpu.py DIR   (prints the summary and writes DIR/summary.md)
"""
import json
import os
import re
import sys

FAKE_QUANT_FLOATS = 64 << 20
GEMM_THRESHOLD = 0.60
BANDWIDTH_THRESHOLD = 0.80


def load(d, name):
    path = os.path.join(d, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        text = f.read().strip()
    if not text:
        return None
    try:
        return json.loads(text.splitlines()[-1]) if name.endswith("step.json") else json.loads(text)
    except json.JSONDecodeError:
        return None


def jmh_scores(rows):
    """(method, params tuple) -> (mean ms/op, best iteration ms/op)."""
    out = {}
    for r in rows or []:
        m = r["primaryMetric"]
        raw = [x for fork in m.get("rawData", []) for x in fork]
        params = tuple(sorted(r.get("params", {}).items()))
        out[(r["benchmark"].rsplit(".", 1)[-1], params)] = (m["score"], min(raw) if raw else m["score"])
    return out


def verdict(ok):
    return "PASS" if ok else "FAIL"


def main():
    d = sys.argv[1]
    lines = ["# GPU run summary", ""]
    machine = os.path.join(d, "machine.txt")
    if os.path.exists(machine):
        with open(machine) as f:
            head = [l.rstrip() for l in f if l.startswith(("date:", "gpu:", "driver:", "git:", "jdk:", "torch:"))]
        lines += ["```"] + head + ["```", ""]
    lines += ["| check | measured | threshold | result |", "| --- | --- | --- | --- |"]

    # gpu_check and the gpu test suite
    log = os.path.join(d, "checks.log")
    checks = open(log).read() if os.path.exists(log) else ""
    if "gpu_check exit status" in checks:
        text = checks
        m = re.search(r"gpu_check exit status: (\d+)", text)
        rc = int(m.group(1)) if m else None
        lines.append(f"| native gpu_check (every entry point vs host formulas) | exit status {rc} | 0 | {verdict(rc == 0) if rc is not None else 'not run'} |")
    else:
        lines.append("| native gpu_check | not run | 0 | — |")
    if "tests exit status" in checks:
        text = checks
        counts = {k: int(v) for v, k in re.findall(r"\[\s*(\d+) tests (successful|failed|skipped|aborted)\s*\]", text)}
        ok = counts.get("failed", 1) == 0 and counts.get("aborted", 1) == 0 and counts.get("successful", 0) > 0
        lines.append(f"| gpu test suite (JUnit tag gpu) | {counts.get('successful', 0)} passed, {counts.get('failed', '?')} failed, "
                     f"{counts.get('aborted', '?')} aborted, {counts.get('skipped', '?')} skipped | all pass | {verdict(ok)} |")
    else:
        lines.append("| gpu test suite | not run | all pass | — |")

    # fake quantization vs copy bandwidth
    fq = jmh_scores(load(d, "GpuFakeQuantBandwidth.json"))
    bytes_rw = {"copy": 8, "fakeQuantize": 8, "fakeQuantizePerChannel": 8, "fakeQuantizeBackward": 12}
    gbs = {}
    for (name, _), (mean, best) in fq.items():
        gbs[name] = (bytes_rw.get(name, 8) * FAKE_QUANT_FLOATS / (mean * 1e-3) / 1e9,
                     bytes_rw.get(name, 8) * FAKE_QUANT_FLOATS / (best * 1e-3) / 1e9)
    if "copy" in gbs:
        for name in ("fakeQuantize", "fakeQuantizePerChannel", "fakeQuantizeBackward"):
            if name in gbs:
                ratio = gbs[name][0] / gbs["copy"][0]
                lines.append(f"| {name} bandwidth / copy bandwidth, 64M floats | {gbs[name][0]:.0f} / {gbs['copy'][0]:.0f} GB/s = {ratio:.2f} "
                             f"(best iterations {gbs[name][1] / gbs['copy'][1]:.2f}) | ≥ {BANDWIDTH_THRESHOLD:.2f}"
                             f"{'' if name == 'fakeQuantize' else ' (info)'} | {verdict(ratio >= BANDWIDTH_THRESHOLD)} |")
    else:
        lines.append(f"| fake-quant bandwidth / copy bandwidth | not run | ≥ {BANDWIDTH_THRESHOLD:.2f} | — |")

    # GEMM: ours vs cuBLASLt at 4096^3, same run
    gemm = jmh_scores(load(d, "GpuGemm.json"))
    tflops = {}
    for (name, params), (mean, best) in gemm.items():
        p = dict(params)
        n = int(p.get("size", 4096))
        tflops[p.get("path", name)] = (2 * n ** 3 / (mean * 1e-3) / 1e12, n)
    # The acceptance is on our best path per type: dp4a (no tensor cores) is the portable reference path, shown for
    # information; the tensor-core int8 kernel is the one meant to compete.
    for prefix, ours in (("int8", ("int8-dp4a", "int8-tensor-core")), ("fp16", ("fp16-kernel",)), ("f32", ("f32-kernel",))):
        ref = tflops.get(prefix + "-cublaslt")
        for o in ours:
            acceptance = o in ("int8-tensor-core", "fp16-kernel")
            if ref and o in tflops:
                ratio = tflops[o][0] / ref[0]
                lines.append(f"| {o} / cuBLASLt at {ref[1]}³ | {tflops[o][0]:.1f} / {ref[0]:.1f} TFLOP/s = {ratio:.2f} | "
                             f"≥ {GEMM_THRESHOLD:.2f}{'' if acceptance else ' (info)'} | {verdict(ratio >= GEMM_THRESHOLD)} |")
            elif acceptance:
                lines.append(f"| {o} / cuBLASLt | not run | ≥ {GEMM_THRESHOLD:.2f} | — |")

    # QAT step: EdgeQ on CUDA vs PyTorch eager QAT on the same GPU
    qat = jmh_scores(load(d, "GpuQatStep.json"))
    ours = {dict(p).get("backendName") + "/" + dict(p).get("mode"): v for (_, p), v in qat.items()}
    torch = load(d, "pytorch_qat_step.json")
    cuda_qat = ours.get("cuda/qat-w8a8")
    if cuda_qat and torch and "qat_step" in torch:
        t = torch["qat_step"]["median_ms"]
        lines.append(f"| QAT step, seed CNN, batch 256: EdgeQ CUDA vs PyTorch eager QAT | {cuda_qat[0]:.2f} vs {t:.2f} ms "
                     f"({t / cuda_qat[0]:.2f}× PyTorch's speed) | faster | {verdict(cuda_qat[0] < t)} |")
    else:
        why = "EdgeQ not run" if not cuda_qat else ("PyTorch not run" if not torch else torch.get("error", "no qat_step"))
        lines.append(f"| QAT step vs PyTorch eager QAT | {why} | faster | — |")
    for key in ("cuda/fp32", "cpu/qat-w8a8", "cpu/fp32"):
        if key in ours:
            lines.append(f"| step {key} (info) | {ours[key][0]:.2f} ms | — | — |")
    if cuda_qat and "cpu/qat-w8a8" in ours:
        lines.append(f"| QAT step GPU vs CPU (info) | {ours['cpu/qat-w8a8'][0] / cuda_qat[0]:.1f}× faster on the GPU | — | — |")
    if torch and "qat_step_without_tf32" in torch and cuda_qat:
        t = torch["qat_step_without_tf32"]["median_ms"]
        lines.append(f"| QAT step vs PyTorch eager QAT with TF32 off (info: strict f32 on both sides) | {cuda_qat[0]:.2f} vs {t:.2f} ms "
                     f"({t / cuda_qat[0]:.2f}× PyTorch's speed) | — | — |")
    if torch and "fp32_step" in torch:
        lines.append(f"| PyTorch FP32 step (info) | {torch['fp32_step']['median_ms']:.2f} ms | — | — |")

    text = "\n".join(lines) + "\n"
    with open(os.path.join(d, "summary.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
