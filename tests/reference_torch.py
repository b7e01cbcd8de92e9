"""Drive torch.optim (float64) with our surfaces' exact gradients: an independent reference."""

from __future__ import annotations

import numpy as np

TORCH_FACTORY = {
    "sgd": lambda t, p, h: t.optim.SGD([p], lr=h["lr"]),
    "momentum": lambda t, p, h: t.optim.SGD([p], lr=h["lr"], momentum=h["rho"]),
    "nesterov": lambda t, p, h: t.optim.SGD([p], lr=h["lr"], momentum=h["rho"], nesterov=True),
    "rmsprop": lambda t, p, h: t.optim.RMSprop([p], lr=h["lr"], alpha=h["decay"], eps=h["eps"]),
    "adagrad": lambda t, p, h: t.optim.Adagrad([p], lr=h["lr"], eps=h["eps"]),
    "adadelta": lambda t, p, h: t.optim.Adadelta([p], lr=h["lr"], rho=h["rho"], eps=h["eps"]),
    "adam": lambda t, p, h: t.optim.Adam([p], lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"]),
    "amsgrad": lambda t, p, h: t.optim.Adam(
        [p], lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"], amsgrad=True
    ),
    "adamw": lambda t, p, h: t.optim.AdamW(
        [p], lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"], weight_decay=h["weight_decay"]
    ),
    "adamax": lambda t, p, h: t.optim.Adamax([p], lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"]),
    "nadam": lambda t, p, h: t.optim.NAdam([p], lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"]),
    "radam": lambda t, p, h: t.optim.RAdam([p], lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"]),
}


def torch_path(torch, rule: str, surface, start, steps: int, hyper: dict, noise=None, scheduler=None) -> np.ndarray:
    """Path of ``torch.optim`` for ``rule``; the gradient is the surface's exact one (+ noise).
    ``scheduler(opt)`` builds a ``torch.optim.lr_scheduler``, stepped after each update."""
    p = torch.tensor(np.asarray(start, dtype=np.float64), dtype=torch.float64, requires_grad=True)
    opt = TORCH_FACTORY[rule](torch, p, hyper)
    sched = scheduler(opt) if scheduler else None
    path = [p.detach().numpy().copy()]
    for k in range(steps):
        x, y = p.detach().numpy()
        g = np.array(surface.gradient(np.float64(x), np.float64(y)), dtype=np.float64)
        if noise is not None:
            g = g + noise[k]
        p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        if sched is not None:
            sched.step()
        path.append(p.detach().numpy().copy())
    return np.array(path)
