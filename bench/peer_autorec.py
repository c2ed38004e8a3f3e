#!/usr/bin/python3
"""Peer reference for AutoRec (Debian python3-torch; run with /usr/bin/python3): I-AutoRec written
densely as in the paper (movies x users matrix with a mask, Adam, PyTorch Linear init, decoder
bias from 0, unseen movies predicted 3) on MovieLens 100K u-folds.
Usage: peer_autorec.py HIDDEN LAMBDA EPOCHS LR FOLDS BATCH, e.g. 500 200 25 1e-3 1 256.
Prints fold, epoch, test RMSE and seconds every 50 epochs and at the end."""
import sys, time, torch, numpy as np
import sys, time, torch, numpy as np
torch.set_num_threads(2); torch.manual_seed(0)
import os; D=os.environ.get('ML100K', os.path.join(os.path.dirname(__file__), '../../shared/data/ml-100k'))+'/'
def load(f):
    a=np.loadtxt(D+f,dtype=np.int64)[:,:3]; return a
H=int(sys.argv[1]) if len(sys.argv)>1 else 500
lam=float(sys.argv[2]) if len(sys.argv)>2 else 1.0
epochs=int(sys.argv[3]) if len(sys.argv)>3 else 200
lr=float(sys.argv[4]) if len(sys.argv)>4 else 1e-3
folds=sys.argv[5].split(',') if len(sys.argv)>5 else ['1']
tot=0
for k in folds:
    tr=load(f'u{k}.base'); te=load(f'u{k}.test')
    nu,ni=943,1682
    R=torch.zeros(ni,nu); M=torch.zeros(ni,nu)
    R[tr[:,1]-1,tr[:,0]-1]=torch.tensor(tr[:,2],dtype=torch.float32); M[tr[:,1]-1,tr[:,0]-1]=1
    enc=torch.nn.Linear(nu,H); dec=torch.nn.Linear(H,nu)
    params=list(enc.parameters())+list(dec.parameters())
    opt=torch.optim.Adam(params,lr=lr)
    t0=time.time()
    bs=int(sys.argv[6]) if len(sys.argv)>6 else 256
    for ep in range(epochs):
        perm=torch.randperm(ni)
        for b in range(0,ni,bs):
            idx=perm[b:b+bs]
            out=dec(torch.sigmoid(enc(R[idx])))
            loss=(((out-R[idx])*M[idx])**2).sum() + lam/2*(enc.weight.pow(2).sum()+dec.weight.pow(2).sum())*len(idx)/ni
            opt.zero_grad(); loss.backward(); opt.step()
        if ep%50==49 or ep==epochs-1:
            with torch.no_grad():
                P=dec(torch.sigmoid(enc(R)))
                p=P[te[:,1]-1,te[:,0]-1].clamp(1,5)
                seen_i=M.sum(1)>0
                p=torch.where(seen_i[te[:,1]-1],p,torch.full_like(p,3.0))
                rmse=((p-torch.tensor(te[:,2],dtype=torch.float32))**2).mean().sqrt().item()
            print(k,ep+1,round(rmse,4),round(time.time()-t0,1),flush=True)
    tot+=rmse
print('mean',tot/len(folds))
