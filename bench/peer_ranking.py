#!/usr/bin/python3
"""The ranking peer: every user's top 10 unseen items with NumPy (OpenBLAS), in blocks of users,
on a synthetic set of the shape factorscope-bench-ranking --rank uses (default MovieLens 25M's).

Same work as Factorscope's topK: score a block of users against every item with one matrix
product (dot product plus biases), mask what each user rated in training, keep the 10 best
(argpartition, then a sort of those). Prints the seconds for all users. A benchmark peer only:
    /usr/bin/python3 bench/peer_ranking.py [--users N] [--items N] [--ratings N]
"""
import argparse
import time

import numpy as np


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--users", type=int, default=162541)
    p.add_argument("--items", type=int, default=59047)
    p.add_argument("--ratings", type=int, default=25000095)
    p.add_argument("--factors", type=int, default=64)
    a = p.parse_args()
    rng = np.random.default_rng(5)
    t = time.perf_counter()
    # The same skew as the C++ bench: users ~ a^2, items ~ b^3 of uniform draws.
    users = np.minimum(a.users - 1, (a.users * rng.random(a.ratings) ** 2).astype(np.int64))
    items = np.minimum(a.items - 1, (a.items * rng.random(a.ratings) ** 3).astype(np.int64))
    train = rng.random(a.ratings) >= 0.25  # a quarter held out
    order = np.argsort(users[train], kind="stable")
    tu, ti = users[train][order], items[train][order]
    start = np.searchsorted(tu, np.arange(a.users + 1))
    U = (rng.standard_normal((a.users, a.factors)) * 0.01).astype(np.float32)
    V = (rng.standard_normal((a.items, a.factors)) * 0.01).astype(np.float32)
    ub = (rng.standard_normal(a.users) * 0.01).astype(np.float32)
    ib = (rng.standard_normal(a.items) * 0.01).astype(np.float32)
    print(f"# {a.users} users x {a.items} items, {a.ratings} ratings: made in {time.perf_counter() - t:.1f} s")
    block = max(1, (1 << 23) // a.items)
    t = time.perf_counter()
    checksum = 0
    for b in range(0, a.users, block):
        e = min(a.users, b + block)
        s = U[b:e] @ V.T + ub[b:e, None] + ib[None, :]
        lo, hi = start[b], start[e]
        s[tu[lo:hi] - b, ti[lo:hi]] = -np.inf
        top = np.argpartition(-s, 10, axis=1)[:, :10]
        best = np.take_along_axis(s, top, axis=1)
        top = np.take_along_axis(top, np.argsort(-best, axis=1, kind="stable"), axis=1)
        checksum += int(top[:, 0].sum())
    print(f"numpy: every user's top 10: {time.perf_counter() - t:.1f} s (checksum {checksum})")


if __name__ == "__main__":
    main()
