"""Fetched notebooks carry the metadata this JupyterLab's kernel will report, so opening one
does not mark it unsaved."""

import json
from pathlib import Path

import nbformat
import nbgrader
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import start_new_kernel

from notebooks.kernel_metadata import notebook_as_lab_saves_it
from tests.assignments.conftest import source_notebook

FROM_ANOTHER_MACHINE = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python", "version": "3.6.9", "pygments_lexer": "ipython3"},
}


def _release_notebook(**metadata) -> nbformat.NotebookNode:
    notebook = source_notebook(
        ("solution", "answer", "def answer():\n    # YOUR CODE HERE\n    raise NotImplementedError()"),
        ("test", "check", "assert answer() == 42", 3),
    )  # fmt: skip
    notebook.metadata.update(metadata)
    return notebook


def _rewritten(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    return nbformat.reads(notebook_as_lab_saves_it(nbformat.writes(notebook).encode()), 4)


@pytest.fixture(scope="module")
def kernel_reports() -> dict:
    """What a real kernel started here reports: JupyterLab writes exactly this on open."""
    manager, client = start_new_kernel(kernel_name="python3")
    try:
        reply = client.kernel_info(reply=True, timeout=30)
        spec = manager.kernel_spec
        return {
            "kernelspec": {
                "name": "python3", "display_name": spec.display_name, "language": spec.language
            },
            "language_info": reply["content"]["language_info"],
        }  # fmt: skip
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def test_a_notebook_from_another_machine_gets_the_local_kernels_metadata(kernel_reports):
    rewritten = _rewritten(_release_notebook(**FROM_ANOTHER_MACHINE))
    assert rewritten.metadata.kernelspec == kernel_reports["kernelspec"]
    assert rewritten.metadata.language_info == kernel_reports["language_info"]


def test_only_metadata_changes_not_the_cells():
    original = _release_notebook(**FROM_ANOTHER_MACHINE)
    rewritten = _rewritten(original)
    assert rewritten.cells == original.cells
    nbformat.validate(rewritten)


def test_an_older_minor_version_gets_cell_ids_without_extra_metadata():
    older = _release_notebook()
    older.nbformat_minor = 4
    for cell in older.cells:
        del cell["id"]
    raw = json.dumps(older).encode()
    rewritten = nbformat.reads(notebook_as_lab_saves_it(raw), nbformat.NO_CONVERT)
    assert rewritten.nbformat_minor == 5
    assert all(cell.get("id") for cell in rewritten.cells)
    assert len({cell.id for cell in rewritten.cells}) == len(rewritten.cells)
    assert "orig_nbformat_minor" not in rewritten.metadata
    nbformat.validate(rewritten)


def test_a_notebook_for_a_kernel_not_installed_here_keeps_its_kernelspec():
    r_notebook = {"display_name": "R", "language": "R", "name": "ir"}
    rewritten = _rewritten(_release_notebook(kernelspec=r_notebook))
    assert rewritten.metadata.kernelspec == r_notebook
    assert "language_info" not in rewritten.metadata


def test_a_kernel_not_started_with_this_python_gets_no_guessed_language_info(tmp_path):
    kernels = tmp_path / "kernels" / "other-python"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(
        json.dumps({
            "argv": ["/opt/other/bin/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Other Python", "language": "python",
        })
    )  # fmt: skip
    specs = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
    notebook = _release_notebook(
        kernelspec={
            "name": "other-python",
            "display_name": "Python elsewhere",
            "language": "python",
        }
    )
    raw = notebook_as_lab_saves_it(nbformat.writes(notebook).encode(), kernel_specs=specs)
    rewritten = nbformat.reads(raw, 4)
    assert rewritten.metadata.kernelspec["display_name"] == "Other Python"
    assert "language_info" not in rewritten.metadata


@pytest.mark.parametrize(
    "raw",
    [b"", b"not json at all", b'{"cells": [', b'{"nbformat": 3, "nbformat_minor": 0}',
     b"\xff\xfe\x00garbage"],
)  # fmt: skip
def test_a_file_that_is_not_a_v4_notebook_is_written_exactly_as_sent(raw):
    assert notebook_as_lab_saves_it(raw) == raw


def test_an_invalid_notebook_is_written_exactly_as_sent():
    """A code cell without outputs used to make the rewrite itself fail, and the fetch with it."""
    notebook = _release_notebook()
    del notebook.cells[0]["outputs"]
    raw = json.dumps(notebook).encode()
    assert notebook_as_lab_saves_it(raw) == raw


NBGRADER_NOTEBOOKS = sorted((Path(nbgrader.__file__).parent).glob("**/*.ipynb"))


@pytest.mark.parametrize("path", NBGRADER_NOTEBOOKS, ids=lambda path: path.name)
def test_nbgraders_own_notebooks_keep_their_cells(path):
    """Every notebook nbgrader ships (its docs' course and its test files, some malformed on
    purpose) comes out valid with the same cells, or exactly as it went in."""
    raw = path.read_bytes()
    rewritten = notebook_as_lab_saves_it(raw)
    if rewritten == raw:
        return
    before, after = nbformat.reads(raw.decode(), 4), nbformat.reads(rewritten.decode(), 4)
    nbformat.validate(after)
    assert [(c.cell_type, c.source, c.metadata) for c in after.cells] == [
        (c.cell_type, c.source, c.metadata) for c in before.cells
    ]
