"""Grading a class: find submissions, grade each in its own processes, record and report."""
