"""A corpus of hostile files (issue 6), built in the test from invented values; and the ways we look
for a planted value in whatever the tool wrote (raw bytes, ZIP members, e-mail parts decoded,
normalised, with white space removed).

Each case names the file, its bytes, the planted values (as a reader would type them and, where it
differs, as they are written in the file) and the expected outcome: `redacted`, or the stable reason
of a refusal (exit 2).
"""

from __future__ import annotations

import base64
import codecs
import email
import email.header
import html
import io
import json
import quopri
import unicodedata
import urllib.parse
import zipfile
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP

from formats_fixtures import PLANTED, make_docx, make_encrypted_pdf, make_eml, make_pdf

ZWSP, ZWJ, SHY, RLO, PDF = "\u200b", "\u200d", "\u00ad", "\u202e", "\u202c"
EMAIL, EMAIL2 = "jane.roe@example.com", "helen.marsh@example.com"
NAME, NAME2 = "Helen Marsh", "Sofia Alvarez"
PHONE, CARD = "(202) 555-0147", "4111 1111 1111 1111"


@dataclass(frozen=True)
class Case:
    name: str  # file name under the corpus root (str; hostile names are bytes-safe below)
    data: bytes
    secrets: tuple[str, ...]  # forms that must not survive anywhere
    expect: str = "redacted"  # or a refusal reason


def _text(name: str, text: str, *secrets: str, encoding: str = "utf-8", expect: str = "redacted") -> Case:
    return Case(name, text.encode(encoding), secrets, expect)


def _b64(value: str) -> str:
    return base64.b64encode(value.encode()).decode()


def _entities(value: str) -> str:
    return "".join(f"&#{ord(c)};" for c in value)


def _letter_spaced(value: str) -> str:
    return " ".join(value)


def evasion_cases() -> list[Case]:
    zw = f"jane{ZWSP}.roe@exam{ZWJ}ple.com"
    return [
        _text("zero-width-email.txt", f"Contact {zw} today.\n", EMAIL, zw),
        _text("zero-width-name.txt", f"The report was written by Hel{ZWSP}en Ma{SHY}rsh last week.\n", NAME),
        _text("full-width-phone.txt", "Call ＋１ (２０２) ５５５-０１４７ after nine.\n", "555-0147", "５５５-０１４７"),
        _text("full-width-email.txt", "Mail ｊａｎｅ．ｒｏｅ＠ｅｘａｍｐｌｅ．ｃｏｍ now.\n", EMAIL, "ｊａｎｅ．ｒｏｅ＠ｅｘａｍｐｌｅ．ｃｏｍ"),
        _text("rlo-email.txt", f"Write to {RLO}{EMAIL[::-1]}{PDF} today.\n", EMAIL, EMAIL[::-1]),
        _text("homoglyph-name.txt", "Dear \u0405ofia \u0410lvarez, thanks for the call.\n", NAME2, "\u0405ofia \u0410lvarez"),
        _text("homoglyph-email.txt", "Write to j\u0430ne.r\u043ee@example.com today.\n", EMAIL, "j\u0430ne.r\u043ee@example.com"),
        _text("base64-email.txt", f"Token: {_b64('contact ' + EMAIL)} end.\n", _b64("contact " + EMAIL)),
        _text("base64-phone.txt", f"Blob {_b64('call ' + PHONE + ' now')} end.\n", _b64("call " + PHONE + " now")),
        _text("url-email.txt", f"Link https://example.org/?to={urllib.parse.quote(EMAIL, safe='')} end.\n",
              urllib.parse.quote(EMAIL, safe="")),
        _text("url-phone.txt", f"Link ?tel={urllib.parse.quote(PHONE, safe='')} end.\n", urllib.parse.quote(PHONE, safe="")),
        _text("entity-email.txt", f"Mail {_entities(EMAIL)} end.\n", _entities(EMAIL)),
        _text("entity-phone.txt", f"Phone {_entities(PHONE)} end.\n", _entities(PHONE)),
        _text("card-line-break.txt", "Card 4111 1111\n1111 1111 on file.\n", CARD),
        _text("phone-line-break.txt", "Call (202) 555-\n0147 after nine.\n", PHONE),
        _text("email-line-break.txt", "Contact jane.roe@exam\nple.com for details.\n", EMAIL),
        _text("email-wrapped-indent.txt", "Contact jane.roe@\n    example.com for details.\n", EMAIL),
        _text("email-letter-spaced.txt", f"Contact {_letter_spaced(EMAIL)} for details.\n", EMAIL),
        _text("name-soft-wrap.txt", "The lease for the new office was signed by Helen\nMarsh on Monday.\n", NAME),
        _text("phone-area-code-break.txt", "Call (202)\n555-0147 after nine.\n", PHONE),
        _text("quoted-printable.txt", "Reach me at jane.roe=40exam=\nple.com or Helen=20Marsh.\n", EMAIL, "jane.roe=40exam=\nple.com",
              "Helen=20Marsh"),
        _text("nested-encoding.txt", f"Data {_b64('to=' + urllib.parse.quote(EMAIL, safe=''))} end.\n",
              _b64("to=" + urllib.parse.quote(EMAIL, safe=""))),
        _text("base64-utf16.txt", f"Run -enc {base64.b64encode(('mail ' + EMAIL).encode('utf-16-le')).decode()} now.\n",
              base64.b64encode(("mail " + EMAIL).encode("utf-16-le")).decode()),
        _text("unicode-hyphen-phone.txt", "Call 202\u2010555\u20100147 today.\n", "555\u20100147"),
        _text("many-encoded-runs.txt", "".join(f"Token {_b64(f'user{i}@example.com')}\n" for i in range(300)),
              *(_b64(f"user{i}@example.com") for i in (0, 255, 256, 299))),
        _text("long-url-run.txt", "Link ?q=" + "%20".join(["filler"] * 800) + "%20" + urllib.parse.quote(EMAIL, safe="") + " end.\n",
              urllib.parse.quote(EMAIL, safe="")),
        _text("nul-inside-email.txt", "x" * 9000 + " Contact jane\x00.roe@example.com today.\n", EMAIL),
        _text("mixed-line-endings.txt", "First line\r\nCall Helen Marsh\ron (202) 555-0147\nbye\r\n", NAME, PHONE),
        _text("huge-line.txt", ("lorem ipsum dolor " * 6000) + f" mail {EMAIL} " + ("sit amet " * 2000) + f"{EMAIL2}\n",
              EMAIL, EMAIL2),
    ]


