"""The workshop half of the day: group notes, regroup summaries, the documentation, follow-up."""
