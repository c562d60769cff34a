"""The syllabus as Wagtail pages: program home, cohort syllabi, weeks, lessons, seminars."""
