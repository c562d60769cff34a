"""Running a sanitized notebook in the sandbox with nbgrader's ``Execute`` preprocessor.

nbgrader's preprocessor already turns a cell timeout or an exception into an
error output (and so zero points). Two things it leaves to the caller, which
this subclass adds: a kernel that dies (``os._exit``, the memory limit, a
crash) fails the whole notebook in nbgrader; here the cell that killed it and
every later cell get an error output with the reason, so they score zero and
the rest of the submission is still graded. And output is capped while it
arrives, so ``print`` in a loop cannot fill the grader's memory.
"""

import threading

from nbclient.exceptions import DeadKernelError
from nbformat import v4
from nbgrader.preprocessors import Execute

from .sandbox import SandboxedKernelManager

KERNEL_DIED = "KernelDied"
NOT_RUN = "NotRun"
NOTEBOOK_TIMEOUT = "NotebookTimeout"
OUTPUT_TRUNCATED = "\n[output truncated by the grader: more than {limit} bytes]\n"


def _error(ename: str, evalue: str):
    return v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class SandboxedExecute(Execute):
    """nbgrader's ``Execute`` with a dead-kernel policy, a notebook deadline and an output cap."""

    def __init__(self, *, notebook_timeout: int, output_bytes_per_cell: int, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(**kwargs)
        self.notebook_timeout = notebook_timeout
        self.output_bytes_per_cell = output_bytes_per_cell
        self.current_cell_index = None
        self.timed_out = False
        self._output_bytes: dict[int, int] = {}

    def on_cell_start(self, **kwargs):
        self.current_cell_index = kwargs.get("cell_index")

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        size = len(content.get("text", "")) + sum(
            len(str(v)) for v in content.get("data", {}).values()
        )
        used = self._output_bytes.get(cell_index, 0)
        self._output_bytes[cell_index] = used + size
        if used > self.output_bytes_per_cell:
            return None
        if used + size > self.output_bytes_per_cell:
            outs.append(
                v4.new_output(
                    "stream",
                    name="stdout",
                    text=OUTPUT_TRUNCATED.format(limit=self.output_bytes_per_cell),
                )
            )
            return None
        return super().output(outs, msg, display_id, cell_index)

    def _kill_after_deadline(self):
        self.timed_out = True
        if isinstance(self.km, SandboxedKernelManager):
            self.km.kill_process_group()

    def preprocess(self, nb, resources=None, km=None):
        timer = threading.Timer(self.notebook_timeout, self._kill_after_deadline)
        timer.daemon = True
        timer.start()
        try:
            return super().preprocess(nb, resources, km=km)
        except DeadKernelError:
            self._mark_unfinished_cells(nb)
            return nb, resources
        except RuntimeError as error:
            if "Kernel died" not in str(error):
                raise
            self.current_cell_index = 0
            self._mark_unfinished_cells(nb)
            return nb, resources
        finally:
            timer.cancel()
            if isinstance(self.km, SandboxedKernelManager):
                self.km.kill_process_group()

    def _mark_unfinished_cells(self, nb):
        start = self.current_cell_index or 0
        if self.timed_out:
            reason = (
                NOTEBOOK_TIMEOUT,
                f"the notebook ran longer than {self.notebook_timeout} seconds and was stopped",
            )
        else:
            reason = (
                KERNEL_DIED,
                "the kernel stopped while running this cell (os._exit, a crash, or the memory limit)",
            )
        for index, cell in enumerate(nb.cells[start:], start=start):
            if cell.cell_type != "code":
                continue
            if index == start:
                cell.outputs = [*cell.get("outputs", []), _error(*reason)]
            else:
                cell.outputs = [_error(NOT_RUN, "not run: the kernel had already stopped")]
