#!/usr/bin/python3
"""The map comparison of docs/PERFORMANCE.md, in one run on one machine.

  /usr/bin/python3 bench/peer_maps.py --cli build/app/factorscope-cli --dir DIR

DIR holds what factorscope-bench-maps wrote (the demo data's default model as a checkpoint,
its item factors as NumPy arrays, each movie's planted genre). This script times the whole
`factorscope-cli project` command for each method, fits scikit-learn's PCA and t-SNE and
umap-learn's UMAP on the same vectors at their defaults, and scores every map the same way:
trustworthiness (k = 10, scikit-learn's) and genre agreement (the share of movies whose planted
genre is shared by at least 3 of their 5 nearest neighbours on the map). Peers: Debian's
python3-sklearn and umap-learn. It prints figures; it asserts nothing.
"""
import argparse
import csv
import subprocess
import time

import numpy as np
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE, trustworthiness
from sklearn.neighbors import NearestNeighbors


def agreement(coords, labels, k=5, agree=3):
    nn = NearestNeighbors(n_neighbors=k + 1).fit(coords)
    idx = nn.kneighbors(coords, return_distance=False)[:, 1:]
    same = (labels[idx] == labels[:, None]).sum(axis=1)
    return float((same >= agree).mean())


def read_map(path, ids):
    at = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            at[int(row["id"])] = (float(row["x"]), float(row["y"]))
    return np.array([at[int(i)] for i in ids])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--dir", required=True)
    a = ap.parse_args()
    x = np.load(f"{a.dir}/item_factors.npy")
    ids = np.load(f"{a.dir}/item_ids.npy")
    genre = {}
    with open(f"{a.dir}/labels.csv", newline="") as f:
        for row in csv.DictReader(f):
            genre[int(row["id"])] = int(row["genre"])
    labels = np.array([genre[int(i)] for i in ids])
    print(f"# {x.shape[0]} movies x {x.shape[1]} factors; trustworthiness k = 10; genre agreement: >= 3 of 5")
    rows = []
    for method in ("pca", "tsne"):
        out = f"{a.dir}/factorscope_{method}.csv"
        t = time.perf_counter()
        subprocess.run([a.cli, "project", "--checkpoint", f"{a.dir}/demo.fsckpt", "--method", method, "--out", out],
                       check=True, stdout=subprocess.DEVNULL)
        rows.append((f"factorscope-cli project --method {method} (whole command)", time.perf_counter() - t,
                     read_map(out, ids)))
    peers = [("scikit-learn PCA", lambda: PCA(n_components=2).fit_transform(x)),
             ("scikit-learn TSNE (perplexity 30)", lambda: TSNE(n_components=2, random_state=0).fit_transform(x))]
    try:
        import umap
        for run in ("first call, numba compiling", "second call"):
            peers.append((f"umap-learn UMAP (15 neighbours, min-dist 0.1), {run}",
                          lambda: umap.UMAP(n_neighbors=15, min_dist=0.1, random_state=0).fit_transform(x)))
    except ImportError:
        print("# umap-learn is not installed (apt install umap-learn): UMAP left out")
    for name, fit in peers:
        t = time.perf_counter()
        coords = fit()
        rows.append((name, time.perf_counter() - t, coords))
    print(f"{'map':<62} {'seconds':>8} {'trust':>7} {'genre':>7}")
    for name, seconds, coords in rows:
        print(f"{name:<62} {seconds:8.2f} {trustworthiness(x, coords, n_neighbors=10):7.3f} "
              f"{agreement(coords, labels):7.3f}")
    fs = dict((n, s) for n, s, _ in rows)
    tsne_fs = fs["factorscope-cli project --method tsne (whole command)"]
    print(f"t-SNE: Factorscope's whole command / scikit-learn's fit = {tsne_fs / fs['scikit-learn TSNE (perplexity 30)']:.2f}")


if __name__ == "__main__":
    main()
