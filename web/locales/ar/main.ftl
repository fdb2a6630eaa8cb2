## الإطار
skip-to-content = الانتقال إلى المحتوى
nav-main = القائمة الرئيسية
nav-new-thread = موضوع جديد
nav-admin = الإدارة
nav-sign-out = تسجيل الخروج
nav-sign-in = تسجيل الدخول
language-label = اللغة
language-change = تغيير
footer-tagline = Comity — منتدى مغلق لخبراء العدالة الجنائية في مواجهة التجارة غير المشروعة.

## الأشهر
month-1 = يناير
month-2 = فبراير
month-3 = مارس
month-4 = أبريل
month-5 = مايو
month-6 = يونيو
month-7 = يوليو
month-8 = أغسطس
month-9 = سبتمبر
month-10 = أكتوبر
month-11 = نوفمبر
month-12 = ديسمبر

## قوائم المواضيع
page-home = الصفحة الرئيسية
latest-threads = أحدث المواضيع
categories = الأقسام
no-categories = لا توجد أقسام بعد.
no-threads = لا توجد مواضيع بعد.
badge-pinned = مثبّت
badge-locked = مقفل
badge-restricted = مقيّد
kind-discussion = نقاش
kind-question = سؤال
kind-analysis = تحليل قانوني
in-category = في
by-author = بقلم
thread-replies = { $count ->
    [zero] لا ردود
    [one] ردّ واحد
    [two] ردّان
    [few] { $count } ردود
    [many] { $count } ردًّا
   *[other] { $count } ردّ
}
category-new-thread = موضوع جديد في { $name }
pages = الصفحات
page-newer = الأحدث
page-older = الأقدم
content-language = لغة المحتوى
all-languages = كل اللغات
filter = تصفية

## صفحة الموضوع
in-reply-to = ردًّا على مشاركة سابقة
edited-at = عُدّلت في { $date }
post-edit = تعديل
post-reply-to = الرد على هذه المشاركة
reply-heading = الرد
reply-label = ردّك (Markdown)
reply-submit = نشر الرد
replying-to = رد على مشاركة سابقة.
thread-locked = هذا الموضوع مقفل.
posts-by = مشاركة من { $name }

## موضوع جديد
new-thread = موضوع جديد
no-category-to-post = لا يوجد بعد قسم للنشر فيه. ينشئ المشرف العام الأقسام من صفحة الإدارة.
field-category = القسم
field-title = العنوان
field-kind = النوع
field-jurisdictions = الولايات القضائية
hint-jurisdictions = (رموز ISO مفصولة بمسافات أو فواصل، مثل FR, MA)
field-body = النص (Markdown: جداول، حواشٍ، نص مشطوب)
field-language = لغة النص
language-auto = الكشف التلقائي
open-thread = فتح الموضوع

## التعديل
edit-post = تعديل المشاركة
back-to-thread = العودة إلى الموضوع
revision-history = سجل النسخ
field-edit-reason = سبب التعديل
hint-edit-reason = (اختياري، يظهر في السجل)
save = حفظ
revision-n = النسخة { $count }
revision-reason = السبب: { $reason }
revision-changes = تغييرات النسخة { $count }

## الحسابات
sign-in = تسجيل الدخول
field-username = اسم المستخدم
field-password = كلمة المرور
invitation-only = العضوية بالدعوة فقط. اطلب دعوة من أحد مشرفي شبكتك.
join = الانضمام إلى Comity
invited-as = تمت دعوتك بصفتك { $email }.
hint-username = (من 3 إلى 32 حرفًا من a-z و0-9 و_ . -)
field-display-name = الاسم الظاهر لزملائك
field-country = البلد
field-profession = المهنة
hint-password = (12 حرفًا على الأقل)
create-account = إنشاء الحساب
field-role = الدور
member-since = عضو منذ
threads-started = المواضيع التي بدأها
role-member = عضو
role-moderator = مشرف
role-admin = مدير
profession-prosecutor = مدعٍ عام
profession-judge = قاضٍ
profession-police = شرطة
profession-customs = جمارك
profession-legal_adviser = مستشار قانوني
profession-academic = أكاديمي
profession-private_sector = القطاع الخاص
profession-other = أخرى

## الإدارة
administration = الإدارة
invite-expert = دعوة خبير
invitation-created = تم إنشاء الدعوة. أرسل هذا الرابط الصالح لمرة واحدة إلى المدعو:
field-email = البريد الإلكتروني
create-invitation = إنشاء الدعوة
field-slug = المعرّف
hint-slug = (a-z، 0-9، -)
field-name = الاسم
field-description = الوصف
create-category = إنشاء القسم

## الأخطاء
back-home = العودة إلى الصفحة الرئيسية
error-page-title = خطأ
error-not_found = هذه الصفحة غير موجودة، أو لا يحق لك الاطلاع عليها.
error-forbidden = لا يحق لك القيام بذلك.
error-internal = حدث خطأ. يرجى المحاولة مرة أخرى.
error-unauthenticated = يرجى تسجيل الدخول.
error-invalid_credentials = اسم المستخدم أو كلمة المرور غير صحيحة.
error-invalid_refresh_token = انتهت الجلسة. يرجى تسجيل الدخول مجددًا.
error-account_suspended = هذا الحساب موقوف.
error-csrf_rejected = تم رفض طلب صادر من موقع آخر.
error-invalid_field = يرجى التحقق من الحقل «{ $field }».
error-invitation_invalid = هذه الدعوة غير صالحة.
error-invitation_used = سبق استخدام هذه الدعوة.
error-invitation_expired = انتهت صلاحية هذه الدعوة.
error-username_taken = اسم المستخدم هذا مستخدم بالفعل.
error-email_taken = يوجد حساب بهذا البريد الإلكتروني.
error-slug_taken = يوجد قسم بهذا المعرّف.
error-thread_locked = هذا الموضوع مقفل.
error-payload_too_large = الطلب كبير جدًا.
error-rate_limited = محاولات كثيرة جدًا. انتظر قليلًا ثم أعد المحاولة.
error-too_many_connections = عدد كبير جدًا من الاتصالات المباشرة المفتوحة لهذا الحساب.
error-cross_site_refused = لا يجوز لصفحة من موقع آخر فتح هذا الاتصال.
error-malformed_request = الطلب غير سليم.
error-unsupported_media_type = أرسل JSON مع Content-Type: application/json.
error-unavailable = الخدمة غير متاحة مؤقتًا.

