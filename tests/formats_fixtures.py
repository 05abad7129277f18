"""Builders for binary format fixtures (DOCX, PDF, e-mail), all with fictional people and example.com."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from email.policy import SMTP

PLANTED = ("Sofia Alvarez", "sofia.alvarez@example.net", "Helen Marsh", "helen.marsh@example.com",
           "Oliver Brennan", "555-0188", "555 0123")


def make_docx(extra_part: tuple[str, bytes] | None = None) -> bytes:
    """Body with a name split across runs, header, footer, a comment, a tracked deletion, properties."""
    import docx

    document = docx.Document()
    document.core_properties.author = "Helen Marsh"
    document.core_properties.title = "Notes by Oliver Brennan"
    section = document.sections[0]
    section.header.paragraphs[0].text = "Prepared by Helen Marsh"
    section.footer.paragraphs[0].text = "Contact helen.marsh@example.com"
    paragraph = document.add_paragraph("Meeting with ")
    paragraph.add_run("Sofia")
    paragraph.add_run(" Alvarez").bold = True  # one name across two runs
    paragraph.add_run(" on Monday. Call +1 415 555 0123.")
    kept = document.add_paragraph("The agenda stays as written.")
    document.add_comment(kept.runs, text="Ask Oliver Brennan about this", author="Helen Marsh", initials="HM")
    buffer = io.BytesIO()
    document.save(buffer)
    return _patch_zip(buffer.getvalue(), "word/document.xml", _with_tracked_deletion, extra_part)


def _with_tracked_deletion(xml: bytes) -> bytes:
    deletion = ('<w:del w:id="90" w:author="Oliver Brennan" w:date="2026-01-01T00:00:00Z"><w:r>'
                '<w:delText xml:space="preserve"> Old contact: sofia.alvarez@example.net</w:delText></w:r></w:del>')
    marker = b"<w:t>The agenda stays as written.</w:t></w:r>"
    assert marker in xml
    return xml.replace(marker, marker + deletion.encode(), 1)


def _patch_zip(data: bytes, name: str, change, extra_part: tuple[str, bytes] | None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info, change(content) if info.filename == name else content)
        if extra_part:
            target.writestr(*extra_part)
    return out.getvalue()


def make_pdf(pages: list[list[str]]) -> bytes:
    """A minimal PDF with a Helvetica text layer; an empty page list entry gives a page without text."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{' '.join(f'{4 + 2 * i} 0 R' for i in range(len(pages)))}] /Count {len(pages)} >>".encode(),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, lines in enumerate(pages):
        shown = b" ".join(b"(" + _pdf_string(line) + b") '" for line in lines)
        content = b"BT /F1 12 Tf 72 720 Td 14 TL " + shown + b" ET" if lines else b""
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                       f"/Contents {5 + 2 * i} 0 R >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _pdf_string(text: str) -> bytes:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")


def make_encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([["Invoice for Sofia Alvarez"]]))))
    writer.encrypt(user_password="not-empty", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_eml(attachment: bool = False) -> bytes:
    message = EmailMessage(policy=SMTP)
    message["From"] = "Sofia Alvarez <sofia.alvarez@example.net>"
    message["To"] = "Helen Marsh <helen.marsh@example.com>"
    message["Subject"] = "Call Helen Marsh about the booking"
    message.set_content("Hi Helen,\n\nplease call Sofia Alvarez on (617) 555-0188.\nThe booking reference is 7731.\n",
                        charset="utf-8", cte="quoted-printable")
    message.add_alternative("<p>Hi <b>Helen</b>, write to "
                            "<a href='mailto:sofia.alvarez@example.net' title='Sofia Alvarez'>us</a>.</p>",
                            subtype="html", charset="utf-8", cte="base64")
    if attachment:
        message.add_attachment(b"\x89PNG\r\n\x1a\n" + bytes(32), maintype="image", subtype="png", filename="scan.png")
    return message.as_bytes()
