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
field-provisions = National provisions (one a line)
field-cases = Case law (one decision a line)
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

## Moderation
nav-moderation = Moderation
mod-tools = Moderation
mod-action = Action
mod-lock = Lock the thread
mod-unlock = Unlock the thread
mod-pin = Pin the thread
mod-unpin = Unpin the thread
mod-move = Move the thread
mod-move-to = Move to (for a move)
mod-reason = Reason (kept in the audit log)
mod-apply = Apply
mod-hide = Hide
mod-restore = Restore
badge-hidden = Hidden
flag-post = Flag
moderate-post-hide-heading = Hide a post
moderate-post-restore-heading = Restore a hidden post
moderate-post-explain = Members no longer see a hidden post; moderators still do, marked hidden. The reason goes to the audit log.
flag-post-heading = Flag a post for the moderators
flag-reason = Reason
flag-note = Note for the moderators (optional)
flag-submit = Send to the moderators
done-flagged = Thank you: the moderators will look at it.
flag-reason-inaccurate_law = Inaccurate statement of the law
flag-reason-personal_data = Personal data
flag-reason-confidential = Confidential information
flag-reason-off_topic = Off topic
flag-reason-abusive = Abusive
flag-reason-spam = Spam
flag-reason-other = Other
queue-title = Moderation queue
queue-empty = No open flag.
queue-stats = Flags by reason
stats-total = Total
stats-open = Open
stats-resolved = Resolved
stats-mean-hours = Mean hours to resolution
case-title = Flag #{ $id }
case-flagged-by = Flagged by
case-assigned = Assigned to
case-post = The flagged post
case-notes = Moderator notes (private)
case-add-note = Add a note
case-assign-me = Assign to me
case-resolve = Resolve
case-resolution-note = Reason (the flagger is told)
case-resolved = Resolved: { $resolution }
resolution-dismiss = Dismiss the flag
resolution-hide_post = Hide the post
resolution-warn_user = Warn the author
audit-title = Audit log
audit-actor = Actor
audit-action = Action
audit-target = Target
audit-reason = Reason
audit-at = Time
audit-details = Details
audit-restricted = Withheld: a restricted space you cannot see
groups-heading = Groups
group-name = Name of the new group
group-create = Create the group
group-member-username = Username
group-member-change = Add or remove
group-add = Add
group-remove = Remove
featured-analyses = Featured analyses
mod-slow-mode = Set slow mode
mod-slow-seconds = Seconds between replies (for slow mode; 0 turns it off)
mod-feature = Feature this analysis
mod-unfeature = Stop featuring this analysis
field-restricted-to = Restricted to these groups (none: every member sees it)
resolution-edit_post = Edit the post
case-new-text = New text of the post (for an edit)

# Search
nav-search = Search
search-title = Search
search-label = Search discussions and analyses
search-help = Words are ranked and searched in English, French, Spanish and Arabic. "exact phrase", +required, -exclude, OR.
search-sort = Sort by
search-sort-relevance = Relevance
search-sort-newest = Newest
search-submit = Search
search-did-you-mean = Did you mean:
search-remove-expansion = Stop searching { $term }
search-also = Also searched:
search-exact = Exact words only
search-active-filters = Active filters
search-refine = Refine results
search-none = Nothing matches. Try fewer words or remove a filter.
search-feed = Follow this search in a feed reader (newest first)
search-pages = Result pages
search-previous = Previous page
search-next = Next page
search-count = { $count ->
    [one] { $count } result
   *[other] { $count } results
}
search-from = From { $date }
search-to = Until { $date }
search-remove-filter = Remove filter: { $filter }
search-facet-jurisdiction = Jurisdiction
search-facet-instrument = Instrument
search-facet-crime-area = Crime area
search-facet-kind = Kind
search-facet-language = Language
search-rebuilding = Search is being rebuilt from the database. Try again in a moment; the rest of the forum works.
search-unavailable = Search is unavailable right now. The rest of the forum works.
error-search_unavailable = Search is unavailable right now; try again in a moment.
related-title = Related analyses

