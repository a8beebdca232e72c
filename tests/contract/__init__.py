"""Contract tests: the real NetBox against the snapshot emulator."""
