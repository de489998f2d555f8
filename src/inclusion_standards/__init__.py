"""nis: the National Inclusion Standards rules engine and validator."""
