"""The catalogues and their fallback chain (`puente_texts`)."""

import puente_texts
import pytest


def test_the_chain_is_the_readers_languages_then_spanish_then_english_each_once():
    assert puente_texts.chain(["mam", "eng"]) == ("mam", "eng", "spa")
    assert puente_texts.chain([]) == ("spa", "eng")
    assert puente_texts.chain(["fra", "spa"]) == ("fra", "spa", "eng")


def test_a_message_comes_from_the_first_catalogue_of_the_chain_that_has_it():
    text = puente_texts.text("notice.policy-announced.title", ["fra", "eng"], title="Laredo")
    assert text == puente_texts.Text("eng", "Policy change: Laredo", None)
    text = puente_texts.text("notice.policy-announced.title", ["kek"], title="Laredo")
    assert text == puente_texts.Text("spa", "Cambio de política: Laredo", "kek")


def test_an_unknown_message_is_an_error_naming_it():
    with pytest.raises(KeyError, match=r"notice\.nothing"):
        puente_texts.text("notice.nothing", ["eng"])


def test_coverage_lists_per_language_what_is_missing():
    report = {entry.language: entry for entry in puente_texts.coverage()}
    assert report["eng"].missing == () and report["spa"].missing == ()
    assert report["eng"].total == report["spa"].translated > 10
    assert report["mam"].served_in == "spa" and len(report["mam"].missing) == report["mam"].total


def test_a_reader_whose_language_has_no_text_is_offered_an_interpreter_in_spanish():
    kiche = puente_texts.text("registrant.registered", ["quc", "spa"])
    arabic = puente_texts.text("registrant.registered", ["arb"])
    reads_spanish = puente_texts.text("registrant.registered", ["arb", "spa"])
    english = puente_texts.text("registrant.registered", ["arb", "eng"])
    assert (kiche.language, kiche.interpreter_for) == ("spa", "quc")
    assert (reads_spanish.language, reads_spanish.interpreter_for) == ("spa", None)
    assert arabic.offering("notice.interpreter-offer") == (
        "Su familia está registrada. Pronto recibirá su lugar en la fila.\n"
        "Este aviso está en español; hay un intérprete de árabe disponible si lo solicitan."
    )
    assert (english.language, english.offering("notice.interpreter-offer")) == (
        "eng",
        "Your family is registered. It will be given its place in line soon.",
    )


def test_a_catalogue_that_lacks_a_message_falls_back_for_it_and_shows_it_missing():
    french = puente_texts.text("notice.released.title", ["fra"])
    assert (french.language, french.interpreter_for) == ("spa", "fra")
    assert puente_texts.text("registrant.registered", ["fra"]).language == "fra"
    report = {entry.language: entry for entry in puente_texts.coverage()}
    assert "notice.released.title" in report["fra"].missing
    assert "registrant.registered" not in report["fra"].missing
