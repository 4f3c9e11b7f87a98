"""Words that change with a number ("1 second", "30 seconds"): every one goes through here, to
Flask-Babel's `ngettext`, so each count on every page follows the patient's language and its
plural rules (one form in Chinese, six in Arabic). `pybabel extract -k plural:1,2` finds them.
"""

from flask_babel import get_translations, ngettext


def plural(singular: str, plural: str, num: int | None) -> str:
    """`singular` or `plural` in the page's language with the number put in as `%(num)s`;
    None, a number still being typed in the console, reads as the plural with a question mark."""
    if num is None:
        return get_translations().ngettext(singular, plural, 2) % {"num": "?"}
    return ngettext(singular, plural, num)
