// The console's own texts in English and Spanish (what the API returns is shown as it comes).

const TEXTS = {
  en: {
    title: "Puente operations console", skip: "Skip to content", otherLanguage: "Español",
    signOut: "Sign out", signInTitle: "Sign in", signIn: "Sign in", token: "Token",
    signInHelp: "Paste your token (the first one is in var/admin.token).",
    badToken: "That token is not recognised or has been revoked. Nothing was shown.",
    sessionEnded: "Your session has ended. Sign in again.",
    noViews: "Your roles give you no view in this console.",
    overview: "Overview", family: "Family", shelter: "Shelter", port: "Port",
    operationsTitle: "Services: backlog and failures", service: "Service", lag: "Consumer lag",
    deadLetters: "Dead letters", parked: "Parked", outboxBacklog: "Outbox backlog",
    chart: "Chart", stagesTitle: "Families per stage", families: "families", queueTitle: "Families waiting and booked per site",
    familiesInQueue: "Families in the queue:", queueChart: "People waiting and booked per site, against the site's daily capacity",
    waitingPeople: "people waiting", scheduledPeople: "people booked", capacityPerDay: "capacity per day",
    site: "Site", waitingFamilies: "Waiting", waitingForEligibility: "Waiting for eligibility",
    scheduledFamilies: "Booked", notPlaced: "Not yet placed",
    processingTitle: "Processing time against the site's target", target: "Target",
    median: "Median", longest: "Longest", inProcessing: "In processing",
    withinTarget: "Within target", overTarget: "Over target", overdue: "Overdue",
    sheltersTitle: "Shelters", bedsChart: "Beds and free beds per shelter",
    city: "City", beds: "Beds", bedsFree: "Free beds",
    fairnessTitle: "Fairness audit (30 days either side of today)", checked: "Appointments checked",
    inversions: "Inversions", fairnessClean: "No family was passed over.",
    fairnessBroken: "Some families were passed over: see the inversions.",
    organisationsTitle: "Organisations", organisation: "Organisation", kind: "Kind",
    activeTokens: "Active tokens",
    familyId: "Family id", open: "Open", placeInLine: "Place in line",
    estimate: "estimated day (it can change)", journey: "Journey", stage: "Stage",
    appointment: "Appointment", from: "From", departure: "Departure", arrival: "Arrival",
    seats: "Seats", status: "Status", checkedIn: "Checked in", processed: "Processed",
    released: "Released", timeline: "Timeline (live)", members: "Members", name: "Name",
    birthDate: "Birth date", language: "Language", interpreter: "interpreter",
    recordNotVisible: "The family's personal record is not visible to your organisation.",
    documents: "Documents", member: "Member", document: "Document",
    notFound: "Family not found, or not one you follow.",
    noShelter: "Your organisation runs no shelter.", updateBeds: "Update beds",
    expectedArrivals: "Families coming to this shelter", expected: "Expected", people: "People",
    languages: "Languages", needs: "Needs", confirmArrival: "Confirm arrival",
    noArrivals: "No family is expected.",
    checkIn: "Check in", completeProcessing: "Complete processing", release: "Release",
    atThePort: "Families at the port", processingTime: "Processing time",
    noFamiliesAtPort: "No family has checked in here.",
    documentsNotReady: "Documents not ready", allDocumentsReady: "Every checked-in family's documents are ready.",
    "status.ACCEPTED": "Accepted", "status.REJECTED": "Rejected", "status.PENDING": "Pending",
    "arrival.EXPECTED": "Expected", "arrival.RELEASED": "Released, on its way",
    "arrival.ARRIVED": "Arrived",
    "stage.UNKNOWN": "Unknown", "stage.REGISTERED": "Registered", "stage.REJECTED": "Rejected",
    "stage.WAITING": "Waiting", "stage.SCHEDULED": "Scheduled",
    "stage.TRANSPORT_BOOKED": "Transport booked", "stage.ARRIVED": "Arrived at the port",
    "stage.PROCESSED": "Processed", "stage.RELEASED": "Released",
    "role.ADMIN": "admin", "role.REGISTRAR": "registrar", "role.HOTLINE_OPERATOR": "hotline operator",
    "role.LEGAL_PROVIDER": "legal provider", "role.EXPEDITE_DECIDER": "expedite decider",
    "role.POLICY_OFFICER": "policy officer", "role.SHELTER": "shelter",
    "role.TRANSPORT_OPERATOR": "transport operator", "role.PORT_OFFICER": "port officer",
    "role.ANALYST": "analyst",
  },
  es: {
    title: "Consola de operaciones de Puente", skip: "Ir al contenido", otherLanguage: "English",
    signOut: "Cerrar sesión", signInTitle: "Iniciar sesión", signIn: "Entrar", token: "Token",
    signInHelp: "Pegue su token (el primero está en var/admin.token).",
    badToken: "Ese token no se reconoce o fue revocado. No se mostró nada.",
    sessionEnded: "Su sesión terminó. Inicie sesión de nuevo.",
    noViews: "Sus roles no le dan ninguna vista en esta consola.",
    overview: "Resumen", family: "Familia", shelter: "Albergue", port: "Puerto",
    operationsTitle: "Servicios: pendientes y fallos", service: "Servicio", lag: "Retraso de consumo",
    deadLetters: "Mensajes fallidos", parked: "En espera", outboxBacklog: "Eventos por publicar",
    chart: "Gráfica", stagesTitle: "Familias por etapa", families: "familias", queueTitle: "Familias en espera y con cita por sitio",
    familiesInQueue: "Familias en la fila:", queueChart: "Personas en espera y con cita por sitio, frente a la capacidad diaria del sitio",
    waitingPeople: "personas en espera", scheduledPeople: "personas con cita", capacityPerDay: "capacidad por día",
    site: "Sitio", waitingFamilies: "En espera", waitingForEligibility: "Esperando elegibilidad",
    scheduledFamilies: "Con cita", notPlaced: "Aún sin sitio",
    processingTitle: "Tiempo de procesamiento frente a la meta del sitio", target: "Meta",
    median: "Mediana", longest: "Máximo", inProcessing: "En procesamiento",
    withinTarget: "Dentro de la meta", overTarget: "Sobre la meta", overdue: "Atrasadas",
    sheltersTitle: "Albergues", bedsChart: "Camas y camas libres por albergue",
    city: "Ciudad", beds: "Camas", bedsFree: "Camas libres",
    fairnessTitle: "Auditoría de equidad (30 días antes y después de hoy)", checked: "Citas revisadas",
    inversions: "Inversiones", fairnessClean: "Ninguna familia fue rebasada.",
    fairnessBroken: "Algunas familias fueron rebasadas: vea las inversiones.",
    organisationsTitle: "Organizaciones", organisation: "Organización", kind: "Tipo",
    activeTokens: "Tokens activos",
    familyId: "Id de la familia", open: "Abrir", placeInLine: "Lugar en la fila",
    estimate: "día estimado (puede cambiar)", journey: "Trayecto", stage: "Etapa",
    appointment: "Cita", from: "Desde", departure: "Salida", arrival: "Llegada",
    seats: "Asientos", status: "Estado", checkedIn: "Registrada en el puerto", processed: "Procesada",
    released: "Liberada", timeline: "Cronología (en vivo)", members: "Integrantes", name: "Nombre",
    birthDate: "Fecha de nacimiento", language: "Idioma", interpreter: "intérprete",
    recordNotVisible: "El expediente personal de la familia no es visible para su organización.",
    documents: "Documentos", member: "Integrante", document: "Documento",
    notFound: "Familia no encontrada, o no es una que usted sigue.",
    noShelter: "Su organización no opera ningún albergue.", updateBeds: "Actualizar camas",
    expectedArrivals: "Familias que vienen a este albergue", expected: "Esperada", people: "Personas",
    languages: "Idiomas", needs: "Necesidades", confirmArrival: "Confirmar llegada",
    noArrivals: "No se espera ninguna familia.",
    checkIn: "Registrar llegada", completeProcessing: "Terminar procesamiento", release: "Liberar",
    atThePort: "Familias en el puerto", processingTime: "Tiempo de procesamiento",
    noFamiliesAtPort: "Ninguna familia se ha registrado aquí.",
    documentsNotReady: "Documentos no listos", allDocumentsReady: "Los documentos de cada familia registrada están listos.",
    "status.ACCEPTED": "Aceptado", "status.REJECTED": "Rechazado", "status.PENDING": "Pendiente",
    "arrival.EXPECTED": "Esperada", "arrival.RELEASED": "Liberada, en camino",
    "arrival.ARRIVED": "Llegó",
    "stage.UNKNOWN": "Desconocida", "stage.REGISTERED": "Registrada", "stage.REJECTED": "Rechazada",
    "stage.WAITING": "En espera", "stage.SCHEDULED": "Con cita",
    "stage.TRANSPORT_BOOKED": "Transporte reservado", "stage.ARRIVED": "En el puerto",
    "stage.PROCESSED": "Procesada", "stage.RELEASED": "Liberada",
    "role.ADMIN": "administración", "role.REGISTRAR": "registro", "role.HOTLINE_OPERATOR": "línea telefónica",
    "role.LEGAL_PROVIDER": "asesoría legal", "role.EXPEDITE_DECIDER": "decisión de agilización",
    "role.POLICY_OFFICER": "política", "role.SHELTER": "albergue",
    "role.TRANSPORT_OPERATOR": "transporte", "role.PORT_OFFICER": "oficial de puerto",
    "role.ANALYST": "análisis",
  },
};
const KEY = "puente.language";

export function language() {
  const chosen = localStorage.getItem(KEY);
  if (chosen in TEXTS) return chosen;
  return navigator.language.startsWith("es") ? "es" : "en";
}

export function setLanguage(code) { localStorage.setItem(KEY, code); }

export function t(key) { return TEXTS[language()][key] ?? TEXTS.en[key] ?? key; }

// The page's fixed texts (data-i18n) and its language attribute.
export function translatePage() {
  document.documentElement.lang = language();
  for (const element of document.querySelectorAll("[data-i18n]")) {
    element.textContent = t(element.dataset.i18n);
  }
  document.getElementById("language").lang = language() === "es" ? "en" : "es";
}
