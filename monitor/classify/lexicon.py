"""The policywatch lexicons: named things a privacy practice is about.

Each table maps a canonical name (used in reasons and summaries) to the phrases that express it.
Kept as data so that a reader can audit what the classifier knows; compiled on first use.
"""

from __future__ import annotations

import functools
import re

from .patterns import FLAGS, alternation, flexible_spaces, guarded, lazy, regex, words

# --- data types ---------------------------------------------------------------------------------
# Sensitive types: newly collecting or sharing one is `high` (issue 5's severity scale).
SENSITIVE_DATA: dict[str, list[str]] = {
    "precise location": [
        r"precise (?:geo)?location", r"precise geo-location", r"exact location",
        r"gps (?:location|data|coordinates)", r"gps", r"real-time location", r"geolocation data",
        r"latitude and longitude", r"location history",
    ],
    "biometric data": [
        r"biometric\w*", r"face ?prints?", r"facial (?:recognition|geometry|features|scans?)",
        r"fingerprints?", r"voiceprints?", r"voice prints?", r"retina(?:l)? scans?",
        r"iris scans?", r"face geometry", r"face ?ids?", r"selfies?", r"facial age estimation",
    ],
    "health data": [
        r"health(?:[- ]related)? (?:information|data|conditions?|records?)",
        r"medical (?:information|data|records?|history|conditions?)",
        r"protected health information", r"phi", r"diagnos[ie]s", r"prescriptions?",
        r"mental health", r"reproductive health", r"genetic (?:information|data|testing)",
        r"fitness data", r"heart rate",
    ],
    "government ID": [
        r"social security numbers?", r"ssns?", r"passport (?:numbers?|details|data)?",
        r"driver'?s licen[cs]e(?: numbers?)?", r"government[- ](?:issued )?ids?",
        r"national (?:id|identification|insurance) (?:numbers?|cards?)",
        r"tax (?:identification )?(?:numbers?|ids?)", r"identity documents?",
        r"id (?:photos?|documents?|cards?|numbers?)",
        # a copy or scan of an identity document, even a redacted one
        r"(?:copy|copies|scans?|images?|photos?) of (?:your |an? |the )?(?:government[- ]"
        r"(?:issued )?)?(?:id|identification|identity)(?: documents?| cards?)?",
    ],
    "contacts": [
        r"(?:phone |device |address book )?contacts? lists?", r"address book",
        r"your contacts", r"phone contacts", r"contact lists?",
    ],
    "message contents": [
        r"(?:contents?|text) of (?:your |private )?(?:messages|communications|emails|chats)",
        r"message contents?", r"private messages", r"direct messages", r"chat (?:logs|history)",
        r"voice recordings?", r"call recordings?",
    ],
    "financial data": [
        r"bank account (?:numbers?|details|information)", r"credit (?:card|score|history)s?",
        r"financial (?:information|data|accounts?)", r"payment card (?:numbers?|details)",
        r"income", r"credit reports?",
    ],
    "sexual orientation or beliefs": [
        r"sexual (?:orientation|life)", r"religious (?:or philosophical )?beliefs",
        r"political (?:opinions|views|affiliations?)", r"racial or ethnic origin",
        r"trade union membership", r"sensitive (?:personal )?(?:information|data)",
        r"special categor(?:y|ies) of (?:personal )?data",
    ],
}

ORDINARY_DATA: dict[str, list[str]] = {
    "location": [r"(?:approximate |coarse |general )?location(?: data| information)?",
                 r"geographic (?:location|information)"],
    "contact details": [r"e-?mail address(?:es)?", r"phone numbers?", r"telephone numbers?",
                        r"postal address(?:es)?", r"mailing address(?:es)?",
                        r"contact (?:details|information)"],
    "name": [r"(?:full |first |last )?names?"],
    "device identifiers": [r"device (?:identifiers?|ids?)", r"advertising (?:identifiers?|ids?)",
                           r"idfa", r"imei", r"mac address(?:es)?", r"ip address(?:es)?"],
    "browsing history": [r"browsing (?:history|activity|behaviou?r)", r"search (?:history|queries)",
                         r"websites? you visit", r"pages you (?:visit|view)"],
    "purchase history": [r"purchase (?:history|information)", r"transaction (?:history|data)"],
    "photos and videos": [r"photos?", r"videos?", r"images? of you", r"camera roll"],
    "audio": [r"audio (?:recordings?|data)?", r"microphone"],
    "date of birth": [r"date of birth", r"birth ?dates?", r"birthdays?"],
    "demographics": [r"gender", r"demographic (?:information|data)"],
    "user content": [r"(?:user|your) content", r"content you (?:post|upload|create|share)",
                     r"posts", r"(?:your|a|the) post", r"comments"],
}