## الإعدادات
nav-settings = الإعدادات
settings = إعدادات الحساب
sessions-heading = الأماكن التي سجّلت الدخول منها
session-current = هذا الجهاز
session-started = تسجيل الدخول في { $date }
session-last-seen = آخر نشاط في { $date }
session-revoke = إنهاء هذه الجلسة
sessions-revoke-others = إنهاء جميع الجلسات الأخرى
password-heading = تغيير كلمة المرور
field-current-password = كلمة المرور الحالية
field-new-password = كلمة المرور الجديدة
password-submit = تغيير كلمة المرور
done-password = تم تغيير كلمة المرور. أُنهيت جلساتك الأخرى.
done-others = أُنهيت جلساتك الأخرى.
done-one = أُنهيت الجلسة.
error-wrong_password = كلمة المرور الحالية غير صحيحة.

## التحديثات المباشرة في صفحة النقاش
live-viewing = الخبراء الحاضرون: { $count }
live-typing = { $name } يكتب الآن…
live-reconnecting = توقفت التحديثات المباشرة مؤقتًا؛ جارٍ إعادة الاتصال…
live-resync = تغيّر هذا النقاش كثيرًا أثناء غيابك؛ أعد تحميل الصفحة لرؤية كل شيء.
live-new-reply-from = رد جديد من { $name }
live-new-replies = ردود جديدة: { $count } — عرض

## Second factor
field-totp-code = رمز المصادقة
field-totp-code-hint = فقط إذا فعّلت عاملًا ثانيًا: الرمز المكوّن من 6 أرقام من تطبيقك، أو رمز استرداد.
error-totp_required = يتطلب هذا الحساب رمزًا من تطبيق المصادقة الخاص به.
error-invalid_totp = رمز المصادقة غير صالح.
error-second_factor_required = سجّل الدخول باستخدام عامل ثانٍ (فعّله من إعداداتك) للقيام بذلك.
error-totp_already_enabled = تم تفعيل عامل ثانٍ بالفعل.
totp-heading = العامل الثاني
totp-on = العامل الثاني مفعّل: يتطلب تسجيل الدخول رمزًا من تطبيق المصادقة.
totp-off = لا يوجد عامل ثانٍ بعد. يحتاج المشرفون والمديرون إليه قبل أن يتمكنوا من التصرف.
totp-begin = إعداد عامل ثانٍ
totp-setup-title = إعداد عامل ثانٍ
totp-scan = امسح هذا الرمز بتطبيق مصادقة (مثل Aegis أو FreeOTP أو Google Authenticator)، أو اكتب المفتاح فيه.
totp-qr-label = رمز QR للمفتاح الخاص بتطبيق المصادقة
totp-key = المفتاح:
totp-confirm-label = الرمز المكوّن من 6 أرقام الذي يعرضه تطبيقك الآن
totp-confirm = تفعيل
totp-recovery-title = رموز الاسترداد الخاصة بك
totp-now-on = تم تفعيل العامل الثاني.
totp-recovery-intro = احتفظ بهذه الرموز في مكان آمن. يصلح كل رمز مرة واحدة بدلًا من رمز التطبيق إذا فقدت جهازك. لن تُعرض مرة أخرى.
totp-recovery-done = لقد حفظتها — العودة إلى الإعدادات
totp-disable = إيقاف العامل الثاني
field-totp-disable-code = رمز حالي أو رمز استرداد
done-totp-off = تم إيقاف العامل الثاني.

## Account management by admins, reset links
admin-tools = أدوات الإدارة
admin-end-sessions = إنهاء جميع جلسات هذا العضو
admin-reset-link = إنشاء رابط لإعادة تعيين كلمة المرور
reset-link-created = رابط إعادة التعيين (يصلح مرة واحدة، لمدة 24 ساعة). سلّمه إلى العضو عبر قناة موثوقة:
done-sessions-ended = انتهت جميع جلسات هذا العضو.
reset-title = اختيار كلمة مرور جديدة
reset-submit = حفظ كلمة المرور
done-reset = تم حفظ كلمة المرور. سجّل الدخول بها.
error-reset_link_invalid = رابط إعادة التعيين هذا غير صالح (مستخدم أو منتهي الصلاحية أو غير معروف).
session-from = من
security-heading = الأمان
security-second-factor-everyone = اشتراط عامل ثانٍ على جميع الأعضاء
security-second-factor-hint = يحتاج المشرفون والمديرون إليه دائمًا. يمكن للأعضاء الذين لا يملكونه القراءة وإعداده، لكن لا يمكنهم النشر.
security-save = حفظ
done-security = تم حفظ إعدادات الأمان.

