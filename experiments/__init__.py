"""Noord/Oost experiments: registry, enrolment, ervaringswerkers' logbook, evaluation.

Importing the package registers the access rule for enrolled households
(:mod:`experiments.access`), so it is active wherever the models are loaded.
"""

from experiments import access as _access  # noqa: F401  (registers household rules)
