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
field-provisions = Disposiciones nacionales (una por línea)
field-cases = Jurisprudencia (una resolución por línea)
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

## Moderation
nav-moderation = Moderación
mod-tools = Moderación
mod-action = Acción
mod-lock = Bloquear el hilo
mod-unlock = Desbloquear el hilo
mod-pin = Fijar el hilo
mod-unpin = Desfijar el hilo
mod-move = Mover el hilo
mod-move-to = Mover a (para un traslado)
mod-reason = Motivo (se guarda en el registro de auditoría)
mod-apply = Aplicar
mod-hide = Ocultar
mod-restore = Restablecer
badge-hidden = Oculto
flag-post = Denunciar
moderate-post-hide-heading = Ocultar una publicación
moderate-post-restore-heading = Restablecer una publicación oculta
moderate-post-explain = Los miembros dejan de ver una publicación oculta; los moderadores la siguen viendo, marcada como oculta. El motivo queda en el registro de auditoría.
flag-post-heading = Denunciar una publicación a los moderadores
flag-reason = Motivo
flag-note = Nota para los moderadores (opcional)
flag-submit = Enviar a los moderadores
done-flagged = Gracias: los moderadores lo revisarán.
flag-reason-inaccurate_law = Exposición inexacta del derecho
flag-reason-personal_data = Datos personales
flag-reason-confidential = Información confidencial
flag-reason-off_topic = Fuera de tema
flag-reason-abusive = Ofensivo
flag-reason-spam = Spam
flag-reason-other = Otro
queue-title = Cola de moderación
queue-empty = No hay denuncias abiertas.
queue-stats = Denuncias por motivo
stats-total = Total
stats-open = Abiertas
stats-resolved = Resueltas
stats-mean-hours = Horas medias hasta la resolución
case-title = Denuncia n.º { $id }
case-flagged-by = Denunciado por
case-assigned = Asignado a
case-post = El mensaje denunciado
case-notes = Notas de los moderadores (privadas)
case-add-note = Añadir una nota
case-assign-me = Asignármela
case-resolve = Resolver
case-resolution-note = Motivo (se comunica a quien denunció)
case-resolved = Resuelta: { $resolution }
resolution-dismiss = Desestimar la denuncia
resolution-hide_post = Ocultar el mensaje
resolution-warn_user = Advertir al autor
audit-title = Registro de auditoría
audit-actor = Autor
audit-action = Acción
audit-target = Objeto
audit-reason = Motivo
audit-at = Fecha
audit-details = Detalles
audit-restricted = Oculto: un espacio restringido al que no tiene acceso
groups-heading = Grupos
group-name = Nombre del nuevo grupo
group-create = Crear el grupo
group-member-username = Nombre de usuario
group-member-change = Añadir o quitar
group-add = Añadir
group-remove = Quitar
featured-analyses = Análisis destacados
mod-slow-mode = Ajustar el modo lento
mod-slow-seconds = Segundos entre respuestas (modo lento; 0 lo desactiva)
mod-feature = Destacar este análisis
mod-unfeature = Dejar de destacar este análisis
field-restricted-to = Reservada a estos grupos (ninguno: la ven todos los miembros)
resolution-edit_post = Editar el mensaje
case-new-text = Nuevo texto del mensaje (para una edición)

