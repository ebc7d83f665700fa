"""De leerlingbespreking (LB-n) — built by its own issue on the dossier and deadlines."""