# --- recipients ---------------------------------------------------------------------------------
RECIPIENTS: dict[str, list[str]] = {
    "data brokers": [r"data brokers?", r"data resellers?", r"information brokers?",
                     r"list brokers?"],
    "advertisers": [r"advertisers?", r"advertising (?:partners?|networks?|companies|providers?)",
                    r"ad (?:networks?|partners?|tech(?:nology)? (?:companies|partners?))",
                    r"marketing partners?", r"marketers?"],
    "government": [r"government(?:al)? (?:agencies|authorities|bodies|entities)?",
                   r"law enforcement(?: agencies| authorities)?", r"public authorities",
                   r"regulators?", r"police", r"intelligence agencies"],
    "affiliates": [r"affiliates?", r"affiliated (?:companies|entities)", r"subsidiaries",
                   r"(?:other )?companies (?:with)?in (?:the|our) (?:\w+ )?(?:group|family)",
                   r"(?:our )?corporate (?:family|group)", r"group companies",
                   r"(?:with)?in (?:the|our) (?:[A-Z][\w.&-]* )?group",
                   r"family of companies"],
    "service providers": [r"service providers?", r"vendors?", r"processors?", r"contractors?",
                          r"suppliers?", r"(?:third[- ]parties|companies|vendors) (?:that|who) "
                          r"(?:perform|provide) services(?: for us| on our behalf)?"],
    "business partners": [r"(?:business |trusted |third[- ]party )?partners?"],
    "third parties": [r"third[- ]part(?:y|ies)", r"other companies", r"unaffiliated"],
    "insurers": [r"insurers?", r"insurance (?:companies|providers)"],
    "employers": [r"(?:your )?employers?"],
    "AI providers": [r"(?:generative )?ai (?:providers?|partners?|companies|services|vendors)",
                     r"openai",
                     r"(?:large )?language model providers?"],
}

# --- purposes -----------------------------------------------------------------------------------
PURPOSES: dict[str, list[str]] = {
    "advertising": [r"(?:targeted |personali[sz]ed |interest[- ]based |behaviou?ral |"
                    r"cross[- ]context behaviou?ral )?advertising",
                    r"(?:targeted |personali[sz]ed )?ads",
                    r"ad (?:content|campaigns?|measurement|personali[sz]ation|delivery|"
                    r"performance)",
                    r"ad targeting", r"advertisements?"],
    "marketing": [r"(?:direct |own )?marketing(?: purposes)?", r"promotional (?:purposes|"
                  r"communications|emails)"],
    "AI training": [r"train(?:ing)? (?:our |their |its |the |new )?(?:ai|artificial intelligence|"
                    r"machine[- ]learning|generative|language|llms?|models?|algorithms)",
                    r"(?:ai|machine[- ]learning|generative ai|language) models?",
                    r"artificial intelligence", r"large language models?", r"generative ai",
                    r"model training", r"machine learning"],
    "profiling": [r"profil(?:ing|es) (?:about|of) you", r"automated decision[- ]making",
                  r"inferences?"],
    "research": [r"research(?: purposes)?"],
}


