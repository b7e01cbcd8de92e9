"""Loss from data: three models with two weights, data sets, minibatches and the regulariser λR(W).

>>> from landscapes.data import DataProblem, data_surface, generators
>>> X, y = generators.regression(200, 0.3, 0.0, seed=0)
>>> surface = data_surface(DataProblem(model="linear", X=X, y=y, batch=32))
>>> round(surface.minima[0][0], 1), round(surface.minima[0][1], 1)  # close to the true (1.5, 0.5)
(1.5, 0.5)
"""

from landscapes.data import generators
from landscapes.data.batches import Batches, plan
from landscapes.data.models import MODELS, REGULARISERS
from landscapes.data.problem import DataProblem, DataSurface, data_surface, find_minima

__all__ = [
    "MODELS",
    "REGULARISERS",
    "Batches",
    "DataProblem",
    "DataSurface",
    "data_surface",
    "find_minima",
    "generators",
    "plan",
]
