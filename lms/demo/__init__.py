"""The demo residency, composed from each app's own demo data (``make run`` loads it)."""