# Search
nav-search = Búsqueda
search-title = Búsqueda
search-label = Buscar en debates y análisis
search-help = Las palabras se clasifican y buscan en inglés, francés, español y árabe. "frase exacta", +obligatoria, -excluir, OR.
search-sort = Ordenar por
search-sort-relevance = Relevancia
search-sort-newest = Más recientes
search-submit = Buscar
search-did-you-mean = ¿Quiso decir?
search-remove-expansion = Dejar de buscar { $term }
search-also = También se buscó:
search-exact = Solo palabras exactas
search-active-filters = Filtros activos
search-refine = Refinar resultados
search-none = No hay resultados. Pruebe con menos palabras o quite un filtro.
search-feed = Seguir esta búsqueda en un lector de fuentes (lo más reciente primero)
search-pages = Páginas de resultados
search-previous = Página anterior
search-next = Página siguiente
search-count = { $count ->
    [one] { $count } resultado
   *[other] { $count } resultados
}
search-from = Desde el { $date }
search-to = Hasta el { $date }
search-remove-filter = Quitar filtro: { $filter }
search-facet-jurisdiction = Jurisdicción
search-facet-instrument = Instrumento
search-facet-crime-area = Ámbito delictivo
search-facet-kind = Tipo
search-facet-language = Idioma
search-rebuilding = La búsqueda se está reconstruyendo a partir de la base de datos. Inténtelo de nuevo en un momento; el resto del foro funciona.
search-unavailable = La búsqueda no está disponible en este momento. El resto del foro funciona.
error-search_unavailable = La búsqueda no está disponible en este momento; inténtelo de nuevo en un momento.
related-title = Análisis relacionados

# Notifications
nav-inbox = Notificaciones
nav-unread = sin leer
inbox-title = Notificaciones
inbox-mark-all = Marcar todo como leído
inbox-empty = Nada nuevo. Aquí aparecerán las respuestas, menciones y nuevos análisis de lo que sigue.
inbox-unread = sin leer
inbox-watches = Lo que sigue
inbox-watches-help = Vigilar: cada nueva respuesta o debate. Seguir: los nuevos análisis. Normal: solo las respuestas dirigidas a usted y las menciones. Silenciado: nada.
inbox-no-watches = Vigila los debates que abrió o en los que respondió, y sigue su país. Elija otros niveles en las páginas de debates y jurisdicciones.
watch-label = Notificaciones
watch-save = Guardar
watch-level-watching = Vigilar
watch-level-tracking = Seguir
watch-level-normal = Normal
watch-level-muted = Silenciado
watch-target-thread = Debate { $name }
watch-target-category = Categoría { $name }
watch-target-jurisdiction = Jurisdicción: { $name }
watch-target-instrument = Instrumento: { $name }
notification-reply = { $actor } respondió en «{ $thread }»
notification-reply-many = { $count } respuestas nuevas en «{ $thread }»
notification-mention = { $actor } le mencionó en «{ $thread }»
notification-new_thread = Novedad en lo que sigue: «{ $thread }»
notification-new_thread-many = { $count } novedades en lo que sigue, la última «{ $thread }»
notification-endorsement = { $actor } respaldó su análisis «{ $thread }»
notification-endorsement-many = { $count } respaldos de su análisis «{ $thread }»
notification-flag_outcome = Los moderadores atendieron su denuncia en «{ $thread }»
notification-moderation = Un moderador intervino en su mensaje en «{ $thread }»
notification-other = { $kind }: «{ $thread }»
notification-review_due = Ha pasado la fecha de revisión de su análisis «{ $thread }»: ¿sigue siendo exacto?
notification-routed_question = { $actor } solicita su experiencia: «{ $thread }»
notification-routed_question-many = { $count } preguntas para su experiencia, la última «{ $thread }»
notification-routed_question-reminder = Sigue sin respuesta tras una semana: «{ $thread }» (pregunta de { $actor })
notification-routed_question-escalated = Ningún experto ha respondido a «{ $thread }» en dos semanas (pregunta de { $actor })
notification-answer_accepted = { $actor } aceptó su respuesta en «{ $thread }»
notification-answer_accepted-many = { $count } de sus respuestas aceptadas en «{ $thread }»
notification-colloquium_opened = El coloquio «{ $thread }» está abierto: { $actor } le invita a participar
notification-colloquium_opened-many = { $count } coloquios están abiertos, el último «{ $thread }»
notification-advice_requested = { $actor } solicita asesoramiento a la oficina jurídica: «{ $thread }»
notification-advice_requested-many = { $count } solicitudes de asesoramiento, la última «{ $thread }»
notification-advice_given = { $actor } emitió el dictamen de la oficina jurídica sobre «{ $thread }»
notification-advice_given-many = Dictamen emitido sobre { $count } de sus solicitudes, la última «{ $thread }»

