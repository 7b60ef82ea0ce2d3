"""What a registrant is told, per language (ISO 639-3): data, one entry per language.

To add a language, add an entry with every key of `spa`; a test checks that each entry is
complete. Spanish and English were written by the team; Portuguese, French and Haitian Creole
are the team's own translations and must be reviewed by a native speaker (or the interpreters
the hotline works with) before a real deployment. A language without an entry is answered in
Spanish, the one most registrants read, with the `interpreter` line added: no
machine translation is attempted, a person at the hotline helps instead.

Dates are written as YYYY-MM-DD in every language, so no month name needs translating.
"""

from __future__ import annotations

__all__ = ["FALLBACK", "TEMPLATES"]

FALLBACK = "spa"

TEMPLATES: dict[str, dict[str, str]] = {
    "spa": {
        "no_match": "Ningún registro coincide con ese código y esa fecha de nacimiento. "
        "Revise los dos datos o llame a la línea de ayuda.",
        "registered": "Su familia está registrada. Pronto recibirá su lugar en la fila.",
        "waiting_for_eligibility": "Su familia está registrada y espera a que su tipo de caso "
        "sea elegible en esta fase. Conserva su lugar según su fecha de inscripción en MPP.",
        "waiting": "Su familia tiene el lugar {place} en la fila de {site}. "
        "Fecha estimada: {date}. Es una estimación y puede cambiar.",
        "waiting_no_estimate": "Su familia tiene el lugar {place} en la fila de {site}. "
        "Todavía no se puede estimar una fecha.",
        "scheduled": "Su familia tiene cita en {site} el {date}. "
        "El transporte se organizará sin costo.",
        "travelling": "El transporte de su familia a {site} está reservado para su cita del "
        "{date}.",
        "at_port": "Su familia está siendo procesada en {site}.",
        "released": "Su familia fue liberada. Puede tener derecho a un permiso de trabajo, "
        "con exención de pago.",
        "court_transfer": "Su familia ya está en Estados Unidos: su caso se transferirá al "
        "tribunal más cercano a donde vive. No necesita una cita en la frontera.",
        "interpreter": "Este mensaje no está disponible en su idioma. Un intérprete puede "
        "ayudarle: llame a la línea de ayuda y pida uno.",
    },
    "eng": {
        "no_match": "No registration matches this code and birth date. "
        "Check both, or call the hotline.",
        "registered": "Your family is registered. It will be given its place in line soon.",
        "waiting_for_eligibility": "Your family is registered and waits for its case category "
        "to become eligible in this phase. It keeps its place by MPP enrollment date.",
        "waiting": "Your family is number {place} in line at {site}. "
        "Estimated date: {date}. This is an estimate and may change.",
        "waiting_no_estimate": "Your family is number {place} in line at {site}. "
        "No date can be estimated yet.",
        "scheduled": "Your family has an appointment at {site} on {date}. "
        "Transport will be arranged at no cost.",
        "travelling": "Your family's transport to {site} is booked for its appointment on {date}.",
        "at_port": "Your family is being processed at {site}.",
        "released": "Your family has been released. You may be eligible for work "
        "authorization, with a fee waiver.",
        "court_transfer": "Your family is already in the United States: your case will be "
        "transferred to the court nearest where you live. No border appointment is needed.",
        "interpreter": "This message is not available in your language. An interpreter can "
        "help: call the hotline and ask for one.",
    },
    "por": {
        "no_match": "Nenhum registro corresponde a esse código e a essa data de nascimento. "
        "Verifique os dois dados ou ligue para a linha de ajuda.",
        "registered": "Sua família está registrada. Em breve receberá seu lugar na fila.",
        "waiting_for_eligibility": "Sua família está registrada e aguarda que a categoria do "
        "seu caso seja elegível nesta fase. Ela mantém seu lugar pela data de inscrição no "
        "MPP.",
        "waiting": "Sua família ocupa o lugar {place} na fila de {site}. "
        "Data estimada: {date}. É uma estimativa e pode mudar.",
        "waiting_no_estimate": "Sua família ocupa o lugar {place} na fila de {site}. "
        "Ainda não é possível estimar uma data.",
        "scheduled": "Sua família tem um horário marcado em {site} no dia {date}. "
        "O transporte será organizado sem custo.",
        "travelling": "O transporte da sua família para {site} está reservado para o horário "
        "do dia {date}.",
        "at_port": "Sua família está sendo processada em {site}.",
        "released": "Sua família foi liberada. Vocês podem ter direito a uma autorização de "
        "trabalho, com isenção de taxas.",
        "court_transfer": "Sua família já está nos Estados Unidos: seu caso será transferido "
        "para o tribunal mais próximo de onde vocês moram. Não é preciso ir à fronteira.",
        "interpreter": "Esta mensagem não está disponível no seu idioma. Um intérprete pode "
        "ajudar: ligue para a linha de ajuda e peça um.",
    },
    "fra": {
        "no_match": "Aucune inscription ne correspond à ce code et à cette date de naissance. "
        "Vérifiez les deux ou appelez la ligne d'assistance.",
        "registered": "Votre famille est inscrite. Elle recevra bientôt sa place dans la file.",
        "waiting_for_eligibility": "Votre famille est inscrite et attend que la catégorie de "
        "son dossier soit admissible dans cette phase. Elle garde sa place selon sa date "
        "d'inscription au MPP.",
        "waiting": "Votre famille est à la place {place} dans la file de {site}. "
        "Date estimée : {date}. C'est une estimation, elle peut changer.",
        "waiting_no_estimate": "Votre famille est à la place {place} dans la file de {site}. "
        "Aucune date ne peut encore être estimée.",
        "scheduled": "Votre famille a un rendez-vous à {site} le {date}. "
        "Le transport sera organisé gratuitement.",
        "travelling": "Le transport de votre famille vers {site} est réservé pour son "
        "rendez-vous du {date}.",
        "at_port": "Votre famille est en cours de traitement à {site}.",
        "released": "Votre famille a été libérée. Vous pouvez avoir droit à une autorisation "
        "de travail, avec dispense de frais.",
        "court_transfer": "Votre famille est déjà aux États-Unis : son dossier sera transféré "
        "au tribunal le plus proche de son domicile. Aucun rendez-vous à la frontière n'est "
        "nécessaire.",
        "interpreter": "Ce message n'est pas disponible dans votre langue. Un interprète peut "
        "vous aider : appelez la ligne d'assistance et demandez-en un.",
    },
    "hat": {
        "no_match": "Pa gen okenn enskripsyon ki koresponn ak kòd sa a ak dat nesans sa a. "
        "Verifye toude oswa rele liy èd la.",
        "registered": "Fanmi w enskri. Talè l ap resevwa plas li nan liy lan.",
        "waiting_for_eligibility": "Fanmi w enskri epi l ap tann kategori dosye l la vin "
        "kalifye nan faz sa a. Li kenbe plas li dapre dat enskripsyon l nan MPP.",
        "waiting": "Fanmi w nan plas {place} nan liy {site}. "
        "Dat estimasyon: {date}. Se yon estimasyon, li ka chanje.",
        "waiting_no_estimate": "Fanmi w nan plas {place} nan liy {site}. "
        "Nou poko ka estime yon dat.",
        "scheduled": "Fanmi w gen yon randevou nan {site} nan dat {date}. "
        "Transpò a ap òganize gratis.",
        "travelling": "Transpò fanmi w pou {site} rezève pou randevou {date} la.",
        "at_port": "Fanmi w ap trete nan {site} kounye a.",
        "released": "Fanmi w lage. Ou ka gen dwa pou yon otorizasyon travay, san frè.",
        "court_transfer": "Fanmi w deja Ozetazini: dosye l ap transfere nan tribinal ki pi "
        "pre kote l rete a. Pa bezwen randevou sou fwontyè a.",
        "interpreter": "Mesaj sa a pa disponib nan lang ou. Yon entèprèt ka ede w: rele liy èd "
        "la epi mande youn.",
    },
}
