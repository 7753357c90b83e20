"""rightstrack: track UN human rights recommendations from the documents to evidence of change."""

__version__ = "0.1.0"
