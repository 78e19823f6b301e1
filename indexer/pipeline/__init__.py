"""The ingest pipeline: ingest, inbox, watcher, journal, bulk import, failed folder, maintenance."""
