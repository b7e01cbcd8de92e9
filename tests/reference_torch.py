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
    "asgd": lambda t, p, h: t.optim.ASGD([p], lr=h["lr"], lambd=h["lambd"], alpha=h["alpha"], t0=h["t0"]),
    "rprop": lambda t, p, h: t.optim.Rprop(
        [p], lr=h["lr"], etas=(h["etaminus"], h["etaplus"]), step_sizes=(h["step_size_min"], h["step_size_max"])
    ),
}


def _lion(t, p, h):
    from lion_pytorch import Lion

    return Lion([p], lr=h["lr"], betas=(h["beta1"], h["beta2"]), weight_decay=h["weight_decay"])


def _adopt(t, p, h):
    from pytorch_optimizer import ADOPT

    return ADOPT([p], lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"])


def _schedulefree(t, p, h, name):
    import schedulefree

    common = {"warmup_steps": h["warmup_steps"], "r": h["r"], "weight_lr_power": h["weight_lr_power"]}
    if name == "sgd":
        opt = schedulefree.SGDScheduleFree([p], lr=h["lr"], momentum=h["rho"], **common)
    else:
        opt = schedulefree.AdamWScheduleFree([p], lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"], **common)
    opt.train()  # the package's train mode: the parameter is y, where the gradient is taken
    return opt


def lbfgs(t, p, h):
    """``torch.optim.LBFGS(max_iter=1)`` at our settings ``h``: one ``.step(closure)`` is one step (its
    closure-driven step is not ``torch_path``'s, so it is not in ``TORCH_FACTORY``)."""
    return t.optim.LBFGS(
        [p],
        lr=h["lr"],
        max_iter=1,
        max_eval=int(h["max_eval"]),
        tolerance_grad=h["tolerance_grad"],
        tolerance_change=h["tolerance_change"],
        history_size=int(h["history_size"]),
        line_search_fn="strong_wolfe" if h["line_search"] else None,
    )


# Rules torch.optim does not have: their authors' packages (requirements-dev.txt).
TORCH_FACTORY |= {
    "lion": _lion,
    "adopt": _adopt,
    "schedulefree_sgd": lambda t, p, h: _schedulefree(t, p, h, "sgd"),
    "schedulefree_adamw": lambda t, p, h: _schedulefree(t, p, h, "adamw"),
}


def torch_path(torch, rule: str, surface, start, steps: int, hyper: dict, noise=None, scheduler=None) -> np.ndarray:
    """Path of ``torch.optim`` for ``rule``; the gradient is the surface's exact one (+ noise).
    ``scheduler(opt)`` builds a ``torch.optim.lr_scheduler``, stepped after each update."""
    p = torch.tensor(np.asarray(start, dtype=np.float64), dtype=torch.float64, requires_grad=True)
    default = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)  # ASGD keeps its eta and mu in the default dtype
    try:
        opt = TORCH_FACTORY[rule](torch, p, hyper)
        return _steps(torch, opt, p, surface, steps, noise, scheduler(opt) if scheduler else None)
    finally:
        torch.set_default_dtype(default)


def _steps(torch, opt, p, surface, steps, noise, sched) -> np.ndarray:
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
