"""Het gedragsprotocol (GP-n, SV-n) — built by its own issue on the dossier and deadlines."""
