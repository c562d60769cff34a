"""Requests at the same moment: threads with their own database connections."""

import threading
import time

from django.db import OperationalError, connection


def at_the_same_moment(work, arguments: list) -> list:
    """Run ``work(argument)`` for every argument in its own thread and database connection,
    all released together like simultaneous web requests; returns the results in order.

    SQLite's shared in-memory test database answers "database table is locked" instead of
    waiting, as the LMS's file database does (busy_timeout) and PostgreSQL does (the row
    lock), so a request that meets it tries again, as a waiting server would.
    """
    barrier = threading.Barrier(len(arguments))
    results: list = [None] * len(arguments)

    def run(index, argument):
        barrier.wait()
        try:
            for attempt in range(200):
                try:
                    results[index] = work(argument)
                    return
                except OperationalError as error:
                    if "locked" not in str(error) or attempt == 199:
                        raise
                    time.sleep(0.01)
        except Exception as error:  # noqa: BLE001 - the test asserts on what each request got
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(arguments)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
