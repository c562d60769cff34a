"""What the LMS, the grading sandbox and the Jupyter side share, in plain Python.

Nothing here imports Django, the LMS apps or Jupyter: the hub and notebook
images copy this package and ``notebooks/`` and nothing else. It holds the data
folder and its secrets, confining a process (session, privileges, limits,
network), the fork-server protocol, the rules for archives and the paths in
them, and nbgrader's time formats.
"""