notification-quote = { $actor } le citó en «{ $thread }»
notification-quote-many = { $count } citas de sus mensajes en «{ $thread }»
done-email = Preferencias de correo guardadas.
email-heading = Correo electrónico
email-server-off = Este servidor aún no envía correos: las notificaciones solo llegan a su bandeja de entrada.
email-address = Los correos se envían a
email-immediate = Escribirme en el momento
email-immediate-off = Nunca
email-immediate-direct = Menciones, citas y respuestas dirigidas a mí
email-immediate-watching = Esas, y todo lo que sigo de cerca
email-digest = Resumen de lo que no he leído
email-digest-off = Ninguno
email-digest-daily = Diario
email-digest-weekly = Semanal
email-save = Guardar preferencias de correo
email-open = Para abrirlo:
email-footer-settings = Recibe este mensaje por sus preferencias de correo en Comity. Para cambiarlas:
email-footer-unsubscribe = Dejar de recibir todo correo de Comity con un clic:
email-digest-subject = { $count ->
    [one] { $count } notificación sin leer
   *[other] { $count } notificaciones sin leer
}
email-digest-daily-intro = Desde ayer, en lo que sigue en Comity:
email-digest-weekly-intro = Esta semana, en lo que sigue en Comity:
email-digest-all = Toda su bandeja de entrada:
unsubscribe-title = Dejar de recibir correos de Comity
unsubscribe-confirm = ¿Dejar de enviar todo correo de Comity a este miembro, inmediato o resumen? Las notificaciones siguen llegando a la bandeja de entrada.
unsubscribe-button = Dejar de recibir correos
unsubscribe-done = Listo: Comity no le enviará más correos.
unsubscribe-settings = Cambiar sus preferencias de correo
unsubscribe-invalid = Este enlace para darse de baja no es válido. Inicie sesión y cambie sus preferencias de correo.
post-quote = Citar
inbox-email-settings = Lo que recibe por correo
email-restricted-thread = un hilo de un espacio restringido
email-marked-thread = un hilo con marca de difusión

## Composer, drafts and live changes
composer-write = Escribir
composer-preview = Vista previa
preview-empty = Todavía no hay nada que previsualizar.
draft-saving = Guardando el borrador…
draft-saved = Borrador guardado.
draft-not-saved = No se pudo guardar el borrador; mantenga esta página abierta y vuelva a intentarlo.
draft-restored = Se ha recuperado su borrador guardado.
draft-discard = Descartar el borrador
draft-thread-locked = Este hilo se cerró mientras escribía. Su respuesta se guardó como borrador y estará aquí cuando el hilo se reabra.
draft-slow-mode = Este hilo está en modo lento: espere un poco antes de volver a responder. Su respuesta se guardó como borrador.
draft-refused = No se pudo publicar su respuesta. Se guardó como borrador.
live-moved = Un moderador movió este hilo; recargue la página para ver adónde.
nav-menu = Menú

