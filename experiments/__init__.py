"""Noord/Oost experiments: registry, enrolment, ervaringswerkers' logbook, evaluation.

The household access rule for enrolled households (:mod:`experiments.access`) is
registered by ``app.bootstrap.bootstrap()``, not by importing this package.
"""
