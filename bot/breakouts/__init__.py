"""Breakout groups of an event, stored: drafting with the assignment engine, pins, publishing."""