## Members (staff)
nav-members = Miembros
members-title = Miembros
members-invite-link = Invitar a un experto
members-search = Buscar un miembro
members-any-country = Cualquier país
members-any-role = Cualquier rol
members-filter = Mostrar
members-count = { $count ->
    [one] { $count } miembro
   *[other] { $count } miembros
}
members-refine = Acote la búsqueda para ver más.
members-joined = se unió el { $date }
members-suspended-until = suspendido hasta el { $date }
members-manage = Gestionar a { $name }
members-change-role = Cambiar el rol
members-save-groups = Guardar los grupos
members-suspend-until = Suspendido hasta (último día)
members-suspend = Suspender
members-unsuspend = Levantar la suspensión
members-end-sessions = Cerrar todas sus sesiones
members-send-reset = Crear un enlace para restablecer la contraseña
members-reset-issued = Un enlace de un solo uso (válido 24 horas). Envíelo al miembro por un canal de confianza:
members-reset-link = Enlace para restablecer la contraseña
members-done-role = Rol cambiado.
members-done-groups = Grupos guardados.
members-done-suspend = Miembro suspendido.
members-done-unsuspend = Suspensión levantada.
members-done-sessions = Todas las sesiones de este miembro han terminado.
members-erase = Borrar a este miembro
members-erase-help = El borrado responde a una solicitud de protección de datos: la cuenta pasa a ser «Former member #N», todas sus sesiones terminan y sus mensajes se conservan o se retiran según la norma de este foro. No se puede deshacer.
members-erase-reason = La solicitud que atiende
members-erase-confirm = Entiendo que { $name } se borrará para siempre
members-done-erase = El miembro ha sido borrado.
members-done-saved = Guardado.
copy = Copiar
copied = Copiado
error-last_admin = El foro necesita al menos un administrador: nombre antes administrador a otro miembro.
second-factor-banner = Su rol exige un segundo factor antes de moderar o administrar. Mientras tanto, puede leer.
second-factor-banner-link = Configurar un segundo factor
invitations-title = Invitaciones
invitations-pending = Invitaciones pendientes
invitations-none = Ninguna invitación espera a ser usada.
invitations-copy-hint = Un enlace solo se muestra una vez, al crearlo. Para enviarlo de nuevo, revóquelo y cree otro.
invitation-link = Enlace de invitación
invitation-by = por { $name }
invitation-expires = caduca el { $date }
invitation-revoke = Revocar
invitation-revoked = La invitación se revocó; su enlace ya no funciona.
hint-provisions = Código del país, una barra vertical y la disposición: ES | Código Penal, art. 362. Si arriba se eligió una sola jurisdicción, puede omitirse el código.
hint-cases = Tribunal | fecha (AAAA-MM-DD) | referencia | ECLI (opcional): Tribunal Supremo | 2019-03-12 | STS 1234/2019
form-has-error = El formulario no se guardó: revise el campo señalado abajo.
choose-country = Elija su país
list-separator = { ", " }
case-unassigned = Nadie por ahora
queue-filter = Mostrar los avisos
queue-status-open = Abiertos
queue-status-resolved = Resueltos
queue-status-all = Todos
audit-any-action = Cualquier acción
audit-every-action = Toda acción sobre: { $family }
audit-family-category = Categorías
audit-family-flag = Avisos
audit-family-group = Grupos
audit-family-invitation = Invitaciones
audit-family-login = Inicios de sesión
audit-family-post = Mensajes
audit-family-session = Sesiones
audit-family-settings = Ajustes
audit-family-thread = Hilos
audit-family-user = Miembros
notification-moderation-hidden = Un moderador ocultó su mensaje en «{ $thread }»
notification-moderation-edited = Un moderador editó su mensaje en «{ $thread }»
notification-moderation-warned = Un moderador le advirtió sobre su mensaje en «{ $thread }»
thread-reopened = Este hilo vuelve a estar abierto: recargue la página para responder.
field-refused = { $field }: { $reason }
reason-empty = este campo no puede quedar vacío.
reason-too-short = escriba al menos { $min } caracteres.
reason-too-long = escriba como máximo { $max } caracteres.
reason-single-line = limítese a una sola línea.
reason-date = indique una fecha con el formato AAAA-MM-DD.
reason-too-many = { $max } entradas como máximo.
reason-unknown-code = el foro no reconoce este código.

