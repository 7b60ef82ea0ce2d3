"""What a released person is told about life after release (DOMAIN.md, rule 10): they may be
eligible for work authorization, through a pending asylum application or through parole, with
fee waivers; and their case is at the court named.

Written texts exist in Spanish, English, Portuguese, Haitian Creole and French. Many MPP cases
speak an Indigenous language with little written use (Mam, K'iche', Q'eqchi'...): for those, and
any other language without a text, the family receives the Spanish text with a line saying that
an interpreter will explain it in their language. That is a fallback, not a translation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from puente_schemas.common import Member

FALLBACK = "spa"

TEXTS = {
    "spa": (
        "Usted fue liberado con permiso de permanencia temporal (parole). Su caso de inmigración "
        "está ahora en esta corte: {court}. Mantenga su dirección actualizada ante la corte. "
        "Usted podría tener derecho a un permiso de trabajo (documento de autorización de "
        "empleo, formulario I-765) porque tiene una solicitud de asilo pendiente o porque "
        "recibió parole. Si no puede pagar la tarifa, puede pedir una exención de pago "
        "(formulario I-912). Un proveedor de servicios legales puede ayudarle a solicitarlo."
    ),
    "eng": (
        "You were released on parole. Your immigration case is now at this court: {court}. "
        "Keep your address up to date with the court. You may be eligible for permission to "
        "work (an employment authorization document, Form I-765) because you have a pending "
        "asylum application or because you were paroled. If you cannot pay the fee, you may "
        "request a fee waiver (Form I-912). A legal service provider can help you apply."
    ),
    "por": (
        "Você foi liberado com permissão temporária de permanência (parole). Seu caso de "
        "imigração está agora neste tribunal: {court}. Mantenha seu endereço atualizado junto "
        "ao tribunal. Você pode ter direito a uma autorização de trabalho (documento de "
        "autorização de emprego, formulário I-765) porque tem um pedido de asilo pendente ou "
        "porque recebeu parole. Se não puder pagar a taxa, pode pedir isenção (formulário "
        "I-912). Um prestador de serviços jurídicos pode ajudar você a fazer o pedido."
    ),
    "hat": (
        "Yo lage ou sou parole. Dosye imigrasyon ou a kounye a devan tribinal sa a: {court}. "
        "Toujou bay tribinal la bon adrès ou. Ou ka gen dwa jwenn pèmisyon pou travay "
        "(dokiman otorizasyon travay, fòm I-765) paske ou gen yon demann azil k ap tann "
        "oswa paske yo ba ou parole. Si ou pa ka peye frè a, ou ka mande yon egzanpsyon "
        "(fòm I-912). Yon òganizasyon sèvis legal ka ede w fè demann nan."
    ),
    "fra": (
        "Vous avez été libéré sous « parole ». Votre dossier d'immigration est maintenant "
        "devant ce tribunal : {court}. Tenez votre adresse à jour auprès du tribunal. Vous "
        "pouvez avoir droit à une autorisation de travail (document d'autorisation d'emploi, "
        "formulaire I-765) parce que vous avez une demande d'asile en cours ou parce que vous "
        "avez reçu un « parole ». Si vous ne pouvez pas payer les frais, vous pouvez demander "
        "une dispense (formulaire I-912). Un prestataire de services juridiques peut vous aider."
    ),
}
INTERPRETER = "Un intérprete le explicará esta información en {language}."

# Names for the fallback line; a language not listed is named by its ISO 639-3 code.
LANGUAGE_NAMES = {
    "mam": "mam",
    "quc": "k'iche'",
    "kek": "q'eqchi'",
    "cak": "kaqchikel",
    "ixl": "ixil",
    "knj": "akateko",
    "cac": "chuj",
    "kjb": "q'anjob'al",
    "arb": "árabe",
    "rus": "ruso",
    "tur": "turco",
    "ben": "bengalí",
    "hin": "hindi",
    "cmn": "chino mandarín",
}


@dataclass(frozen=True)
class Notice:
    text: str
    language: str  # the language `text` is written in


def family_language(members: Sequence[Member]) -> str:
    """The language the family is addressed in: that of its first member in MPP (the person
    whose case brought the family), else of its first member."""
    principal = next((m for m in members if m.in_mpp), members[0])
    return principal.language


def after_release(language: str, court: str) -> Notice:
    if language in TEXTS:
        return Notice(TEXTS[language].format(court=court), language)
    name = LANGUAGE_NAMES.get(language, language)
    text = TEXTS[FALLBACK].format(court=court) + " " + INTERPRETER.format(language=name)
    return Notice(text, FALLBACK)
