"""Words in dates and times (bot.timefmt): 'torsdag 22 april 2021 kl. 08:30'."""

_WEEKDAYS = {
    "sv": ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
_MONTHS = {
    "sv": [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}

# dates.weekday.1 is Monday (ISO weekday numbers), dates.month.1 is January
TEXTS = {
    lang: {
        "dates.at": {"sv": "kl.", "en": "at"}[lang],
        **{f"dates.weekday.{n}": name for n, name in enumerate(_WEEKDAYS[lang], start=1)},
        **{f"dates.month.{n}": name for n, name in enumerate(_MONTHS[lang], start=1)},
    }
    for lang in ("sv", "en")
}
