"""Receipt layout and the ESC/POS adapter."""