## Legal analyses
nav-compare = مقارنة
crime-counterfeiting = التزييف
crime-piracy = القرصنة
crime-illicit_tobacco = التبغ غير المشروع
crime-illicit_alcohol = الكحول غير المشروع
crime-falsified_medicines = الأدوية المغشوشة
crime-illicit_pesticides = المبيدات غير المشروعة
crime-wildlife = الاتجار بالأحياء البرية
crime-smuggling = التهريب
crime-money_laundering = غسل الأموال
crime-other = أخرى
analysis-heading = بطاقة التحليل
analysis-summary = الملخص
analysis-instruments = الصكوك
analysis-crime-areas = مجالات الجريمة
analysis-provisions = الأحكام الوطنية
analysis-cases = الاجتهاد القضائي
analysis-valid-as-of = ساري حتى تاريخ
analysis-review-by = يُراجع قبل
analysis-needs-review = يحتاج إلى مراجعة
review-review_by_passed = فات تاريخ مراجعته
review-instrument_amended = عُدّل { $instrument } بعد كتابته
endorsements-heading = المصادقات
endorsement-line = دقيق بالنسبة إلى { $jurisdiction }: { $people }
endorse-button = المصادقة على دقته بالنسبة إلى { $country }
endorse-withdraw = سحب مصادقتي
endorsed-by-you = صادقت على هذا التحليل بالنسبة إلى { $country }.
endorsements-none = لا توجد مصادقة بعد.
cited-by = مستشهد به في
analysis-fields = بطاقة التحليل (للتحليلات القانونية فقط)
field-summary = الملخص
field-instruments = الصكوك والمواد المستشهد بها
field-crime-areas = مجالات الجريمة
field-provisions = الأحكام الوطنية (حكم في كل سطر)
field-cases = الاجتهاد القضائي (قرار في كل سطر)
field-valid-as-of = ساري حتى تاريخ
field-review-by = يُراجع قبل
picker-filter = اكتب لتصفية القائمة
jurisdictions-countries = البلدان
jurisdictions-regions = التجمعات الإقليمية
jurisdiction-kind-country = بلد
jurisdiction-kind-region = تجمع إقليمي
jurisdiction-threads = التحليلات والنقاشات
jurisdiction-regional = إقليمي
jurisdiction-member-of = عضو في
jurisdiction-members = الأعضاء
instrument-whole = الصك ككل
instrument-articles = المواد
instrument-no-analyses = لا يستشهد أي تحليل بهذا الصك بعد.
instrument-article = المادة { $number }
compare-title = مقارنة الولايات القضائية
compare-jurisdictions = الولايات القضائية (رموز، مثل FR, ES, MA)
compare-submit = قارن
compare-ask-title = ما هو القانون في { $jurisdiction } بشأن { $topic }؟
compare-gap = لا يوجد تحليل بعد لهذه الولاية القضائية.
compare-ask = اسأل خبراء { $jurisdiction }
compare-any = الكل
review-title = تحليلات تحتاج إلى مراجعة
review-none = جميع التحليلات محدّثة.
edit-tags = الولايات القضائية لهذا الموضوع
save-tags = حفظ الولايات القضائية
all-kinds = كل الأنواع
all-crime-areas = كل المجالات
field-crime-area = مجال الجريمة
field-instrument = الصك
field-jurisdiction = الولاية القضائية

## Moderation
nav-moderation = الإشراف
mod-tools = الإشراف
mod-action = الإجراء
mod-lock = إغلاق الموضوع
mod-unlock = إعادة فتح الموضوع
mod-pin = تثبيت الموضوع
mod-unpin = إلغاء تثبيت الموضوع
mod-move = نقل الموضوع
mod-move-to = النقل إلى (عند النقل)
mod-reason = السبب (يُحفظ في سجل التدقيق)
mod-apply = تطبيق
mod-hide = إخفاء
mod-restore = استعادة
badge-hidden = مخفي
flag-post = إبلاغ
moderate-post-hide-heading = إخفاء مشاركة
moderate-post-restore-heading = استعادة مشاركة مخفية
moderate-post-explain = لا يرى الأعضاء المشاركة المخفية؛ ويظل المشرفون يرونها مع علامة «مخفية». يُسجَّل السبب في سجل التدقيق.
flag-post-heading = الإبلاغ عن مشاركة إلى المشرفين
flag-reason = السبب
flag-note = ملاحظة للمشرفين (اختيارية)
flag-submit = إرسال إلى المشرفين
done-flagged = شكرًا: سيطّلع المشرفون على الأمر.
flag-reason-inaccurate_law = عرض غير دقيق للقانون
flag-reason-personal_data = بيانات شخصية
flag-reason-confidential = معلومات سرية
flag-reason-off_topic = خارج الموضوع
flag-reason-abusive = مسيء
flag-reason-spam = رسائل مزعجة
flag-reason-other = أخرى
queue-title = قائمة الإشراف
queue-empty = لا توجد بلاغات مفتوحة.
queue-stats = البلاغات حسب السبب
stats-total = المجموع
stats-open = مفتوحة
stats-resolved = معالجة
stats-mean-hours = متوسط ساعات المعالجة
case-title = البلاغ رقم { $id }
case-flagged-by = أبلغ عنه
case-assigned = مسند إلى
case-post = المشاركة المبلغ عنها
case-notes = ملاحظات المشرفين (خاصة)
case-add-note = إضافة ملاحظة
case-assign-me = إسناده إليّ
case-resolve = معالجة
case-resolution-note = السبب (يُبلَّغ به صاحب البلاغ)
case-resolved = عولج: { $resolution }
resolution-dismiss = رفض البلاغ
resolution-hide_post = إخفاء المشاركة
resolution-warn_user = تنبيه الكاتب
audit-title = سجل التدقيق
audit-actor = المنفذ
audit-action = الإجراء
audit-target = الهدف
audit-reason = السبب
audit-at = الوقت
audit-details = التفاصيل
audit-restricted = محجوب: مساحة مقيّدة لا يمكنك الاطلاع عليها
groups-heading = المجموعات
group-name = اسم المجموعة الجديدة
group-create = إنشاء المجموعة
group-member-username = اسم المستخدم
group-member-change = إضافة أو إزالة
group-add = إضافة
group-remove = إزالة
featured-analyses = تحليلات مختارة
mod-slow-mode = ضبط الوضع البطيء
mod-slow-seconds = الثواني بين ردّين (للوضع البطيء؛ 0 يوقفه)
mod-feature = إبراز هذا التحليل
mod-unfeature = إيقاف إبراز هذا التحليل
field-restricted-to = مقصورة على هذه المجموعات (بلا تحديد: يراها جميع الأعضاء)
resolution-edit_post = تعديل المشاركة
case-new-text = النص الجديد للمشاركة (عند التعديل)

# Search
nav-search = البحث
search-title = البحث
search-label = البحث في النقاشات والتحليلات
search-help = تُرتَّب الكلمات ويُبحث عنها بالإنكليزية والفرنسية والإسبانية والعربية. "عبارة مطابقة"، +إلزامي، -استبعاد، OR.
search-sort = الترتيب حسب
search-sort-relevance = الصلة
search-sort-newest = الأحدث
search-submit = بحث
search-did-you-mean = هل تقصد:
search-remove-expansion = التوقف عن البحث عن { $term }
search-also = تم البحث أيضًا عن:
search-exact = الكلمات المطابقة فقط
search-active-filters = عوامل التصفية النشطة
search-refine = تضييق النتائج
search-none = لا توجد نتائج. جرّب كلمات أقل أو أزل عامل تصفية.
search-feed = تابع هذا البحث في قارئ الخلاصات (الأحدث أولًا)
search-pages = صفحات النتائج
search-previous = الصفحة السابقة
search-next = الصفحة التالية
search-count = { $count ->
    [zero] لا نتائج
    [one] نتيجة واحدة
    [two] نتيجتان
    [few] { $count } نتائج
   *[other] { $count } نتيجة
}
search-from = من { $date }
search-to = حتى { $date }
search-remove-filter = إزالة عامل التصفية: { $filter }
search-facet-jurisdiction = الولاية القضائية
search-facet-instrument = الصك
search-facet-crime-area = مجال الجريمة
search-facet-kind = النوع
search-facet-language = اللغة
search-rebuilding = يجري إعادة بناء فهرس البحث من قاعدة البيانات. حاول مرة أخرى بعد قليل؛ بقية المنتدى تعمل.
search-unavailable = البحث غير متاح حاليًا. بقية المنتدى تعمل.
error-search_unavailable = البحث غير متاح حاليًا؛ حاول مرة أخرى بعد قليل.
related-title = تحليلات ذات صلة

