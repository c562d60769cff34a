"""How the project writes points: as a grader writes them. Times are in ``common.nbgrader_times``."""


def plain(value) -> str:
    """A number as a grader writes it: 2.5, 3, never 3.0."""
    return f"{value:g}" if isinstance(value, float) else str(value)
