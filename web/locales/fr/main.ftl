## Cadre
skip-to-content = Aller au contenu
nav-main = Principal
nav-new-thread = Nouveau fil
nav-admin = Administration
nav-sign-out = Se déconnecter
nav-sign-in = Se connecter
language-label = Langue
language-change = Changer
footer-tagline = Comity — un forum fermé pour les experts de la justice pénale face au commerce illicite.

## Mois (abrégés)
month-1 = janv.
month-2 = févr.
month-3 = mars
month-4 = avr.
month-5 = mai
month-6 = juin
month-7 = juil.
month-8 = août
month-9 = sept.
month-10 = oct.
month-11 = nov.
month-12 = déc.

## Listes de fils
page-home = Accueil
latest-threads = Derniers fils
categories = Catégories
no-categories = Aucune catégorie pour l’instant.
no-threads = Aucun fil pour l’instant.
badge-pinned = Épinglé
badge-locked = Verrouillé
badge-restricted = Restreint
kind-discussion = Discussion
kind-question = Question
kind-analysis = Analyse juridique
in-category = dans
by-author = par
thread-replies = { $count ->
    [one] { $count } réponse
   *[other] { $count } réponses
}
category-new-thread = Nouveau fil dans { $name }
pages = Pages
page-newer = Plus récents
page-older = Plus anciens
content-language = Langue du contenu
all-languages = Toutes les langues
filter = Filtrer

## Page d’un fil
in-reply-to = en réponse à un message précédent
edited-at = modifié le { $date }
post-edit = Modifier
post-reply-to = Répondre à ce message
reply-heading = Répondre
reply-label = Votre réponse (Markdown)
reply-submit = Publier la réponse
replying-to = Réponse à un message précédent.
thread-locked = Ce fil est verrouillé.
posts-by = Message de { $name }

## Nouveau fil
new-thread = Nouveau fil
no-category-to-post = Il n’existe encore aucune catégorie où publier. Un administrateur les crée sur la page d’administration.
field-category = Catégorie
field-title = Titre
field-kind = Type
field-jurisdictions = Juridictions
hint-jurisdictions = (codes ISO séparés par des espaces ou des virgules, p. ex. FR, MA)
field-body = Texte (Markdown : tableaux, notes de bas de page, texte barré)
field-language = Langue du texte
language-auto = Détecter automatiquement
open-thread = Ouvrir le fil

## Modification
edit-post = Modifier le message
back-to-thread = Retour au fil
revision-history = Historique des versions
field-edit-reason = Motif de la modification
hint-edit-reason = (facultatif, visible dans l’historique)
save = Enregistrer
revision-n = Version { $count }
revision-reason = motif : { $reason }
revision-changes = Modifications de la version { $count }

## Comptes
sign-in = Connexion
field-username = Nom d’utilisateur
field-password = Mot de passe
invitation-only = L’adhésion se fait sur invitation. Demandez-en une à un modérateur de votre réseau.
join = Rejoindre Comity
invited-as = Vous avez été invité·e en tant que { $email }.
hint-username = (3 à 32 caractères parmi a-z, 0-9, _ . -)
field-display-name = Nom affiché pour vos collègues
field-country = Pays
field-profession = Profession
hint-password = (au moins 12 caractères)
create-account = Créer le compte
field-role = Rôle
member-since = Membre depuis
threads-started = Fils ouverts
role-member = membre
role-moderator = modérateur
role-admin = administrateur
profession-prosecutor = procureur
profession-judge = juge
profession-police = police
profession-customs = douanes
profession-legal_adviser = conseiller juridique
profession-academic = universitaire
profession-private_sector = secteur privé
profession-other = autre

## Administration
administration = Administration
invite-expert = Inviter un expert
invitation-created = Invitation créée. Envoyez ce lien à usage unique à la personne invitée :
field-email = Adresse électronique
create-invitation = Créer l’invitation
field-slug = Identifiant
hint-slug = (a-z, 0-9, -)
field-name = Nom
field-description = Description
create-category = Créer la catégorie

## Erreurs
back-home = Retour à l’accueil
error-page-title = Erreur
error-not_found = Cette page n’existe pas, ou vous n’y avez pas accès.
error-forbidden = Vous n’êtes pas autorisé·e à faire cela.
error-internal = Une erreur s’est produite. Veuillez réessayer.
error-unauthenticated = Veuillez vous connecter.
error-invalid_credentials = Nom d’utilisateur ou mot de passe incorrect.
error-invalid_refresh_token = La session a pris fin. Veuillez vous reconnecter.
error-account_suspended = Ce compte est suspendu.
error-csrf_rejected = Requête intersite refusée.
error-invalid_field = Veuillez vérifier le champ « { $field } ».
error-invitation_invalid = Cette invitation n’est pas valide.
error-invitation_used = Cette invitation a déjà été utilisée.
error-invitation_expired = Cette invitation a expiré.
error-username_taken = Ce nom d’utilisateur est déjà pris.
error-email_taken = Un compte existe déjà avec cette adresse.
error-slug_taken = Une catégorie avec cet identifiant existe déjà.
error-thread_locked = Ce fil est verrouillé.
error-payload_too_large = La requête est trop volumineuse.
error-rate_limited = Trop de tentatives. Patientez un instant puis réessayez.
error-too_many_connections = Trop de connexions en direct ouvertes pour ce compte.
error-cross_site_refused = Une page d’un autre site ne peut pas ouvrir cette connexion.
error-malformed_request = La requête est mal formée.
error-unsupported_media_type = Envoyez du JSON avec Content-Type: application/json.
error-unavailable = Le service est momentanément indisponible.

