"""The grading pipeline: nbgrader as a library, the sandbox, and the kernel fork server."""

import sys

# jsonschema checks the "iri" string format with rfc3987-syntax, which compiles a
# grammar when imported: about a second in every process that reads a notebook.
# No schema the grader validates (nbformat's, nbgrader's) uses string formats, so
# the grader's processes go without that checker. Must run before jsonschema loads.
sys.modules.setdefault("rfc3987_syntax", None)
