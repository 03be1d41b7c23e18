"""Grading: hidden checks as pytest files, the zoo of wrong answers, and the validator.

- implementations: build the namespace under test (reference, notebook, or mutant).
- plugin: the pytest plugin (--implementation, --results, fixtures, the part marker).
- checks, gradients: helpers that hidden checks call; mutants: the zoo and mistake matching.
- results: one CheckResult per check, scored per part; validate: the chapter validator.
"""
