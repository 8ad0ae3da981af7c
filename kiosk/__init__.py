"""窗口无否决权 kiosk: every request ends in a way forward, never a bare no."""
