"""Accounts, roles, sessions, second factor and the audit log."""
