"""Framework-light helpers shared by the apps, importing no domain app: PII detection and redaction (pii) and
geo/H3 (geo) with no Django imports; formfields (form fields that turn junk into Swedish validation errors)
and admin_read_only (an admin that shows rows and links to the app page that edits them) for Django."""
