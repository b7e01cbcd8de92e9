"""The Schedule-Free rules' common part (Defazio et al. 2024, "The Road Less Scheduled"), as the
``schedulefree`` package's ``SGDScheduleFree`` and ``AdamWScheduleFree`` step in train mode.

Per step k = 0, 1, ... (lr_max_0 = -1, weight_sum_0 = 0, z_0 = y_0 = x_0 = theta_0):

    sched     = (k + 1) / warmup_steps   if k < warmup_steps,  else 1
    lr_k      = lr * sched
    lr_max    = max(lr_k, lr_max)
    w_k       = (k + 1)^r * lr_max^weight_lr_power
    c_k       = w_k / (weight_sum += w_k)               (0 if the sum is 0)
    y         = lerp(y, z, c_k) + lr_k * (beta * (1 - c_k) - 1) * d_k
    z         = z - lr_k * d_k
    x         = lerp(y, z, 1 - 1/beta)                  (the package's eval-mode parameter)

with d_k the gradient (SGD) or the gradient divided by Adam's bias-corrected root of v (AdamW), and
beta the momentum (SGD) or beta1 (AdamW). The gradient is taken at y, the parameter in train mode,
which is the drawn path; x, the average of the z sequence, is a state slot drawn beside it.
"""

from __future__ import annotations

import numpy as np
from numba.extending import register_jitable

from optimizers.branch import lerp, select

SLOT_WORDS = {
    "step": "update count k",
    "z": "z: the plain gradient-descent sequence",
    "x": "x: the average of the z sequence (the evaluation point, drawn beside the path)",
    "lr_max": "the largest learning rate so far",
    "weight_sum": "sum of the averaging weights",
}


@register_jitable
def weights(k, lr_max, weight_sum, hyper):
    """(lr_k, lr_max, weight_sum, c_k) of step k, as the package computes them."""
    w = hyper.warmup_steps
    sched = select(k < w, (k + 1.0) / select(w > 0.0, w, 1.0), 1.0)
    lr = hyper.lr * sched
    lr_max = np.maximum(lr, lr_max)
    weight = (k + 1.0) ** hyper.r * lr_max**hyper.weight_lr_power
    weight_sum = weight_sum + weight
    ckp1 = select(weight_sum != 0.0, weight / select(weight_sum != 0.0, weight_sum, 1.0), 0.0)
    return lr, lr_max, weight_sum, ckp1


@register_jitable
def move(y, z, d, lr, ckp1, beta):
    """The y and z steps and the averaged point x, for the direction d."""
    y = lerp(y, z, ckp1) + d * (lr * (beta * (1.0 - ckp1) - 1.0))
    z = z - d * lr
    # beta = 0 (outside the package's range) keeps y = z, so x = y is the limit; no division by 0
    return y, z, select(beta > 0.0, lerp(y, z, 1.0 - 1.0 / select(beta > 0.0, beta, 1.0)), y)
