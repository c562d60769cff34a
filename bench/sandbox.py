"""Sandbox benchmark: what a private machine (mount and PID namespaces) adds to a kernel's start.

Starts grading kernels from the worker's fork server, as grading does, and times
start-to-ready (the kernel answers on its channels) and a trivial cell, with
today's confinement (session, user, limits, no network) and with the private
filesystem and process list on top, interleaved in one run. Needs root for the
private machine; without it, says so and measures the first only.

Run with ``make bench``; prints the figures, writes nothing outside a temp folder.
"""

import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assignments.grading.sandbox import (  # noqa: E402
    ForkServer,
    SandboxedKernelManager,
    SandboxLimits,
    SandboxRun,
    SandboxUser,
    kernel_manager_settings,
)
from common import confinement  # noqa: E402

SAMPLES = int(os.environ.get("BENCH_SANDBOX_SAMPLES", "15"))


async def one_kernel(private: bool) -> tuple[float, float]:
    run = SandboxRun(user=SandboxUser.resolve("nobody"))
    try:
        config = kernel_manager_settings(run, SandboxLimits(), {})
        if not private:
            config["sandbox_settings"]["filesystem"] = None
        manager = SandboxedKernelManager(**config)
        started = time.perf_counter()
        await manager.start_kernel(cwd=str(run.workdir))
        client = manager.client()
        client.start_channels()
        await client.wait_for_ready(timeout=60)
        ready = time.perf_counter() - started
        before = time.perf_counter()
        await client.execute_interactive("x = 1", timeout=30)
        cell = time.perf_counter() - before
        client.stop_channels()
        await manager.shutdown_kernel(now=True)
        manager.kill_process_group()
        return ready, cell
    finally:
        run.cleanup()


async def main() -> None:
    ForkServer.warm_up()
    modes = [False, True] if confinement.private_machine_available() else [False]
    if len(modes) == 1:
        print("sandbox: not root, so no private filesystem or process list to measure")
    await one_kernel(False)
    results: dict[bool, list[tuple[float, float]]] = {mode: [] for mode in modes}
    for _ in range(SAMPLES):
        for mode in modes:
            results[mode].append(await one_kernel(mode))
    names = {False: "user, limits, no network", True: "+ private filesystem and /proc"}
    medians = {}
    for mode, samples in results.items():
        ready = statistics.median(sample[0] for sample in samples)
        cell = statistics.median(sample[1] for sample in samples)
        medians[mode] = ready
        print(
            f"sandbox kernel start ({names[mode]}): median {ready * 1000:.0f} ms to ready, "
            f"first cell {cell * 1000:.0f} ms ({SAMPLES} kernels)"
        )
    if True in medians:
        added = (medians[True] - medians[False]) * 1000
        print(f"sandbox: the private machine adds {added:.0f} ms per kernel start")


if __name__ == "__main__":
    asyncio.run(main())
