"""CORRESP and UPLOAD letters: direction and details, on real EDGAR files."""

from __future__ import annotations

from pathlib import Path

from edgarmon.classifier.domain.classify import Classification
from edgarmon.classifier.domain.classify_input import classify_input
from edgarmon.classifier.domain.correspondence import correspondence_details
from edgarmon.classifier.domain.document_reading import read_input
from edgarmon.classifier.domain.form_inference import infer_cover, infer_letter
from edgarmon.core.domain.messages import CorrespondenceLabel, LetterDirection


def letter_label(result: Classification) -> CorrespondenceLabel:
    found = [x for x in result.labels if isinstance(x, CorrespondenceLabel)]
    assert len(found) == 1, result
    return found[0]


def classify_file(path: Path) -> Classification:
    return classify_input(path.read_bytes(), path.name)


def test_upload_full_submission_decodes_its_pdf_letter(edgar: Path) -> None:
    result = classify_file(edgar / "filings/upload/0000000000-24-003505_UPLOAD_Apple.txt")

    assert (result.form_type, result.form_source) == ("UPLOAD", "sgml_header")
    assert not result.errors
    details = letter_label(result).details
    assert details.direction is LetterDirection.SEC_TO_COMPANY
    assert details.comment_count == 2
    assert details.response_deadline == "10 business days"
    assert details.letter_date == "April 2, 2024"
    reviewed = details.reviewed_filing
    assert reviewed is not None
    assert (reviewed.form_type, reviewed.fiscal_year) == ("10-K", 2023)
    assert reviewed.file_number == "001-36743"
    assert reviewed.accession_number == "0000320193-23-000106"
    assert details.staff_contacts


def test_review_complete_letter_has_no_comments_and_no_deadline(edgar: Path) -> None:
    path = edgar / "filings/upload/0000000000-24-005673_UPLOAD_Apple_review_complete.txt"
    details = letter_label(classify_file(path)).details

    assert details.direction is LetterDirection.SEC_TO_COMPANY
    assert details.comment_count == 0
    assert details.response_deadline is None


def test_a_bare_staff_letter_pdf_is_recognised_as_upload(edgar: Path) -> None:
    path = edgar / "filings/upload/BSX_0000000000-16-070496/0000000000-16-070496_filename1.pdf"
    result = classify_file(path)

    assert (result.form_type, result.form_source) == ("UPLOAD", "document")
    details = letter_label(result).details
    assert details.direction is LetterDirection.SEC_TO_COMPANY
    assert details.comment_count == 2
    assert details.response_deadline == "10 business days"
    assert details.staff_contacts == ("Michael Fay", "Kate Tillan", "Martin James")
    assert details.reviewed_filing is not None
    assert details.reviewed_filing.form_type == "10-K"
    assert details.reviewed_filing.fiscal_year == 2015


def test_corresp_full_submission_goes_company_to_sec(edgar: Path) -> None:
    result = classify_file(edgar / "filings/corresp/0000320193-24-000061_CORRESP_Apple.txt")

    details = letter_label(result).details
    assert details.direction is LetterDirection.COMPANY_TO_SEC
    assert details.reviewed_filing is not None
    assert details.reviewed_filing.form_type == "10-K"


def test_acceleration_request_is_company_correspondence(edgar: Path) -> None:
    path = edgar / "filings/corresp/0001104659-26-017097_CORRESP_Nuvectis_acceleration.txt"
    details = letter_label(classify_file(path)).details

    assert details.direction is LetterDirection.COMPANY_TO_SEC
    assert details.reviewed_filing is not None
    assert details.reviewed_filing.form_type == "S-3"
    assert details.reviewed_filing.file_number == "333-293459"


def test_company_letters_are_recognised_from_their_content_alone(edgar: Path) -> None:
    """Without the SGML <TYPE>CORRESP line, every company letter still reads as CORRESP
    and every staff letter as UPLOAD: the wording decides, not the wrapper."""
    letters = sorted((edgar / "filings/corresp").glob("*/*_filename1.htm"))
    staff = sorted((edgar / "filings/upload").glob("*/*_filename1.pdf"))
    assert len(letters) > 20
    assert len(staff) > 30
    for path, expected in [*((p, "CORRESP") for p in letters), *((p, "UPLOAD") for p in staff)]:
        document = read_input(path.read_bytes(), path.name).documents[0]
        guess = infer_letter(document.text)
        assert guess is not None, path.name
        assert guess.form_type == expected, path.name


def test_addressees_of_a_company_letter_are_the_staff_contacts(edgar: Path) -> None:
    path = edgar / "filings/corresp/ABBV_0000000000-20-009552/0001104659-21-004698_filename1.htm"
    details = letter_label(classify_file(path)).details

    assert details.direction is LetterDirection.COMPANY_TO_SEC
    assert details.staff_contacts == ("Laura Crotty", "Suzanne Hayes")
    assert details.comment_count == 3


def test_an_8k_is_not_correspondence(edgar: Path) -> None:
    result = classify_file(edgar / "filings/8k/aapl-8k-20191115_full.txt")

    assert not [x for x in result.labels if isinstance(x, CorrespondenceLabel)]


def test_citing_a_current_report_on_form_8k_does_not_make_a_letter_an_8k() -> None:
    letter = (
        "VIA EDGAR\nU.S. Securities and Exchange Commission\nDivision of Corporation Finance\n"
        "100 F Street, N.E.\nWashington, D.C. 20549\nRe: Example Corp.\n"
        "Current Report on Form 8-K filed March 3, 2031\nFile No. 001-12345\n"
        "Ladies and Gentlemen:\nOn behalf of Example Corp. (the \u201cCompany\u201d), we submit "
        "the following responses to the comments of the Staff contained in your letter dated "
        "March 20, 2031 regarding the Current Report on Form 8-K.\n1. Please tell us more.\n"
        "Response: The Company respectfully advises the Staff as follows.\n"
    )
    assert infer_cover(letter) is None
    guess = infer_letter(letter)
    assert guess is not None
    assert guess.form_type == "CORRESP"
    details = correspondence_details("CORRESP", letter)
    assert details.reviewed_filing is not None
    assert details.reviewed_filing.form_type == "8-K"
    assert details.reviewed_filing.file_number == "001-12345"
    assert details.comment_count == 1


def test_an_amended_8k_cover_is_an_8k_a() -> None:
    cover = "UNITED STATES\nFORM 8-K\n(Amendment No. 1)\nCURRENT REPORT\nItem 8.01 Other Events"
    guess = infer_cover(cover)
    assert guess is not None
    assert guess.form_type == "8-K/A"
