"""A school's protocol configuration (issue: protocols as configuration) lives here."""
