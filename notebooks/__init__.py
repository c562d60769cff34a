"""The Jupyter side: the nbgrader exchange that talks to the LMS, hub helpers, single-user config.

Code here never imports the Django ORM; it talks to the LMS over HTTP.
"""
