"""The language of a web page: ``?lang=`` (checked), else the browser's ``Accept-Language``,
else Finnish; the language switch of every page and links that keep the language.

The choice is made per request and travels in the address (every link a page draws
carries ``lang``), so a page's address says its language and the switch can be a plain link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Query, Request

from polku.errors import PolkuError
from polku.present.i18n import LANGUAGES, Translator, negotiate, translator
from polku.server.contract import ApiError
from polku.server.place import root_of


def one_language(schema: dict[str, Any]) -> None:
    """The OpenAPI schema of ``?lang=``: one of polku's languages (a query parameter is
    left out when not given, never null); any other value is a 400 naming the choices."""
    schema.pop("anyOf", None)
    schema.update(type="string", enum=list(LANGUAGES))


LangQuery = Query(None, description="The page's language: fi, sv or en (default: the "
                  "browser's Accept-Language, else fi).", json_schema_extra=one_language)


@dataclass(frozen=True)
class PageLanguage:
    """The translator of one request and the addresses of the same page in each language."""

    tr: Translator
    switch: dict[str, str] = field(default_factory=dict)
    #: the prefix the app is served under behind a proxy ('' at the top;
    #: :func:`polku.server.place.root_of`): every address drawn starts with it
    root: str = ""

    @property
    def lang(self) -> str:
        return self.tr.lang

    def url(self, path: str, **query: object) -> str:
        """An address of the UI in this language; ``None`` values are left out.

        >>> PageLanguage(translator("sv")).url("/graphs/a b/view", view="segment:x", focus=None)
        '/graphs/a%20b/view?view=segment%3Ax&lang=sv'
        >>> PageLanguage(translator("fi"), root="/polku").url("/")
        '/polku/?lang=fi'
        """
        params = [(k, str(v)) for k, v in query.items() if v is not None and k != "lang"]
        return self.at(quote(path)) + "?" + urlencode(params + [("lang", self.lang)])

    def at(self, path: str) -> str:
        """An address of the app as given (its query too, nothing added), under the prefix
        the app is served at: the one way a page names an address that is not a page in
        its language (the API's JSON, the icon, a form's action).

        >>> PageLanguage(translator("fi"), root="/polku").at("/api/graphs")
        '/polku/api/graphs'
        """
        return self.root + path

    def context(self) -> dict[str, object]:
        """What a template needs: ``_``, ``num``, ``lang``, the switch, ``url`` and ``at``
        (addresses), and ``base``, the prefix the page's scripts put before every address
        they fetch (given to them as data)."""
        return {**self.tr.jinja_globals(), "switch": self.switch, "url": self.url,
                "at": self.at, "base": self.root}


#: a query parameter's value past this many characters is no choice a page offers (an
#: error page says it, shortened): the language links leave it out, not copy it twice more
SWITCH_VALUE_MOST = 1000


def switch_links(request: Request) -> dict[str, str]:
    """The current path and query with ``lang`` replaced, for each language (a value
    longer than :data:`SWITCH_VALUE_MOST` left out)."""
    kept = [(k, v) for k, v in request.query_params.multi_items()
            if k != "lang" and len(v) <= SWITCH_VALUE_MOST]
    path = request.url.path
    return {code: path + "?" + urlencode(kept + [("lang", code)]) for code in LANGUAGES}


async def page_language(request: Request, lang: str | None = LangQuery) -> PageLanguage:
    """The language of a page request; an unknown ``?lang=`` is a 400 naming the choices."""
    try:
        chosen = negotiate(lang, request.headers.get("accept-language"))
    except PolkuError as e:
        raise ApiError(400, e.message, field="lang", cause=e) from None
    # a page is HTML: a name in another language comes marked with it (present.langmarks)
    return PageLanguage(translator(chosen).marking(), switch_links(request),
                        root_of(request.scope))


async def api_language(request: Request, lang: str | None = Query(
        None, description="The language of messages, labels and the X-Polku-Stale header: "
        "fi, sv or en (default: the request's Accept-Language, else fi).",
        json_schema_extra=one_language)) -> Translator:
    """The language of an API answer's texts, the same rule as the pages': ``?lang=``
    (checked: an unknown one is a 400 naming the choices), else the best of the request's
    ``Accept-Language`` that polku speaks, else Finnish."""
    try:
        return translator(negotiate(lang, request.headers.get("accept-language")))
    except PolkuError as e:
        raise ApiError(400, e.message, field="lang", cause=e) from None


def error_language(request: Request) -> PageLanguage:
    """The language of an error page: the request's, or the browser's when ``?lang=`` is
    itself what is wrong."""
    accept = request.headers.get("accept-language")
    try:
        chosen = negotiate(request.query_params.get("lang"), accept)
    except PolkuError:
        chosen = negotiate(None, accept)
    return PageLanguage(translator(chosen).marking(), switch_links(request),
                        root_of(request.scope))