# Attachments
attach-files = Adjuntar archivos
attach-hint = PDF, DOCX, ODT, RTF, texto, PNG, JPEG, XLSX u ODS, hasta 25 MB cada uno. Los archivos se analizan y su texto se puede buscar.
attach-failed = Error al subir
attach-remove = Quitar
attachments-heading = Archivos adjuntos
attachment-pages = { $count ->
    [one] { $count } página
   *[other] { $count } páginas
}
attachment-preview = Vista previa
attachment-hidden = Oculto por un moderador
search-in-attachment = en { $name }, p. { $page }
attachment-author = Este PDF nombra a su autor: { $name }
attachment-remove-author = Quitar el autor
revision-removed-files = Archivos quitados en esta revisión (visibles para los moderadores):

## Handling marks (TLP 2.0)
field-mark = Marca de difusión (TLP)
mark-hint = Quién puede leer este hilo y si puede salir del foro.
mark-clear-help = puede compartirse fuera del foro
mark-green-help = todos los miembros que ven la categoría
mark-amber-help = los mismos lectores; nunca sale del foro (los correos solo dicen «un hilo con marca»)
mark-amber-strict-help = solo los miembros de los países indicados abajo, y los administradores
mark-red-help = solo los miembros nombrados abajo, por nombre de usuario
field-mark-countries = Países (AMBER+STRICT): códigos ISO, separados por comas
field-mark-members = Miembros (RED): nombres de usuario, separados por comas
mark-label = Marca de difusión
mark-post-label = Esta respuesta lleva una marca de difusión más estricta que su hilo
reply-mark-summary = Restringir esta respuesta
reply-mark-hint = Una respuesta puede llevar una marca más estricta que su hilo, nunca más amplia. Solo sus lectores la ven.
reply-mark-same = Como el hilo (TLP:{ $mark })
mark-readers = Compartido con: { $readers }
mark-change = Cambiar la marca

## Personal data caught before posting
pd-found = Este texto parece contener datos personales:
pd-choices = Sustitúyalos por seudónimos, edítelos usted, o publique de todos modos indicando un motivo (un moderador lo revisará).
pd-pseudonymise = Sustituir por seudónimos
pd-pseudonymised = Datos personales sustituidos por seudónimos ([Person A], [Phone 1]…). Revise el texto y envíelo.
pd-reason = Motivo para publicar de todos modos
pd-post-anyway = Publicar de todos modos
pd-kind-email = dirección de correo
pd-kind-phone = número de teléfono
pd-kind-iban = cuenta bancaria (IBAN)
pd-kind-card = tarjeta de pago
pd-kind-mrz = línea de pasaporte o documento de identidad (MRZ)
pd-kind-national-id = número de identidad nacional
pd-kind-birth-date = fecha de nacimiento
pd-kind-person-name = nombre de una persona
pd-kind-file-number = número de atestado o diligencias

## Certified exports
verify-title = Verificar una exportación certificada
verify-intro = Suba la exportación de un hilo (un .zip de «Exportación certificada») para comprobar que cada archivo es exactamente como este foro lo firmó.
verify-file = Exportación (.zip)
verify-submit = Verificar
verify-no-file = Elija una exportación para verificar.
verify-intact = Íntegra: cada archivo es como este foro lo firmó.
verify-broken = No íntegra: esta exportación fue modificada o no la firmó este foro.
verify-thread = Hilo
verify-exported-by = Exportada por
verify-audit-head = Cabeza de la cadena de auditoría
export-certified = Exportación certificada (.zip firmado)
notification-moderation-break-glass = Un administrador abrió su hilo RED «{ $thread }» (rotura del cristal; el motivo consta en el registro de auditoría)