# Notifications
nav-inbox = الإشعارات
nav-unread = غير مقروءة
inbox-title = الإشعارات
inbox-mark-all = تعليم الكل كمقروء
inbox-empty = لا جديد. ستظهر هنا الردود والإشارات والتحليلات الجديدة فيما تتابعه.
inbox-unread = غير مقروء
inbox-watches = ما تتابعه
inbox-watches-help = مراقبة: كل رد أو نقاش جديد. متابعة: التحليلات الجديدة. عادي: الردود الموجهة إليك والإشارات فقط. كتم: لا شيء.
inbox-no-watches = أنت تراقب النقاشات التي بدأتها أو رددت فيها، وتتابع بلدك. اختر مستويات أخرى في صفحات النقاشات والولايات القضائية.
watch-label = الإشعارات
watch-save = حفظ
watch-level-watching = مراقبة
watch-level-tracking = متابعة
watch-level-normal = عادي
watch-level-muted = كتم
watch-target-thread = النقاش { $name }
watch-target-category = الفئة { $name }
watch-target-jurisdiction = الولاية القضائية: { $name }
watch-target-instrument = الصك: { $name }
notification-reply = ردّ { $actor } في «{ $thread }»
notification-reply-many = { $count } ردود جديدة في «{ $thread }»
notification-mention = أشار إليك { $actor } في «{ $thread }»
notification-new_thread = جديد فيما تتابعه: «{ $thread }»
notification-new_thread-many = { $count } مستجدات فيما تتابعه، آخرها «{ $thread }»
notification-endorsement = أيّد { $actor } تحليلك «{ $thread }»
notification-endorsement-many = { $count } تأييدات لتحليلك «{ $thread }»
notification-flag_outcome = اتخذ المشرفون إجراءً بشأن بلاغك في «{ $thread }»
notification-moderation = اتخذ مشرف إجراءً بشأن مشاركتك في «{ $thread }»
notification-other = { $kind }: «{ $thread }»
notification-review_due = انقضى موعد مراجعة تحليلك «{ $thread }»: هل ما زال دقيقًا؟
notification-routed_question = يطلب { $actor } خبرتك: «{ $thread }»
notification-routed_question-many = { $count } أسئلة تطلب خبرتك، آخرها «{ $thread }»
notification-routed_question-reminder = ما زال بلا جواب بعد أسبوع: «{ $thread }» (سؤال من { $actor })
notification-routed_question-escalated = لم يجب أي خبير عن «{ $thread }» منذ أسبوعين (سؤال من { $actor })
notification-answer_accepted = قبل { $actor } جوابك في «{ $thread }»
notification-answer_accepted-many = قُبل { $count } من أجوبتك في «{ $thread }»
notification-colloquium_opened = الندوة «{ $thread }» مفتوحة: يدعوك { $actor } إلى المشاركة
notification-colloquium_opened-many = { $count } ندوات مفتوحة، آخرها «{ $thread }»
notification-advice_requested = يطلب { $actor } مشورة المكتب القانوني: «{ $thread }»
notification-advice_requested-many = { $count } طلبات مشورة، آخرها «{ $thread }»
notification-advice_given = قدّم { $actor } مشورة المكتب القانوني بشأن «{ $thread }»
notification-advice_given-many = قُدّمت المشورة في { $count } من طلباتك، آخرها «{ $thread }»

notification-quote = اقتبس { $actor } من مشاركتك في «{ $thread }»
notification-quote-many = { $count } اقتباسات من مشاركاتك في «{ $thread }»
done-email = حُفظت إعدادات البريد الإلكتروني.
email-heading = البريد الإلكتروني
email-server-off = لا يرسل هذا الخادم رسائل بريد إلكتروني بعد: تصل الإشعارات إلى صندوق الوارد فقط.
email-address = تُرسل الرسائل إلى
email-immediate = راسلني فور حدوثه
email-immediate-off = أبدًا
email-immediate-direct = الإشارات والاقتباسات والردود الموجهة إليّ
email-immediate-watching = تلك، وكل ما أتابعه
email-digest = ملخص ما لم أقرأه
email-digest-off = بلا ملخص
email-digest-daily = يومي
email-digest-weekly = أسبوعي
email-save = حفظ إعدادات البريد الإلكتروني
email-open = لفتحه:
email-footer-settings = تتلقى هذه الرسالة بسبب إعدادات بريدك الإلكتروني في Comity. لتغييرها:
email-footer-unsubscribe = لإيقاف كل رسائل Comity بنقرة واحدة:
email-digest-subject = { $count ->
    [zero] لا إشعارات غير مقروءة
    [one] إشعار واحد غير مقروء
    [two] إشعاران غير مقروءين
    [few] { $count } إشعارات غير مقروءة
   *[other] { $count } إشعارًا غير مقروء
}
email-digest-daily-intro = منذ الأمس، فيما تتابعه على Comity:
email-digest-weekly-intro = هذا الأسبوع، فيما تتابعه على Comity:
email-digest-all = كل ما في صندوق الوارد:
unsubscribe-title = إيقاف رسائل Comity
unsubscribe-confirm = إيقاف كل رسائل Comity إلى هذا العضو، الفورية والملخصات؟ تبقى الإشعارات في صندوق الوارد.
unsubscribe-button = إيقاف كل الرسائل
unsubscribe-done = تم: لن يرسل إليك Comity أي رسالة بعد الآن.
unsubscribe-settings = تغيير إعدادات البريد الإلكتروني
unsubscribe-invalid = رابط إلغاء الاشتراك هذا غير صالح. سجّل الدخول وغيّر إعدادات بريدك الإلكتروني.
post-quote = اقتباس
inbox-email-settings = ما يصلك بالبريد الإلكتروني
email-restricted-thread = موضوع في مساحة مقيدة
email-marked-thread = موضوع يحمل علامة تداول