# Notifications
nav-inbox = Inbox
nav-unread = unread
inbox-title = Inbox
inbox-mark-all = Mark all as read
inbox-empty = Nothing new. Replies, mentions and new analyses in what you watch will appear here.
inbox-unread = unread
inbox-watches = What you watch
inbox-watches-help = Watching: every new reply or thread. Tracking: new analyses. Normal: only replies to you and mentions. Muted: nothing.
inbox-no-watches = You watch the threads you started or replied to, and track your own country. Choose other levels on thread and jurisdiction pages.
watch-label = Notifications
watch-save = Save
watch-level-watching = Watching
watch-level-tracking = Tracking
watch-level-normal = Normal
watch-level-muted = Muted
watch-target-thread = Thread { $name }
watch-target-category = Category { $name }
watch-target-jurisdiction = Jurisdiction: { $name }
watch-target-instrument = Instrument: { $name }
notification-reply = { $actor } replied in “{ $thread }”
notification-reply-many = { $count } new replies in “{ $thread }”
notification-mention = { $actor } mentioned you in “{ $thread }”
notification-new_thread = New in what you watch: “{ $thread }”
notification-new_thread-many = { $count } new posts in what you watch, the latest “{ $thread }”
notification-endorsement = { $actor } endorsed your analysis “{ $thread }”
notification-endorsement-many = { $count } endorsements of your analysis “{ $thread }”
notification-flag_outcome = Moderators acted on your flag in “{ $thread }”
notification-moderation = A moderator acted on your post in “{ $thread }”
notification-other = { $kind }: “{ $thread }”
notification-review_due = The review date of your analysis “{ $thread }” has passed: is it still accurate?
notification-routed_question = { $actor } asks for your expertise: “{ $thread }”
notification-routed_question-many = { $count } questions for your expertise, the latest “{ $thread }”
notification-routed_question-reminder = Still unanswered after a week: “{ $thread }” (asked by { $actor })
notification-routed_question-escalated = No expert has answered “{ $thread }” in two weeks (asked by { $actor })
notification-answer_accepted = { $actor } accepted your answer in “{ $thread }”
notification-answer_accepted-many = { $count } of your answers accepted in “{ $thread }”
notification-colloquium_opened = The colloquium “{ $thread }” is open: { $actor } invites you to take part
notification-colloquium_opened-many = { $count } colloquia are open, the latest “{ $thread }”
notification-advice_requested = { $actor } asks the legal office for advice: “{ $thread }”
notification-advice_requested-many = { $count } advice requests, the latest “{ $thread }”
notification-advice_given = { $actor } gave the legal office’s advice on “{ $thread }”
notification-advice_given-many = Advice given on { $count } of your requests, the latest “{ $thread }”

notification-quote = { $actor } quoted you in “{ $thread }”
notification-quote-many = { $count } quotes of your posts in “{ $thread }”
done-email = E-mail settings saved.
email-heading = E-mail
email-server-off = This server does not send e-mail yet: notifications reach your inbox only.
email-address = E-mail goes to
email-immediate = E-mail me as it happens
email-immediate-off = Never
email-immediate-direct = Mentions, quotes and replies to me
email-immediate-watching = Those, and everything I watch
email-digest = Digest of what I have not read
email-digest-off = None
email-digest-daily = Daily
email-digest-weekly = Weekly
email-save = Save e-mail settings
email-open = Open it:
email-footer-settings = You receive this because of your e-mail settings on Comity. Change them:
email-footer-unsubscribe = Stop all e-mail from Comity with one click:
email-digest-subject = { $count ->
    [one] { $count } notification you have not read
   *[other] { $count } notifications you have not read
}
email-digest-daily-intro = Since yesterday, in what you follow on Comity:
email-digest-weekly-intro = This week, in what you follow on Comity:
email-digest-all = Everything in your inbox:
unsubscribe-title = Stop e-mail from Comity
unsubscribe-confirm = Stop every e-mail from Comity to this member: immediate e-mails and digests? Notifications still reach the inbox.
unsubscribe-button = Stop all e-mail
unsubscribe-done = Done: Comity will send you no more e-mail.
unsubscribe-settings = Change your e-mail settings
unsubscribe-invalid = This unsubscribe link is not valid. Sign in and change your e-mail settings instead.
post-quote = Quote
inbox-email-settings = What reaches you by e-mail
email-restricted-thread = a thread in a restricted space
email-marked-thread = a marked thread

