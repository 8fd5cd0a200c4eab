"""Label a text segment with OPP-115's ten top-level data-practice categories.

Hand-written weighted cues, no learned weights: each category sums the weights of the cues found
in the segment and is labelled when the sum reaches 1.0. The cue lists were designed by reading
the OPP-115 train split (never shipped); `bench/opp115.py` scores them on the validation split.
"""

from __future__ import annotations

import re

from .patterns import regex

FIRST_PARTY = "First Party Collection/Use"
THIRD_PARTY = "Third Party Sharing/Collection"
CHOICE = "User Choice/Control"
ACCESS = "User Access, Edit and Deletion"
RETENTION = "Data Retention"
SECURITY = "Data Security"
POLICY_CHANGE = "Policy Change"
DNT = "Do Not Track"
AUDIENCES = "International and Specific Audiences"
OTHER = "Other"

OPP115_CATEGORIES: tuple[str, ...] = (
    FIRST_PARTY, THIRD_PARTY, CHOICE, ACCESS, RETENTION, SECURITY, POLICY_CHANGE, DNT,
    AUDIENCES, OTHER,
)

Cue = tuple[float, re.Pattern[str]]

_INFO = r"(?:personal(?:ly identifiable)? )?(?:information|data|info|details|pii)"
_WE = r"(?:we|us|our company|the company|the site)"

