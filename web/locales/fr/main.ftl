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
nav-review = À réviser
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
endorsement-line = Exacte pour { $jurisdiction } : { $people }
endorse-button = Valider comme exacte pour { $country }
endorse-withdraw = Retirer ma validation
endorsed-by-you = Vous avez validé cette analyse pour { $country }.
endorsements-none = Aucune validation pour l'instant.
cited-by = Citée par
analysis-fields = Fiche d'analyse (analyses juridiques seulement)
field-summary = Résumé
field-instruments = Instruments et articles cités
field-crime-areas = Domaines criminels
field-provisions = Dispositions nationales, une par ligne : code | disposition
field-cases = Jurisprudence, une par ligne : juridiction | date (AAAA-MM-JJ) | référence | ECLI
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
compare-ask-title = Quel est le droit applicable en/au { $jurisdiction } pour { $topic } ?
compare-gap = Pas encore d'analyse pour cette juridiction.
compare-ask = Interroger les experts de { $jurisdiction }
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
