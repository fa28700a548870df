"""Getting data out: a full JSON export of one meeting, and backups of a SQLite database."""
