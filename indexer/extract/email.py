"""E-mail messages (.eml): a letter, titled by its Subject and dated by its Date header (unless the
body is a letter with its own labelled date, which is then the document's).

The text is the plain body (or the HTML body made plain when there is no plain one), after a few
header lines (from, to, subject) so that a search by sender finds it. Each attachment comes back
as bytes, to be archived as a document of its own linked to the message.
"""
from __future__ import annotations

import email
import email.errors
import email.policy
import re
from datetime import date
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path, PurePath

from indexer.errors import CorruptFile
from indexer.extract.result import Attachment, Extraction, PageText

MAX_ATTACHMENTS = 200
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
               "blockquote", "pre", "hr", "section", "article", "header", "footer"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f/\\]")


class _HtmlText(HTMLParser):
    """The text of an HTML body, a line per block, scripts and styles left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head", "title"):
            self._hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head", "title"):
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)

    def text(self) -> str:
        lines = (" ".join(line.split()).strip(" |") for line in "".join(self.parts).splitlines())
        return "\n".join(line for line in lines if line)


def html_to_text(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    return parser.text()


def _header(message: EmailMessage, name: str) -> str:
    try:
        return " ".join(str(message.get(name, "") or "").split())
    except (ValueError, TypeError, IndexError):  # a malformed header: keep its raw bytes' text
        return " ".join(str(message.get_all(name, [""])[0]).split())


def _date(message: EmailMessage) -> date | None:
    try:
        header = message.get("date")
        sent = getattr(header, "datetime", None)
    except (ValueError, TypeError, IndexError):
        return None
    return sent.date() if sent is not None else None  # the sender's own calendar day


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError):  # an unknown charset: read it as UTF-8, marking what fails
        content = (part.get_payload(decode=True) or b"").decode("utf-8", errors="replace")
    if part.get_content_subtype() == "html":
        return html_to_text(content)
    return content.strip()


def _safe_name(name: str | None, n: int) -> str:
    """The attachment's own file name without any path or control characters."""
    name = _CONTROL.sub("", PurePath((name or "").replace("\\", "/")).name).strip(" .")
    return name[:200] or f"attachment-{n}"


def _attachments(message: EmailMessage) -> list[Attachment]:
    found = []
    for n, part in enumerate(message.iter_attachments(), 1):
        if n > MAX_ATTACHMENTS:
            break
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            data = inner.as_bytes() if hasattr(inner, "as_bytes") else b""
            name = part.get_filename() or f"message-{n}.eml"
        else:
            data = part.get_payload(decode=True) or b""
            name = part.get_filename()
        if data:
            found.append(Attachment(_safe_name(name, n), data))
    return found


def extract_email(path: Path) -> Extraction:
    """The message as a letter, with its attachments.

    :raises CorruptFile: when the message cannot be parsed.
    """
    try:
        with open(path, "rb") as fh:
            message = email.message_from_binary_file(fh, policy=email.policy.default)
        subject = _header(message, "subject")
        lines = [f"{label}: {value}" for label, value in
                 (("از", _header(message, "from")), ("به", _header(message, "to")), ("موضوع", subject))
                 if value]
        body = _body(message)
        attachments = _attachments(message)
    except (email.errors.MessageError, UnicodeError, ValueError, TypeError, IndexError) as exc:
        raise CorruptFile(f"damaged e-mail message: {exc}", "نامهٔ الکترونیکی خراب است.") from exc
    text = "\n".join(lines + ([""] if lines and body else []) + ([body] if body else []))
    return Extraction("message/rfc822", [PageText(text)], title=subject or None, kind="letter",
                      date=None if _carries_dated_letter(body) else _date(message),
                      attachments=attachments)


def _carries_dated_letter(body: str) -> bool:
    """The body is a letter with its own labelled date («تاریخ: ۱۳۹۹/۰۳/۲۵»): that date is the
    document's, not the day the message was sent."""
    from indexer.metadata.dates import find_dates
    from indexer.metadata.text import prepare

    return any(c.rank <= 1 for c in find_dates(prepare(body or "")))


__all__ = ["extract_email", "html_to_text"]
