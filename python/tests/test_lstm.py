"""The LSTM baseline's step (its parity with arnn is Tests/ModelsTests/LSTMTests.swift's fixture)."""

import torch

from arnn_torch import LSTMBaseline, LSTMConfig


def test_stepping_gives_the_fused_forward_logits_and_state():
    torch.manual_seed(3)
    model = LSTMBaseline(LSTMConfig(inputSize=5, outputSize=4, hiddenSize=8, layers=2))
    x = torch.rand(3, 6, 5)
    logits, inner = model(x, internals=True)
    state, steps = None, []
    for t in range(x.shape[1]):
        y, state = model.step(x[:, t], state)
        steps.append(y)
        for k, (h, c) in enumerate(state):
            assert torch.allclose(h, inner["hidden"][:, t, k], atol=1e-6)
            assert torch.allclose(c, inner["cell"][:, t, k], atol=1e-6)
    assert torch.allclose(torch.stack(steps, 1), model(x), atol=1e-6)
    assert torch.allclose(torch.stack(steps, 1), logits, atol=1e-6)


def test_step_gradients_reach_the_lstm_weights():
    torch.manual_seed(4)
    model = LSTMBaseline(LSTMConfig(inputSize=3, outputSize=2, hiddenSize=4))
    _, state = model.step(torch.rand(2, 3))                  # from zero, W_hh gets no gradient: step twice
    y, _ = model.step(torch.rand(2, 3), state)
    y.sum().backward()
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in model.parameters())
