"""A forked notebook server finds JupyterLab's folders in the resident's home, not the hub's."""

from notebooks.server_forkserver import lab_folders_args


def test_lab_folders_follow_the_residents_environment(monkeypatch, tmp_path):
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    home = tmp_path.resolve()
    assert lab_folders_args() == [
        f"--LabApp.user_settings_dir={home}/.jupyter/lab/user-settings",
        f"--LabApp.workspaces_dir={home}/.jupyter/lab/workspaces",
    ]