## Composer, drafts and live changes
composer-write = Write
composer-preview = Preview
preview-empty = Nothing to preview yet.
draft-saving = Saving draft…
draft-saved = Draft saved.
draft-not-saved = The draft could not be saved; keep this page open and try again.
draft-restored = Your saved draft is back.
draft-discard = Discard the draft
draft-thread-locked = This thread was locked while you were writing. Your reply is saved as a draft and will be here when the thread reopens.
draft-slow-mode = This thread is in slow mode: wait a little before replying again. Your reply is saved as a draft.
draft-refused = Your reply could not be posted. It is saved as a draft.
live-moved = A moderator moved this thread; reload the page to see where.
nav-menu = Menu

## Members (staff)
nav-members = Members
members-title = Members
members-invite-link = Invite an expert
members-search = Find a member
members-any-country = Any country
members-any-role = Any role
members-filter = Show
members-count = { $count ->
    [one] { $count } member
   *[other] { $count } members
}
members-refine = Narrow the search to see more.
members-joined = joined { $date }
members-suspended-until = suspended until { $date }
members-manage = Manage { $name }
members-change-role = Change role
members-save-groups = Save groups
members-suspend-until = Suspended until (last day)
members-suspend = Suspend
members-unsuspend = Lift the suspension
members-end-sessions = Sign out everywhere
members-send-reset = Create a password reset link
members-reset-issued = A one-time reset link (valid 24 hours). Send it to the member through a channel you trust:
members-reset-link = Password reset link
members-done-role = Role changed.
members-done-groups = Groups saved.
members-done-suspend = Member suspended.
members-done-unsuspend = Suspension lifted.
members-done-sessions = Every session of this member has ended.
members-erase = Erase this member
members-erase-help = Erasure answers a data-protection request: the account becomes "Former member #N", every session ends, and the member's posts are kept or removed as this forum's policy says. It cannot be undone.
members-erase-reason = The request being answered
members-erase-confirm = I understand that { $name } will be erased for good
members-done-erase = The member was erased.
members-done-saved = Saved.
copy = Copy
copied = Copied
error-last_admin = The forum needs at least one admin: make another member admin first.
second-factor-banner = Your role requires a second factor before you can moderate or administer. You can read meanwhile.
second-factor-banner-link = Set up a second factor
invitations-title = Invitations
invitations-pending = Pending invitations
invitations-none = No invitation is waiting to be used.
invitations-copy-hint = A link is shown only once, when it is created. To send one again, revoke it and create a new one.
invitation-link = Invitation link
invitation-by = by { $name }
invitation-expires = expires { $date }
invitation-revoke = Revoke
invitation-revoked = The invitation was revoked; its link no longer works.
hint-provisions = Country code, a vertical bar, then the provision: FR | Code de la santé publique, art. L5421-13. With one jurisdiction chosen above, the code may be left out.
hint-cases = Court | date (YYYY-MM-DD) | reference | ECLI (optional): Cour de cassation | 2019-03-12 | 18-80.123
form-has-error = The form was not saved: check the field marked below.
choose-country = Choose your country
list-separator = { ", " }
case-unassigned = Nobody yet
queue-filter = Show flags
queue-status-open = Open
queue-status-resolved = Resolved
queue-status-all = All
audit-any-action = Any action
audit-every-action = Every action on { $family }
audit-family-category = Categories
audit-family-flag = Flags
audit-family-group = Groups
audit-family-invitation = Invitations
audit-family-login = Sign-ins
audit-family-post = Posts
audit-family-session = Sessions
audit-family-settings = Settings
audit-family-thread = Threads
audit-family-user = Members
notification-moderation-hidden = A moderator hid your post in “{ $thread }”
notification-moderation-edited = A moderator edited your post in “{ $thread }”
notification-moderation-warned = A moderator warned you about your post in “{ $thread }”
thread-reopened = This thread is open again: reload the page to reply.
field-refused = { $field }: { $reason }
reason-empty = this cannot be left empty.
reason-too-short = write at least { $min } characters.
reason-too-long = write at most { $max } characters.
reason-single-line = keep it to one line.
reason-date = give a date as YYYY-MM-DD.
reason-too-many = at most { $max } entries.
reason-unknown-code = this is not a code the forum knows.