## Paramètres
nav-settings = Paramètres
settings = Paramètres du compte
sessions-heading = Où vous êtes connecté·e
session-current = cet appareil
session-started = connecté·e le { $date }
session-last-seen = dernière activité le { $date }
session-revoke = Déconnecter cette session
sessions-revoke-others = Déconnecter toutes les autres sessions
password-heading = Changer votre mot de passe
field-current-password = Mot de passe actuel
field-new-password = Nouveau mot de passe
password-submit = Changer le mot de passe
done-password = Mot de passe changé. Vos autres sessions ont été déconnectées.
done-others = Vos autres sessions ont été déconnectées.
done-one = La session a été déconnectée.
error-wrong_password = Le mot de passe actuel est incorrect.

## Mises à jour en direct de la page de discussion
live-viewing = Experts présents : { $count }
live-typing = { $name } est en train d’écrire…
live-reconnecting = Mises à jour en direct interrompues ; reconnexion…
live-resync = Cette discussion a beaucoup changé en votre absence ; rechargez la page pour tout voir.
live-new-reply-from = Nouvelle réponse de { $name }
live-new-replies = Nouvelles réponses : { $count } — afficher

## Second factor
field-totp-code = Code d’authentification
field-totp-code-hint = Seulement si vous avez activé un second facteur : le code à 6 chiffres de votre application, ou un code de secours.
error-totp_required = Ce compte exige un code de son application d’authentification.
error-invalid_totp = Le code d’authentification n’est pas valide.
error-second_factor_required = Connectez-vous avec un second facteur (à activer dans vos réglages) pour faire ceci.
error-totp_already_enabled = Un second facteur est déjà activé.
totp-heading = Second facteur
totp-on = Un second facteur est activé : la connexion exige un code de votre application d’authentification.
totp-off = Pas encore de second facteur. Les modérateurs et administrateurs en ont besoin pour agir.
totp-begin = Configurer un second facteur
totp-setup-title = Configurer un second facteur
totp-scan = Scannez ce code avec une application d’authentification (Aegis, FreeOTP ou Google Authenticator, par exemple), ou saisissez-y la clé.
totp-qr-label = Code QR de la clé pour votre application d’authentification
totp-key = Clé :
totp-confirm-label = Le code à 6 chiffres affiché par votre application
totp-confirm = Activer
totp-recovery-title = Vos codes de secours
totp-now-on = Le second facteur est activé.
totp-recovery-intro = Conservez ces codes en lieu sûr. Chacun remplace une fois un code si vous perdez votre appareil. Ils ne seront plus affichés.
totp-recovery-done = Je les ai enregistrés — retour aux réglages
totp-disable = Désactiver le second facteur
field-totp-disable-code = Un code actuel ou un code de secours
done-totp-off = Le second facteur est désactivé.

## Account management by admins, reset links
admin-tools = Outils d’administration
admin-end-sessions = Mettre fin à toutes les sessions de ce membre
admin-reset-link = Créer un lien de réinitialisation du mot de passe
reset-link-created = Lien de réinitialisation (utilisable une fois, pendant 24 heures). Transmettez-le au membre par un canal de confiance :
done-sessions-ended = Toutes les sessions de ce membre ont pris fin.
reset-title = Choisir un nouveau mot de passe
reset-submit = Enregistrer le mot de passe
done-reset = Votre mot de passe est enregistré. Connectez-vous avec.
error-reset_link_invalid = Ce lien de réinitialisation n’est pas valide (déjà utilisé, expiré ou inconnu).
session-from = depuis
security-heading = Sécurité
security-second-factor-everyone = Exiger un second facteur de tous les membres
security-second-factor-hint = Les modérateurs et administrateurs en ont toujours besoin. Les membres qui n’en ont pas peuvent lire et en configurer un, mais pas publier.
security-save = Enregistrer
done-security = Réglages de sécurité enregistrés.

## Legal analyses
nav-compare = Comparer
crime-counterfeiting = Contrefaçon
crime-piracy = Piratage
crime-illicit_tobacco = Tabac illicite
crime-illicit_alcohol = Alcool illicite
crime-falsified_medicines = Médicaments falsifiés
crime-illicit_pesticides = Pesticides illicites
crime-wildlife = Trafic d'espèces sauvages
crime-smuggling = Contrebande
crime-money_laundering = Blanchiment d'argent
crime-other = Autre
analysis-heading = Fiche d'analyse
analysis-summary = Résumé
analysis-instruments = Instruments
analysis-crime-areas = Domaines criminels
analysis-provisions = Dispositions nationales
analysis-cases = Jurisprudence
analysis-valid-as-of = À jour au
analysis-review-by = À revoir avant le
analysis-needs-review = À réviser
review-review_by_passed = sa date de révision est dépassée
review-instrument_amended = { $instrument } a été modifié depuis sa rédaction
endorsements-heading = Validations
endorsement-line = Exacte — { $jurisdiction } : { $people }
endorse-button = Valider comme exacte — { $country }
endorse-withdraw = Retirer ma validation
endorsed-by-you = Vous avez validé cette analyse (pays : { $country }).
endorsements-none = Aucune validation pour l'instant.
cited-by = Citée par
analysis-fields = Fiche d'analyse (analyses juridiques seulement)
field-summary = Résumé
field-instruments = Instruments et articles cités
field-crime-areas = Domaines criminels
field-provisions = Dispositions nationales (une par ligne)
field-cases = Jurisprudence (une décision par ligne)
field-valid-as-of = À jour au
field-review-by = À revoir avant le
picker-filter = Tapez pour filtrer la liste
jurisdictions-countries = Pays
jurisdictions-regions = Groupements régionaux
jurisdiction-kind-country = Pays
jurisdiction-kind-region = Groupement régional
jurisdiction-threads = Analyses et discussions
jurisdiction-regional = régional
jurisdiction-member-of = Membre de
jurisdiction-members = Membres
instrument-whole = L'instrument dans son ensemble
instrument-articles = Articles
instrument-no-analyses = Aucune analyse ne cite encore cet instrument.
instrument-article = Article { $number }
compare-title = Comparer des juridictions
compare-jurisdictions = Juridictions (codes, p. ex. FR, ES, MA)
compare-submit = Comparer
compare-ask-title = { $jurisdiction } : quel est le droit applicable pour { $topic } ?
compare-gap = Pas encore d'analyse pour cette juridiction.
compare-ask = Poser la question aux experts — { $jurisdiction }
compare-any = Tous
review-title = Analyses à réviser
review-none = Toutes les analyses sont à jour.
edit-tags = Juridictions de ce fil
save-tags = Enregistrer les juridictions
all-kinds = Tous les types
all-crime-areas = Tous les domaines
field-crime-area = Domaine criminel
field-instrument = Instrument
field-jurisdiction = Juridiction

