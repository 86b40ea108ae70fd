"""Connectors to live source systems (APIs); file and SQL readers are in sources/readers.py."""
