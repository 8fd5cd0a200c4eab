"""The words of data practices, by kind: a change whose changed words touch one is a candidate
for a material change (see candidates.py).

Deliberately broad: recall comes first, and the suppressors (suppress.py) name what is not
material. Each kind is a readable phrase list; the whole vocabulary compiles into one regex
with a named group per kind, on first use.
"""

from __future__ import annotations

import functools
import re

from .patterns import FLAGS, alternation, flexible_spaces, guarded

# Kinds that say what a practice is about ("substance"), and kinds that only change how firmly
# it is stated ("modal"): a modal word touches a data practice only in a sentence that has
# substance.
VOCABULARY: dict[str, list[str]] = {
    "quantity": [r"(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|"
                 r"fourteen|eighteen|twenty|thirty|forty-five|sixty|ninety)(?: \(\d+\))?[ -]?"
                 r"(?:business )?(?:hours?|days?|weeks?|months?|years?)",
                 r"\d{1,2} years?(?: of age| old)",
                 r"(?:age|ages) (?:of )?\d{1,2}", r"\d{1,2}\+"],
    "children": [r"child\w*", r"minors?", r"kids?", r"teens?", r"teenagers?", r"parent\w*",
                 r"guardians?", r"coppa", r"minimum age", r"age assurance",
                 r"under (?:the age of )?\d{1,2}", r"young\w*", r"students?", r"schools?"],
    "retention": [r"retention", r"retain\w*", r"as long as", r"indefinitely", r"perpetuity",
                  r"storage periods?", r"archiv\w+", r"backups?"],
    "security": [r"secur\w+", r"safeguard\w*", r"encrypt\w*", r"breach\w*", r"protect\w*",
                 r"unauthori[sz]ed", r"two-factor", r"2fa", r"multi-factor", r"need[- ]to[- ]know",
                 r"confidential\w*"],
    "tracking": [r"cookies?", r"pixels?", r"beacons?", r"trackers?", r"tracking", r"sdks?",
                 r"tags?", r"local storage", r"fingerprinting", r"cross[- ](?:site|context|device)",
                 r"do[- ]not?[- ]track", r"dnt", r"global privacy control", r"gpc", r"signals?"],
    "transfer": [r"transfer\w*", r"international\w*", r"cross[- ]border", r"outside (?:of )?the",
                 r"countr(?:y|ies)", r"abroad", r"eea", r"european economic area",
                 r"privacy shield",
                 r"data privacy framework", r"dpf", r"standard contractual clauses", r"sccs?",
                 r"adequacy", r"cbpr", r"binding corporate rules", r"servers? (?:located )?in"],
    "ai": [r"ai", r"artificial intelligence", r"machine[- ]learning", r"models?", r"generative",
           r"llms?", r"algorithm\w*", r"chatbots?", r"automated"],
    "notice": [r"notif\w+", r"notice of", r"notice (?:period|before)", r"inform you",
               r"material changes?", r"changes? to this",
               r"(?:prior|advance|reasonable|written) notice"],
    "choice": [
        r"opt(?:[- ]?(?:out|in))?", r"opt-outs?", r"consent\w*", r"permission\w*",
        r"withdraw\w*", r"object\w*", r"unsubscrib\w+", r"settings?", r"preferences?",
        r"choices?", r"choose", r"controls?", r"controlled", r"controlling", r"disable\w*",
        r"turn off", r"decline",
        r"refuse", r"rights?", r"request\w*", r"correct\w*", r"rectif\w+", r"portab\w+",
        r"restrict\w*", r"appeal\w*", r"complain\w*", r"supervisory authority",
        r"non-discrimination", r"verif\w+", r"authori[sz]\w+", r"agree\w*",
    ],
    "recipient": [
        r"third[- ]part(?:y|ies)", r"affiliat\w+", r"subsidiar\w+", r"partners?",
        r"advertisers?", r"ad networks?", r"marketers?", r"data brokers?", r"brokers?",
        r"service providers?", r"vendors?", r"processors?", r"sub-?processors?",
        r"contractors?", r"suppliers?", r"government\w*", r"law enforcement", r"police",
        r"authorit(?:y|ies)", r"regulators?", r"insurers?", r"employers?", r"parent company",
        r"other companies", r"recipients?", r"buyers?", r"acquirers?", r"providers?",
        r"(?:joint |data |independent )?controllers?",
        r"publicly", r"public", r"others",
    ],
    "purpose": [
        r"advertis\w*", r"ads?", r"marketing", r"promotional", r"personali[sz]\w+",
        r"profiling", r"analytics?", r"research", r"measure\w*", r"targeting", r"targeted",
        r"interest-based", r"behaviou?ral", r"legitimate interests?", r"vital interests?",
        r"lawful basis", r"legal basis", r"contract", r"fraud", r"improve\w*", r"develop\w*",
        r"train\w*", r"recommendations?", r"automated decision\w*",
    ],
    "data": [
        r"personal (?:information|data|details)", r"pii", r"user information",
        r"(?:your|their|users?'?|customers?'?|account|usage|device|location|contact|profile|"
        r"payment|health|biometric|financial|sensitive|genetic|log|technical) "
        r"(?:information|data|details)",
        r"e-?mail address(?:es)?", r"phone numbers?", r"ip address(?:es)?", r"date of birth",
        r"(?:year|month) of birth", r"birth ?dates?", r"age", r"gender", r"sex", r"height",
        r"weight", r"heart rate", r"sleep", r"steps taken", r"location\w*", r"geolocation",
        r"gps", r"contacts(?: lists?)?", r"contact lists?", r"address book",
        r"call (?:history|logs?)",
        r"text messages", r"messages", r"photos?", r"videos?", r"audio", r"recordings?",
        r"voice", r"face", r"portrait", r"biometric\w*", r"fingerprints?", r"health",
        r"medical", r"diagnos\w+", r"prescriptions?", r"genetic", r"ids?", r"identity",
        r"identif\w+", r"passports?", r"driver'?’?s licen[cs]e", r"social security",
        r"credit cards?", r"bank", r"financial", r"income", r"payment", r"purchases?",
        r"transactions?", r"browsing", r"search (?:history|queries)", r"cookies?",
        r"device\w*", r"usage", r"activity", r"profiles?", r"content", r"comments",
        r"responses", r"resumes?", r"quer(?:y|ies)", r"prompts?", r"conversations?",
        r"chats?", r"installed apps?", r"apps? lists?", r"metadata",
        r"sensitive", r"special categor\w+", r"religio\w+", r"political", r"sexual",
        r"racial", r"ethnic\w*", r"union membership", r"criminal", r"precise",
        r"inferences?", r"demographic\w*",
    ],
    "verb": [
        r"collect(?!ive)\w*", r"gather\w*", r"obtain\w*", r"receiv\w+", r"record\w*", r"captur\w+",
        r"scan\w*", r"access\w*", r"use[sd]?", r"using", r"process\w*", r"analy[sz]\w+",
        r"share[sd]?", r"sharing", r"disclos\w+", r"sell\w*", r"sold", r"sale", r"rent\w*",
        r"licen[cs]e", r"trade", r"transfer\w*", r"provid\w+ (?:\w+ ){0,3}to", r"make available",
        r"made available", r"publish\w*", r"disseminat\w+", r"release[sd]?", r"combin\w+",
        r"linked", r"linking",
        r"links? (?:your|it|them|this|that|information|data)", r"match\w*", r"infer\w*",
        r"attribut\w+", r"monitor\w*", r"track\w*",
        r"sync\w*", r"upload\w*", r"display\w*", r"send\w*", r"sent", r"stor(?!y\b|ies\b)\w+",
        r"retain\w*",
        r"keep\w*", r"kept", r"hold\w*", r"delet\w+", r"eras\w+", r"destroy\w*",
        r"anonymi[sz]\w+", r"de-?identif\w+", r"pseudonymi[sz]\w+", r"aggregat\w+",
        r"encrypt\w*",
    ],
    "modal": [r"may", r"might", r"can", r"could", r"will", r"shall", r"must", r"only",
              r"solely", r"exclusively", r"except", r"unless", r"without", r"required",
              r"always", r"automatically", r"some", r"all", r"any", r"where possible",
              r"if possible", r"generally", r"also", r"including", r"such as", r"or vice versa"],
    "negation": [r"not", r"never", r"no", r"none", r"neither", r"nor", r"don'?’?t",
                 r"doesn'?’?t", r"won'?’?t", r"cannot", r"can'?’?t", r"no longer"],
}
MODAL_KINDS = frozenset({"modal", "negation"})
# Kinds so common that alone they say little: "personal information", "use", "provide to".
GENERIC = re.compile(
    r"^(?:personal (?:information|data|details)|(?:your|user|their) (?:information|data)|"
    r"use[sd]?|using|process\w*|provid\w+.*|send\w*|sent|display\w*|request\w*|rights?|"
    r"content|public|others|providers?|controls?|controlled|controlling|agree\w*|improve\w*|develop\w*|settings?|"
    r"preferences?|contract|choose|protect\w*|link\w*|match\w*|"
    r"profiles?|models?|automated|measure\w*|ids?|identity|identif\w+|"
    r"verif\w+|age|sex|voice|face|weight|height|health|"
    r"medical|bank|financial|payment|income|precise|sensitive|political|messages|"
    r"countr(?:y|ies)|outside (?:of )?the|security|secur\w+)$", FLAGS)


@functools.cache
def pattern() -> re.Pattern[str]:
    """The whole vocabulary as one regex; `lastgroup` names the kind of a match."""
    body = "|".join(f"(?P<{kind}>{guarded(alternation(flexible_spaces(p) for p in phrases))})"
                    for kind, phrases in VOCABULARY.items())
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w])", FLAGS)


Mention = tuple[str, str, int, int]  # kind, words, start, end


@functools.lru_cache(maxsize=8192)
def mentions(text: str) -> tuple[Mention, ...]:
    """Every vocabulary mention of `text`: (kind, words, start, end)."""
    return tuple((m.lastgroup or "", m.group(0), m.start(), m.end())
                 for m in pattern().finditer(text))


def is_generic(words: str) -> bool:
    return bool(GENERIC.match(" ".join(words.split())))
