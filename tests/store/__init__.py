"""Tests of the case stores (kiosk.store)."""
