"""Case repositories (TinyDB embedded default)."""
