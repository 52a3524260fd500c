"""PDFs that already end well, kept that way: an encrypted letter and page trees that
loop back on themselves are one clear error each, at once."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter

from edgarmon.classifier.domain.document_reading import read_input

from .test_hostile_documents import pdf_file


def encrypted() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (encrypted(), "pdf: the PDF is encrypted (letter.pdf)"),
        (
            pdf_file(CATALOG, b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>", PAGE),
            "pdf: broken PDF: Detected cyclic page references. (letter.pdf)",
        ),
        (
            pdf_file(CATALOG, b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>"),
            "pdf: broken PDF: Detected cyclic page references. (letter.pdf)",
        ),
    ],
    ids=["encrypted", "page-tree-loop", "pages-own-kid"],
)
def test_a_hostile_pdf_is_one_clear_error(data: bytes, said: str) -> None:
    read = read_input(data, "letter.pdf")

    assert read.documents == ()
    assert [error.message for error in read.errors] == [said]
