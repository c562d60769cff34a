# The hub for Kubernetes (Zero to JupyterHub): the chart's hub image plus the
# project's Django-free common/ package and notebooks/, which holds the LMS sign-in.
FROM quay.io/jupyterhub/k8s-hub:4.2.0
RUN pip install --no-cache-dir oauthenticator==17.4.0
COPY common /srv/residency/common
COPY notebooks /srv/residency/notebooks
ENV PYTHONPATH=/srv/residency