_CUES: dict[str, list[tuple[float, str]]] = {
    FIRST_PARTY: [
        (0.8, r"\b(?:we|us|i|(?-i:[A-Z][a-z]\w+)) (?:may |will |also |might |automatically |"
              r"only |generally |sometimes |can |could |do |does )*(?:collect|gather|receive|"
              r"obtain|record|"
              r"log|store|request|ask for|process|learn|track|combine|merge|analy[sz]e)"),
        (0.7, r"\b(?:may |will |also |we |to |might |can |only |generally |sometimes )+"
              r"(?:use|uses|employ|utili[sz]e)s? (?:the |your |this |such |that |any |certain |"
              r"aggregate[d]? |these |those )?(?:personal |aggregate[d]? |non-personal |"
              r"anonymous |demographic |registration |account |location )?"
              r"(?:information|data|info|cookies|log files|web beacons|pixel|technolog|"
              r"ip address|email address|e-mail address)"),
        (0.7, r"\b(?:uses?|employs?|places?|sets?|utili[sz]es?|using) (?:\"?|“)?"
              r"(?:cookies|web beacons|clear gifs|pixel tags|flash|local storage|log files|"
              r"tracking technolog)"),
        (0.6, r"\binformation (?:that |which )?(?:we|you) (?:collect|provide|submit|give|"
              r"supply|enter|share with us)"),
        (0.6, r"\b(?:is|are|be|being) (?:automatically |also )?(?:collected|gathered|recorded|"
              r"logged|received|obtained|used)\b"),
        (0.5, r"\bcollect(?:s|ed|ion|ing)?\b"),
        (0.5, r"\b(?:cookies?|web beacons?|pixel tags?|clear gifs?|log files?|flash cookies|"
              r"local storage|clickstream)\b"),
        (0.3, r"\b(?:ip address|browser type|device (?:identifier|id|information)|"
              r"operating system|referring (?:page|url|website))\b"),
        (0.4, r"\b(?:to (?:improve|personali[sz]e|customi[sz]e|tailor|provide|process|"
              r"fulfill|respond|administer|operate|analy[sz]e|measure|understand|deliver|send|"
              r"contact|communicate|diagnose|enhance|recogni[sz]e|remember|verify)|"
              r"for (?:internal|marketing|analytics|research|statistical|editorial|"
              r"promotional) (?:purposes|use))\b"),
        (0.3, r"\b(?:name|e-?mail address|postal address|mailing address|phone number|"
              r"telephone number|zip code|date of birth|birth ?date|credit card|location|"
              r"gender|age|income|demographic|payment information|billing)\b"),
        (0.4, r"\b(?:when you (?:register|sign up|create|use|visit|purchase|order|contact|"
              r"subscribe|participate|enter|submit|provide|interact|access|apply|log ?in)|"
              r"(?:may )?require (?:that )?you (?:to )?provide|you (?:may )?provide us)\b"),
        (0.3, r"\b(?:information we (?:collect|receive|gather)|types of information|"
              r"(?:personal|registration) information)\b"),
    ],
    THIRD_PARTY: [
        (0.8, r"\b(?:share|shares|shared|sharing|disclose|discloses|disclosed|disclosure|sell|"
              r"sells|sold|rent|release|transfer|provide|give|make available|pass|passed)\b"
              r"[^.]{0,80}\b(?:third[- ]part(?:y|ies)|affiliates?|partners?|advertisers?|"
              r"vendors?|service providers?|companies|sponsors?|subsidiaries|law enforcement|"
              r"government|agents?|contractors?|others|outside)\b"),
        (0.6, r"\bthird[- ]part(?:y|ies)\b"),
        (0.5, r"\b(?:share|shares|shared|sharing|disclose|discloses|disclosed|disclosure|"
              r"sell|sold|rent|release)\b"),
        (0.5, r"\b(?:advertis(?:ers|ing (?:networks?|partners|companies|agents))|"
              r"ad (?:networks?|servers?|partners)|analytics (?:providers?|companies|services)|"
              r"google analytics|doubleclick|service providers?|business partners|"
              r"affiliates?|sponsors?|vendors?|social (?:media|network)|facebook|twitter|"
              r"plug-?ins?|widgets?)\b"),
        (0.6, r"\b(?:subpoenas?|court orders?|warrants?|law enforcement|legal process|"
              r"required by law|comply with (?:the )?(?:law|applicable)|merger|acquisition|"
              r"bankruptcy|business transfers?|sale of (?:all|substantially|our|the company|"
              r"assets)|acquired)\b"),
        (0.3, r"\b(?:on our behalf|their own privacy (?:policies|practices)|other companies|"
              r"independently collect|outside (?:companies|parties))\b"),
    ],
    CHOICE: [
        (1.0, r"\bopt(?:ing|ed|s)?[- ]?(?:out|in)\b"),
        (0.9, r"\bunsubscrib|\bremove (?:yourself|your name|your e-?mail) from"),
        (0.5, r"\b(?:your )?choices?\b|\bchoose (?:not|to|whether)\b"),
        (0.5, r"\b(?:you (?:may|can|could|have the (?:option|ability|opportunity|right)) (?:to )?"
              r"(?:also )?(?:choose|elect|decline|refuse|disable|turn off|block|reject|set|"
              r"adjust|configure|withdraw|limit|stop|prevent|control|manage|object))"),
        (0.5, r"\b(?:browser (?:settings|preferences)|set (?:up )?your browser|(?:disable|"
              r"block|refuse|decline|reject|delete|remove|accept) (?:the |all |our )?"
              r"(?:\"?cookies|persistent cookie))\b"),
        (0.4, r"\b(?:consents?|preferences?|do not wish|(?:do not|don't) (?:want|wish)|"
              r"permission|agree(?:ment)? to|no longer (?:wish|want)|stop receiving|"
              r"authori[sz]ation|object(?:ion)?|revoke)\b"),
        (0.3, r"\b(?:adjust|disable|turn off|block|settings|decline|refuse)\b"),
        (0.4, r"\b(?:privacy settings|account settings|settings page|communication "
              r"preferences|email preferences)\b"),
    ],
    ACCESS: [
        (0.9, r"\b(?:access|review|update|correct|edit|modify|change|delete|remove|amend|"
              r"inspect|obtain a copy of|view|see|erase|rectify|deactivate|cancel)(?:s|d|ing)?\b"
              r"[^.]{0,70}\b(?:information|data|profile|account|records?|info|registration|"
              r"membership)\b"),
        (-0.4, r"\b(?:we (?:may )?(?:use|share|disclose|collect)|third[- ]part(?:y|ies)|"
               r"cookies)\b"),
        (0.4, r"\b(?:you (?:may|can|have the right to)|to request|ask us to|request (?:that|to)|"
              r"if you (?:would like|wish|want) to)\b[^.]{0,30}\b(?:access|review|update|"
              r"correct|edit|modify|change|delete|remove|amend|inspect|see|erase|close)\b"),
        (0.5, r"\b(?:delete|deactivate|close|cancel|terminate) (?:your|their|my) (?:account|"
              r"profile|membership)\b"),
        (0.5, r"\bright to (?:access|request|correct|rectif|delete|erasure|inspect|amend)"),
        (0.4, r"\b(?:my account|account settings|profile page|edit profile|accuracy|"
              r"inaccura|up-to-date|out of date)\b"),
    ],
    RETENTION: [
        (1.0, r"\b(?:retain|retains|retained|retention)\b(?! (?:the services|outside))"),
        (0.6, r"\b(?:keep|keeps|kept|store|stores|stored|maintain|maintains|preserve)\b"
              r"[^.]{0,60}\b(?:for (?:as long as|a period|up to|\d+|the duration)|as long as|"
              r"until|period of time|indefinitely|days|months|years)\b"),
        (0.5, r"\bas long as (?:is |it is )?(?:necessary|needed|required|reasonably)"),
        (0.4, r"\b(?:archived?|backup copies|residual copies|after (?:you )?(?:close|"
              r"delete|terminate))\b"),
        (0.5, r"\b(?:store|stores|stored|save|saved|keep a copy|discard|discarded)\b"),
        (0.5, r"\b(?:delete|deleted|destroy|destroyed|discard)\b[^.]{0,60}\b(?:after|once|when|"
              r"within|no longer)\b"),
        (-0.8, r"\bcollection, use,? and retention\b"),
    ],
    SECURITY: [
        (1.0, r"\b(?:encrypt(?:ion|ed|s)?|ssl|tls|firewalls?|secure socket)"),
        (0.7, r"(?<!social )(?<!social-)\b(?:secur(?:e|ity|ed|ely)|safeguards?)\b"
              r"(?! (?:number|code|settings))"),
        (0.6, r"\b(?:reasonable|appropriate|industry[- ]standard|administrative|technical|physical)"
              r" (?:\w+ )?(?:security|measures|safeguards|steps|precautions)\b"),
        (0.6, r"\b(?:unauthori[sz]ed (?:access|use|disclosure)|protect (?:the |your |this )?"
              r"(?:personal )?(?:information|data|privacy)|confidential(?:ity)?|"
              r"passwords?)\b"),
        (0.4, r"\b(?:no (?:method|data transmission)|100% (?:secure|guaranteed)|breach)\b"),
    ],
    POLICY_CHANGE: [
        (1.0, r"\b(?:chang|modif|amend|revis|updat)(?:e|es|ed|ing|ies|ication|ications|"
              r"ment|ments)\b[^.]{0,40}\b(?:this|our|the|these) (?:online )?(?:privacy )?"
              r"(?:policy|statement|notice|terms)"),
        (1.0, r"\b(?:this|our|the) (?:online )?(?:privacy )?(?:policy|statement|notice)\b"
              r"[^.]{0,40}\b(?:chang|modif|amend|revis|updat)"),
        (0.6, r"\b(?:material changes?|check (?:this page|back) (?:periodically|often|"
              r"regularly)|periodically (?:review|check)|from time to time)\b"),
        (0.4, r"\b(?:last (?:updated|modified|revised)|effective (?:date|as of))\b"),
    ],
    DNT: [
        (1.2, r"\bdo[- ]not[- ]track\b|\bdnt\b|\btracking requests?\b"),
    ],
    AUDIENCES: [
        (1.0, r"\b(?:children|child|kids|minors?|under (?:the age of )?1[368]|coppa|"
              r"parents?|guardians?|teens?)\b"),
        (1.0, r"\b(?:california|shine the light|1798\.83|european (?:union|economic)|eea|"
              r"safe harbou?r|privacy shield|switzerland|swiss|canada|canadian|"
              r"outside (?:of )?the united states|international (?:users|visitors|transfers?)|"
              r"other countries|residents? of|nevada|gdpr)\b"),
        (0.5, r"\b(?:united states|u\.s\.|country|countries|jurisdiction)\b"),
    ],
    OTHER: [
        (1.0, r"\b(?:contact us|questions?|comments?|concerns?|complaints?)\b[^.]{0,80}"
              r"(?:@|\b(?:address|e-?mail|write|call|phone|mail)\b)"),
        (0.8, r"\b(?:last (?:updated|modified|revised)|effective (?:date|as of))\b"),
        (0.6, r"\b(?:this (?:privacy )?(?:policy|statement|notice) (?:applies|describes|"
              r"explains|covers)|by (?:using|visiting|accessing)|terms of (?:use|service)|"
              r"not responsible|takes? (?:your )?privacy seriously|we respect|committed to)\b"),
        (0.4, r"\b(?:introduction|overview|definitions?|scope|links? to other)\b"),
    ],
}