def encoding_cases() -> list[Case]:
    cyrillic = f"Привет, пишите на {EMAIL} или звоните {PHONE}.\n"
    greek = f"Γεια σας, γράψτε στο {EMAIL} σήμερα.\n"
    return [
        _text("utf16le-nobom-cyrillic.txt", cyrillic * 3, EMAIL, PHONE, encoding="utf-16-le"),
        _text("utf16be-nobom-greek.txt", greek * 3, EMAIL, encoding="utf-16-be"),
        Case("utf16-bom.txt", codecs.BOM_UTF16_LE + f"Mail {EMAIL} now.\n".encode("utf-16-le"), (EMAIL,)),
        Case("utf32-bom.txt", codecs.BOM_UTF32_BE + f"Mail {EMAIL} now.\n".encode("utf-32-be"), (EMAIL,)),
        _text("cp1252.txt", f"Grüße from {NAME}, {EMAIL} – 5€\r\n", NAME, EMAIL, encoding="cp1252"),
        _text("cp1252.csv", f"name,note\r\n{NAME},“{EMAIL}” – café\r\n", NAME, EMAIL, encoding="cp1252"),
        _text("cp1252.json", json.dumps({"author": NAME, "note": f"Grüße {EMAIL}"}, ensure_ascii=False), NAME, EMAIL,
              encoding="cp1252"),
        _text("cp1252.html", f"<p title='{NAME}'>Grüße, {EMAIL}</p>\n", NAME, EMAIL, encoding="cp1252"),
        Case("undecodable.txt", b"Mail " + EMAIL.encode() + b" \x81\x8d\x90 end\n", (EMAIL,), "undecodable"),
        Case("binary-nul.bin", b"\x00\x01\x02\x03" * 64 + EMAIL.encode() + b"\x00\xff" * 64, (EMAIL,), "binary"),
    ]


