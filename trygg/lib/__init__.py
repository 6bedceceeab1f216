"""Framework-light helpers shared by the apps: PII detection (pii), geo and H3 (geo). No Django imports."""