# Attachments
attach-files = Attach files
attach-hint = PDF, DOCX, ODT, RTF, text, PNG, JPEG, XLSX or ODS, up to 25 MB each. Files are scanned, and the text inside them becomes searchable.
attach-failed = Upload failed
attach-remove = Remove
attachments-heading = Attachments
attachment-pages = { $count ->
    [one] { $count } page
   *[other] { $count } pages
}
attachment-preview = Preview
attachment-hidden = Hidden by a moderator
search-in-attachment = in { $name }, p. { $page }
attachment-author = This PDF names its author: { $name }
attachment-remove-author = Remove the author
revision-removed-files = Files removed in this revision (visible to moderators):

## Handling marks (TLP 2.0)
field-mark = Handling mark (TLP)
mark-hint = Who may read this thread, and whether it may leave the forum.
mark-clear-help = may be shared outside the forum
mark-green-help = every member who may see the category
mark-amber-help = the same readers; never leaves the forum (e-mails name only “a marked thread”)
mark-amber-strict-help = only members of the countries named below, and administrators
mark-red-help = only the members named below, by username
field-mark-countries = Countries (AMBER+STRICT): ISO codes, separated by commas
field-mark-members = Members (RED): usernames, separated by commas
mark-label = Handling mark
mark-post-label = This reply carries a stricter handling mark than its thread
reply-mark-summary = Restrict this reply
reply-mark-hint = A reply may carry a stricter mark than its thread, never a looser one. Only its readers see it.
reply-mark-same = As the thread (TLP:{ $mark })
mark-readers = Shared with: { $readers }
mark-change = Change the mark

## Personal data caught before posting
pd-found = This text seems to hold personal data:
pd-choices = Replace it with pseudonyms, edit it yourself, or post anyway with a reason (a moderator will review it).
pd-pseudonymise = Replace with pseudonyms
pd-pseudonymised = Personal data replaced with pseudonyms ([Person A], [Phone 1]…). Check the text, then send it.
pd-reason = Reason to post anyway
pd-post-anyway = Post anyway
pd-kind-email = e-mail address
pd-kind-phone = phone number
pd-kind-iban = bank account (IBAN)
pd-kind-card = payment card
pd-kind-mrz = passport or ID-card line (MRZ)
pd-kind-national-id = national identity number
pd-kind-birth-date = date of birth
pd-kind-person-name = name of a person
pd-kind-file-number = investigation file number

## Certified exports
verify-title = Verify a certified export
verify-intro = Upload a thread export (a .zip from “Certified export”) to check that every file in it is exactly as this forum signed it.
verify-file = Export bundle (.zip)
verify-submit = Verify
verify-no-file = Choose a bundle to verify.
verify-intact = Intact: every file is as this forum signed it.
verify-broken = Not intact: this bundle was changed or was not signed by this forum.
verify-thread = Thread
verify-exported-by = Exported by
verify-audit-head = Audit chain head
export-certified = Certified export (signed .zip)
notification-moderation-break-glass = An administrator opened your RED thread “{ $thread }” (break glass; the reason is in the audit log)

## The expert network
nav-experts = Experts
nav-coverage = Coverage
nav-questions = Questions
experts-title = Expert directory
experts-intro = Find colleagues by the law they know, the languages they speak and what they work on. Members choose whether they appear here.
experts-jurisdiction = Knows the law of
experts-language = Speaks
experts-profession = Profession
experts-filter = Find
experts-count = { $count ->
    [one] { $count } expert
   *[other] { $count } experts
}
experts-none = No expert matches these filters.
experts-knows = Knows the law of:
experts-speaks = Speaks:
experts-ask = Ask { $name } a question
ask-title = Ask experts
ask-intro = Name the countries or regions whose law you ask about: the forum proposes the members who know it; keep or untick them. Nobody receives more than { $cap } routed questions a week.
ask-jurisdictions = Countries or regions
ask-find = Find experts
ask-experts = Experts to ask
ask-no-experts = No expert proposed yet: choose a country or region and find experts.
ask-body = Your question
ask-submit = Send the question
ask-no-category = Choose a category.
questions-title = Routed questions
questions-stats = Open questions per country
questions-none = No routed question yet.
questions-country = Country or region
questions-open = Open
questions-answered = Answered
questions-median = Median hours to a first answer
questions-all = Every routed question
questions-mine = Questions you asked or were asked
questions-routed-to = asked of
question-status-open = Open
question-status-answered = Answered
question-status-accepted = Answer accepted
coverage-title = Coverage of the analyses
coverage-intro = Where analyses exist, country by country. An empty cell leads to a question for that country's experts.
coverage-by = Columns
coverage-recent = Stated as of the last 2 years
coverage-show = Show
coverage-map = Map of analyses per country
coverage-analyses = { $count ->
    [one] { $count } analysis
   *[other] { $count } analyses
}
coverage-legend = Analyses per country:
coverage-table = Analyses per country and { $by }
coverage-none = No analysis matches these filters.
coverage-total = All
coverage-ask = Ask experts of { $jurisdiction }

