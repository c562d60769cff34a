"""The demo residency loaded by ``manage.py load_demo``: people, a cohort, its syllabus, seminars."""