## Composer, drafts and live changes
composer-write = كتابة
composer-preview = معاينة
preview-empty = لا شيء للمعاينة بعد.
draft-saving = جارٍ حفظ المسودة…
draft-saved = حُفظت المسودة.
draft-not-saved = تعذّر حفظ المسودة؛ أبقِ هذه الصفحة مفتوحة وحاول مجددًا.
draft-restored = استُعيدت مسودتك المحفوظة.
draft-discard = حذف المسودة
draft-thread-locked = قُفل هذا الموضوع أثناء كتابتك. حُفظ ردّك كمسودة وسيبقى هنا عند إعادة فتح الموضوع.
draft-slow-mode = هذا الموضوع في الوضع البطيء: انتظر قليلًا قبل الرد مجددًا. حُفظ ردّك كمسودة.
draft-refused = تعذّر نشر ردّك. حُفظ كمسودة.
live-moved = نقل أحد المشرفين هذا الموضوع؛ أعد تحميل الصفحة لمعرفة وجهته.
nav-menu = القائمة

## Members (staff)
nav-members = الأعضاء
members-title = الأعضاء
members-invite-link = دعوة خبير
members-search = البحث عن عضو
members-any-country = أي بلد
members-any-role = أي دور
members-filter = عرض
members-count = { $count ->
    [zero] لا أعضاء
    [one] عضو واحد
    [two] عضوان
    [few] { $count } أعضاء
    [many] { $count } عضوًا
   *[other] { $count } عضو
}
members-refine = ضيّق البحث لرؤية المزيد.
members-joined = انضم في { $date }
members-suspended-until = موقوف حتى { $date }
members-manage = إدارة { $name }
members-change-role = تغيير الدور
members-save-groups = حفظ المجموعات
members-suspend-until = موقوف حتى (آخر يوم)
members-suspend = إيقاف
members-unsuspend = رفع الإيقاف
members-end-sessions = تسجيل الخروج من كل الأجهزة
members-send-reset = إنشاء رابط لإعادة تعيين كلمة المرور
members-reset-issued = رابط لإعادة التعيين يُستخدم مرة واحدة (صالح 24 ساعة). أرسله إلى العضو عبر قناة موثوقة:
members-reset-link = رابط إعادة تعيين كلمة المرور
members-done-role = تم تغيير الدور.
members-done-groups = حُفظت المجموعات.
members-done-suspend = أُوقف العضو.
members-done-unsuspend = رُفع الإيقاف.
members-done-sessions = انتهت كل جلسات هذا العضو.
members-erase = محو هذا العضو
members-erase-help = يستجيب المحو لطلب حماية البيانات: يصبح الحساب «Former member #N»، وتنتهي كل جلساته، وتُحفظ مشاركاته أو تُزال وفق سياسة هذا المنتدى. لا يمكن التراجع عنه.
members-erase-reason = الطلب الذي تستجيب له
members-erase-confirm = أفهم أن { $name } سيُمحى نهائيًا
members-done-erase = تم محو العضو.
members-done-saved = تم الحفظ.
copy = نسخ
copied = نُسخ
error-last_admin = يحتاج المنتدى إلى مسؤول واحد على الأقل: عيّن عضوًا آخر مسؤولًا أولًا.
second-factor-banner = يتطلب دورك عاملًا ثانيًا للتحقق قبل أن تشرف أو تدير. يمكنك القراءة في الأثناء.
second-factor-banner-link = إعداد عامل ثانٍ
invitations-title = الدعوات
invitations-pending = دعوات معلّقة
invitations-none = لا توجد دعوة بانتظار الاستخدام.
invitations-copy-hint = يُعرض الرابط مرة واحدة فقط عند إنشائه. لإرساله مجددًا، ألغِه وأنشئ رابطًا جديدًا.
invitation-link = رابط الدعوة
invitation-by = من { $name }
invitation-expires = تنتهي في { $date }
invitation-revoke = إلغاء
invitation-revoked = أُلغيت الدعوة؛ لم يعد رابطها يعمل.
hint-provisions = رمز البلد، ثم خط عمودي، ثم الحكم: MA | القانون 17-04، المادة 5. إذا اختيرت ولاية قضائية واحدة أعلاه، يمكن حذف الرمز.
hint-cases = المحكمة | التاريخ (YYYY-MM-DD) | المرجع | ECLI (اختياري): محكمة النقض | 2019-03-12 | 123/2019
form-has-error = لم يُحفظ النموذج: تحقّق من الحقل المشار إليه أدناه.
choose-country = اختر بلدك
list-separator = { "، " }
case-unassigned = لا أحد بعد
queue-filter = عرض البلاغات
queue-status-open = المفتوحة
queue-status-resolved = المعالجة
queue-status-all = الكل
audit-any-action = أي إجراء
audit-every-action = كل إجراء على: { $family }
audit-family-category = الأقسام
audit-family-flag = البلاغات
audit-family-group = المجموعات
audit-family-invitation = الدعوات
audit-family-login = تسجيلات الدخول
audit-family-post = المشاركات
audit-family-session = الجلسات
audit-family-settings = الإعدادات
audit-family-thread = المواضيع
audit-family-user = الأعضاء
notification-moderation-hidden = أخفى مشرف مشاركتك في «{ $thread }»
notification-moderation-edited = عدّل مشرف مشاركتك في «{ $thread }»
notification-moderation-warned = وجّه إليك مشرف تحذيرًا بشأن مشاركتك في «{ $thread }»
thread-reopened = أُعيد فتح هذا الموضوع: أعد تحميل الصفحة للرد.
field-refused = { $field }: { $reason }
reason-empty = لا يمكن ترك هذا الحقل فارغًا.
reason-too-short = اكتب { $min } حرفًا على الأقل.
reason-too-long = اكتب { $max } حرفًا على الأكثر.
reason-single-line = اكتفِ بسطر واحد.
reason-date = أدخل التاريخ بصيغة YYYY-MM-DD.
reason-too-many = { $max } إدخالًا على الأكثر.
reason-unknown-code = هذا الرمز غير معروف في المنتدى.

