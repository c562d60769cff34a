# Residents' notebook servers for DockerSpawner or KubeSpawner: JupyterLab with
# nbgrader's Assignments panel and the project's LMS exchange, and the same
# pinned libraries the grader runs (requirements.txt).
FROM python:3.11-slim-bookworm
RUN useradd --create-home --uid 1000 jovyan
COPY requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt
COPY common /opt/residency/common
COPY notebooks /opt/residency/notebooks
COPY notebooks/jupyter_config /etc/residency-lms/jupyter_config
COPY notebooks/jupyter_data /etc/residency-lms/jupyter_data
ENV PYTHONPATH=/opt/residency JUPYTER_CONFIG_PATH=/etc/residency-lms/jupyter_config \
    JUPYTER_PATH=/etc/residency-lms/jupyter_data
USER jovyan
WORKDIR /home/jovyan
CMD ["jupyterhub-singleuser"]
