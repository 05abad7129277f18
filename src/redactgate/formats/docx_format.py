"""DOCX: body, headers and footers, comments, foot/endnotes, tracked deletions, properties, links.

Edited as XML (lxml) inside the ZIP rather than through python-docx, which exposes neither
comments nor tracked deletions: each paragraph's text elements (`w:t`, `w:delText`) form one
segment, so a name split across runs is found whole and replaced across the runs it covers.
Also scanned: field codes, people-bearing attributes (authors, alt text, tooltips), every leaf
text of docProps/ and customXml/, and external relationship targets (hyperlinks, `mailto:`).
Parts we cannot screen (images, embedded objects, charts, macros ...) refuse the file; the page
thumbnail is dropped, since it is a picture of the first page. Untouched parts are copied as is.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

from ..errors import FileRefused
from . import Edit, Segment

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_TEXT_TAGS = {f"{{{W}}}t", f"{{{W}}}delText"}
_FIELD_TAG = f"{{{W}}}instrText"
_PARAGRAPH = f"{{{W}}}p"
# Attributes that hold people or their words, whatever their namespace.
_PERSON_ATTRIBUTES = {"author", "initials", "descr", "title", "userId", "instr", "tooltip"}
_TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*|comments|footnotes|endnotes|people"
                         r"|commentsExtended|commentsExtensible|commentsIds)\.xml")
_LEAF_PARTS = re.compile(r"docProps/(core|app|custom)\.xml|customXml/item\d*\.xml|customXml/itemProps\d*\.xml")
_QUIET_PARTS = re.compile(r"\[Content_Types\]\.xml|word/(styles|stylesWithEffects|fontTable|webSettings"
                          r"|numbering|settings)\.xml|word/theme/theme\d*\.xml|word/fonts/[^/]+\.odttf")
_DROPPED = re.compile(r"docProps/thumbnail\.\w+")
MAX_UNPACKED = 512 * 1024 * 1024  # a ZIP bomb is refused before anything is unpacked
_SETTINGS_WITH_TEXT = ("docVars", "mailMerge")  # document variables and merge sources hold free text


@dataclass
class _Target:
    element: etree._Element
    attribute: str | None = None  # None: the element's text

    def get(self) -> str:
        value = self.element.get(self.attribute) if self.attribute else self.element.text
        return value or ""

    def set(self, value: str) -> None:
        if self.attribute:
            self.element.set(self.attribute, value)
            return
        self.element.text = value
        if self.element.tag in _TEXT_TAGS and value != value.strip():
            self.element.set(XML_SPACE, "preserve")


@dataclass
class _Part:
    name: str
    tree: etree._ElementTree
    changed: bool = False


@dataclass
class DocxDocument:
    data: bytes
    segments: list[Segment] = field(default_factory=list)
    targets: list[tuple[_Part, list[_Target]]] = field(default_factory=list)
    parts: dict[str, _Part] = field(default_factory=dict)

    def add(self, part: _Part, targets: list[_Target], locator: str) -> None:
        text = "".join(t.get() for t in targets)
        if text.strip():
            self.segments.append(Segment(text, f"docx:{part.name}#{locator}"))
            self.targets.append((part, targets))

    def rebuild(self, edits: Sequence[Sequence[Edit]]) -> bytes:
        for (part, targets), segment_edits in zip(self.targets, edits):
            for edit in sorted(segment_edits, reverse=True):  # from the end: earlier offsets stay valid
                _apply(targets, edit)
                part.changed = True
        return _write_zip(self.data, {n: p for n, p in self.parts.items() if p.changed})


def extract(data: bytes) -> DocxDocument:
    doc = DocxDocument(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        if len(set(names)) != len(names):
            raise FileRefused("malformed-docx", "the ZIP names one part twice")
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
            raise FileRefused("too-large", f"the parts unpack to more than {MAX_UNPACKED} bytes")
        if "word/document.xml" not in names:
            raise FileRefused("unsupported-format", "a ZIP without word/document.xml is not a DOCX")
        for name in sorted(names, key=_reading_order):
            _read_part(doc, name, archive.read(name))
    return doc


def _read_part(doc: DocxDocument, name: str, raw: bytes) -> None:
    if name.endswith("/") or _DROPPED.fullmatch(name) or _QUIET_PARTS.fullmatch(name):
        if name == "word/settings.xml" and any(f"<w:{tag}" in raw.decode("utf-8", "replace") for tag in _SETTINGS_WITH_TEXT):
            raise FileRefused("docx-unsupported-part", "settings hold document variables or a mail-merge source")
        return
    if not (_TEXT_PARTS.fullmatch(name) or _LEAF_PARTS.fullmatch(name) or name.endswith(".rels")):
        raise FileRefused("docx-unsupported-part", f"a part of kind {_kind(name)} cannot be screened")
    part = _Part(name, etree.parse(io.BytesIO(raw), etree.XMLParser(resolve_entities=False, no_network=True)))
    doc.parts[name] = part
    if name.endswith(".rels"):
        _read_relationships(doc, part)
    elif _TEXT_PARTS.fullmatch(name):
        _read_paragraphs(doc, part)
        _read_attributes(doc, part)
    else:
        _read_leaves(doc, part)


def _reading_order(name: str) -> tuple[int, str]:
    # The body first, so the model meets the document's prose before headers, notes and metadata.
    return (0 if name == "word/document.xml" else 1 if name.startswith("word/") else 2, name)


def _kind(name: str) -> str:
    # Part names are chosen by whoever wrote the file: say only the generic kind, never the name.
    known = ("media", "embeddings", "charts", "diagrams", "glossary", "activeX", "vbaProject", "customXml")
    return next((k for k in known if k in name), "unknown")


def _read_paragraphs(doc: DocxDocument, part: _Part) -> None:
    """One segment per paragraph (text and deleted text), one per paragraph's field codes."""
    paragraphs: dict[etree._Element, tuple[list[_Target], list[_Target]]] = {}
    for element in part.tree.iter(*_TEXT_TAGS, _FIELD_TAG):
        owner = next((a for a in element.iterancestors(_PARAGRAPH)), element)
        texts, fields = paragraphs.setdefault(owner, ([], []))
        (fields if element.tag == _FIELD_TAG else texts).append(_Target(element))
    for index, (texts, fields) in enumerate(paragraphs.values()):
        doc.add(part, texts, f"p{index}")
        doc.add(part, fields, f"p{index}.field")


