"""Block Kit built by pure functions with slack_sdk models (to_dict() validates Slack's limits)."""
