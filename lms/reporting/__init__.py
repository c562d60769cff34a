"""Reporting: what staff read across grading, attendance and mentoring (the gradebook, at-risk flags)."""
