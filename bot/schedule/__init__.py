"""The day runs itself: what is posted when (plan), posting it (posts), keeping jobs in sync."""
