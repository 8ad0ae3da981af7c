"""Rules YAML and centre pack loading, validation and the durable_rules classifier."""