# Attachments
attach-files = إرفاق ملفات
attach-hint = PDF أو DOCX أو ODT أو RTF أو نص أو PNG أو JPEG أو XLSX أو ODS، بحد أقصى 25 ميغابايت لكل ملف. تُفحص الملفات ويصبح نصها قابلاً للبحث.
attach-failed = تعذّر الرفع
attach-remove = إزالة
attachments-heading = المرفقات
attachment-pages = { $count ->
    [one] { $count } صفحة
   *[other] { $count } صفحات
}
attachment-preview = معاينة
attachment-hidden = أخفاه مشرف
search-in-attachment = في { $name }، ص. { $page }
attachment-author = يذكر ملف PDF هذا مؤلفه: { $name }
attachment-remove-author = إزالة اسم المؤلف
revision-removed-files = ملفات أُزيلت في هذه المراجعة (يراها المشرفون):

## Handling marks (TLP 2.0)
field-mark = علامة التداول (TLP)
mark-hint = من يمكنه قراءة هذا الموضوع، وهل يجوز أن يخرج من المنتدى.
mark-clear-help = يجوز تداوله خارج المنتدى
mark-green-help = كل عضو يمكنه رؤية الفئة
mark-amber-help = القراء أنفسهم؛ لا يخرج من المنتدى أبداً (لا تذكر الرسائل إلا «موضوعاً يحمل علامة»)
mark-amber-strict-help = أعضاء البلدان المذكورة أدناه فقط، والمشرفون العامون
mark-red-help = الأعضاء المذكورون أدناه بأسماء المستخدمين فقط
field-mark-countries = البلدان (AMBER+STRICT): رموز ISO مفصولة بفواصل
field-mark-members = الأعضاء (RED): أسماء المستخدمين مفصولة بفواصل
mark-label = علامة التداول
mark-post-label = يحمل هذا الرد علامة تداول أشد من علامة موضوعه
reply-mark-summary = تقييد هذا الرد
reply-mark-hint = يجوز أن يحمل الرد علامة أشد من علامة موضوعه، ولا يجوز أن يحمل علامة أوسع. لا يراه إلا قراؤه.
reply-mark-same = مثل الموضوع (TLP:{ $mark })
mark-readers = مشارك مع: { $readers }
mark-change = تغيير العلامة

## Personal data caught before posting
pd-found = يبدو أن هذا النص يتضمن معطيات شخصية:
pd-choices = استبدلها بأسماء مستعارة، أو عدّلها بنفسك، أو انشر رغم ذلك مع ذكر السبب (سيراجعها مشرف).
pd-pseudonymise = الاستبدال بأسماء مستعارة
pd-pseudonymised = استُبدلت المعطيات الشخصية بأسماء مستعارة ([Person A]، [Phone 1]…). راجع النص ثم أرسله.
pd-reason = سبب النشر رغم ذلك
pd-post-anyway = النشر رغم ذلك
pd-kind-email = عنوان بريد إلكتروني
pd-kind-phone = رقم هاتف
pd-kind-iban = حساب بنكي (IBAN)
pd-kind-card = بطاقة أداء
pd-kind-mrz = سطر جواز أو بطاقة تعريف (MRZ)
pd-kind-national-id = رقم تعريف وطني
pd-kind-birth-date = تاريخ الميلاد
pd-kind-person-name = اسم شخص
pd-kind-file-number = رقم محضر البحث

## Certified exports
verify-title = التحقق من تصدير موثّق
verify-intro = ارفع تصدير موضوع (ملف ‎.zip من «تصدير موثّق») للتحقق من أن كل ملف فيه مطابق تماماً لما وقّعه هذا المنتدى.
verify-file = ملف التصدير (‎.zip)
verify-submit = تحقق
verify-no-file = اختر ملف تصدير للتحقق منه.
verify-intact = سليم: كل ملف مطابق لما وقّعه هذا المنتدى.
verify-broken = غير سليم: عُدّل هذا التصدير أو لم يوقّعه هذا المنتدى.
verify-thread = الموضوع
verify-exported-by = صدّره
verify-audit-head = رأس سلسلة التدقيق
export-certified = تصدير موثّق (ملف ‎.zip موقّع)
notification-moderation-break-glass = فتح مشرف عام موضوعك المصنف RED «{ $thread }» (كسر الزجاج؛ السبب مدون في سجل التدقيق)

## The expert network
nav-experts = الخبراء
nav-coverage = التغطية
nav-questions = الأسئلة
experts-title = دليل الخبراء
experts-intro = اعثر على زملاء بحسب القانون الذي يعرفونه واللغات التي يتحدثونها ومجالات عملهم. يختار كل عضو ظهوره هنا.
experts-jurisdiction = يعرف قانون
experts-language = يتحدث
experts-profession = المهنة
experts-filter = بحث
experts-count = { $count ->
    [zero] لا خبراء
    [one] خبير واحد
    [two] خبيران
    [few] { $count } خبراء
   *[other] { $count } خبيرًا
}
experts-none = لا يوجد خبير يطابق هذه المعايير.
experts-knows = يعرف قانون:
experts-speaks = يتحدث:
experts-ask = اطرح سؤالًا على { $name }
ask-title = اسأل الخبراء
ask-intro = اذكر البلدان أو المناطق التي تسأل عن قانونها: يقترح المنتدى الأعضاء الذين يعرفونه؛ أبقهم أو ألغِ تحديدهم. لا يتلقى أحد أكثر من { $cap } أسئلة في الأسبوع.
ask-jurisdictions = البلدان أو المناطق
ask-find = ابحث عن خبراء
ask-experts = الخبراء المسؤولون
ask-no-experts = لم يُقترح أي خبير بعد: اختر بلدًا أو منطقة ثم ابحث.
ask-body = سؤالك
ask-submit = أرسل السؤال
ask-no-category = اختر فئة.
questions-title = الأسئلة الموجهة إلى الخبراء
questions-stats = الأسئلة المفتوحة حسب البلد
questions-none = لا توجد أسئلة بعد.
questions-country = البلد أو المنطقة
questions-open = مفتوحة
questions-answered = مُجاب عنها
questions-median = الوسيط بالساعات حتى أول جواب
questions-all = كل الأسئلة
questions-mine = أسئلتك، المطروحة أو الواردة
questions-routed-to = موجه إلى
question-status-open = مفتوح
question-status-answered = مُجاب عنه
question-status-accepted = قُبل الجواب
coverage-title = تغطية التحليلات
coverage-intro = أين توجد التحليلات، بلدًا بلدًا. تقود الخانة الفارغة إلى سؤال لخبراء ذلك البلد.
coverage-by = الأعمدة
coverage-recent = قانون محدّث خلال السنتين الأخيرتين
coverage-show = اعرض
coverage-map = خريطة التحليلات حسب البلد
coverage-analyses = { $count ->
    [zero] لا تحليلات
    [one] تحليل واحد
    [two] تحليلان
    [few] { $count } تحليلات
   *[other] { $count } تحليلًا
}
coverage-legend = التحليلات حسب البلد:
coverage-table = التحليلات حسب البلد و{ $by }
coverage-none = لا يوجد تحليل يطابق هذه المعايير.
coverage-total = الكل
coverage-ask = اسأل خبراء { $jurisdiction }

