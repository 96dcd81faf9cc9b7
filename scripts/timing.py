"""Timing shared by the PyTorch bench scripts: the median over rounds of a call's mean time."""
import statistics
import time


def median_us(fn, repeats, rounds=7):
    """Runs `fn` `repeats` times per round, `rounds` rounds; the median round's mean time per call, in µs."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeats):
            fn()
        times.append((time.perf_counter() - start) / repeats * 1e6)
    return statistics.median(times)
