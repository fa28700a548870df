"""The host's workspace of a meeting: its menu, overview, people pages and the desk on the day."""