## Moderation
nav-moderation = Modération
mod-tools = Modération
mod-action = Action
mod-lock = Verrouiller le fil
mod-unlock = Déverrouiller le fil
mod-pin = Épingler le fil
mod-unpin = Désépingler le fil
mod-move = Déplacer le fil
mod-move-to = Déplacer vers (pour un déplacement)
mod-reason = Motif (conservé dans le journal d'audit)
mod-apply = Appliquer
mod-hide = Masquer
mod-restore = Rétablir
badge-hidden = Masqué
flag-post = Signaler
moderate-post-hide-heading = Masquer un message
moderate-post-restore-heading = Rétablir un message masqué
moderate-post-explain = Les membres ne voient plus un message masqué ; les modérateurs le voient toujours, signalé comme masqué. Le motif est inscrit au journal d'audit.
flag-post-heading = Signaler un message aux modérateurs
flag-reason = Motif
flag-note = Note pour les modérateurs (facultative)
flag-submit = Envoyer aux modérateurs
done-flagged = Merci : les modérateurs vont l'examiner.
flag-reason-inaccurate_law = Énoncé du droit inexact
flag-reason-personal_data = Données personnelles
flag-reason-confidential = Information confidentielle
flag-reason-off_topic = Hors sujet
flag-reason-abusive = Injurieux
flag-reason-spam = Spam
flag-reason-other = Autre
queue-title = File de modération
queue-empty = Aucun signalement ouvert.
queue-stats = Signalements par motif
stats-total = Total
stats-open = Ouverts
stats-resolved = Traités
stats-mean-hours = Heures moyennes de traitement
case-title = Signalement nº { $id }
case-flagged-by = Signalé par
case-assigned = Attribué à
case-post = Le message signalé
case-notes = Notes des modérateurs (privées)
case-add-note = Ajouter une note
case-assign-me = Me l'attribuer
case-resolve = Traiter
case-resolution-note = Motif (communiqué à l'auteur du signalement)
case-resolved = Traité : { $resolution }
resolution-dismiss = Classer le signalement
resolution-hide_post = Masquer le message
resolution-warn_user = Avertir l'auteur
audit-title = Journal d'audit
audit-actor = Auteur
audit-action = Action
audit-target = Cible
audit-reason = Motif
audit-at = Date
audit-details = Détails
audit-restricted = Masqué : un espace restreint auquel vous n’avez pas accès
groups-heading = Groupes
group-name = Nom du nouveau groupe
group-create = Créer le groupe
group-member-username = Nom d'utilisateur
group-member-change = Ajouter ou retirer
group-add = Ajouter
group-remove = Retirer
featured-analyses = Analyses à la une
mod-slow-mode = Régler le mode lent
mod-slow-seconds = Secondes entre deux réponses (mode lent ; 0 le désactive)
mod-feature = Mettre cette analyse à la une
mod-unfeature = Retirer cette analyse de la une
field-restricted-to = Réservée à ces groupes (aucun : visible de tous les membres)
resolution-edit_post = Modifier le message
case-new-text = Nouveau texte du message (pour une modification)

# Search
nav-search = Recherche
search-title = Recherche
search-label = Rechercher dans les discussions et les analyses
search-help = Les mots sont classés et recherchés en anglais, français, espagnol et arabe. « expression exacte » entre guillemets droits, +obligatoire, -exclure, OR.
search-sort = Trier par
search-sort-relevance = Pertinence
search-sort-newest = Plus récents
search-submit = Rechercher
search-did-you-mean = Vouliez-vous dire :
search-remove-expansion = Ne plus rechercher { $term }
search-also = Également recherché :
search-exact = Mots exacts uniquement
search-active-filters = Filtres actifs
search-refine = Affiner les résultats
search-none = Aucun résultat. Essayez moins de mots ou retirez un filtre.
search-feed = Suivre cette recherche dans un lecteur de flux (les plus récents d’abord)
search-pages = Pages de résultats
search-previous = Page précédente
search-next = Page suivante
search-count = { $count ->
    [one] { $count } résultat
   *[other] { $count } résultats
}
search-from = À partir du { $date }
search-to = Jusqu’au { $date }
search-remove-filter = Retirer le filtre : { $filter }
search-facet-jurisdiction = Juridiction
search-facet-instrument = Instrument
search-facet-crime-area = Domaine criminel
search-facet-kind = Type
search-facet-language = Langue
search-rebuilding = La recherche est en cours de reconstruction à partir de la base de données. Réessayez dans un instant ; le reste du forum fonctionne.
search-unavailable = La recherche est indisponible pour le moment. Le reste du forum fonctionne.
error-search_unavailable = La recherche est indisponible pour le moment ; réessayez dans un instant.
related-title = Analyses connexes

# Notifications
nav-inbox = Notifications
nav-unread = non lues
inbox-title = Notifications
inbox-mark-all = Tout marquer comme lu
inbox-empty = Rien de nouveau. Les réponses, mentions et nouvelles analyses de ce que vous suivez apparaîtront ici.
inbox-unread = non lu
inbox-watches = Ce que vous suivez
inbox-watches-help = Surveiller : chaque nouvelle réponse ou discussion. Suivre : les nouvelles analyses. Normal : seulement les réponses qui vous sont adressées et les mentions. Silencieux : rien.
inbox-no-watches = Vous surveillez les discussions que vous avez ouvertes ou auxquelles vous avez répondu, et suivez votre pays. Choisissez d’autres niveaux sur les pages des discussions et des juridictions.
watch-label = Notifications
watch-save = Enregistrer
watch-level-watching = Surveiller
watch-level-tracking = Suivre
watch-level-normal = Normal
watch-level-muted = Silencieux
watch-target-thread = Discussion { $name }
watch-target-category = Catégorie { $name }
watch-target-jurisdiction = Juridiction : { $name }
watch-target-instrument = Instrument : { $name }
notification-reply = { $actor } a répondu dans « { $thread } »
notification-reply-many = { $count } nouvelles réponses dans « { $thread } »
notification-mention = { $actor } vous a mentionné dans « { $thread } »
notification-new_thread = Nouveau dans ce que vous suivez : « { $thread } »
notification-new_thread-many = { $count } nouveautés dans ce que vous suivez, la dernière « { $thread } »
notification-endorsement = { $actor } a approuvé votre analyse « { $thread } »
notification-endorsement-many = { $count } approbations de votre analyse « { $thread } »
notification-flag_outcome = Les modérateurs ont traité votre signalement dans « { $thread } »
notification-moderation = Un modérateur est intervenu sur votre message dans « { $thread } »
notification-other = { $kind } : « { $thread } »
notification-review_due = La date de révision de votre analyse « { $thread } » est passée : est-elle toujours exacte ?
notification-routed_question = { $actor } sollicite votre expertise : « { $thread } »
notification-routed_question-many = { $count } questions pour votre expertise, la dernière « { $thread } »
notification-routed_question-reminder = Toujours sans réponse après une semaine : « { $thread } » (question de { $actor })
notification-routed_question-escalated = Aucun expert n’a répondu à « { $thread } » en deux semaines (question de { $actor })
notification-answer_accepted = { $actor } a accepté votre réponse dans « { $thread } »
notification-answer_accepted-many = { $count } de vos réponses acceptées dans « { $thread } »
notification-colloquium_opened = Le colloque « { $thread } » est ouvert : { $actor } vous invite à y participer
notification-colloquium_opened-many = { $count } colloques sont ouverts, le dernier « { $thread } »
notification-advice_requested = { $actor } demande un avis au bureau juridique : « { $thread } »
notification-advice_requested-many = { $count } demandes d’avis, la dernière « { $thread } »
notification-advice_given = { $actor } a rendu l’avis du bureau juridique sur « { $thread } »
notification-advice_given-many = Avis rendu sur { $count } de vos demandes, la dernière « { $thread } »

notification-quote = { $actor } vous a cité dans « { $thread } »
notification-quote-many = { $count } citations de vos messages dans « { $thread } »
done-email = Préférences de courriel enregistrées.
email-heading = Courriel
email-server-off = Ce serveur n’envoie pas encore de courriels : les notifications n’arrivent que dans votre boîte de réception.
email-address = Les courriels sont envoyés à
email-immediate = M’écrire sur-le-champ
email-immediate-off = Jamais
email-immediate-direct = Mentions, citations et réponses qui me sont adressées
email-immediate-watching = Celles-ci, et tout ce que je surveille
email-digest = Résumé de ce que je n’ai pas lu
email-digest-off = Aucun
email-digest-daily = Quotidien
email-digest-weekly = Hebdomadaire
email-save = Enregistrer les préférences de courriel
email-open = Pour l’ouvrir :
email-footer-settings = Vous recevez ce message en raison de vos préférences de courriel sur Comity. Pour les modifier :
email-footer-unsubscribe = Ne plus recevoir aucun courriel de Comity, en un clic :
email-digest-subject = { $count ->
    [one] { $count } notification non lue
   *[other] { $count } notifications non lues
}
email-digest-daily-intro = Depuis hier, dans ce que vous suivez sur Comity :
email-digest-weekly-intro = Cette semaine, dans ce que vous suivez sur Comity :
email-digest-all = Toute votre boîte de réception :
unsubscribe-title = Ne plus recevoir de courriels de Comity
unsubscribe-confirm = Ne plus envoyer aucun courriel de Comity à ce membre, ni immédiat ni résumé ? Les notifications restent dans la boîte de réception.
unsubscribe-button = Arrêter tous les courriels
unsubscribe-done = C’est fait : Comity ne vous enverra plus de courriels.
unsubscribe-settings = Modifier vos préférences de courriel
unsubscribe-invalid = Ce lien de désabonnement n’est pas valide. Connectez-vous et modifiez vos préférences de courriel.
post-quote = Citer
inbox-email-settings = Ce que vous recevez par courriel
email-restricted-thread = un fil d’un espace restreint
email-marked-thread = un fil sous marque de diffusion

## Composer, drafts and live changes
composer-write = Rédiger
composer-preview = Aperçu
preview-empty = Rien à prévisualiser pour l’instant.
draft-saving = Enregistrement du brouillon…
draft-saved = Brouillon enregistré.
draft-not-saved = Le brouillon n’a pas pu être enregistré ; gardez cette page ouverte et réessayez.
draft-restored = Votre brouillon enregistré a été rétabli.
draft-discard = Supprimer le brouillon
draft-thread-locked = Ce fil a été verrouillé pendant que vous écriviez. Votre réponse est enregistrée comme brouillon et vous attendra à la réouverture du fil.
draft-slow-mode = Ce fil est en mode lent : attendez un peu avant de répondre à nouveau. Votre réponse est enregistrée comme brouillon.
draft-refused = Votre réponse n’a pas pu être publiée. Elle est enregistrée comme brouillon.
live-moved = Un modérateur a déplacé ce fil ; rechargez la page pour voir où.
nav-menu = Menu

## Members (staff)
nav-members = Membres
members-title = Membres
members-invite-link = Inviter un expert
members-search = Trouver un membre
members-any-country = Tous les pays
members-any-role = Tous les rôles
members-filter = Afficher
members-count = { $count ->
    [one] { $count } membre
   *[other] { $count } membres
}
members-refine = Affinez la recherche pour en voir davantage.
members-joined = inscrit le { $date }
members-suspended-until = suspendu jusqu’au { $date }
members-manage = Gérer { $name }
members-change-role = Changer le rôle
members-save-groups = Enregistrer les groupes
members-suspend-until = Suspendu jusqu’au (dernier jour)
members-suspend = Suspendre
members-unsuspend = Lever la suspension
members-end-sessions = Déconnecter partout
members-send-reset = Créer un lien de réinitialisation du mot de passe
members-reset-issued = Un lien de réinitialisation à usage unique (valable 24 heures). Transmettez-le au membre par un canal de confiance :
members-reset-link = Lien de réinitialisation du mot de passe
members-done-role = Rôle modifié.
members-done-groups = Groupes enregistrés.
members-done-suspend = Membre suspendu.
members-done-unsuspend = Suspension levée.
members-done-sessions = Toutes les sessions de ce membre ont pris fin.
members-erase = Effacer ce membre
members-erase-help = L’effacement répond à une demande de protection des données : le compte devient « Former member #N », toutes ses sessions prennent fin et ses messages sont conservés ou retirés selon la règle de ce forum. C’est irréversible.
members-erase-reason = La demande à laquelle vous répondez
members-erase-confirm = Je comprends que { $name } sera effacé définitivement
members-done-erase = Le membre a été effacé.
members-done-saved = Enregistré.
copy = Copier
copied = Copié
error-last_admin = Le forum doit garder au moins un administrateur : nommez d’abord un autre membre administrateur.
second-factor-banner = Votre rôle exige un second facteur avant de modérer ou d’administrer. En attendant, vous pouvez lire.
second-factor-banner-link = Configurer un second facteur
invitations-title = Invitations
invitations-pending = Invitations en attente
invitations-none = Aucune invitation n’attend d’être utilisée.
invitations-copy-hint = Un lien n’est affiché qu’une fois, à sa création. Pour le renvoyer, révoquez-le et créez-en un nouveau.
invitation-link = Lien d’invitation
invitation-by = par { $name }
invitation-expires = expire le { $date }
invitation-revoke = Révoquer
invitation-revoked = L’invitation a été révoquée ; son lien ne fonctionne plus.
hint-provisions = Code du pays, une barre verticale, puis la disposition : FR | Code de la santé publique, art. L5421-13. Si une seule juridiction est choisie ci-dessus, le code peut être omis.
hint-cases = Juridiction | date (AAAA-MM-JJ) | référence | ECLI (facultatif) : Cour de cassation | 2019-03-12 | 18-80.123
form-has-error = Le formulaire n’a pas été enregistré : vérifiez le champ signalé ci-dessous.
choose-country = Choisissez votre pays
list-separator = { ", " }
case-unassigned = Personne pour l’instant
queue-filter = Afficher les signalements
queue-status-open = Ouverts
queue-status-resolved = Traités
queue-status-all = Tous
audit-any-action = Toute action
audit-every-action = Toute action sur : { $family }
audit-family-category = Catégories
audit-family-flag = Signalements
audit-family-group = Groupes
audit-family-invitation = Invitations
audit-family-login = Connexions
audit-family-post = Messages
audit-family-session = Sessions
audit-family-settings = Réglages
audit-family-thread = Fils
audit-family-user = Membres
notification-moderation-hidden = Un modérateur a masqué votre message dans « { $thread } »
notification-moderation-edited = Un modérateur a modifié votre message dans « { $thread } »
notification-moderation-warned = Un modérateur vous a adressé un avertissement au sujet de votre message dans « { $thread } »
thread-reopened = Ce fil est de nouveau ouvert : rechargez la page pour répondre.
field-refused = { $field } : { $reason }
reason-empty = ce champ ne peut pas rester vide.
reason-too-short = écrivez au moins { $min } caractères.
reason-too-long = écrivez au plus { $max } caractères.
reason-single-line = tenez-vous-en à une seule ligne.
reason-date = indiquez une date au format AAAA-MM-JJ.
reason-too-many = { $max } entrées au plus.
reason-unknown-code = ce code n’est pas reconnu par le forum.

# Attachments
attach-files = Joindre des fichiers
attach-hint = PDF, DOCX, ODT, RTF, texte, PNG, JPEG, XLSX ou ODS, 25 Mo au plus chacun. Les fichiers sont analysés et leur texte devient consultable par la recherche.
attach-failed = Échec de l’envoi
attach-remove = Retirer
attachments-heading = Pièces jointes
attachment-pages = { $count ->
    [one] { $count } page
   *[other] { $count } pages
}
attachment-preview = Aperçu
attachment-hidden = Masqué par un modérateur
search-in-attachment = dans { $name }, p. { $page }
attachment-author = Ce PDF nomme son auteur : { $name }
attachment-remove-author = Retirer l’auteur
revision-removed-files = Fichiers retirés dans cette révision (visibles des modérateurs) :

## Handling marks (TLP 2.0)
field-mark = Marque de diffusion (TLP)
mark-hint = Qui peut lire ce fil, et s’il peut sortir du forum.
mark-clear-help = peut être partagé hors du forum
mark-green-help = tous les membres qui voient la catégorie
mark-amber-help = les mêmes lecteurs ; ne sort jamais du forum (les courriels ne mentionnent qu’« un fil sous marque »)
mark-amber-strict-help = seulement les membres des pays indiqués ci-dessous, et les administrateurs
mark-red-help = seulement les membres nommés ci-dessous, par identifiant
field-mark-countries = Pays (AMBER+STRICT) : codes ISO, séparés par des virgules
field-mark-members = Membres (RED) : identifiants, séparés par des virgules
mark-label = Marque de diffusion
mark-post-label = Cette réponse porte une marque de diffusion plus stricte que son fil
reply-mark-summary = Restreindre cette réponse
reply-mark-hint = Une réponse peut porter une marque plus stricte que son fil, jamais plus large. Seuls ses lecteurs la voient.
reply-mark-same = Comme le fil (TLP:{ $mark })
mark-readers = Partagé avec : { $readers }
mark-change = Changer la marque

## Personal data caught before posting
pd-found = Ce texte semble contenir des données personnelles :
pd-choices = Remplacez-les par des pseudonymes, modifiez-les vous-même, ou publiez quand même en donnant une raison (un modérateur vérifiera).
pd-pseudonymise = Remplacer par des pseudonymes
pd-pseudonymised = Données personnelles remplacées par des pseudonymes ([Person A], [Phone 1]…). Vérifiez le texte, puis envoyez-le.
pd-reason = Raison de publier quand même
pd-post-anyway = Publier quand même
pd-kind-email = adresse électronique
pd-kind-phone = numéro de téléphone
pd-kind-iban = compte bancaire (IBAN)
pd-kind-card = carte de paiement
pd-kind-mrz = ligne de passeport ou de carte d’identité (MRZ)
pd-kind-national-id = numéro d’identité nationale
pd-kind-birth-date = date de naissance
pd-kind-person-name = nom d’une personne
pd-kind-file-number = numéro de procédure d’enquête

## Certified exports
verify-title = Vérifier un export certifié
verify-intro = Déposez l’export d’un fil (un .zip issu de « Export certifié ») pour vérifier que chaque fichier est exactement tel que ce forum l’a signé.
verify-file = Export (.zip)
verify-submit = Vérifier
verify-no-file = Choisissez un export à vérifier.
verify-intact = Intact : chaque fichier est tel que ce forum l’a signé.
verify-broken = Non intact : cet export a été modifié ou n’a pas été signé par ce forum.
verify-thread = Fil
verify-exported-by = Exporté par
verify-audit-head = Tête de la chaîne d’audit
export-certified = Export certifié (.zip signé)
notification-moderation-break-glass = Un administrateur a ouvert votre fil RED « { $thread } » (bris de glace ; la raison figure au journal d’audit)

## The expert network
nav-experts = Experts
nav-coverage = Couverture
nav-questions = Questions
experts-title = Annuaire des experts
experts-intro = Trouvez des collègues selon le droit qu’ils connaissent, les langues qu’ils parlent et leurs domaines. Chaque membre choisit s’il figure ici.
experts-jurisdiction = Connaît le droit de
experts-language = Parle
experts-profession = Profession
experts-filter = Chercher
experts-count = { $count ->
    [one] { $count } expert
   *[other] { $count } experts
}
experts-none = Aucun expert ne correspond à ces filtres.
experts-knows = Connaît le droit de :
experts-speaks = Parle :
experts-ask = Poser une question à { $name }
ask-title = Interroger des experts
ask-intro = Indiquez les pays ou régions dont le droit vous intéresse : le forum propose les membres qui le connaissent ; gardez-les ou décochez-les. Personne ne reçoit plus de { $cap } questions par semaine.
ask-jurisdictions = Pays ou régions
ask-find = Trouver des experts
ask-experts = Experts à interroger
ask-no-experts = Aucun expert proposé pour l’instant : choisissez un pays ou une région, puis cherchez.
ask-body = Votre question
ask-submit = Envoyer la question
ask-no-category = Choisissez une catégorie.
questions-title = Questions aux experts
questions-stats = Questions ouvertes par pays
questions-none = Aucune question pour l’instant.
questions-country = Pays ou région
questions-open = Ouvertes
questions-answered = Répondues
questions-median = Délai médian de première réponse (heures)
questions-all = Toutes les questions
questions-mine = Vos questions, posées ou reçues
questions-routed-to = posée à
question-status-open = Ouverte
question-status-answered = Répondue
question-status-accepted = Réponse acceptée
coverage-title = Couverture des analyses
coverage-intro = Où des analyses existent, pays par pays. Une case vide mène à une question aux experts de ce pays.
coverage-by = Colonnes
coverage-recent = Droit à jour depuis moins de 2 ans
coverage-show = Afficher
coverage-map = Carte des analyses par pays
coverage-analyses = { $count ->
    [one] { $count } analyse
   *[other] { $count } analyses
}
coverage-legend = Analyses par pays :
coverage-table = Analyses par pays et { $by }
coverage-none = Aucune analyse ne correspond à ces filtres.
coverage-total = Toutes
coverage-ask = Interroger les experts de { $jurisdiction }

done-profile = Profil d’expert enregistré.
profile-heading = Votre profil d’expert
profile-hint = Ce que vous connaissez, pour les collègues qui cherchent un expert et pour les questions qui vous sont adressées.
profile-organisation = Organisation
profile-languages = Langues de travail (codes ISO : fr, ar, en…)
profile-jurisdictions = Autres pays ou régions dont vous connaissez le droit (codes : MA, EU…)
profile-instruments = Instruments que vous connaissez
profile-bio = Quelques mots sur votre travail
profile-visibility = Qui vous trouve dans l’annuaire des experts
profile-visibility-members = Tous les membres
profile-visibility-staff = Modérateurs et administrateurs seulement
profile-visibility-hidden = Personne (vous ne recevez pas de questions)
profile-paused = Suspendre les questions pour l’instant
profile-save = Enregistrer le profil
question-box = Question aux experts
question-accepted-link = La réponse acceptée
question-accept-label = Accepter comme réponse
question-accept = Accepter
profile-contributions = Contributions
contrib-analyses = { $count ->
    [one] { $count } analyse
   *[other] { $count } analyses
}
contrib-endorsements = { $count ->
    [one] { $count } validation reçue
   *[other] { $count } validations reçues
}
contrib-accepted = { $count ->
    [one] { $count } réponse acceptée
   *[other] { $count } réponses acceptées
}

## Colloques
nav-colloquia = Colloques
colloquia-title = Colloques
colloquia-intro = Des discussions d’experts limitées dans le temps sur une question juridique. Les participants écrivent pendant que le colloque est ouvert ; ses conclusions sont publiées pour tous les membres.
colloquia-none = Aucun colloque pour l’instant.
colloquium-state-upcoming = À venir
colloquium-state-open = Ouvert
colloquium-state-closed = Clos
colloquium-published = Publiées
colloquium-participants-count = { $count ->
    [one] { $count } participant
   *[other] { $count } participants
}
colloquium-new = Organiser un colloque
colloquium-agenda = Ordre du jour
colloquium-opens = Ouverture
colloquium-closes = Clôture
colloquium-utc = Les dates et heures sont en UTC.
colloquium-participants = Participants
colloquium-participants-hint = Noms d’utilisateur, séparés par des virgules. Invitez les experts extérieurs par courriel une fois le colloque créé.
colloquium-publish-in = Publier les conclusions dans
colloquium-create = Créer le colloque
colloquium-organiser = organisé par
colloquium-discussion = Ouvrir la discussion
colloquium-calendar = Ajouter au calendrier (.ics)
colloquium-published-thread = Conclusions publiées
colloquium-guest-link = Envoyez ce lien d’invitation à usage unique à l’expert extérieur :
colloquium-conclusions = Conclusions
colloquium-no-conclusions = Pas encore de conclusions.
colloquium-version = Version { $n }
colloquium-draft = Projet
colloquium-endorsements = { $count ->
    [one] approuvée par { $count } participant
   *[other] approuvée par { $count } participants
}
colloquium-you-endorse = Vous approuvez la version { $n }.
colloquium-endorse = Approuver la dernière version
colloquium-versions = Versions
colloquium-version-col = Version
colloquium-written = Rédigée
colloquium-note = Modifications
colloquium-endorsements-col = Approbations
colloquium-guest = expert extérieur
colloquium-endorses = approuve la version { $n }
colloquium-organise = Organisation
colloquium-new-version = Version suivante des conclusions (Markdown)
colloquium-save-version = Enregistrer une nouvelle version
colloquium-publish = Publier la dernière version
colloquium-add-participants = Ajouter des participants
colloquium-add = Ajouter
colloquium-invite-guest = Inviter un expert extérieur (courriel)
colloquium-invite = Inviter

## Demandes d’avis
nav-advice = Avis
advice-title = Avis du bureau juridique
advice-intro = Demandez au bureau juridique un avis sur une affaire précise. Seuls vous et le bureau lisez la demande, ses fichiers et l’avis (TLP:RED).
advice-none = Aucune demande d’avis.
advice-status-received = Reçue
advice-status-assigned = Attribuée
advice-status-advice_given = Avis rendu
advice-status-closed = Close
advice-overdue = En retard
advice-due = Échéance
advice-assignee = traitée par
advice-new = Demander un avis
advice-confidential = Votre demande est marquée TLP:RED : seuls vous et le bureau juridique la verrez.
advice-case = L’affaire et votre question (Markdown)
advice-files-hint = Joignez les fichiers (jugements, rapports) en réponse dans le fil de la demande une fois celle-ci envoyée.
advice-submit = Envoyer la demande
advice-open-thread = L’affaire, ses fichiers et l’avis
advice-published-analysis = L’analyse publiée
advice-steps = Étapes
advice-step-received = Reçue
advice-step-assigned = Attribuée
advice-step-note = Note ajoutée par le bureau
advice-step-advice_given = Avis rendu
advice-step-consent = Consentement à la publication modifié
advice-step-closed = Close
advice-step-published = Publiée sous forme d’analyse anonymisée
advice-consent-given = Vous avez accepté que le bureau publie une analyse anonymisée de cet avis.
advice-consent-none = Le bureau ne publiera rien de cette demande sans votre consentement.
advice-consent-withdraw = Retirer mon consentement
advice-consent-give = Accepter une publication anonymisée
advice-office = Bureau juridique
advice-notes = Notes internes (le demandeur ne les voit pas)
advice-no-notes = Aucune note pour l’instant.
advice-add-note = Ajouter une note
advice-save-note = Enregistrer la note
advice-assign-to = Attribuer à
advice-assign = Attribuer
advice-give = L’avis (une réponse dans le fil de la demande)
advice-send = Rendre l’avis
advice-close = Clore la demande
advice-publish = Rédiger l’analyse anonymisée
advice-publish-hint = Le demandeur a accepté une publication : retirez tout détail permettant d’identifier l’affaire avant de publier.
advice-publishing = Vous publiez l’analyse anonymisée d’une demande d’avis ; elle renverra à la demande.

## Dialogues
nav-dialogues = Dialogues
dialogues-title = Dialogues
dialogues-intro = Dialogues nationaux et régionaux : des publications qui rassemblent des analyses et des conclusions de colloques choisies. Seul le contenu TLP:CLEAR et TLP:GREEN est publié.
dialogues-none = Aucun dialogue publié pour l’instant.
dialogue-chapters = { $count ->
    [one] { $count } chapitre
   *[other] { $count } chapitres
}
dialogue-new = Composer un dialogue
dialogue-only-green = Seules les analyses et conclusions marquées TLP:CLEAR ou TLP:GREEN peuvent être publiées ; un chapitre marqué plus strictement par la suite quitte le dialogue.
dialogue-foreword = Avant-propos (Markdown)
dialogue-choose = Chapitres, dans cet ordre
dialogue-no-candidates = Aucune analyse ni conclusion à publier pour l’instant.
dialogue-publish = Publier le dialogue
dialogue-compiled-by = Composé par
dialogue-pdf = PDF imprimable
dialogue-omitted = { $count ->
    [one] { $count } chapitre n’est pas affiché : il a depuis été marqué plus strictement, masqué, ou vous n’y avez pas accès.
   *[other] { $count } chapitres ne sont pas affichés : ils ont depuis été marqués plus strictement, masqués, ou vous n’y avez pas accès.
}
dialogue-contents = Sommaire
dialogue-discussion = Discussion
dialogue-colloquium = Le colloque
dialogue-summary = Résumé :
dialogue-sources = Dispositions et décisions
dialogue-cite = Citer ainsi :

## Flux et données personnelles (paramètres)
feeds-title = Flux
feeds-intro = Suivez le forum dans un lecteur de flux. Ces liens contiennent un secret qui vous représente : gardez-les pour vous et révoquez-les si l’un d’eux fuit. Un flux ne montre que ce que vous pouvez lire.
feeds-atom = Flux Atom
feeds-more = Les flux d’une juridiction (les régions incluent leurs pays) ou d’un instrument suivent le même modèle, par exemple :
feeds-revoke = Révoquer tous mes liens de flux
done-feeds = Vos anciens liens de flux ne fonctionnent plus ; les nouveaux sont ci-dessous.
own-data-title = Vos données
own-data-intro = Téléchargez tout ce que le forum conserve sur vous et vos messages : un zip avec les données en JSON, une copie lisible et vos fichiers.
own-data-download = Télécharger mes données
webhooks-title = Webhooks
webhooks-intro = Un autre système peut recevoir ce qui se passe dans les catégories ouvertes, au fil de l’eau : une requête HTTP signée avec le secret du point de réception pour chaque événement. Seuls les fils et messages marqués TLP:CLEAR des catégories ouvertes sont envoyés.
webhooks-secret-once = Le secret de signature du point de réception. Copiez-le maintenant : il ne sera plus affiché.
webhooks-secret = Secret de signature
webhooks-add = Ajouter un point de réception
webhooks-url = Adresse (https://…)
webhooks-events = Événements à envoyer
webhooks-add-button = Ajouter le point de réception
webhooks-endpoints = Points de réception
webhooks-none = Aucun point de réception pour l’instant.
webhooks-failures = { $count ->
    [one] { $count } échec d’affilée
   *[other] { $count } échecs d’affilée
}
webhooks-log = Envois récents
webhooks-event = Événement
webhooks-outcome = Résultat
webhooks-attempts = Tentatives
webhooks-answer = Réponse
webhooks-when = Dernière tentative
webhooks-enable = Réactiver
webhooks-delete = Supprimer
webhooks-status-active = Actif
webhooks-status-retrying = Nouvel essai prévu
webhooks-status-disabled = Désactivé après des échecs répétés
