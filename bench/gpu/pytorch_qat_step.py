#!/usr/bin/env python3
"""The PyTorch side of GpuQatStep: one training step of EdgeQ's seed CNN (cnn-seed) under PyTorch's eager-mode QAT
(torch.ao.quantization: fuse_modules_qat, the default QAT qconfig of the x86 backend, else fbgemm, prepare_qat) on a
batch of 256 random 3x32x32 images, 10 classes, on CUDA: forward, cross-entropy, backward, Adam step, loss read back
(as EdgeQ's trainer reads it every step). Each step is timed between torch.cuda.synchronize() calls after a warm-up;
prints one JSON object (median, min, mean, p90 in milliseconds) on the last line of stdout, and writes it to --out.
The same step without QAT (FP32), and the QAT step with TF32 turned off (EdgeQ computes in strict f32), are
timed too, for reference.

Never run yet: written on a machine without a GPU. bench/gpu/run-on-device.sh torch runs it on a GPU machine.

Usage: python3 bench/gpu/pytorch_qat_step.py [--batch 256] [--steps 50] [--warmup 10] [--out FILE]
       python3 bench/gpu/pytorch_qat_step.py --device cpu --batch 8 --steps 2 --warmup 1   (a smoke run of the script)
"""
import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.ao.quantization as tq


class SeedCnn(nn.Module):
    """EdgeQ's cnn-seed (nn/ModelFactory.cnnSeed), the seed's CNN: conv32(BN) conv64 pool dropout0.2 conv128(BN)
    dropout0.3 conv128(BN) pool conv256(BN) conv256(BN) pool dropout0.3 fc512 fc; convs 3x3, padding 1, with bias, as
    EdgeQ builds them. QuantStub/DeQuantStub mark the quantized region for eager QAT."""

    def __init__(self, classes=10):
        super().__init__()
        self.quant = tq.QuantStub()
        self.c1, self.b1, self.r1 = nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU()
        self.c2, self.r2 = nn.Conv2d(32, 64, 3, padding=1), nn.ReLU()
        self.p1, self.d1 = nn.MaxPool2d(2), nn.Dropout(0.2)
        self.c3, self.b3, self.r3, self.d2 = nn.Conv2d(64, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU(), nn.Dropout(0.3)
        self.c4, self.b4, self.r4 = nn.Conv2d(128, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU()
        self.p2 = nn.MaxPool2d(2)
        self.c5, self.b5, self.r5 = nn.Conv2d(128, 256, 3, padding=1), nn.BatchNorm2d(256), nn.ReLU()
        self.c6, self.b6, self.r6 = nn.Conv2d(256, 256, 3, padding=1), nn.BatchNorm2d(256), nn.ReLU()
        self.p3, self.d3 = nn.MaxPool2d(2), nn.Dropout(0.3)
        self.flatten = nn.Flatten()
        self.f1, self.rf = nn.Linear(256 * 4 * 4, 512), nn.ReLU()
        self.f2 = nn.Linear(512, classes)
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        x = self.quant(x)
        x = self.r1(self.b1(self.c1(x)))
        x = self.d1(self.p1(self.r2(self.c2(x))))
        x = self.d2(self.r3(self.b3(self.c3(x))))
        x = self.p2(self.r4(self.b4(self.c4(x))))
        x = self.r5(self.b5(self.c5(x)))
        x = self.d3(self.p3(self.r6(self.b6(self.c6(x)))))
        x = self.rf(self.f1(self.flatten(x)))
        return self.dequant(self.f2(x))


FUSE = [["c1", "b1", "r1"], ["c2", "r2"], ["c3", "b3", "r3"], ["c4", "b4", "r4"], ["c5", "b5", "r5"],
        ["c6", "b6", "r6"], ["f1", "rf"]]


def qat_model(device):
    model = SeedCnn().train()
    model = tq.fuse_modules_qat(model, FUSE)
    engine = "x86" if "x86" in torch.backends.quantized.supported_engines else "fbgemm"
    model.qconfig = tq.get_default_qat_qconfig(engine)
    tq.prepare_qat(model, inplace=True)
    return model.to(device), engine


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def time_steps(model, x, y, steps, warmup):
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(warmup):
        step()
    synchronize(x.device)
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        synchronize(x.device)
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    return {"median_ms": statistics.median(times), "min_ms": times[0], "mean_ms": statistics.fmean(times),
            "p90_ms": times[int(0.9 * (len(times) - 1))], "steps": steps, "warmup": warmup}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--no-cudnn-benchmark", action="store_true", help="leave cudnn.benchmark off (default: on)")
    ap.add_argument("--device", default="cuda", help="cuda (default), or cpu for a smoke run of the script itself")
    ap.add_argument("--out", help="also write the JSON here")
    args = ap.parse_args()
    if args.device == "cuda" and not torch.cuda.is_available():
        print(json.dumps({"error": "CUDA is not available to PyTorch " + torch.__version__}))
        return 2
    device = torch.device(args.device)
    torch.backends.cudnn.benchmark = not args.no_cudnn_benchmark
    torch.manual_seed(1)
    x = torch.randn(args.batch, 3, 32, 32, device=device)
    y = torch.randint(0, 10, (args.batch,), device=device)

    # PyTorch's defaults let cuDNN run convolutions in TF32 on tensor cores (torch.backends.cudnn.allow_tf32);
    # EdgeQ computes in strict f32. The headline figure keeps PyTorch's defaults; the same step with TF32 off is
    # measured too, so the comparison can be read both ways.
    tf32_defaults = {"cudnn_allow_tf32": torch.backends.cudnn.allow_tf32,
                     "matmul_allow_tf32": torch.backends.cuda.matmul.allow_tf32}
    model, engine = qat_model(device)
    qat = time_steps(model, x, y, args.steps, args.warmup)
    fp32 = time_steps(SeedCnn().train().to(device), x, y, args.steps, args.warmup)
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    model, _ = qat_model(device)
    qat_strict = time_steps(model, x, y, args.steps, args.warmup)

    result = {
        "benchmark": "pytorch_qat_step", "model": "cnn-seed", "input": [3, 32, 32], "classes": 10,
        "batch": args.batch, "torch": torch.__version__,
        "device": torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu",
        "cuda": torch.version.cuda, "cudnn_benchmark": torch.backends.cudnn.benchmark,
        "qconfig": "get_default_qat_qconfig('%s')" % engine, "optimizer": "Adam lr 1e-4",
        "tf32_defaults": tf32_defaults, "qat_step": qat, "fp32_step": fp32, "qat_step_without_tf32": qat_strict,
    }
    line = json.dumps(result)
    if args.out:
        with open(args.out, "w") as f:
            f.write(line + "\n")
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
