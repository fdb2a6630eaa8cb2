## Frame
skip-to-content = Skip to content
nav-main = Main
nav-new-thread = New thread
nav-admin = Admin
nav-sign-out = Sign out
nav-sign-in = Sign in
language-label = Language
language-change = Change
footer-tagline = Comity — a closed forum for criminal justice experts on illicit trade.

## Months (short)
month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = May
month-6 = Jun
month-7 = Jul
month-8 = Aug
month-9 = Sep
month-10 = Oct
month-11 = Nov
month-12 = Dec

## Thread lists
page-home = Home
latest-threads = Latest threads
categories = Categories
no-categories = No categories yet.
no-threads = No threads yet.
badge-pinned = Pinned
badge-locked = Locked
badge-restricted = Restricted
kind-discussion = Discussion
kind-question = Question
kind-analysis = Legal analysis
in-category = in
by-author = by
thread-replies = { $count ->
    [one] { $count } reply
   *[other] { $count } replies
}
category-new-thread = New thread in { $name }
pages = Pages
page-newer = Newer
page-older = Older
content-language = Content language
all-languages = All languages
filter = Filter

## Thread page
in-reply-to = in reply to an earlier post
edited-at = edited { $date }
post-edit = Edit
post-reply-to = Reply to this
reply-heading = Reply
reply-label = Your reply (Markdown)
reply-submit = Post reply
replying-to = Replying to an earlier post.
thread-locked = This thread is locked.
posts-by = Post by { $name }

## New thread
new-thread = New thread
no-category-to-post = There is no category to post in yet. An admin creates categories on the admin page.
field-category = Category
field-title = Title
field-kind = Kind
field-jurisdictions = Jurisdictions
hint-jurisdictions = (ISO codes separated by spaces or commas, e.g. FR, MA)
field-body = Text (Markdown: tables, footnotes, strikethrough)
field-language = Language of the text
language-auto = Detect automatically
open-thread = Open thread

## Editing
edit-post = Edit post
back-to-thread = Back to the thread
revision-history = Revision history
field-edit-reason = Reason for the edit
hint-edit-reason = (optional, shown in the history)
save = Save
revision-n = Revision { $count }
revision-reason = reason: { $reason }
revision-changes = Changes in revision { $count }

## Accounts
sign-in = Sign in
field-username = Username
field-password = Password
invitation-only = Membership is by invitation. Ask a moderator of your network for one.
join = Join Comity
invited-as = You were invited as { $email }.
hint-username = (3–32 of a-z, 0-9, _ . -)
field-display-name = Name as shown to colleagues
field-country = Country
field-profession = Profession
hint-password = (at least 12 characters)
create-account = Create account
field-role = Role
member-since = Member since
threads-started = Threads started
role-member = member
role-moderator = moderator
role-admin = admin
profession-prosecutor = prosecutor
profession-judge = judge
profession-police = police
profession-customs = customs
profession-legal_adviser = legal adviser
profession-academic = academic
profession-private_sector = private sector
profession-other = other

## Administration
administration = Administration
invite-expert = Invite an expert
invitation-created = Invitation created. Send this single-use link to the invitee:
field-email = E-mail
create-invitation = Create invitation
field-slug = Slug
hint-slug = (a-z, 0-9, -)
field-name = Name
field-description = Description
create-category = Create category

## Errors
back-home = Back to the start page
error-page-title = Error
error-not_found = This page does not exist, or you may not see it.
error-forbidden = You are not allowed to do this.
error-internal = Something went wrong. Please try again.
error-unauthenticated = Please sign in.
error-invalid_credentials = Invalid username or password.
error-invalid_refresh_token = The session has ended. Please sign in again.
error-account_suspended = This account is suspended.
error-csrf_rejected = Cross-site request refused.
error-invalid_field = Please check the field “{ $field }”.
error-invitation_invalid = This invitation is not valid.
error-invitation_used = This invitation was already used.
error-invitation_expired = This invitation has expired.
error-username_taken = This username is taken.
error-email_taken = An account with this e-mail exists.
error-slug_taken = A category with this slug exists.
error-thread_locked = This thread is locked.
error-payload_too_large = The request is too large.
error-rate_limited = Too many attempts. Wait a moment and try again.
error-too_many_connections = Too many open live connections for this account.
error-cross_site_refused = A page on another site may not open this connection.
error-malformed_request = The request is malformed.
error-unsupported_media_type = Send JSON with Content-Type: application/json.
error-unavailable = The service is temporarily unavailable.

## Settings
nav-settings = Settings
settings = Account settings
sessions-heading = Where you are signed in
session-current = this device
session-started = signed in { $date }
session-last-seen = last active { $date }
session-revoke = Sign out this session
sessions-revoke-others = Sign out all other sessions
password-heading = Change your password
field-current-password = Current password
field-new-password = New password
password-submit = Change password
done-password = Password changed. Your other sessions were signed out.
done-others = Your other sessions were signed out.
done-one = The session was signed out.
error-wrong_password = The current password is not correct.

