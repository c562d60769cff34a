"""Notebook assignments, submissions, the grading pipeline and per-resident progress records."""
