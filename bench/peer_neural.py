#!/usr/bin/python3
"""Python peer for the neural models (Debian's python3-torch; run with /usr/bin/python3).

The embedding net of the seed notebooks (user and item embeddings concatenated, embedding
dropout, Linear-ReLU-Dropout layers, a sigmoid output scaled to the rating range; uniform
embedding init, Xavier layers), or NeuMF (a GMF branch beside that tower), trained with Adam on
MovieLens 100K's ua.base, pre-shuffled tensors sliced per batch (the fastest plain-Python
loop). Prints one line per epoch:
  epoch=<i> train_mse=<x> ratings_per_s=<x> seconds=<x>
and, last, threads=<n> (torch's intra-op threads).

factorscope-bench --neural runs it beside the app's trainer on the same data and prints the ratios.
"""
import argparse, math, os, time
import torch
from torch import nn

p = argparse.ArgumentParser()
p.add_argument("--data", required=True, help="folder with ua.base (MovieLens 100K)")
p.add_argument("--model", choices=["mlp", "neumf"], default="mlp")
p.add_argument("--factors", type=int, default=150)
p.add_argument("--hidden", default="500,500,500")
p.add_argument("--dropouts", default="0.5,0.5,0.25")
p.add_argument("--embedding-dropout", type=float, default=0.05)
p.add_argument("--bs", type=int, default=1024)
p.add_argument("--epochs", type=int, default=1)
p.add_argument("--lr", type=float, default=1e-3)
p.add_argument("--wd", type=float, default=1e-5)
p.add_argument("--threads", type=int, default=0, help="0: torch's default")
a = p.parse_args()
if a.threads > 0:
    torch.set_num_threads(a.threads)
torch.manual_seed(0)
hidden = [int(h) for h in a.hidden.split(",")]
dropouts = [float(d) for d in a.dropouts.split(",")]

rows = [l.split("\t") for l in open(os.path.join(a.data, "ua.base"))]
tu = torch.tensor([int(r[0]) - 1 for r in rows])
tm = torch.tensor([int(r[1]) - 1 for r in rows])
ty = torch.tensor([float(r[2]) for r in rows])
n_users, n_items = int(tu.max()) + 1, int(tm.max()) + 1


def tower(n_in):
    layers = []
    for h, d in zip(hidden, dropouts):
        layers += [nn.Linear(n_in, h), nn.ReLU()] + ([nn.Dropout(d)] if d > 0 else [])
        n_in = h
    return nn.Sequential(*layers)


class EmbeddingNet(nn.Module):
    def __init__(s):
        super().__init__()
        s.u, s.m = nn.Embedding(n_users, a.factors), nn.Embedding(n_items, a.factors)
        s.drop = nn.Dropout(a.embedding_dropout)
        s.hidden = tower(2 * a.factors)
        s.fc = nn.Linear(hidden[-1], 1)
        s.u.weight.data.uniform_(-0.05, 0.05); s.m.weight.data.uniform_(-0.05, 0.05)
        for layer in list(s.hidden) + [s.fc]:
            if isinstance(layer, nn.Linear):
                nn.init.xavier_uniform_(layer.weight); layer.bias.data.fill_(0.01)

    def forward(s, users, items):
        x = s.hidden(s.drop(torch.cat([s.u(users), s.m(items)], dim=1)))
        return torch.sigmoid(s.fc(x)).squeeze(1) * 5.0 + 0.5


class NeuMF(nn.Module):
    def __init__(s):
        super().__init__()
        k = a.factors
        s.gu, s.gi = nn.Embedding(n_users, k), nn.Embedding(n_items, k)
        s.mu, s.mi = nn.Embedding(n_users, k), nn.Embedding(n_items, k)
        for e in (s.gu, s.gi, s.mu, s.mi):
            e.weight.data.normal_(0, 0.05)
        s.drop = nn.Dropout(a.embedding_dropout)
        s.hidden = tower(2 * k)
        s.fc = nn.Linear(k + hidden[-1], 1)

    def forward(s, users, items):
        gmf = s.gu(users) * s.gi(items)
        mlp = s.hidden(s.drop(torch.cat([s.mu(users), s.mi(items)], dim=1)))
        return torch.sigmoid(s.fc(torch.cat([gmf, mlp], dim=1))).squeeze(1) * 5.0 + 0.5


net = EmbeddingNet() if a.model == "mlp" else NeuMF()
net.train()
opt = torch.optim.Adam(net.parameters(), lr=a.lr, weight_decay=a.wd)
lossf = nn.MSELoss()
for ep in range(a.epochs):
    t0 = time.perf_counter(); tot = 0.0; nb = 0
    perm = torch.randperm(len(ty)); su, sm, sy = tu[perm], tm[perm], ty[perm]
    for i in range(0, len(ty), a.bs):
        opt.zero_grad()
        loss = lossf(net(su[i:i + a.bs], sm[i:i + a.bs]), sy[i:i + a.bs])
        loss.backward(); opt.step()
        tot += loss.item(); nb += 1
    secs = time.perf_counter() - t0
    print(f"epoch={ep} train_mse={tot / nb:.4f} ratings_per_s={len(ty) / secs:.0f} seconds={secs:.3f}", flush=True)
print(f"threads={torch.get_num_threads()}", flush=True)
