"""Services of the schools app: every state change of organisation and people goes through here."""
