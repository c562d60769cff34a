"""A fork server for the tests: each child confines itself as asked, then sleeps or fails."""

import os
import sys
import time

from common import confinement, forkserver


def become_sleeper(request: dict, reply: forkserver.Reply) -> int:
    if request.get("fail"):
        raise ValueError("asked to fail")
    confinement.confine(request.get("confine", {}))
    with open(request["report"], "w") as report:
        report.write(f"{os.getuid()} {os.getgid()} {os.getsid(0) == os.getpid()} {os.getcwd()}")
    reply.started()
    time.sleep(request.get("seconds", 60))
    return 0


if __name__ == "__main__":
    forkserver.preload(["json"])
    forkserver.serve(
        sys.argv[1],
        become_sleeper,
        children_outlive_server=os.environ.get("SLEEPER_KILL_CHILDREN") != "1",
    )