## The expert network
nav-experts = Expertos
nav-coverage = Cobertura
nav-questions = Preguntas
experts-title = Directorio de expertos
experts-intro = Encuentre colegas por el derecho que conocen, los idiomas que hablan y su ámbito. Cada miembro decide si aparece aquí.
experts-jurisdiction = Conoce el derecho de
experts-language = Habla
experts-profession = Profesión
experts-filter = Buscar
experts-count = { $count ->
    [one] { $count } experto
   *[other] { $count } expertos
}
experts-none = Ningún experto coincide con estos filtros.
experts-knows = Conoce el derecho de:
experts-speaks = Habla:
experts-ask = Hacer una pregunta a { $name }
ask-title = Preguntar a expertos
ask-intro = Indique los países o regiones cuyo derecho le interesa: el foro propone a los miembros que lo conocen; manténgalos o desmárquelos. Nadie recibe más de { $cap } preguntas por semana.
ask-jurisdictions = Países o regiones
ask-find = Buscar expertos
ask-experts = Expertos a consultar
ask-no-experts = Aún no se propone ningún experto: elija un país o una región y busque.
ask-body = Su pregunta
ask-submit = Enviar la pregunta
ask-no-category = Elija una categoría.
questions-title = Preguntas a expertos
questions-stats = Preguntas abiertas por país
questions-none = Todavía no hay preguntas.
questions-country = País o región
questions-open = Abiertas
questions-answered = Respondidas
questions-median = Mediana de horas hasta la primera respuesta
questions-all = Todas las preguntas
questions-mine = Sus preguntas, hechas o recibidas
questions-routed-to = dirigida a
question-status-open = Abierta
question-status-answered = Respondida
question-status-accepted = Respuesta aceptada
coverage-title = Cobertura de los análisis
coverage-intro = Dónde existen análisis, país por país. Una celda vacía lleva a una pregunta a los expertos de ese país.
coverage-by = Columnas
coverage-recent = Derecho vigente en los últimos 2 años
coverage-show = Mostrar
coverage-map = Mapa de análisis por país
coverage-analyses = { $count ->
    [one] { $count } análisis
   *[other] { $count } análisis
}
coverage-legend = Análisis por país:
coverage-table = Análisis por país y { $by }
coverage-none = Ningún análisis coincide con estos filtros.
coverage-total = Todos
coverage-ask = Preguntar a los expertos de { $jurisdiction }

done-profile = Perfil de experto guardado.
profile-heading = Su perfil de experto
profile-hint = Lo que conoce, para los colegas que buscan un experto y para las preguntas que se le dirigen.
profile-organisation = Organización
profile-languages = Idiomas de trabajo (códigos ISO: fr, ar, en…)
profile-jurisdictions = Otros países o regiones cuyo derecho conoce (códigos: MA, EU…)
profile-instruments = Instrumentos que conoce
profile-bio = Unas palabras sobre su trabajo
profile-visibility = Quién le encuentra en el directorio de expertos
profile-visibility-members = Todos los miembros
profile-visibility-staff = Solo moderadores y administradores
profile-visibility-hidden = Nadie (no recibe preguntas)
profile-paused = Pausar las preguntas por ahora
profile-save = Guardar el perfil
question-box = Pregunta a expertos
question-accepted-link = La respuesta aceptada
question-accept-label = Aceptar como respuesta
question-accept = Aceptar
profile-contributions = Contribuciones
contrib-analyses = { $count ->
    [one] { $count } análisis
   *[other] { $count } análisis
}
contrib-endorsements = { $count ->
    [one] { $count } respaldo recibido
   *[other] { $count } respaldos recibidos
}
contrib-accepted = { $count ->
    [one] { $count } respuesta aceptada
   *[other] { $count } respuestas aceptadas
}

