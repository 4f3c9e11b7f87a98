"""The languages patients read the screen and their sheets in (issue 16), the Flask way.

Flask-Babel translates the words the kiosk itself says (`_()` and `ngettext` in code and
templates, catalogues in kiosk/translations/, compiled by `make`); dates and numbers follow the
language too. Which language a page speaks: `?lang=CODE` (a QR code can carry it, and the choice
is kept in a cookie for that phone), else that cookie, else the best of the browser's
Accept-Language, else the clinic's own (English). Only languages patients may be offered are
ever chosen: those the kiosk has words for (a compiled catalogue) and the clinic has approved,
its safety content translated and checked (kiosk/localised.py).
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import current_app, g, has_request_context, request
from flask_babel import Babel, force_locale, gettext, refresh
from markupsafe import Markup

from kiosk import localised
from kiosk.db import get_session

TRANSLATIONS = Path(__file__).parent / "translations"
COOKIE = "kiosk_lang"
COOKIE_DAYS = 365
# Where the browser's languages choose nothing: the console (English), the screens (their address
# says), and files that are the same in every language (uploads, drawings' styles).
NOT_CHOSEN_BY_THE_BROWSER = {"staff", "display", "media", "figures", "home"}
# Pages for staff and installers, always in the clinic's language: the console, and the install's
# front page, which lists its screens and sheets.
IN_THE_CLINICS_LANGUAGE = {"staff", "home"}


@dataclass(frozen=True)
class Language:
    code: str  # as Babel and the catalogues name it: vi, ar, zh_Hans
    name: str  # in its own script, as a patient looks for it in a list
    english: str  # as staff read it in the console
    direction: str = "ltr"

    @property
    def tag(self) -> str:
        """Its BCP 47 tag, for lang="" and Accept-Language: zh-Hans."""
        return self.code.replace("_", "-")


SOURCE = Language("en", "English", "English")
# Chosen for Australian waiting rooms: after English, the languages most spoken at home (2021
# census: Mandarin, Arabic, Vietnamese, Cantonese), and Greek and Italian, whose speakers are
# among the oldest, as are the patients most often in pain from their backs.
LANGUAGES = {language.code: language for language in (
    SOURCE,
    Language("zh_Hans", "简体中文", "Chinese (Simplified)"),
    Language("ar", "العربية", "Arabic", "rtl"),
    Language("vi", "Tiếng Việt", "Vietnamese"),
    Language("zh_Hant", "繁體中文", "Chinese (Traditional)"),
    Language("el", "Ελληνικά", "Greek"),
    Language("it", "Italiano", "Italian"),
)}
# What browsers send for the Chinese scripts: the region names the script people read.
ALIASES = {"zh": "zh_Hans", "zh-cn": "zh_Hans", "zh-sg": "zh_Hans", "zh-my": "zh_Hans",
           "zh-tw": "zh_Hant", "zh-hk": "zh_Hant", "zh-mo": "zh_Hant"}


def init_app(app):
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    Babel(app, locale_selector=chosen_code)
    # {% trans %} blocks are read as one line, as `make messages` extracts them (babel.cfg).
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals["language"] = current
    app.jinja_env.globals["words"] = words
    app.jinja_env.globals["source_language"] = SOURCE
    app.jinja_env.globals["script_words"] = script_words
    app.jinja_env.globals["offered_languages"] = offered
    app.jinja_env.filters["ltr"] = left_to_right
    app.after_request(keep_choice)


@cache
def has_catalogue(folders: str, code: str) -> bool:
    return any((Path(folder) / code / "LC_MESSAGES" / "messages.mo").is_file()
               for folder in folders.split(";"))


def offered() -> list[Language]:
    """The languages patients may be offered, the clinic's own first: those the kiosk has
    compiled words for and the clinic has approved (kiosk/localised.py)."""
    folders = current_app.config["BABEL_TRANSLATION_DIRECTORIES"]
    worded = [code for code in LANGUAGES if code != SOURCE.code and has_catalogue(folders, code)]
    approved = localised.approved_languages(get_session()) if worded else frozenset()
    return [language for code, language in LANGUAGES.items()
            if language is SOURCE or (code in worded and code in approved)]


def by_code(text: str | None) -> Language | None:
    """The offered language `text` names (vi, zh-Hans, zh_CN, ZH-tw), or None."""
    if not text:
        return None
    text = text.strip().replace("_", "-").lower()[:20]
    code = ALIASES.get(text) or next(
        (code for code in LANGUAGES if code.replace("_", "-").lower() == text), None)
    return next((language for language in offered() if language.code == code), None)


def chosen() -> Language:
    """The language of this request (see the module's docstring). The console stays in the
    clinic's language; a screen speaks what its address asks for, not what its own browser
    prefers (the waiting room's patients are not its browser)."""
    if "language" not in g:
        if request.blueprint in IN_THE_CLINICS_LANGUAGE:
            g.language = SOURCE
        elif request.blueprint == "display":
            g.language = by_code(request.args.get("lang")) or SOURCE
        else:
            g.language = (by_code(request.args.get("lang"))
                          or by_code(request.cookies.get(COOKIE)) or from_browser() or SOURCE)
    return g.language


def unless_asked(language: Language) -> None:
    """Speak `language` (a screen's first) on this request, unless its address asks for one
    the clinic offers, or the request has already spoken."""
    if "language" not in g and by_code(request.args.get("lang")) is None:
        g.language = language
        refresh()


def chosen_code() -> str:
    return chosen().code


def from_browser() -> Language | None:
    for tag, _quality in request.accept_languages:
        language = by_code(tag) or by_code(tag.split("-")[0])
        if language is not None:
            return language
    return None


def current() -> Language:
    """The language pages render in (the clinic's own outside a request)."""
    return chosen() if has_request_context() else SOURCE


def keep_choice(response):
    """A language asked for by ?lang= is kept for that browser, so the sheet opens in it
    again, offline too; where the language may come from the browser, caches are told so."""
    if request.blueprint in NOT_CHOSEN_BY_THE_BROWSER or request.endpoint == "static":
        return response
    if len(offered()) > 1:
        response.vary.update(("Accept-Language", "Cookie"))
    asked = by_code(request.args.get("lang"))
    if asked and request.cookies.get(COOKIE) != asked.code:
        response.set_cookie(COOKIE, asked.code, max_age=COOKIE_DAYS * 86400,
                            secure=request.is_secure, httponly=True, samesite="Lax")
    return response


def N_(message: str) -> str:
    """`message` marked for `make messages`, and left as it is: for words kept in English where
    they are written (staff read them so) and translated where a patient reads them."""
    return message


def in_each(say) -> dict:
    """`say(language)` in each offered language, by code, and under "" in the clinic's own: for
    a service worker, which answers offline in the language of the address it was asked for."""
    said = {}
    for language in offered():
        with force_locale(language.code):
            said[language.code] = say(language)
    said[""] = said[SOURCE.code]
    return said


def left_to_right(text) -> Markup:
    """A phone number, say, inside a sentence: read left to right in a right-to-left one too,
    its groups in their order (0425 444 304, not 304 444 0425)."""
    return Markup('<bdi dir="ltr">{}</bdi>').format(text)


def words(message: str, **variables) -> str:
    """`message` in the page's language as plain text, for a template to hand to code that
    escapes what it is given (a drawing's label): the template's own `_()` gives Markup, which
    such code, putting it in a string first, would escape twice."""
    return gettext(message, **variables)


def script_words() -> dict:
    """What the pages' scripts say (static/js/), in the page's language: the page gives them
    in <html data-words>, and each script keeps its English for any left out."""
    return {
        "follow": {
            "in": gettext("Breathe in"), "out": gettext("Breathe out and stretch"),
            "hold": gettext("Hold"), "rest": gettext("Release and rest"),
            "side": {"left": gettext("Left side"), "right": gettext("Right side"),
                     "forwards": gettext("Forwards"), "backwards": gettext("Backwards")},
            "next": {"left": gettext("Release, then change sides: left side next"),
                     "right": gettext("Release, then change sides: right side next"),
                     "forwards": gettext("Release, then change sides: forwards next"),
                     "backwards": gettext("Release, then change sides: backwards next")},
            "rep": gettext("Repetition %(rep)s of %(of)s"),
        },
        "display": {
            "play": gettext("Play"), "pause": gettext("Pause"),
            "offline": gettext("That will be back as soon as the screen is online again."),
            "gone": gettext("That is no longer on this screen."),
        },
        "sheet": {
            "saving": gettext("Saving a copy on this phone…"),
            "saved": gettext("Saved on this phone: it opens without signal, at home too."),
            "not_saved": gettext("This phone could not save a copy. Download the PDF to keep "
                                 "your stretches."),
            "added": gettext("Added to your home screen. It opens without signal, at home "
                             "too."),
            "cannot_keep": gettext("This browser cannot keep a copy. Download the PDF to keep "
                                   "your stretches."),
        },
        "steps": {
            "hint": gettext("Tap a step to see its pose; tap it again to play."),
            "play": gettext("Play"),
        },
    }


def localiser() -> localised.Localiser:
    """The clinic's words in this request's language, read once a request however many parts
    of the page ask."""
    if "localiser" not in g:
        g.localiser = localised.Localiser(get_session(), chosen(), SOURCE)
    return g.localiser
