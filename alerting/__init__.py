"""Alerts to the owners of failed assets: by e-mail when SMTP is configured, else to a log file."""
