# The site's own words in English (Project Fluent). A site may change any of them in
# content/messages/en.ftl; every key here must exist in every language's messages.

## Layout
skip-to-main = Skip to main content
notice-label = Notice about this site
nav-label = Site
nav-home = Home
nav-a-to-z = A to Z
nav-topics = Topics
nav-reviewers = Our reviewers
search-label = Site search
search-placeholder = Search articles
search-button = Search
changes-feed-title = { $site }: what changed
language-nav-label = Languages
home-description = Health information for patients and health professionals.

## Article
last-updated = Last updated:
review-status-heading = Review status
review-pending = Pending medical review
review-details = Review details
review-caution = This article has not yet been approved by our reviewers. Use it with care and check with a health professional before acting on it.
review-steps-label = Review steps
step-done = Done:
step-current = Current step:
step-todo = Not yet:
step-submitted = Submitted
step-under-review = Under review
step-approved = Approved
status-draft = Draft
status-sample-approved = Approved (sample approval by fictional reviewers)
being-reviewed-by = Being reviewed by
reviewed-by = Reviewed by
fictional-reviewer = (fictional sample reviewer)
fictional-reviewers = (fictional sample reviewers)
about-reviewers = About our reviewers and their declared interests
policy-link = Read our editorial policy
policy-link-rest = to see how articles are written and reviewed.
last-reviewed = Last reviewed
next-review = Next review due
review-due = Due for review since { $date }. Our reviewers are checking that it is still up to date; until then this is the text they last approved.
not-written-for = This article is not yet written for “{ $requested }”. You are reading the version for “{ $shown }”.
topics-label = Topics:
what-changed = What changed
sample-approval-by = Sample approval by { $reviewers } (fictional reviewers).
approved-by = Approved by { $reviewers }.
references = References
ref-guideline = Guideline
ref-research = Research
ref-review = Review
ref-other = Other
ref-source = Source
grade-key-heading = Evidence grades beside citations
disclaimer-label = Disclaimer
default-disclaimer = This information is for education. It does not replace advice from a health professional who knows you. If you are worried about your health, talk to your doctor, nurse or pharmacist.
section-switch = Read this section for: { $audience }

## Translations
translation-sample = This is a sample translation: no professional translator or native-speaking clinician has checked it yet.
translation-out-of-date = This translation follows the { $source } version of { $follows }. The { $source } version was updated on { $updated }:
translation-out-of-date-undated = This translation follows an earlier { $source } version. The { $source } version has been updated since:
translation-see-changes = see what changed
not-translated = This page is not yet translated into { $language }. You are reading the { $source } version.
not-translated-link = Read it in { $source }

## Care cards
card-non-urgent = Non-urgent advice
card-urgent = Urgent advice
card-emergency = Emergency
card-note = Note
card-tip = Tip
card-important = Important
card-warning = Warning
card-caution = Caution

## Which best describes you?
audience-question = Which best describes you?
audience-versions = Versions of this article
audience-why = Why we ask
audience-hint = Your choice helps us use words that suit you. We remember it on this device.
audience-showing = (showing now)
audience-show = Show

## Follow-up questions
follow-up-label = Have a follow-up question?
follow-up-hint = We answer only with passages from our approved articles, never with new text. We cannot give advice about you.
follow-up-button = Ask
ask-title = Ask a follow-up question
ask-your-question = Your question: { $question }
ask-description = Answers to follow-up questions, from our reviewed articles.
ask-none = We could not find a passage in our reviewed articles that answers this.
ask-found = { $count ->
    [one] This passage
   *[other] These { $count } passages
  } from our { $sample ->
    [yes] approved
   *[no] reviewed
  } articles ({ $audience } versions) may help.
ask-caution-sample = These passages come from sample articles approved by fictional reviewers: no real clinician has checked them. They are not advice about you: only a health professional who knows you can give that.
ask-caution = These are passages written and checked by our reviewers for everyone who reads them. They are not advice about you: only a health professional who knows you can give that.
ask-nothing-reviewed = None of our articles has finished medical review yet, so there is no reviewed text to answer from.
ask-try-other-words = Try asking with other words, or
ask-search-all = search all our articles
ask-own-health = For a question about your own health, ask your doctor, nurse or pharmacist.
ask-from = From
ask-cites = This passage cites:
ask-worried = If you are worried about your symptoms, contact your doctor or a local health service.

