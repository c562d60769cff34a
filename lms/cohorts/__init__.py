"""Cohorts: the group of residents who go through the 16 weeks together, and their mentors."""
