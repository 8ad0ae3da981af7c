"""Pure domain: facts, decisions, catalogue, cases, deadlines, services and ports."""