done-profile = حُفظ ملف الخبير.
profile-heading = ملفك كخبير
profile-hint = ما تعرفه، للزملاء الباحثين عن خبير وللأسئلة الموجهة إليك.
profile-organisation = الجهة
profile-languages = لغات العمل (رموز ISO: fr، ar، en…)
profile-jurisdictions = بلدان أو مناطق أخرى تعرف قانونها (رموز: MA، EU…)
profile-instruments = الصكوك التي تعرفها
profile-bio = كلمات قليلة عن عملك
profile-visibility = من يجدك في دليل الخبراء
profile-visibility-members = كل الأعضاء
profile-visibility-staff = المشرفون والمديرون فقط
profile-visibility-hidden = لا أحد (لن تتلقى أسئلة)
profile-paused = أوقف الأسئلة مؤقتًا
profile-save = احفظ الملف
question-box = سؤال إلى الخبراء
question-accepted-link = الجواب المقبول
question-accept-label = اقبله جوابًا
question-accept = اقبل
profile-contributions = المساهمات
contrib-analyses = { $count ->
    [zero] لا تحليلات
    [one] تحليل واحد
    [two] تحليلان
    [few] { $count } تحليلات
   *[other] { $count } تحليلًا
}
contrib-endorsements = { $count ->
    [zero] لا مصادقات
    [one] مصادقة واحدة
    [two] مصادقتان
    [few] { $count } مصادقات
   *[other] { $count } مصادقة
}
contrib-accepted = { $count ->
    [zero] لا أجوبة مقبولة
    [one] جواب واحد مقبول
    [two] جوابان مقبولان
    [few] { $count } أجوبة مقبولة
   *[other] { $count } جوابًا مقبولًا
}

## الندوات
nav-colloquia = الندوات
colloquia-title = الندوات
colloquia-intro = نقاشات خبراء محددة المدة حول مسألة قانونية واحدة. يكتب المشاركون ما دامت الندوة مفتوحة، وتُنشر استنتاجاتها لجميع الأعضاء.
colloquia-none = لا توجد ندوة بعد.
colloquium-state-upcoming = قادمة
colloquium-state-open = مفتوحة
colloquium-state-closed = مغلقة
colloquium-published = منشورة
colloquium-participants-count = { $count ->
    [zero] لا مشاركين
    [one] مشارك واحد
    [two] مشاركان
    [few] { $count } مشاركين
    [many] { $count } مشاركًا
   *[other] { $count } مشارك
}
colloquium-new = تنظيم ندوة
colloquium-agenda = جدول الأعمال
colloquium-opens = الافتتاح
colloquium-closes = الاختتام
colloquium-utc = التواريخ والأوقات بالتوقيت العالمي المنسق (UTC).
colloquium-participants = المشاركون
colloquium-participants-hint = أسماء المستخدمين مفصولة بفواصل. ادعُ الخبراء الخارجيين بالبريد الإلكتروني بعد إنشاء الندوة.
colloquium-publish-in = نشر الاستنتاجات في
colloquium-create = إنشاء الندوة
colloquium-organiser = من تنظيم
colloquium-discussion = فتح النقاش
colloquium-calendar = إضافة إلى التقويم (.ics)
colloquium-published-thread = الاستنتاجات المنشورة
colloquium-guest-link = أرسل رابط الدعوة هذا (لاستخدام واحد) إلى الخبير الخارجي:
colloquium-conclusions = الاستنتاجات
colloquium-no-conclusions = لا توجد استنتاجات بعد.
colloquium-version = الإصدار { $n }
colloquium-draft = مسودة
colloquium-endorsements = { $count ->
    [zero] لم يؤيدها أي مشارك
    [one] أيدها مشارك واحد
    [two] أيدها مشاركان
    [few] أيدها { $count } مشاركين
    [many] أيدها { $count } مشاركًا
   *[other] أيدها { $count } مشارك
}
colloquium-you-endorse = أنت تؤيد الإصدار { $n }.
colloquium-endorse = تأييد أحدث إصدار
colloquium-versions = الإصدارات
colloquium-version-col = الإصدار
colloquium-written = تاريخ الكتابة
colloquium-note = ما الذي تغيّر
colloquium-endorsements-col = التأييدات
colloquium-guest = خبير خارجي
colloquium-endorses = يؤيد الإصدار { $n }
colloquium-organise = التنظيم
colloquium-new-version = الإصدار التالي من الاستنتاجات (Markdown)
colloquium-save-version = حفظ كإصدار جديد
colloquium-publish = نشر أحدث إصدار
colloquium-add-participants = إضافة مشاركين
colloquium-add = إضافة
colloquium-invite-guest = دعوة خبير خارجي (بريد إلكتروني)
colloquium-invite = دعوة