def format_cases() -> list[Case]:
    return [
        _text("quoted-newline.csv", f'id,note\n1,"Call {NAME}\non {PHONE}"\n2,"ok, {EMAIL}"\n', NAME, PHONE, EMAIL),
        _text("name-header.tsv", f"{NAME}\tscore\n{EMAIL}\t7\n", NAME, EMAIL),
        _text("keys.json", json.dumps({NAME: {"mail": EMAIL, "nested": [{"tel": PHONE}]}}, indent=1), NAME, EMAIL, PHONE),
        _text("escaped.json", '{"m": "jane.roe\\u0040example.com"}', EMAIL),
        _text("rows.jsonl", "".join(json.dumps({"who": n, "mail": e}) + "\n" for n, e in ((NAME, EMAIL), (NAME2, EMAIL2))),
              NAME, EMAIL, NAME2, EMAIL2),
        _text("page.html", f'<html><head><title>Notes on {NAME}</title></head><body>'
                           f'<a href="mailto:{EMAIL}" title="{NAME2}">mail</a><img alt="Photo of {NAME}" src="x.png">'
                           f"<!-- ask {EMAIL2} --><p>Call {PHONE}</p></body></html>\n", NAME, EMAIL, NAME2, EMAIL2, PHONE),
        _text("inline-split.html", "<p>Write to <span>jane.roe@</span><span>example.com</span> soon.</p>\n", EMAIL),
        _text("entity-attr.html", f'<a href="mailto:{_entities(EMAIL)}">x</a>\n', EMAIL, _entities(EMAIL)),
        _text("notes.md", f"# Notes\n\n[mail](mailto:{EMAIL} \"{NAME}\")\n\n![Photo of {NAME2}](x.png)\n\n<!-- {EMAIL2} -->\n",
              EMAIL, NAME, NAME2, EMAIL2),
        Case("report.docx", make_docx(), PLANTED),
        Case("message.eml", make_eml(), PLANTED),
        Case("encoded-words.eml", _eml_encoded_words(), (NAME, NAME2, EMAIL, EMAIL2, PHONE)),
        Case("attachment.eml", make_eml(attachment=True), PLANTED, "email-attachment"),
        Case("invoice.pdf", make_pdf([[f"Invoice for {NAME2}", f"Mail {EMAIL2}"], [f"Call {PHONE}"]]), (NAME2, EMAIL2, PHONE)),
        Case("locked.pdf", make_encrypted_pdf(), (NAME2,), "pdf-encrypted"),
    ]


def _eml_encoded_words() -> bytes:
    """RFC 2047 encoded words in headers; a quoted-printable body with a soft break inside an address;
    a base64 body."""
    message = EmailMessage(policy=SMTP)
    message["From"] = f"{NAME2} <{EMAIL2}>"
    message["To"] = "x@example.org"
    message["Subject"] = "=?utf-8?B?" + _b64(f"Call {NAME} today") + "?="
    message["X-Note"] = "=?utf-8?Q?" + quopri.encodestring(f"Ask {NAME2}".encode(), header=True).decode() + "?="
    message.set_content(f"Reach me at {EMAIL} or {PHONE}.\n", charset="utf-8", cte="quoted-printable")
    message.add_alternative(f"<p>From {NAME}, {EMAIL}</p>", subtype="html", charset="utf-8", cte="base64")
    raw = message.as_bytes()
    # a soft line break inside the address: quoted-printable readers join it again
    return raw.replace(b"jane.roe@example.com", b"jane.roe@exam=\r\nple.com", 1)


def name_cases() -> list[Case]:
    return [
        Case(f"{EMAIL}.txt", b"Nothing personal here.\n", (EMAIL,)),
        Case(f"{NAME}/notes.txt", b"Nothing personal here.\n", (NAME,)),
        Case("line\nbreak\x1b[2J.txt", f"Mail {EMAIL} today.\n".encode(), (EMAIL,)),
        Case("..dots..txt", f"Mail {EMAIL} today.\n".encode(), (EMAIL,)),
    ]


def all_cases() -> list[Case]:
    return evasion_cases() + encoding_cases() + format_cases() + name_cases()


# --- looking for a planted value in an output ---

def views(data: bytes) -> list[str]:
    """Every reading of an output in which a planted value could show."""
    found = [data.decode(enc, errors="replace") for enc in ("utf-8", "cp1252", "utf-16-le", "utf-16-be")]
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                found += views(archive.read(member))
    if b"\nContent-Type:" in data or data.startswith(b"From:"):
        found += _email_views(data)
    return found


def _email_views(data: bytes) -> list[str]:
    message = email.message_from_bytes(data)
    texts = []
    for part in message.walk():
        for _, value in part.items():
            texts.append(str(email.header.make_header(email.header.decode_header(str(value)))))
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            texts.append(payload.decode("utf-8", errors="replace"))
    return texts


def compact(text: str) -> str:
    """What a reader sees, without white space: invisible characters removed, NFKC, entities decoded."""
    text = html.unescape(text)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Cc", "Zs", "Zl", "Zp") and not c.isspace())
    return unicodedata.normalize("NFKC", text).casefold()


def pieces(secret: str) -> list[str]:
    """The secret and the parts of it that identify on their own: an address's local part, each
    word of a name, the subscriber part of a phone number (never the shared domain or area code)."""
    if "@" in secret:
        return [secret, secret.split("@")[0]]
    return [secret] + [w for w in secret.split() if len(w) >= 5 and w[0] != "("]


def leaks(secrets: tuple[str, ...], texts: list[str]) -> list[str]:
    """The secrets (by index, and which piece) that show in any of the texts, as written or compacted."""
    shown = []
    compacted = [compact(t) for t in texts]
    for index, secret in enumerate(secrets):
        for number, piece in enumerate(pieces(secret)):
            if any(piece in t for t in texts) or any(compact(piece) in c for c in compacted):
                shown.append(f"secret {index} piece {number}")
    return shown
