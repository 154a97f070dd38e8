"""Calendar invitations (.ics) for a registration: built, recorded and updated."""
