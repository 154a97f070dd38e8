"""Texts about breakout groups shared by the scheduler and the coordinators' tools."""

TEXTS = {
    "sv": {
        "breakouts.no_draft": "Det finns ingen gruppindelning att publicera för `{slug}` än. Den tas fram när anmälan stänger, eller med `/samordna flytta`.",
        "breakouts.unknown_group": "Gruppen `{group}` finns inte i evenemanget.",
        "breakouts.not_registered": "<@{user}> är inte anmäld (med plats) till evenemanget.",
    },
    "en": {
        "breakouts.no_draft": "There is no group assignment to publish for `{slug}` yet. It is drafted when registration closes, or with `/samordna flytta`.",
        "breakouts.unknown_group": "The group `{group}` is not part of the event.",
        "breakouts.not_registered": "<@{user}> is not registered (with a seat) for the event.",
    },
}