## طلبات المشورة
nav-advice = المشورة
advice-title = مشورة المكتب القانوني
advice-intro = اطلب من المكتب القانوني مشورة بشأن قضية محددة. لا يقرأ الطلب وملفاته والمشورة سواك والمكتب (TLP:RED).
advice-none = لا توجد طلبات مشورة.
advice-status-received = مستلم
advice-status-assigned = مسند
advice-status-advice_given = قُدّمت المشورة
advice-status-closed = مغلق
advice-overdue = متأخر
advice-due = الأجل
advice-assignee = يتولاه
advice-new = طلب مشورة
advice-confidential = طلبك موسوم TLP:RED: لن يراه سواك والمكتب القانوني.
advice-case = القضية وسؤالك (Markdown)
advice-files-hint = أرفق الملفات (الأحكام، التقارير) كردود في سلسلة الطلب بعد إرساله.
advice-submit = إرسال الطلب
advice-open-thread = القضية وملفاتها والمشورة
advice-published-analysis = التحليل المنشور
advice-steps = المراحل
advice-step-received = مستلم
advice-step-assigned = مسند
advice-step-note = ملاحظة أضافها المكتب
advice-step-advice_given = قُدّمت المشورة
advice-step-consent = تغيّرت الموافقة على النشر
advice-step-closed = مغلق
advice-step-published = نُشر كتحليل مجهول الهوية
advice-consent-given = وافقت على أن ينشر المكتب تحليلًا مجهول الهوية لهذه المشورة.
advice-consent-none = لن ينشر المكتب شيئًا من هذا الطلب دون موافقتك.
advice-consent-withdraw = سحب موافقتي
advice-consent-give = الموافقة على نشر مجهول الهوية
advice-office = المكتب القانوني
advice-notes = ملاحظات داخلية (لا يراها مقدم الطلب)
advice-no-notes = لا توجد ملاحظات بعد.
advice-add-note = إضافة ملاحظة
advice-save-note = حفظ الملاحظة
advice-assign-to = إسناد إلى
advice-assign = إسناد
advice-give = المشورة (رد في سلسلة الطلب)
advice-send = تقديم المشورة
advice-close = إغلاق الطلب
advice-publish = كتابة التحليل مجهول الهوية
advice-publish-hint = وافق مقدم الطلب على النشر: احذف كل تفصيل يدل على القضية قبل النشر.
advice-publishing = أنت تنشر التحليل مجهول الهوية لطلب مشورة؛ وسيحيل إلى الطلب.

## الحوارات
nav-dialogues = الحوارات
dialogues-title = الحوارات
dialogues-intro = حوارات قطرية وإقليمية: منشورات تجمع تحليلات واستنتاجات ندوات مختارة. لا يُنشر إلا المحتوى الموسوم TLP:CLEAR وTLP:GREEN.
dialogues-none = لم يُنشر أي حوار بعد.
dialogue-chapters = { $count ->
    [zero] لا فصول
    [one] فصل واحد
    [two] فصلان
    [few] { $count } فصول
    [many] { $count } فصلًا
   *[other] { $count } فصل
}
dialogue-new = إعداد حوار
dialogue-only-green = لا يمكن نشر إلا التحليلات والاستنتاجات الموسومة TLP:CLEAR أو TLP:GREEN؛ ويخرج من الحوار كل فصل وُسم لاحقًا بوسم أشد.
dialogue-foreword = تمهيد (Markdown)
dialogue-choose = الفصول، بهذا الترتيب
dialogue-no-candidates = لا توجد تحليلات أو استنتاجات للنشر بعد.
dialogue-publish = نشر الحوار
dialogue-compiled-by = من إعداد
dialogue-pdf = نسخة PDF للطباعة
dialogue-omitted = { $count ->
    [zero] لا فصول محجوبة.
    [one] فصل واحد غير معروض: وُسم لاحقًا بوسم أشد أو أُخفي أو هو خارج ما يحق لك قراءته.
    [two] فصلان غير معروضين: وُسما لاحقًا بوسم أشد أو أُخفيا أو هما خارج ما يحق لك قراءته.
   *[other] { $count } فصول غير معروضة: وُسمت لاحقًا بوسم أشد أو أُخفيت أو هي خارج ما يحق لك قراءته.
}
dialogue-contents = المحتويات
dialogue-discussion = النقاش
dialogue-colloquium = الندوة
dialogue-summary = الملخص:
dialogue-sources = الأحكام والقرارات
dialogue-cite = يُستشهد به هكذا:

## الخلاصات وبياناتك (الإعدادات)
feeds-title = الخلاصات
feeds-intro = تابع المنتدى في قارئ خلاصات. تحمل هذه الروابط سرًا يمثلك: احتفظ بها لنفسك وألغها إن تسرب أحدها. لا تعرض الخلاصة إلا ما يحق لك قراءته.
feeds-atom = خلاصة Atom
feeds-more = تتبع خلاصات ولاية قضائية (تشمل المناطق بلدانها) أو صك قانوني النمط نفسه، مثلًا:
feeds-revoke = إلغاء جميع روابط خلاصاتي
done-feeds = لم تعد روابط خلاصاتك القديمة تعمل؛ الروابط الجديدة أدناه.
own-data-title = بياناتك
own-data-intro = نزّل كل ما يحتفظ به المنتدى عنك وعن مشاركاتك: ملف zip فيه البيانات بصيغة JSON ونسخة مقروءة وملفاتك.
own-data-download = تنزيل بياناتي
webhooks-title = خطافات الويب
webhooks-intro = يمكن لنظام آخر أن يتلقى ما يحدث في الفئات المفتوحة لحظة حدوثه: طلب HTTP موقّع بسرّ نقطة الاستقبال لكل حدث. لا تُرسل إلا المواضيع والمشاركات الموسومة TLP:CLEAR في الفئات المفتوحة.
webhooks-secret-once = سرّ التوقيع لنقطة الاستقبال. انسخه الآن: لن يُعرض مرة أخرى.
webhooks-secret = سرّ التوقيع
webhooks-add = إضافة نقطة استقبال
webhooks-url = العنوان (https://…)
webhooks-events = الأحداث المرسلة
webhooks-add-button = إضافة نقطة الاستقبال
webhooks-endpoints = نقاط الاستقبال
webhooks-none = لا توجد نقطة استقبال بعد.
webhooks-failures = { $count ->
    [zero] لا إخفاقات متتالية
    [one] إخفاق واحد متتالٍ
    [two] إخفاقان متتاليان
    [few] { $count } إخفاقات متتالية
    [many] { $count } إخفاقًا متتاليًا
   *[other] { $count } إخفاق متتالٍ
}
webhooks-log = عمليات الإرسال الأخيرة
webhooks-event = الحدث
webhooks-outcome = النتيجة
webhooks-attempts = المحاولات
webhooks-answer = الرد
webhooks-when = آخر محاولة
webhooks-enable = إعادة التفعيل
webhooks-delete = إزالة
webhooks-status-active = نشطة
webhooks-status-retrying = إعادة المحاولة
webhooks-status-disabled = معطّلة بعد إخفاقات متكررة
