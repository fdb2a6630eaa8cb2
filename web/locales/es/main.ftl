## Marco
skip-to-content = Ir al contenido
nav-main = Principal
nav-new-thread = Nuevo hilo
nav-admin = Administración
nav-sign-out = Cerrar sesión
nav-sign-in = Iniciar sesión
language-label = Idioma
language-change = Cambiar
footer-tagline = Comity — un foro cerrado para expertos de la justicia penal frente al comercio ilícito.

## Meses (abreviados)
month-1 = ene
month-2 = feb
month-3 = mar
month-4 = abr
month-5 = may
month-6 = jun
month-7 = jul
month-8 = ago
month-9 = sept
month-10 = oct
month-11 = nov
month-12 = dic

## Listas de hilos
page-home = Inicio
latest-threads = Últimos hilos
categories = Categorías
no-categories = Todavía no hay categorías.
no-threads = Todavía no hay hilos.
badge-pinned = Fijado
badge-locked = Cerrado
badge-restricted = Restringido
kind-discussion = Debate
kind-question = Pregunta
kind-analysis = Análisis jurídico
in-category = en
by-author = por
thread-replies = { $count ->
    [one] { $count } respuesta
   *[other] { $count } respuestas
}
category-new-thread = Nuevo hilo en { $name }
pages = Páginas
page-newer = Más recientes
page-older = Más antiguos
content-language = Idioma del contenido
all-languages = Todos los idiomas
filter = Filtrar

## Página de un hilo
in-reply-to = en respuesta a un mensaje anterior
edited-at = editado el { $date }
post-edit = Editar
post-reply-to = Responder a este mensaje
reply-heading = Responder
reply-label = Su respuesta (Markdown)
reply-submit = Publicar respuesta
replying-to = Respuesta a un mensaje anterior.
thread-locked = Este hilo está cerrado.
posts-by = Mensaje de { $name }

## Nuevo hilo
new-thread = Nuevo hilo
no-category-to-post = Todavía no hay ninguna categoría donde publicar. Un administrador las crea en la página de administración.
field-category = Categoría
field-title = Título
field-kind = Tipo
field-jurisdictions = Jurisdicciones
hint-jurisdictions = (códigos ISO separados por espacios o comas, p. ej. FR, MA)
field-body = Texto (Markdown: tablas, notas al pie, tachado)
field-language = Idioma del texto
language-auto = Detectar automáticamente
open-thread = Abrir hilo

## Edición
edit-post = Editar mensaje
back-to-thread = Volver al hilo
revision-history = Historial de versiones
field-edit-reason = Motivo de la edición
hint-edit-reason = (opcional, visible en el historial)
save = Guardar
revision-n = Versión { $count }
revision-reason = motivo: { $reason }
revision-changes = Cambios de la versión { $count }

## Cuentas
sign-in = Iniciar sesión
field-username = Nombre de usuario
field-password = Contraseña
invitation-only = La participación es por invitación. Pida una a un moderador de su red.
join = Unirse a Comity
invited-as = Ha sido invitado/a como { $email }.
hint-username = (de 3 a 32 caracteres entre a-z, 0-9, _ . -)
field-display-name = Nombre visible para sus colegas
field-country = País
field-profession = Profesión
hint-password = (al menos 12 caracteres)
create-account = Crear cuenta
field-role = Función
member-since = Miembro desde
threads-started = Hilos iniciados
role-member = miembro
role-moderator = moderador
role-admin = administrador
profession-prosecutor = fiscal
profession-judge = juez
profession-police = policía
profession-customs = aduanas
profession-legal_adviser = asesor jurídico
profession-academic = académico
profession-private_sector = sector privado
profession-other = otra

## Administración
administration = Administración
invite-expert = Invitar a un experto
invitation-created = Invitación creada. Envíe este enlace de un solo uso a la persona invitada:
field-email = Correo electrónico
create-invitation = Crear invitación
field-slug = Identificador
hint-slug = (a-z, 0-9, -)
field-name = Nombre
field-description = Descripción
create-category = Crear categoría