def _read_attributes(doc: DocxDocument, part: _Part) -> None:
    for index, element in enumerate(part.tree.iter()):
        for attribute in element.attrib:
            if etree.QName(attribute).localname in _PERSON_ATTRIBUTES:
                doc.add(part, [_Target(element, attribute)], f"e{index}@{etree.QName(attribute).localname}")


def _read_leaves(doc: DocxDocument, part: _Part) -> None:
    for index, element in enumerate(part.tree.iter()):
        if isinstance(element.tag, str) and len(element) == 0:
            doc.add(part, [_Target(element)], f"e{index}")
        for attribute in element.attrib:
            doc.add(part, [_Target(element, attribute)], f"e{index}@{etree.QName(attribute).localname}")


def _read_relationships(doc: DocxDocument, part: _Part) -> None:
    for index, element in enumerate(part.tree.getroot()):
        if element.get("TargetMode") == "External":
            doc.add(part, [_Target(element, "Target")], f"rel{index}")


def _apply(targets: list[_Target], edit: Edit) -> None:
    """Replace [start, end) of the targets' joined text: the replacement goes into the first target
    the span touches, the rest of the span is cut from the targets it runs across."""
    start, end, new = edit
    cursor, placed = 0, False
    for target in targets:
        value = target.get()
        first, cursor = cursor, cursor + len(value)
        if cursor <= start or first >= end:
            continue
        lo, hi = max(start - first, 0), min(end - first, len(value))
        target.set(value[:lo] + ("" if placed else new) + value[hi:])
        placed = True


def _write_zip(original: bytes, changed: dict[str, _Part]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if _DROPPED.fullmatch(info.filename):
                continue
            data = source.read(info.filename)
            if info.filename in changed:
                data = _serialise(changed[info.filename].tree)
            elif info.filename in ("_rels/.rels", "[Content_Types].xml"):
                data = _without_thumbnail(data)
            target.writestr(info, data)  # same name, date, compression: deterministic output
    return out.getvalue()


def _serialise(tree: etree._ElementTree) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=tree.docinfo.standalone)


def _without_thumbnail(raw: bytes) -> bytes:
    tree = etree.parse(io.BytesIO(raw))
    root = tree.getroot()
    dropped = [e for e in root if _DROPPED.fullmatch((e.get("Target") or e.get("PartName") or "").lstrip("/"))]
    for element in dropped:
        root.remove(element)
    return _serialise(tree) if dropped else raw