## Feedback
feedback-heading = Was this page helpful?
feedback-thanks = Thank you for your feedback. It helps us improve this page.
feedback-yes = Yes
feedback-no = No
feedback-comment = What was missing or unclear? (optional)
feedback-comment-hint = Please do not include personal health details, such as your name, symptoms or medicines. We cannot reply to comments. If you need medical advice, contact a health professional.
feedback-trap = Leave this empty
feedback-send = Send feedback
feedback-kept = We keep answers for a limited time and never your address.
feedback-what-we-store = What we store

## Lists
cards-topics = Topics:
articles-heading = Articles
recently-updated = Recently updated
no-articles = There are no articles yet.
see-all = See all { $total } articles from A to Z
or-browse = or
browse-topics = browse by topic
a-to-z-title = Articles A to Z
a-to-z-description = Every article, from A to Z.
a-to-z-choose = { $total } articles. Choose the first letter of what you are looking for, or search.
letters-label = Letters
count-articles = { $count ->
    [one] article
   *[other] articles
  }
topics-title = Topics
topics-description = Articles by topic.
no-topics = There are no topics yet.
topic-description = Articles about { $topic }.

## Search
search-title = Search
search-title-query = Search: { $query }
search-description = Search the articles.
search-our-articles = Search our articles
search-none = No articles match “{ $query }”. Try fewer or simpler words.
search-count = { $count ->
    [one] 1 article matches
   *[other] { $count } articles match
  } “{ $query }”. Links go to the { $audience } versions, unless marked.
search-also = We also searched for words with the same meaning:
search-found-in = Found in the { $audience } version

## Errors
error-home-link = Go to the list of articles
not-found-title = Page not found
not-found-message = We could not find that page. It may have moved, or the address may be mistyped.
gone-title = Page removed
gone-message = This page has been removed. It is no longer part of this site.
bad-request-title = Bad request
bad-request-message = We could not understand that request.

## Dates
date-in-words = { $day } { $month } { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Refusals
request-problem = Something was wrong with that request
feedback-cross-site = That answer was sent from another website, so we did not save it. Please use the form on our page.
feedback-not-here = That page does not take feedback. Please go back and try again.
feedback-choose = Please choose Yes or No, then send your feedback again.
feedback-too-long = Your comment is longer than 1,000 characters. Please shorten it and send it again.
feedback-bad-characters = Your comment contains characters we cannot accept. Please retype it and send it again.
feedback-too-many = You have sent a lot of feedback in a short time, so we did not save this one. Please try again later.
feedback-not-saved = We could not save that, please try later.
withdrawn-title = This article has been withdrawn
withdrawn-message = We withdrew this article on { $date } while our reviewers check it again. It will be back once they approve it. If you need advice about your health now, talk to your doctor, nurse or pharmacist.
audience-cross-site = That choice was sent from another website, so we did not change anything. Please choose again on this page.
audience-unknown = That choice is not one we offer. Please go back and choose again.

## Evidence grades
reference-word = Reference
grade-certainty = GRADE: { $level } certainty
certainty-high = high
certainty-moderate = moderate
certainty-low = low
certainty-very-low = very low
grade-acc-aha = ACC/AHA: Class { $class }, LOE { $level }
grade-nice = NICE: { $strength }
nice-offer = offer
nice-consider = consider
grade-key-grade = GRADE: how certain the evidence is (high, moderate, low or very low certainty that the true effect is close to the one found).
grade-key-acc-aha = ACC/AHA: class of recommendation (I strong, IIa moderate, IIb weak, III no benefit or harm) and level of evidence (A: high-quality evidence from more than one randomised trial or their meta-analysis; B-R: moderate-quality, randomised; B-NR: moderate-quality, non-randomised or observational; C-LD: limited data; C-EO: consensus of expert opinion).
grade-key-nice = NICE: the strength of NICE's recommendation (offer: most people would benefit; consider: the benefit is less certain or the choice closer).

## Language names, as sentences of this language name them
language-en = English
language-es = Spanish (español)
language-fr = French (français)
language-de = German (Deutsch)
language-pt = Portuguese (português)
language-zh = Chinese (中文)
language-ar = Arabic (العربية)