## Errores
back-home = Volver al inicio
error-page-title = Error
error-not_found = Esta página no existe, o no tiene acceso a ella.
error-forbidden = No tiene permiso para hacer esto.
error-internal = Se produjo un error. Inténtelo de nuevo.
error-unauthenticated = Inicie sesión.
error-invalid_credentials = Nombre de usuario o contraseña incorrectos.
error-invalid_refresh_token = La sesión ha terminado. Vuelva a iniciar sesión.
error-account_suspended = Esta cuenta está suspendida.
error-csrf_rejected = Solicitud entre sitios rechazada.
error-invalid_field = Revise el campo «{ $field }».
error-invitation_invalid = Esta invitación no es válida.
error-invitation_used = Esta invitación ya se utilizó.
error-invitation_expired = Esta invitación ha caducado.
error-username_taken = Este nombre de usuario ya está en uso.
error-email_taken = Ya existe una cuenta con este correo.
error-slug_taken = Ya existe una categoría con este identificador.
error-thread_locked = Este hilo está cerrado.
error-payload_too_large = La solicitud es demasiado grande.
error-rate_limited = Demasiados intentos. Espere un momento y vuelva a intentarlo.
error-too_many_connections = Demasiadas conexiones en directo abiertas para esta cuenta.
error-cross_site_refused = Una página de otro sitio no puede abrir esta conexión.
error-malformed_request = La solicitud está mal formada.
error-unsupported_media_type = Envíe JSON con Content-Type: application/json.
error-unavailable = El servicio no está disponible temporalmente.

## Configuración
nav-settings = Configuración
settings = Configuración de la cuenta
sessions-heading = Dónde tiene la sesión iniciada
session-current = este dispositivo
session-started = sesión iniciada el { $date }
session-last-seen = última actividad el { $date }
session-revoke = Cerrar esta sesión
sessions-revoke-others = Cerrar todas las demás sesiones
password-heading = Cambiar su contraseña
field-current-password = Contraseña actual
field-new-password = Nueva contraseña
password-submit = Cambiar contraseña
done-password = Contraseña cambiada. Se cerraron sus demás sesiones.
done-others = Se cerraron sus demás sesiones.
done-one = La sesión se cerró.
error-wrong_password = La contraseña actual no es correcta.

## Actualizaciones en directo de la página del hilo
live-viewing = Expertos presentes: { $count }
live-typing = { $name } está escribiendo…
live-reconnecting = Actualizaciones en directo en pausa; reconectando…
live-resync = Este hilo cambió mucho durante su ausencia; recargue la página para verlo todo.
live-new-reply-from = Nueva respuesta de { $name }
live-new-replies = Respuestas nuevas: { $count } — mostrar

## Second factor
field-totp-code = Código de autenticación
field-totp-code-hint = Solo si activó un segundo factor: el código de 6 cifras de su aplicación, o un código de recuperación.
error-totp_required = Esta cuenta necesita un código de su aplicación de autenticación.
error-invalid_totp = El código de autenticación no es válido.
error-second_factor_required = Inicie sesión con un segundo factor (actívelo en su configuración) para hacer esto.
error-totp_already_enabled = Ya hay un segundo factor activado.
totp-heading = Segundo factor
totp-on = Hay un segundo factor activado: para iniciar sesión se necesita un código de su aplicación de autenticación.
totp-off = Aún no hay segundo factor. Los moderadores y administradores lo necesitan para actuar.
totp-begin = Configurar un segundo factor
totp-setup-title = Configurar un segundo factor
totp-scan = Escanee este código con una aplicación de autenticación (por ejemplo Aegis, FreeOTP o Google Authenticator), o escriba la clave en ella.
totp-qr-label = Código QR de la clave para su aplicación de autenticación
totp-key = Clave:
totp-confirm-label = El código de 6 cifras que muestra su aplicación
totp-confirm = Activar
totp-recovery-title = Sus códigos de recuperación
totp-now-on = El segundo factor está activado.
totp-recovery-intro = Guarde estos códigos en un lugar seguro. Cada uno sirve una vez en lugar de un código si pierde su dispositivo. No se volverán a mostrar.
totp-recovery-done = Ya los guardé — volver a la configuración
totp-disable = Desactivar el segundo factor
field-totp-disable-code = Un código actual o un código de recuperación
done-totp-off = El segundo factor está desactivado.

