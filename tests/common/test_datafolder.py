"""Secrets in the data folder: created once, atomically, readable by their owner only."""

import multiprocessing
import stat

from common.datafolder import data_dir_close, data_secret, homes_dir


def _read_secret(folder: str, queue) -> None:
    queue.put(data_secret(folder, "shared"))


def test_processes_starting_together_agree_on_one_secret(tmp_path):
    queue = multiprocessing.get_context("fork").Queue()
    workers = [
        multiprocessing.get_context("fork").Process(
            target=_read_secret, args=(str(tmp_path), queue)
        )
        for _ in range(8)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    secrets_seen = {queue.get(timeout=5) for _ in workers}
    assert len(secrets_seen) == 1
    (secret,) = secrets_seen
    assert len(secret) == 64
    assert [path.name for path in tmp_path.iterdir()] == ["shared"]
    assert stat.S_IMODE((tmp_path / "shared").stat().st_mode) == 0o600


def test_a_secret_kept_from_before_is_read_as_it_is(tmp_path):
    (tmp_path / "secret_key").write_text("kept-from-an-older-version\n")
    assert data_secret(tmp_path, "secret_key") == "kept-from-an-older-version"


def test_closing_the_data_folder_leaves_only_homes_reachable(tmp_path):
    (tmp_path / "db.sqlite3").write_text("")
    (tmp_path / "db.sqlite3").chmod(0o644)
    homes = homes_dir(tmp_path)
    data_dir_close(tmp_path)
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o711
    assert stat.S_IMODE((tmp_path / "db.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE(homes.stat().st_mode) == 0o711