## Coloquios
nav-colloquia = Coloquios
colloquia-title = Coloquios
colloquia-intro = Debates de expertos acotados en el tiempo sobre un problema jurídico. Los participantes escriben mientras el coloquio está abierto; sus conclusiones se publican para todos los miembros.
colloquia-none = Todavía no hay coloquios.
colloquium-state-upcoming = Próximo
colloquium-state-open = Abierto
colloquium-state-closed = Cerrado
colloquium-published = Publicadas
colloquium-participants-count = { $count ->
    [one] { $count } participante
   *[other] { $count } participantes
}
colloquium-new = Organizar un coloquio
colloquium-agenda = Orden del día
colloquium-opens = Apertura
colloquium-closes = Cierre
colloquium-utc = Las fechas y horas están en UTC.
colloquium-participants = Participantes
colloquium-participants-hint = Nombres de usuario separados por comas. Invite a expertos externos por correo una vez creado el coloquio.
colloquium-publish-in = Publicar las conclusiones en
colloquium-create = Crear el coloquio
colloquium-organiser = organizado por
colloquium-discussion = Abrir el debate
colloquium-calendar = Añadir al calendario (.ics)
colloquium-published-thread = Conclusiones publicadas
colloquium-guest-link = Envíe este enlace de invitación de un solo uso al experto externo:
colloquium-conclusions = Conclusiones
colloquium-no-conclusions = Todavía no hay conclusiones.
colloquium-version = Versión { $n }
colloquium-draft = Borrador
colloquium-endorsements = { $count ->
    [one] respaldada por { $count } participante
   *[other] respaldada por { $count } participantes
}
colloquium-you-endorse = Usted respalda la versión { $n }.
colloquium-endorse = Respaldar la última versión
colloquium-versions = Versiones
colloquium-version-col = Versión
colloquium-written = Redactada
colloquium-note = Cambios
colloquium-endorsements-col = Respaldos
colloquium-guest = experto externo
colloquium-endorses = respalda la versión { $n }
colloquium-organise = Organización
colloquium-new-version = Siguiente versión de las conclusiones (Markdown)
colloquium-save-version = Guardar como nueva versión
colloquium-publish = Publicar la última versión
colloquium-add-participants = Añadir participantes
colloquium-add = Añadir
colloquium-invite-guest = Invitar a un experto externo (correo)
colloquium-invite = Invitar

## Solicitudes de asesoramiento
nav-advice = Asesoramiento
advice-title = Asesoramiento de la oficina jurídica
advice-intro = Solicite a la oficina jurídica asesoramiento sobre un caso concreto. Solo usted y la oficina leen la solicitud, sus archivos y el dictamen (TLP:RED).
advice-none = Ninguna solicitud de asesoramiento.
advice-status-received = Recibida
advice-status-assigned = Asignada
advice-status-advice_given = Dictamen emitido
advice-status-closed = Cerrada
advice-overdue = Vencida
advice-due = Vencimiento
advice-assignee = a cargo de
advice-new = Solicitar asesoramiento
advice-confidential = Su solicitud lleva la marca TLP:RED: solo usted y la oficina jurídica la verán.
advice-case = El caso y su pregunta (Markdown)
advice-files-hint = Adjunte archivos (sentencias, informes) como respuestas en el hilo de la solicitud una vez enviada.
advice-submit = Enviar la solicitud
advice-open-thread = El caso, sus archivos y el dictamen
advice-published-analysis = El análisis publicado
advice-steps = Etapas
advice-step-received = Recibida
advice-step-assigned = Asignada
advice-step-note = Nota añadida por la oficina
advice-step-advice_given = Dictamen emitido
advice-step-consent = Consentimiento de publicación modificado
advice-step-closed = Cerrada
advice-step-published = Publicada como análisis anonimizado
advice-consent-given = Usted aceptó que la oficina publique un análisis anonimizado de este dictamen.
advice-consent-none = La oficina no publicará nada de esta solicitud sin su consentimiento.
advice-consent-withdraw = Retirar mi consentimiento
advice-consent-give = Aceptar una publicación anonimizada
advice-office = Oficina jurídica
advice-notes = Notas internas (el solicitante no las ve)
advice-no-notes = Todavía no hay notas.
advice-add-note = Añadir una nota
advice-save-note = Guardar la nota
advice-assign-to = Asignar a
advice-assign = Asignar
advice-give = El dictamen (una respuesta en el hilo de la solicitud)
advice-send = Emitir el dictamen
advice-close = Cerrar la solicitud
advice-publish = Redactar el análisis anonimizado
advice-publish-hint = El solicitante aceptó una publicación: elimine todo dato que identifique el caso antes de publicar.
advice-publishing = Está publicando el análisis anonimizado de una solicitud de asesoramiento; remitirá a la solicitud.