## Account management by admins, reset links
admin-tools = Herramientas de administración
admin-end-sessions = Cerrar todas las sesiones de este miembro
admin-reset-link = Crear un enlace para restablecer la contraseña
reset-link-created = Enlace de restablecimiento (sirve una vez, durante 24 horas). Entrégueselo al miembro por un canal de confianza:
done-sessions-ended = Se cerraron todas las sesiones de este miembro.
reset-title = Elegir una contraseña nueva
reset-submit = Guardar la contraseña
done-reset = Su contraseña está guardada. Inicie sesión con ella.
error-reset_link_invalid = Este enlace de restablecimiento no es válido (usado, caducado o desconocido).
session-from = desde
security-heading = Seguridad
security-second-factor-everyone = Exigir un segundo factor a todos los miembros
security-second-factor-hint = Los moderadores y administradores siempre lo necesitan. Los miembros sin él pueden leer y configurarlo, pero no publicar.
security-save = Guardar
done-security = Configuración de seguridad guardada.

## Legal analyses
nav-review = Revisión
nav-compare = Comparar
crime-counterfeiting = Falsificación de marcas
crime-piracy = Piratería
crime-illicit_tobacco = Tabaco ilícito
crime-illicit_alcohol = Alcohol ilícito
crime-falsified_medicines = Medicamentos falsificados
crime-illicit_pesticides = Plaguicidas ilícitos
crime-wildlife = Tráfico de vida silvestre
crime-smuggling = Contrabando
crime-money_laundering = Lavado de activos
crime-other = Otro
analysis-heading = Ficha del análisis
analysis-summary = Resumen
analysis-instruments = Instrumentos
analysis-crime-areas = Ámbitos delictivos
analysis-provisions = Disposiciones nacionales
analysis-cases = Jurisprudencia
analysis-valid-as-of = Vigente a
analysis-review-by = Revisar antes del
analysis-needs-review = Requiere revisión
review-review_by_passed = su fecha de revisión ha pasado
review-instrument_amended = { $instrument } se modificó después de su redacción
endorsements-heading = Avales
endorsement-line = Exacto para { $jurisdiction }: { $people }
endorse-button = Avalar como exacto para { $country }
endorse-withdraw = Retirar mi aval
endorsed-by-you = Usted avaló este análisis para { $country }.
endorsements-none = Todavía sin avales.
cited-by = Citado por
analysis-fields = Ficha del análisis (solo análisis jurídicos)
field-summary = Resumen
field-instruments = Instrumentos y artículos citados
field-crime-areas = Ámbitos delictivos
field-provisions = Disposiciones nacionales, una por línea: código | disposición
field-cases = Jurisprudencia, una por línea: tribunal | fecha (AAAA-MM-DD) | referencia | ECLI
field-valid-as-of = Vigente a
field-review-by = Revisar antes del
picker-filter = Escriba para filtrar la lista
jurisdictions-countries = Países
jurisdictions-regions = Agrupaciones regionales
jurisdiction-kind-country = País
jurisdiction-kind-region = Agrupación regional
jurisdiction-threads = Análisis y debates
jurisdiction-regional = regional
jurisdiction-member-of = Miembro de
jurisdiction-members = Miembros
instrument-whole = El instrumento en su conjunto
instrument-articles = Artículos
instrument-no-analyses = Ningún análisis cita todavía este instrumento.
instrument-article = Artículo { $number }
compare-title = Comparar jurisdicciones
compare-jurisdictions = Jurisdicciones (códigos, p. ej. FR, ES, MA)
compare-submit = Comparar
compare-ask-title = ¿Cuál es el derecho de { $jurisdiction } sobre { $topic }?
compare-gap = Todavía no hay análisis para esta jurisdicción.
compare-ask = Preguntar a expertos de { $jurisdiction }
compare-any = Cualquiera
review-title = Análisis que requieren revisión
review-none = Todos los análisis están al día.
edit-tags = Jurisdicciones de este hilo
save-tags = Guardar jurisdicciones
all-kinds = Todos los tipos
all-crime-areas = Todos los ámbitos
field-crime-area = Ámbito delictivo
field-instrument = Instrumento
field-jurisdiction = Jurisdicción
