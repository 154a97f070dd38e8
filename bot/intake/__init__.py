"""A person's registration actions end to end: the rule (bot.registration) plus the messages it
queues (the confirmation DM, a late join link from bot.schedule), and the inbox that takes form
submissions in arrival order. Above both registration and schedule, so neither imports the
other."""