CUES: dict[str, list[Cue]] = {
    cat: [(weight, regex(pattern)) for weight, pattern in cues] for cat, cues in _CUES.items()
}

THRESHOLD = 1.0
WEAK_THRESHOLD = 0.8  # enough for the best category when none is strong
DOMINANCE = 0.5  # a second label must score at least half the best one


def scores(text: str) -> dict[str, float]:
    """Each category's summed cue weight for one segment."""
    return {
        cat: sum(weight for weight, pattern in cues if pattern.search(text))
        for cat, cues in CUES.items()
    }


def label_opp115(text: str) -> list[str]:
    """OPP-115 labels, in OPP115_CATEGORIES order; `Other` when no practice cue is strong."""
    found = scores(text)
    best_score = max(found[cat] for cat in OPP115_CATEGORIES if cat != OTHER)
    labels = [cat for cat in OPP115_CATEGORIES if cat != OTHER and found[cat] >= THRESHOLD
              and found[cat] >= DOMINANCE * best_score]
    if not labels:
        best = max(OPP115_CATEGORIES[:-1], key=lambda cat: found[cat])
        if found[best] >= WEAK_THRESHOLD and found[best] > found[OTHER]:
            labels.append(best)
    if found[OTHER] >= THRESHOLD or not labels:
        labels.append(OTHER)
    return labels
