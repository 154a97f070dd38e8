"""E-mail to people Slack will not let the bot DM: built by pure functions (no sending here)."""