class Table:
    """A lexicon table compiled into one alternation with a named group per entry, so that a
    text is scanned once per table; results are cached per text (clauses repeat a lot)."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.names = list(table)
        body = "|".join(
            f"(?P<i{index}>{guarded(alternation(flexible_spaces(p) for p in phrases))})"
            for index, phrases in enumerate(table.values()))
        self.pattern = lazy(r"(?<![\w-])(?:" + body + r")(?![\w])", FLAGS)
        self.find = functools.lru_cache(maxsize=8192)(self._find)

        self.spans = functools.lru_cache(maxsize=8192)(self._spans)

    def _spans(self, text: str) -> tuple[tuple[str, str, int, int], ...]:
        """(name, words, start, end) of every mention, in order."""
        return tuple((self.names[int(m.lastgroup[1:])], m.group(0), m.start(), m.end())
                     for m in self.pattern.finditer(text) if m.lastgroup)

    def _find(self, text: str) -> dict[str, str]:
        found: dict[str, str] = {}
        for name, mention, _, _ in self.spans(text):
            found.setdefault(name, mention)
        return found

    def search(self, text: str) -> bool:
        return bool(self.find(text))


SENSITIVE_PATTERNS = Table(SENSITIVE_DATA)
ORDINARY_PATTERNS = Table(ORDINARY_DATA)
RECIPIENT_PATTERNS = Table(RECIPIENTS)
PURPOSE_PATTERNS = Table(PURPOSES)
AI_TRAINING = words(PURPOSES["AI training"])


# --- category cue words (topic of a sentence, policywatch taxonomy) -----------------------------
CATEGORY_CUES: dict[str, re.Pattern[str]] = {
    "collection": regex(
        r"\b(?:collect\w*|gather\w*|obtain\w*|receiv\w+ (?:information|data)|record\w*|"
        r"we (?:may |also )?(?:use|process|access|store)|(?:information|data) (?:that )?"
        r"(?:we|you) (?:provide|collect|give)|personal (?:information|data) (?:we|you))\b"),
    "sharing": regex(
        r"\b(?:shar(?:e|es|ed|ing)|disclos\w+|transfer\w* (?:to|with)|provid\w+ (?:it |them |"
        r"(?:your |such |this )?(?:personal )?(?:information|data) )?to|make available|"
        r"third[- ]part(?:y|ies)|recipients?)\b"),
    "sale": regex(
        r"\b(?:sell|sells|selling|sold|rent(?:s|ing)?|sale of (?:your |personal )"
        r"|do not sell|monetary (?:or other valuable )?consideration)\b"),
    "retention": regex(
        r"\b(?:retain\w*|retention|keep (?:your |it|them|the|personal|this)|stor(?:e|ed|es) "
        r"(?:for|until|as long)|delete\w* (?:after|within|when)|as long as (?:necessary|needed|"
        r"required|your account)|indefinitely|for (?:a period of )?\d+ (?:days|months|years))\b"),
    "security": regex(
        r"(?<!social )\b(?:secur(?:e|ity|ed)|encrypt\w*|safeguards?|unauthori[sz]ed access|"
        r"breach\w*|firewalls?|two-factor|multi-factor|pseudonymi[sz]\w+)\b(?! number)"),
    "choice": regex(
        r"\b(?:opt(?:-| )?(?:out|in)|unsubscrib\w*|consent\w*|withdraw|your choices?|"
        r"preferences|settings|(?:you )?(?:can|may) (?:choose|disable|turn off|decline|"
        r"refuse|object)|ask (?:for )?your (?:permission|consent))\b"),
    "rights": regex(
        r"\b(?:right to (?:access|know|delete|deletion|erasure|correct|rectif\w*|portability|"
        r"object|restrict|appeal|opt out|request|non-discrimination)|request (?:a copy|access|"
        r"deletion|that we delete)|(?:access|correct|delete|download) your (?:personal )?"
        r"(?:information|data)|data (?:subject )?rights?|your (?:privacy )?rights)\b"),
    "children": regex(
        r"\b(?:child(?:ren)?(?:'s)?|minors?|kids|teens?|under (?:the age of )?\d{1,2}|"
        r"coppa|parental (?:consent|permission)|parents?|guardians?)\b"),
    "tracking": regex(
        r"\b(?:cookies?|pixels?|web beacons?|tracking|trackers?|sdks?|software development kits?|"
        r"fingerprint(?:ing)? (?:of )?(?:your )?(?:device|browser)|device fingerprint\w*|"
        r"local storage|tags?|cross[- ](?:site|context|device)|analytics)\b"),
    "international": regex(
        r"\b(?:transfer\w* (?:\w+ ){0,4}(?:outside|abroad|to other countries|international\w*|"
        r"across borders)|cross[- ]border|standard contractual clauses|adequacy decision|"
        r"privacy shield|data privacy framework|countries? (?:outside|other than)|"
        r"(?:eea|european economic area|united kingdom|switzerland)|"
        r"international (?:transfers?|users)|stored (?:\w+ ){0,3}in (?:the )?(?:united states|"
        r"u\.s\.|china|other countries))\b"),
    "policy_change": regex(
        r"\b(?:(?:change|changes|modify|update|amend|revise)\w* (?:to )?(?:this|our|the) "
        r"(?:privacy )?(?:policy|notice|statement)|notify you (?:of|about|before) (?:any )?"
        r"(?:material )?changes|material changes?|(?:\d+|thirty|fourteen|seven) days'? "
        r"(?:prior |advance )?notice)\b"),
    "do_not_track": regex(
        r"\b(?:do[- ]not[- ]track|dnt|global privacy control|gpc|opt-out preference signals?|"
        r"universal opt-out)\b"),
    "ai_training": AI_TRAINING,
}
