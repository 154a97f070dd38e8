"""The words /anmal understands; an event slug may not be one of them (checked by the schema)."""

ACTION_WORDS = {
    "groups": {"grupp", "grupper", "group", "groups"},
    "status": {"status", "visa", "show"},
    "cancel": {"avanmal", "avanmäl", "avboka", "cancel"},
    "erase": {"radera", "erase", "delete", "gdpr"},
    "help": {"hjalp", "hjälp", "help", "?"},
    "mydata": {"mina-uppgifter", "minauppgifter", "uppgifter", "mydata", "my-data"},
}
LANGUAGE_WORDS = {"sv", "en", "svenska", "english"}
RESERVED = frozenset(set().union(*ACTION_WORDS.values(), LANGUAGE_WORDS))
