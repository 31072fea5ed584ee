"""Reading a message: sender, decoded one-line headers, the text a person wrote, files."""

import pytest

from email_intake.parsing import UnreadableMessage, html_to_text, parse_message, trim_quoted
from tests.email_intake.conftest import PNG, build, eml


def test_a_plain_message_gives_sender_subject_body_and_message_id():
    parsed = parse_message(eml(message_id="<abc@mail.example.com>"))

    assert parsed.sender == "alice@example.com"
    assert parsed.sender_name == "Alice"
    assert parsed.subject == "VPN down"
    assert parsed.body == "Cannot connect since 9:00."
    assert parsed.message_id == "<abc@mail.example.com>"
    assert parsed.attachments == []


def test_an_encoded_subject_and_file_name_are_decoded():
    raw = eml(
        subject="Drucker druckt nicht – Büro 3",
        attachments=[("Bericht März.pdf", "application", "pdf", b"%PDF-1.4 test")],
    )
    assert b"=?utf-8?" in raw  # the subject really travels as an RFC 2047 encoded word

    parsed = parse_message(raw)

    assert parsed.subject == "Drucker druckt nicht – Büro 3"
    assert parsed.attachments[0].filename == "Bericht März.pdf"


def test_a_cr_lf_smuggled_into_an_encoded_subject_is_folded_to_one_line():
    raw = eml(subject="PLACEHOLDER").replace(
        b"Subject: PLACEHOLDER", b"Subject: =?utf-8?q?Printer_broken=0D=0ABcc:_x@evil.example?="
    )

    parsed = parse_message(raw)

    assert parsed.subject == "Printer broken Bcc: x@evil.example"
    assert "\r" not in parsed.subject and "\n" not in parsed.subject


def test_an_html_only_message_becomes_text_without_tags_scripts_or_styles():
    html = (
        "<html><head><style>p { color: red }</style><title>Mail</title></head><body>"
        "<p>The <b>printer</b> on floor 3 &amp; 4 jams.</p><div>Since Monday.</div>"
        "<script>alert('x')</script><img src=x onerror=alert(1)></body></html>"
    )

    parsed = parse_message(eml(text=None, html=html))

    assert parsed.body == "The printer on floor 3 & 4 jams.\n\nSince Monday."
    assert "<" not in parsed.body and "alert" not in parsed.body and "color" not in parsed.body


def test_the_plain_text_part_wins_over_its_html_twin():
    parsed = parse_message(eml(text="Plain words.", html="<p>Rich <i>words</i>.</p>"))

    assert parsed.body == "Plain words."
    assert parsed.attachments == []  # the HTML alternative is not a file


def test_the_quoted_history_of_a_reply_is_trimmed():
    text = (
        "It still fails after the restart.\n\n"
        "On Mon, 5 Jan 2026 at 10:00, IT Service Desk <\n"
        "servicedesk@example.com> wrote:\n"
        "> [INC0001001] Update: VPN down\n"
        "> Please restart your laptop.\n"
    )

    assert parse_message(eml(text=text)).body == "It still fails after the restart."


def test_quoted_lines_are_dropped_but_an_ordinary_sentence_starting_with_on_is_kept():
    text = "> earlier mail\nOn the login form the user wrote: hello\nStill broken."

    assert trim_quoted(text) == "On the login form the user wrote: hello\nStill broken."


def test_an_outlook_original_message_block_is_trimmed():
    text = "Thanks, works now.\n\n-----Original Message-----\nFrom: Desk\nSubject: x"

    assert trim_quoted(text) == "Thanks, works now."


def test_a_message_that_is_only_quotation_keeps_its_text():
    parsed = parse_message(eml(text="> forwarded line one\n> line two"))

    assert parsed.body == "> forwarded line one\n> line two"


def test_attachments_keep_their_name_type_and_exact_bytes():
    parsed = parse_message(eml(attachments=[("screenshot.png", "image", "png", PNG)]))

    (attachment,) = parsed.attachments
    assert (attachment.filename, attachment.content_type) == ("screenshot.png", "image/png")
    assert attachment.content == PNG


def test_a_file_name_with_a_path_keeps_only_its_last_component():
    parsed = parse_message(eml(attachments=[("../../etc/passwd.txt", "text", "plain", b"x")]))

    assert parsed.attachments[0].filename == "passwd.txt"


def test_a_message_without_message_id_is_identified_by_its_bytes():
    raw = eml()
    raw = b"\n".join(line for line in raw.split(b"\n") if not line.startswith(b"Message-ID"))

    first, second = parse_message(raw), parse_message(raw)

    assert first.message_id.startswith("sha256:")
    assert first.message_id == second.message_id


def test_an_mbox_from_line_put_in_front_by_the_mail_server_is_not_a_header():
    raw = b"From alice@example.com Mon Jan  5 10:00:00 2026\n" + eml()

    parsed = parse_message(raw)

    assert (parsed.sender, parsed.subject) == ("alice@example.com", "VPN down")


def test_a_from_header_without_an_address_gives_no_sender():
    raw = eml(sender="undisclosed")

    assert parse_message(raw).sender == ""


@pytest.mark.parametrize("raw", [b"", b"   \n\n", b"\n\njust some text without headers"])
def test_input_that_is_not_an_e_mail_is_unreadable(raw):
    with pytest.raises(UnreadableMessage):
        parse_message(raw)


def test_html_entities_and_line_breaks_survive_the_conversion_to_text():
    assert html_to_text("a&lt;b<br>c&nbsp;d") == "a<b\nc d"


def test_a_forwarded_message_is_kept_as_one_attached_file():
    outer = build(text="See the message below.")
    outer.add_attachment(build(subject="Original problem", text="inner text"))
    del outer.get_payload()[-1]["Content-Disposition"]  # as some clients send it: no disposition

    parsed = parse_message(bytes(outer))

    assert parsed.body == "See the message below."
    (attached,) = parsed.attachments
    assert attached.filename == "attached-message.eml"
    assert b"Subject: Original problem" in attached.content


def test_an_unknown_charset_still_gives_the_text():
    raw = (
        b"From: alice@example.com\nSubject: x\n"
        b"Content-Type: text/plain; charset=x-unknown-zz\n\nhello there"
    )

    assert parse_message(raw).body == "hello there"