done-profile = Expert profile saved.
profile-heading = Your expert profile
profile-hint = What you know, for colleagues looking for an expert and for questions routed to you.
profile-organisation = Organisation
profile-languages = Languages you work in (ISO codes: fr, ar, en…)
profile-jurisdictions = Other countries or regions whose law you know (codes: MA, EU…)
profile-instruments = Instruments you know
profile-bio = A few words about your work
profile-visibility = Who finds you in the expert directory
profile-visibility-members = Every member
profile-visibility-staff = Moderators and administrators only
profile-visibility-hidden = Nobody (you receive no routed questions)
profile-paused = Pause routed questions for now
profile-save = Save the profile
question-box = Question to experts
question-accepted-link = The accepted answer
question-accept-label = Accept as the answer
question-accept = Accept
profile-contributions = Contributions
contrib-analyses = { $count ->
    [one] { $count } analysis
   *[other] { $count } analyses
}
contrib-endorsements = { $count ->
    [one] { $count } endorsement received
   *[other] { $count } endorsements received
}
contrib-accepted = { $count ->
    [one] { $count } answer accepted
   *[other] { $count } answers accepted
}

## Colloquia
nav-colloquia = Colloquia
colloquia-title = Colloquia
colloquia-intro = Time-boxed expert discussions on one legal problem. Participants write while a colloquium is open; its conclusions are published for every member.
colloquia-none = No colloquium yet.
colloquium-state-upcoming = Upcoming
colloquium-state-open = Open
colloquium-state-closed = Closed
colloquium-published = Published
colloquium-participants-count = { $count ->
    [one] { $count } participant
   *[other] { $count } participants
}
colloquium-new = Organise a colloquium
colloquium-agenda = Agenda
colloquium-opens = Opens
colloquium-closes = Closes
colloquium-utc = Dates and times are in UTC.
colloquium-participants = Participants
colloquium-participants-hint = Usernames, separated by commas. Invite outside experts by e-mail once the colloquium exists.
colloquium-publish-in = Publish the conclusions in
colloquium-create = Create the colloquium
colloquium-organiser = organised by
colloquium-discussion = Open the discussion
colloquium-calendar = Add to calendar (.ics)
colloquium-published-thread = Published conclusions
colloquium-guest-link = Send this single-use invitation link to the outside expert:
colloquium-conclusions = Conclusions
colloquium-no-conclusions = No conclusions yet.
colloquium-version = Version { $n }
colloquium-draft = Draft
colloquium-endorsements = { $count ->
    [one] endorsed by { $count } participant
   *[other] endorsed by { $count } participants
}
colloquium-you-endorse = You endorse version { $n }.
colloquium-endorse = Endorse the latest version
colloquium-versions = Versions
colloquium-version-col = Version
colloquium-written = Written
colloquium-note = What changed
colloquium-endorsements-col = Endorsements
colloquium-guest = outside expert
colloquium-endorses = endorses version { $n }
colloquium-organise = Organise
colloquium-new-version = Next version of the conclusions (Markdown)
colloquium-save-version = Save as a new version
colloquium-publish = Publish the latest version
colloquium-add-participants = Add participants
colloquium-add = Add
colloquium-invite-guest = Invite an outside expert (e-mail)
colloquium-invite = Invite

