"""Names as people write them: scripts, the order of a name's parts, and sorting by family name."""
