"""Dossier services: every state change of the student's file goes through a function here."""
