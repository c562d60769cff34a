"""Fetched notebooks written as this JupyterLab would save them, so opening one changes nothing.

As soon as JupyterLab opens a notebook it stamps it with the kernel it started
(``kernelspec``) and that kernel's ``language_info``, and gives every cell an id
(nbformat 4.5). A notebook authored on another machine therefore showed as
unsaved the moment it opened, and asked to be saved on close though the
resident had changed nothing. Fetching writes those fields as the local kernel
will report them, so the first change a resident sees marked is their own.
"""

import os
import shutil
import sys

import nbformat
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from nbformat.corpus.words import generate_corpus_id

DEFAULT_KERNEL = "python3"
# jupyter_client runs a kernel whose command starts with one of these names with the
# server's own interpreter, so that interpreter's ipykernel is the one that will answer.
SAME_PYTHON = {
    "python",
    f"python{sys.version_info[0]}",
    f"python{sys.version_info[0]}.{sys.version_info[1]}",
}


def notebook_as_lab_saves_it(raw: bytes, *, kernel_specs: KernelSpecManager | None = None) -> bytes:
    """``raw`` with the local kernel's metadata and cell ids; unchanged unless it is a valid
    v4 notebook.

    Anything else is written exactly as the LMS sent it: JupyterLab then explains
    what is wrong with it, and nothing is lost.
    """
    try:
        notebook = nbformat.reads(raw.decode("utf-8"), as_version=nbformat.NO_CONVERT)
        nbformat.validate(notebook)
    except Exception:  # noqa: BLE001 - any unreadable or invalid file is passed on untouched
        return raw
    if notebook.get("nbformat") != 4:
        return raw
    if notebook.get("nbformat_minor", 0) < 5:
        for cell in notebook.get("cells", []):
            cell.setdefault("id", generate_corpus_id())
        notebook["nbformat_minor"] = 5
    metadata = notebook.setdefault("metadata", nbformat.NotebookNode())
    wanted = (metadata.get("kernelspec") or {}).get("name") or DEFAULT_KERNEL
    kernel = lab_kernel(wanted, kernel_specs or KernelSpecManager())
    if kernel is not None:
        kernelspec, language_info = kernel
        metadata["kernelspec"] = kernelspec
        if language_info is not None:
            metadata["language_info"] = language_info
    return nbformat.writes(notebook).encode("utf-8")


def lab_kernel(wanted: str, kernel_specs: KernelSpecManager) -> tuple[dict, dict | None] | None:
    """The ``kernelspec`` JupyterLab will write for a notebook asking for ``wanted``, and the
    ``language_info`` its kernel will report when that can be known without starting it."""
    try:
        spec = kernel_specs.get_kernel_spec(wanted)
    except NoSuchKernel:
        return None
    kernelspec = {"display_name": spec.display_name, "language": spec.language, "name": wanted}
    return kernelspec, _ipykernel_language_info(spec.argv)


def _ipykernel_language_info(argv: list[str]) -> dict | None:
    if len(argv) < 3 or argv[1:3] != ["-m", "ipykernel_launcher"]:
        return None
    interpreter = argv[0]
    same = interpreter in SAME_PYTHON or _same_file(interpreter, sys.executable)
    if not same:
        return None
    # Imported here, not at the top: IPython is large and the server should not load it
    # before a resident fetches something.
    from ipykernel.ipkernel import IPythonKernel

    return dict(IPythonKernel.language_info)


def _same_file(command: str, path: str) -> bool:
    found = shutil.which(command)
    return bool(found) and os.path.realpath(found) == os.path.realpath(path)
