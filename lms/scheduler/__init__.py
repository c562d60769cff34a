"""The scheduler: every minute it runs the jobs that apps register (publishing, reminders, ...).

It knows no app: each app registers its jobs in its ``AppConfig.ready``.
"""
