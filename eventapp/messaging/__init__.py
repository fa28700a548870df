"""Messages from the hosts to a filtered group of a meeting's participants, each in the reader's language."""
