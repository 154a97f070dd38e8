"""Callback, action and block ids, defined once and shared by the builders and the handlers."""
