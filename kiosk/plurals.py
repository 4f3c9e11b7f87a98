"""Words that change with a number ("1 second", "30 seconds"): every one goes through here.

`plural` takes what Flask-Babel's `ngettext` takes, so the languages work swaps its body for
`ngettext(singular, plural, num)` and every count on every page follows the patient's language.
"""


def plural(singular: str, plural: str, num: int | None) -> str:
    """`singular` or `plural` with the number put in as `%(num)s`; None, a number still being
    typed in the console, reads as the plural with a question mark."""
    if num is None:
        return plural % {"num": "?"}
    return (singular if num == 1 else plural) % {"num": num}
