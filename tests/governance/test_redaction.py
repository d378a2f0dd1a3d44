"""Other people's names are taken out of free text, however they are spelt or punctuated."""

from saferhub.governance.redaction import WITHHELD, Redactor


def test_names_are_withheld_whole_in_parts_and_possessive():
    redact = Redactor(["Mark", "Smith-Jones"])
    assert redact("Mark Smith-Jones called.") == f"{WITHHELD} {WITHHELD} called."
    assert redact("mark smith jones") == f"{WITHHELD} {WITHHELD} {WITHHELD}"
    assert redact("Mark's car; Mr SMITHJONES") == f"{WITHHELD} car; Mr {WITHHELD}"
    assert redact("Jones’s threats") == f"{WITHHELD} threats"
    assert redact.replaced == 8


def test_accents_and_case_do_not_let_a_name_through():
    redact = Redactor(["Zoë", "O'Brien"])
    assert redact("ZOE and zoë met obrien and O’Brien") == (
        f"{WITHHELD} and {WITHHELD} met {WITHHELD} and {WITHHELD}"
    )


def test_other_words_are_left_alone():
    redact = Redactor(["Mark", "Al"])
    text = "Marked as urgent; also a remark. A"
    assert redact(text) == text
    assert redact("") == ""
    assert Redactor([])("Mark") == "Mark"