## Diálogos
nav-dialogues = Diálogos
dialogues-title = Diálogos
dialogues-intro = Diálogos nacionales y regionales: publicaciones que reúnen análisis y conclusiones de coloquios seleccionados. Solo se publica material TLP:CLEAR y TLP:GREEN.
dialogues-none = Todavía no se ha publicado ningún diálogo.
dialogue-chapters = { $count ->
    [one] { $count } capítulo
   *[other] { $count } capítulos
}
dialogue-new = Compilar un diálogo
dialogue-only-green = Solo pueden publicarse análisis y conclusiones marcados TLP:CLEAR o TLP:GREEN; un capítulo marcado después con más rigor sale del diálogo.
dialogue-foreword = Prólogo (Markdown)
dialogue-choose = Capítulos, en este orden
dialogue-no-candidates = Todavía no hay análisis ni conclusiones que publicar.
dialogue-publish = Publicar el diálogo
dialogue-compiled-by = Compilado por
dialogue-pdf = PDF imprimible
dialogue-omitted = { $count ->
    [one] { $count } capítulo no se muestra: desde entonces se marcó con más rigor, se ocultó o queda fuera de lo que usted puede leer.
   *[other] { $count } capítulos no se muestran: desde entonces se marcaron con más rigor, se ocultaron o quedan fuera de lo que usted puede leer.
}
dialogue-contents = Índice
dialogue-discussion = Debate
dialogue-colloquium = El coloquio
dialogue-summary = Resumen:
dialogue-sources = Disposiciones y resoluciones
dialogue-cite = Cítese como:

## Canales y datos propios (ajustes)
feeds-title = Canales
feeds-intro = Siga el foro en un lector de canales. Estos enlaces llevan un secreto que le representa: no los comparta y revóquelos si alguno se filtra. Un canal solo muestra lo que usted puede leer.
feeds-atom = Canal Atom
feeds-more = Los canales de una jurisdicción (las regiones incluyen sus países) o de un instrumento siguen el mismo patrón, por ejemplo:
feeds-revoke = Revocar todos mis enlaces de canales
done-feeds = Sus enlaces de canales anteriores ya no funcionan; los nuevos están abajo.
own-data-title = Sus datos
own-data-intro = Descargue todo lo que el foro guarda sobre usted y sus mensajes: un zip con los datos en JSON, una copia legible y sus archivos.
own-data-download = Descargar mis datos
webhooks-title = Webhooks
webhooks-intro = Otro sistema puede recibir lo que ocurre en las categorías abiertas en el momento: una petición HTTP firmada con el secreto del destino por cada evento. Solo se envían los hilos y mensajes marcados TLP:CLEAR de las categorías abiertas.
webhooks-secret-once = El secreto de firma del destino. Cópielo ahora: no se volverá a mostrar.
webhooks-secret = Secreto de firma
webhooks-add = Añadir un destino
webhooks-url = Dirección (https://…)
webhooks-events = Eventos que se envían
webhooks-add-button = Añadir el destino
webhooks-endpoints = Destinos
webhooks-none = Todavía no hay ningún destino.
webhooks-failures = { $count ->
    [one] { $count } fallo seguido
   *[other] { $count } fallos seguidos
}
webhooks-log = Envíos recientes
webhooks-event = Evento
webhooks-outcome = Resultado
webhooks-attempts = Intentos
webhooks-answer = Respuesta
webhooks-when = Último intento
webhooks-enable = Volver a activar
webhooks-delete = Eliminar
webhooks-status-active = Activo
webhooks-status-retrying = Reintentando
webhooks-status-disabled = Desactivado tras fallos repetidos