## Live updates on the thread page
live-viewing = Experts viewing: { $count }
live-typing = { $name } is typing…
live-reconnecting = Live updates paused; reconnecting…
live-resync = This thread changed a lot while you were away; reload the page to see everything.
live-new-reply-from = New reply from { $name }
live-new-replies = New replies: { $count } — show

## Second factor
field-totp-code = Authentication code
field-totp-code-hint = Only if you turned on a second factor: the 6-digit code from your app, or a recovery code.
error-totp_required = This account needs a code from its authenticator app.
error-invalid_totp = The authentication code is not valid.
error-second_factor_required = Sign in with a second factor (enrol one in your settings) to do this.
error-totp_already_enabled = A second factor is already enabled.
totp-heading = Second factor
totp-on = A second factor is on: signing in needs a code from your authenticator app.
totp-off = No second factor yet. Moderators and admins need one before they can act.
totp-begin = Set up a second factor
totp-setup-title = Set up a second factor
totp-scan = Scan this code with an authenticator app (such as Aegis, FreeOTP or Google Authenticator), or type the key into it.
totp-qr-label = QR code of the key for your authenticator app
totp-key = Key:
totp-confirm-label = The 6-digit code your app now shows
totp-confirm = Turn on
totp-recovery-title = Your recovery codes
totp-now-on = The second factor is on.
totp-recovery-intro = Keep these codes somewhere safe. Each one works once instead of a code if you lose your device. They are not shown again.
totp-recovery-done = I have saved them — back to settings
totp-disable = Turn off the second factor
field-totp-disable-code = A current code or a recovery code
done-totp-off = The second factor is off.

## Account management by admins, reset links
admin-tools = Admin tools
admin-end-sessions = End all sessions of this member
admin-reset-link = Create a password reset link
reset-link-created = Reset link (works once, for 24 hours). Give it to the member through a channel you trust:
done-sessions-ended = Every session of this member has ended.
reset-title = Choose a new password
reset-submit = Set the password
done-reset = Your password is set. Sign in with it.
error-reset_link_invalid = This reset link is not valid (used, expired or unknown).
session-from = from
security-heading = Security
security-second-factor-everyone = Require a second factor of every member
security-second-factor-hint = Moderators and admins always need one. Members without one can still read and set one up, but cannot post until they do.
security-save = Save
done-security = Security settings saved.

## Legal analyses
nav-review = Review
nav-compare = Compare
crime-counterfeiting = Counterfeiting
crime-piracy = Piracy
crime-illicit_tobacco = Illicit tobacco
crime-illicit_alcohol = Illicit alcohol
crime-falsified_medicines = Falsified medicines
crime-illicit_pesticides = Illicit pesticides
crime-wildlife = Wildlife trafficking
crime-smuggling = Smuggling
crime-money_laundering = Money laundering
crime-other = Other
analysis-heading = Analysis record
analysis-summary = Summary
analysis-instruments = Instruments
analysis-crime-areas = Crime areas
analysis-provisions = National provisions
analysis-cases = Case law
analysis-valid-as-of = Valid as of
analysis-review-by = Review by
analysis-needs-review = Needs review
review-review_by_passed = its review-by date has passed
review-instrument_amended = { $instrument } was amended after it was written
endorsements-heading = Endorsements
endorsement-line = Accurate for { $jurisdiction }: { $people }
endorse-button = Endorse as accurate for { $country }
endorse-withdraw = Withdraw my endorsement
endorsed-by-you = You endorsed this analysis for { $country }.
endorsements-none = No endorsement yet.
cited-by = Cited by
analysis-fields = Analysis record (legal analyses only)
field-summary = Summary
field-instruments = Instruments and articles cited
field-crime-areas = Crime areas
field-provisions = National provisions, one a line: code | provision
field-cases = Case law, one a line: court | date (YYYY-MM-DD) | reference | ECLI
field-valid-as-of = Valid as of
field-review-by = Review by
picker-filter = Type to filter the list
jurisdictions-countries = Countries
jurisdictions-regions = Regional groupings
jurisdiction-kind-country = Country
jurisdiction-kind-region = Regional grouping
jurisdiction-threads = Analyses and threads
jurisdiction-regional = regional
jurisdiction-member-of = Member of
jurisdiction-members = Members
instrument-whole = The instrument as a whole
instrument-articles = Articles
instrument-no-analyses = No analysis cites this instrument yet.
instrument-article = Article { $number }
compare-title = Compare jurisdictions
compare-jurisdictions = Jurisdictions (codes, e.g. FR, ES, MA)
compare-submit = Compare
compare-ask-title = What is the law in { $jurisdiction } on { $topic }?
compare-gap = No analysis yet for this jurisdiction.
compare-ask = Ask experts from { $jurisdiction }
compare-any = Any
review-title = Analyses needing review
review-none = Every analysis is current.
edit-tags = Jurisdictions of this thread
save-tags = Save jurisdictions
all-kinds = All kinds
all-crime-areas = All crime areas
field-crime-area = Crime area
field-instrument = Instrument
field-jurisdiction = Jurisdiction
