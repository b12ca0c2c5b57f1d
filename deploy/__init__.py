"""Serving the dashboard as several replicas behind HAProxy (`make serve REPLICAS=2`)."""
