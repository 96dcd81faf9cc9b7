"""arnn's seq2seq model (docs/models/seq2seq.md) transcribed to PyTorch, with arnn's parameter names, for
the parity fixture (Tests/Fixtures/make_seq2seq_fixture.py) and the speed comparison
(scripts/bench_pytorch_seq2seq.py). Equation numbers refer to docs/models/seq2seq.md.
"""
import torch
from torch import nn

PAD, BOS, EOS, UNK = 0, 1, 2, 3


class Seq2Seq(nn.Module):
    def __init__(self, vs, vt, d=64, he=128, hd=256, a=128, attention="additive"):
        super().__init__()
        self.attention_kind = attention
        self.source_embedding = nn.Embedding(vs, d)
        self.target_embedding = nn.Embedding(vt, d)
        self.encoder = nn.Module()
        self.encoder.forward_cell = None
        self.enc_f = nn.GRUCell(d, he)
        self.enc_b = nn.GRUCell(d, he)
        self.bridge = nn.Linear(he, hd)
        key = a if attention == "additive" else hd
        self.attention_key = nn.Linear(2 * he, key, bias=False)
        if attention == "additive":
            self.attention_query = nn.Linear(hd, a, bias=False)
            self.attention_v = nn.Parameter(torch.empty(a).uniform_(-a ** -0.5, a ** -0.5))
        self.decoder = nn.GRUCell(d + 2 * he, hd)
        self.output = nn.Linear(hd + 2 * he + d, vt)

    def arnn_state_dict(self):
        """The parameters under arnn's names (docs/checkpoints.md)."""
        names = {
            "source_embedding.weight": self.source_embedding.weight,
            "target_embedding.weight": self.target_embedding.weight,
            "bridge.weight": self.bridge.weight, "bridge.bias": self.bridge.bias,
            "attention.key.weight": self.attention_key.weight,
            "output.weight": self.output.weight, "output.bias": self.output.bias,
        }
        for prefix, cell in (("encoder.forward", self.enc_f), ("encoder.backward", self.enc_b), ("decoder", self.decoder)):
            for p in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                names[f"{prefix}.{p}"] = getattr(cell, p)
        if self.attention_kind == "additive":
            names["attention.query.weight"] = self.attention_query.weight
            names["attention.v"] = self.attention_v
        return names

    def encode(self, sources):
        """sources: list of lists of ids. Returns annotations [B,S,2He], keys, mask bias [B,S], s0."""
        b, s = len(sources), max(len(x) for x in sources)
        ids = torch.tensor([[x[i] if i < len(x) else 0 for i in range(s)] for x in sources])
        mask = torch.tensor([[1.0 if i < len(x) else 0.0 for i in range(s)] for x in sources])
        e = self.source_embedding(ids)                                   # (1)
        h = e.new_zeros(b, self.enc_f.hidden_size)
        fwd = []
        for i in range(s):                                               # (2)
            n = self.enc_f(e[:, i], h)
            h = h + mask[:, i:i + 1] * (n - h)
            fwd.append(h)
        h = e.new_zeros(b, self.enc_b.hidden_size)
        bwd = [None] * s
        for i in reversed(range(s)):                                     # (3)
            n = self.enc_b(e[:, i], h)
            h = h + mask[:, i:i + 1] * (n - h)
            bwd[i] = h
        ann = torch.stack([torch.cat([fwd[i], bwd[i]], -1) for i in range(s)], 1)   # (4)
        keys = self.attention_key(ann)
        bias = (1 - mask) * -1e9
        s0 = torch.tanh(self.bridge(bwd[0]))                             # (5)
        return ann, keys, bias, s0

    def step(self, prev, state, ann, keys, bias):
        y = self.target_embedding(torch.tensor(prev))
        if self.attention_kind == "additive":                            # (6a)
            scores = torch.tanh(keys + self.attention_query(state)[:, None, :]) @ self.attention_v
        else:                                                            # (6b)
            scores = (keys @ state[:, :, None])[:, :, 0] / keys.shape[-1] ** 0.5
        w = torch.softmax(scores + bias, -1)                             # (7)
        ctx = (w[:, None, :] @ ann)[:, 0]                                 # (8)
        state = self.decoder(torch.cat([y, ctx], -1), state)            # (9)
        logits = self.output(torch.cat([state, ctx, y], -1))             # (10)
        return state, logits, scores, w, ctx

    def teacher_forcing(self, sources, targets):
        """Logits [T, B, V] for inputs <bos> y… and the padded targets y… <eos> [T, B]."""
        ann, keys, bias, state = self.encode(sources)
        steps = max(len(t) for t in targets) + 1
        inputs = [[BOS if i == 0 else (t[i - 1] if i <= len(t) else PAD) for t in targets] for i in range(steps)]
        outs = [[t[i] if i < len(t) else (EOS if i == len(t) else PAD) for t in targets] for i in range(steps)]
        logits = []
        for i in range(steps):
            state, l, *_ = self.step(inputs[i], state, ann, keys, bias)
            logits.append(l)
        return torch.stack(logits), torch.tensor(outs)