## Advice requests
nav-advice = Advice
advice-title = Advice from the legal office
advice-intro = Ask the legal office for advice on a specific case. Only you and the office read the request, its files and the advice (TLP:RED).
advice-none = No advice request.
advice-status-received = Received
advice-status-assigned = Assigned
advice-status-advice_given = Advice given
advice-status-closed = Closed
advice-overdue = Overdue
advice-due = Due
advice-assignee = handled by
advice-new = Ask for advice
advice-confidential = Your request is marked TLP:RED: only you and the legal office will see it.
advice-case = The case and your question (Markdown)
advice-files-hint = Attach files (judgments, reports) as replies in the request's thread once it is filed.
advice-submit = Send the request
advice-open-thread = The case, its files and the advice
advice-published-analysis = The published analysis
advice-steps = Steps
advice-step-received = Received
advice-step-assigned = Assigned
advice-step-note = Note added by the office
advice-step-advice_given = Advice given
advice-step-consent = Publication consent changed
advice-step-closed = Closed
advice-step-published = Published as an anonymised analysis
advice-consent-given = You agreed that the office may publish an anonymised analysis of this advice.
advice-consent-none = The office will publish nothing of this request without your consent.
advice-consent-withdraw = Withdraw my consent
advice-consent-give = Agree to an anonymised publication
advice-office = Legal office
advice-notes = Private notes (the requester does not see them)
advice-no-notes = No note yet.
advice-add-note = Add a note
advice-save-note = Save the note
advice-assign-to = Assign to
advice-assign = Assign
advice-give = The advice (a reply in the request's thread)
advice-send = Send the advice
advice-close = Close the request
advice-publish = Write the anonymised analysis
advice-publish-hint = The requester agreed to a publication: remove every detail that identifies the case before publishing.
advice-publishing = You are publishing the anonymised analysis of an advice request; it will link back to the request.

## Dialogues
nav-dialogues = Dialogues
dialogues-title = Dialogues
dialogues-intro = Country and regional dialogues: publications that gather selected analyses and colloquium conclusions. Only TLP:CLEAR and TLP:GREEN material is published.
dialogues-none = No dialogue published yet.
dialogue-chapters = { $count ->
    [one] { $count } chapter
   *[other] { $count } chapters
}
dialogue-new = Compile a dialogue
dialogue-only-green = Only analyses and conclusions marked TLP:CLEAR or TLP:GREEN can be published; a chapter later marked stricter leaves the dialogue.
dialogue-foreword = Foreword (Markdown)
dialogue-choose = Chapters, in this order
dialogue-no-candidates = No analysis or conclusions to publish yet.
dialogue-publish = Publish the dialogue
dialogue-compiled-by = Compiled by
dialogue-pdf = Printable PDF
dialogue-omitted = { $count ->
    [one] { $count } chapter is not shown: it was since marked stricter, hidden, or is outside what you may read.
   *[other] { $count } chapters are not shown: they were since marked stricter, hidden, or are outside what you may read.
}
dialogue-contents = Contents
dialogue-discussion = Discussion
dialogue-colloquium = The colloquium
dialogue-summary = Summary:
dialogue-sources = Provisions and cases
dialogue-cite = Cite as:

## Feeds and one's own data (settings)
feeds-title = Feeds
feeds-intro = Follow the forum in a feed reader. These links carry a secret that stands for you: keep them to yourself, and revoke them if one leaks. A feed shows only what you may read.
feeds-atom = Atom feed
feeds-more = Feeds of a jurisdiction (regions include their countries) or an instrument follow the same pattern, for example:
feeds-revoke = Revoke all my feed links
done-feeds = Your old feed links no longer work; the new ones are below.
own-data-title = Your data
own-data-intro = Download everything the forum holds about you and your posts: a zip with the data as JSON, a readable copy and your files.
own-data-download = Download my data
webhooks-title = Webhooks
webhooks-intro = Another system can receive what happens in the open categories as it happens: an HTTP request signed with the endpoint's secret for each event. Only threads and posts marked TLP:CLEAR in open categories are sent.
webhooks-secret-once = The endpoint's signing secret. Copy it now: it is not shown again.
webhooks-secret = Signing secret
webhooks-add = Add an endpoint
webhooks-url = Address (https://…)
webhooks-events = Events to send
webhooks-add-button = Add the endpoint
webhooks-endpoints = Endpoints
webhooks-none = No endpoint yet.
webhooks-failures = { $count ->
    [one] { $count } failure in a row
   *[other] { $count } failures in a row
}
webhooks-log = Recent deliveries
webhooks-event = Event
webhooks-outcome = Outcome
webhooks-attempts = Attempts
webhooks-answer = Answer
webhooks-when = Last attempt
webhooks-enable = Enable again
webhooks-delete = Remove
webhooks-status-active = Active
webhooks-status-retrying = Retrying
webhooks-status-disabled = Disabled after repeated failures
