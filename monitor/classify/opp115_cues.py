"""Weighted cues for OPP-115's top-level categories, written by hand as data.

Each category lists (weight, pattern) pairs; a segment's score for a category is the sum of the
weights of the patterns found in it. Weights are round numbers chosen by reading the OPP-115 train
split's errors: 1.0 means "this phrase alone states the practice", smaller weights are topic
words that need company. Negative weights veto phrasings that only look like the practice.
No OPP-115 text is copied here and nothing is fitted to it.
"""

from __future__ import annotations

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

# A section heading at the very start of a segment, after optional numbering ("3.", "iv)", "b.").
HEAD = r"^\W{0,3}(?:(?:[ivx]{1,4}|\d{1,2}|[a-h])[.):]\s*|\d{1,2}\s+)?"
# The site or company as the actor: "we"/"us", or a capitalised name ("Acme may collect",
# "Acme automatically records"). Never in a relative clause or an indirect question ("the
# records we collect", "how we use"): those refer to a practice, they do not state one.
_REFERRING = ("information", "data", "details", "content", "records", "files", "everything",
              "anything", "what", "how", "why", "whether")
NOT_RELATIVE = "".join(f"(?<!{word} )(?<!{word} that )(?<!{word} which )" for word in _REFERRING)
NAME = r"(?-i:\b(?!(?:To|Your|You|The|This|These|That|Those|Our|If|When|Where|How|What|Why|" \
       r"Information|Data|Site|Sites|Third|They|Users?|Parents?|Partners?|Advertisers?|" \
       r"Companies|Vendors|Google|Facebook|Twitter|Please|Each|Any|Some|Other|All|Such|" \
       r"Personal|Public|Cookies|Websites?|Services?|Not|Do|By|Analytics)\b)[A-Z][a-z][\w.&'-]*)"
MODAL = r"(?:and (?:our |its |their )?(?:[\w-]+ ){0,4}?)?(?:(?:may|will|also|might|can|could|" \
        r"only|generally|sometimes|automatically|do|does|would|shall|typically|often|then|not|" \
        r"never|currently|collectively|usually|occasionally|periodically) )*"
NAME_MODAL = r"(?:(?:may|will|might|can|could|does|would|shall|also|generally|typically|" \
             r"automatically|only|usually|never|currently|periodically|sometimes) )"
# after a name without a modal, a plural noun is not a verb: "Order records are kept ..."
NOT_A_NOUN = r"(?! (?:are|is|were|was|of|and|or|that|which)\b)"


def actor(verbs: str) -> str:
    """The site as the subject of one of `verbs` (an alternation of base forms)."""
    return (r"(?:\b(?=we |us |our )" + NOT_RELATIVE + r"(?:we|us|our (?:company|site|website|"
            r"service)s?) "
            + MODAL + r"(?:" + verbs + r")|" + NAME + r" (?:" + NAME_MODAL + r"+(?:" + verbs
            + r")|" + NAME_MODAL + r"?(?:" + verbs + r")e?s" + NOT_A_NOUN + r"))\b")


INFO = r"(?:personal(?:ly)? (?:identifiable |identifying )?|non-personal |aggregate[d]? |" \
       r"anonymous |health |usage |location |demographic |registration |" \
       r"de-identified |your |this |such |the |that |any |certain |some |account |contact )*" \
       r"(?:information|data|info|details|pii|content|(?:e-?mail |postal |ip )?address(?:es)?)"
RECIPIENT = r"(?:third[- ]part(?:y|ies)|affiliates?|(?:business |marketing |advertising |" \
            r"trusted |joint |co-branded )?partners?|advertisers?|ad networks?|vendors?|" \
            r"service providers?|(?:other |outside |unaffiliated |carefully selected |" \
            r"reputable |select(?:ed)? )(?:companies|businesses|organizations|parties|entities)|" \
            r"sponsors?|subsidiaries|parent (?:company|corporation)|law enforcement|" \
            r"government(?:al)? (?:agencies|authorities|officials)|authorities|agents?|" \
            r"contractors?|others|anyone|successors?|acquir(?:er|ing (?:company|entity))|" \
            r"marketers|merchants|retailers|franchisees|other users|the public)"

ACCESS_VERB = r"(?:(?:access|review|update|correct|edit|modify|change|delete|remove|amend|" \
              r"inspect|erase|rectify|deactivate|suppress|view)(?:s|d|ed|ing)?|obtain a copy of|" \
              r"corrections?|deletion|removal|(?:make|request) changes)"
ACCESS_OBJECT = r"\b(?:your|their|his or her|the child's|your childs?|my|any|such|the|that|" \
                r"this|other|all|certain|some|personal|personally) (?:\w+ ){0,3}?" \
                r"(?:information|data|profile|account|records?|info|registration|membership|" \
                r"details|(?:e-?mail|postal|mailing|contact) address|history)\b"

CUES: dict[str, list[tuple[float, str]]] = {
    FIRST_PARTY: [
        (1.0, actor(r"collect|gather|receive|obtain|record|log|store|request|ask (?:you )?for|"
                    r"process|learn|track|combine|merge|analy[sz]e|monitor|capture|save|"
                    r"access|keep track|aggregate|infer|derive|get|acquire")),
        (1.0, actor(r"use|employ|utili[sz]e") + r" (?:\w+ ){0,3}?" + INFO),
        (1.0, r"\byou (?:may |will |can |might |also |voluntarily |choose to |may choose to )*"
              r"(?:provide|give|submit|send|share|supply|disclose) (?:\w+ ){0,5}?(?:to|with) us\b|"
              r"\bprovide us with\b|\b(?:help|helps|allow|allows|enable|enables|permit|permits)"
              r" us to\b|\bwe (?:may )?(?:ask|invite|require) (?:you|our|users|visitors)\b"),
        (0.6, r"^(?-i:to [a-z]|[a-z]\w+(?:,| or| and) )|" + actor(r"send|contact|email|e-mail|"
              r"notify|call") + r" you\b"),
        # an item of a list of uses: ends like a clause of a longer sentence
        (0.6, r"(?:;|,| and| or)\W{0,3}$"),
        (0.3, r"\bpurposes?\b"),
        (0.8, actor(r"use|employ|utili[sz]e|place|set|serve") + r" (?:\w+ ){0,2}?(?:\"|“)?"
              r"(?:cookies|web beacons|clear gifs|pixel|flash|local storage|log files|"
              r"tracking technolog|analytics|session)"),
        (0.3, r"\binformation (?:that |which )?(?:we|you) (?:collect|provide|submit|give|"
              r"supply|enter|share with us|send us)"),
        (0.6, r"\b(?:is|are|be|being|been) (?:automatically |also |only |not )?(?:collected|"
              r"gathered|recorded|logged|received|obtained|used|processed|tracked)\b"
              r"(?! (?:and (?:used|shared|disclosed) )?by (?:others|other|third|anyone|"
              r"advertisers|these|those|them|such)| to identify)"),
        (0.4, r"\bcollect(?:s|ed|ion|ing)?\b"),
        (0.4, r"\b(?:cookies?|web beacons?|pixel tags?|clear gifs?|log files?|flash cookies|"
              r"local storage|clickstream|server logs?)\b"),
        (0.3, r"\b(?:ip address|browser type|device (?:identifier|id|information)|"
              r"operating system|referring (?:page|url|website)|geo-?location|location "
              r"(?:information|data))\b"),
        (0.4, r"\b(?:to (?:improve|personali[sz]e|customi[sz]e|tailor|provide|process|fulfill|"
              r"respond|administer|operate|analy[sz]e|measure|understand|deliver|send|contact|"
              r"communicate|diagnose|enhance|recogni[sz]e|remember|verify|notify|complete|"
              r"inform)|for (?:internal|marketing|analytics|research|statistical|editorial|"
              r"promotional|business) (?:purposes|use))\b"),
        (0.3, r"\b(?:name|e-?mail address|postal address|mailing address|phone number|"
              r"telephone number|zip code|date of birth|birth ?date|credit card|gender|age|"
              r"income|demographic|payment information|billing|username|password)\b"),
        (0.4, r"\b(?:when you (?:register|sign up|create|use|visit|purchase|order|contact|"
              r"subscribe|participate|enter|submit|provide|interact|access|apply|log ?in|"
              r"download|browse|call|email|send)|(?:may )?require (?:that )?you (?:to )?provide|"
              r"you (?:may |will )?(?:provide|give|submit|send) us|(?:asked|required) to "
              r"(?:provide|enter|submit|supply)|you (?:voluntarily|choose to) provide)\b"),
        (0.5, HEAD + r"(?:the )?(?:types of )?(?:personal )?information (?:we|that we) "
              r"(?:collect|gather|receive)|" + HEAD + r"(?:how (?:we|do we) use|use of) "
              r"(?:your |the )?(?:personal )?information|" + HEAD + r"(?:information|data) "
              r"collection|" + HEAD + r"what (?:personal )?information do we"),
    ],
    THIRD_PARTY: [
        (0.8, r"\b(?:share|shares|shared|sharing|disclose|discloses|disclosed|disclosure|sell|"
              r"sells|sold|rent|rents|release|transfer|transferred|provide|provided|give|"
              r"make available|made available|pass|passed|forward|exchange|trade|furnish|"
              r"report|send)\b[^.;]{0,90}\b" + RECIPIENT + r"\b"),
        (1.0, actor(r"(?:(?:use|collect|access|preserve|retain)(?:,| and| or| and/or)+ )?"
                    r"(?:share|disclose|sell|rent|release|transfer|lease|trade|exchange)|make "
                    r"(?:\w+ )?available|provide (?:your|this|such|the|personal|certain|some|"
                    r"aggregate|information)|give (?:your|this|such|the|out)")),
        (1.0, r"\b(?:third[- ]part(?:y|ies)|advertisers?|ad networks?|(?:advertising|analytics|"
              r"marketing|business) (?:partners|companies|providers|networks|vendors|services)|"
              r"partners|vendors|service providers|these (?:companies|parties|providers|"
              r"services|sites)|other (?:companies|users|websites|sites|members)|they|"
              r"google|facebook|twitter|doubleclick|(?:companies|parties|providers|networks)"
              r",? (?:which|who|that))(?: (?:that|who|which|we) [^.;,]{0,40}?)? " + MODAL +
              r"(?:use|collect|place|set|"
              r"serve|receive|have access|access|obtain|gather|track|recognize|read|view|see|"
              r"combine|record|log|store|provide|send|deliver|display|show)s?\b"),
        (0.6, r"\bthird[- ]part(?:y|ies)\b|\b3rd part(?:y|ies)\b"),
        (0.4, r"\b(?:share|shares|shared|sharing|disclose|discloses|disclosed|disclosure|"
              r"sell|sold|rent|release|transfer)\b"),
        (0.5, r"\b(?:advertis(?:ers|ing (?:networks?|partners|companies|agents))|"
              r"ad (?:networks?|servers?|partners)|analytics (?:providers?|companies|services)|"
              r"google analytics|doubleclick|service providers?|business partners|"
              r"affiliates?|sponsors?|vendors?|social (?:media|network(?:ing)?)|facebook|"
              r"twitter|plug-?ins?|widgets?|payment (?:processors?|service)|processors?)\b"),
        (0.8, r"\b(?:is|are|be|been|being) (?:\w+ )?(?:shared|disclosed|sold|transferred|"
              r"rented|released|forwarded|made available|provided to)\b"),
        (0.6, r"\b(?:protect (?:the |our )?(?:\w+ )?(?:rights|property|safety)|emergency|"
              r"fraud|legal (?:rights|claims|action|requests?|obligations?)|litigation|"
              r"(?:applicable )?laws?,? (?:or )?regulations?|good faith belief)\b"),
        (0.8, r"\b(?:subpoenas?|court orders?|warrants?|law enforcement|legal process|"
              r"required by (?:law|statute)|requires? (?:us )?(?:to )?by law|when the law "
              r"requires|the law requires|comply with (?:the )?(?:law|applicable|legal|a)|"
              r"merger|acquisition|bankruptcy|business transfers?|sale of (?:all|substantially|"
              r"our|the company|assets|the business)|acquired|reorgani[sz]ation|"
              r"successor)\b"),
        (0.5, r"\b(?:on our behalf|(?:their|its) own privacy (?:policies|policy|practices|"
              r"statements?)|(?:governed|covered) by (?:the|their|its) (?:own )?privacy|"
              r"subject to (?:the|their|its) (?:own )?privacy|other companies|independently "
              r"collect|outside (?:companies|parties)|co-branded|jointly)\b"),
        (0.7, r"\b(?:publicly (?:available|visible|posted|displayed|accessible)|public "
              r"(?:areas?|forums?|profiles?|activities|postings?|spaces?)|becomes? public)\b"),
        (0.5, r"\b(?:(?:read|viewed|seen|collected|used|accessed|searchable) by (?:other "
              r"(?:users|people|members|visitors)|anyone|the public|others)|(?:available|"
              r"visible) to (?:other (?:users|people|members)|the public|anyone|others))\b"),
        (-0.8, r"\b(?:transfer|send|place|store)(?:s|red|ed)? (?:\w+ ){0,3}?(?:to|on) your "
               r"(?:computer|device|browser|hard drive)"),
        (-0.6, r"\b(?:do not|does not|don't|will not|never) (?:share|sell|rent|disclose|"
               r"give|provide)[^.]{0,60}\bexcept\b"),
    ],
    CHOICE: [
        (1.0, r"\bopt(?:ing|ed|s)?[- ]?(?:out|in)\b|\bopt-?outs?\b"),
        (1.0, r"\bunsubscrib|\bremove (?:yourself|your name|your e-?mail) from"),
        (0.3, r"\b(?:your )?choices?\b|\bchoose (?:not|to|whether)\b"),
        (0.6, r"\b(?:you|users?) (?:may|can|could|will|have the (?:option|ability|opportunity|"
              r"right)|are (?:free|able)) (?:to )?(?:also |always |at any time )?(?:choose|"
              r"elect|decline|refuse|disable|turn off|block|reject|set|adjust|configure|"
              r"withdraw|limit|stop|prevent|control|manage|object|revoke|restrict|change your "
              r"(?:settings|preferences|mind))"),
        (0.6, r"\b(?:browser (?:settings|preferences|options)|device settings|settings (?:of|on|"
              r"in) your (?:web |internet |mobile )?(?:browser|device|mobile)|set (?:up )?your "
              r"browser|(?:disable|block|refuse|decline|reject|delete|remove|accept|manage|"
              r"control) (?:the |all |our |most |certain |some )?(?:\"|“)?(?:cookies|persistent "
              r"cookie|tracking technolog|location services))\b"),
        (0.4, r"\b(?:consents?|preferences?|do not wish|(?:do not|don't) (?:want|wish)|"
              r"permission|agree(?:ment)? to|no longer (?:wish|want)|stop receiving|"
              r"authori[sz]ation|revoke|withdraw|objection|object to)\b"),
        (0.4, r"\b(?:ask (?:for )?|obtain|get|receive|seek|with|without|have) your (?:\w+ )?"
              r"(?:consent|permission|authori[sz]ation)|\bprefer (?:not|that we not) to\b|"
              r"\b(?:want|wish|like) (?:not )?to (?:receive|be included|hear)|"
              r"\b(?:control|manage|limit|restrict) (?:how|whether|which|who|the use)\b"),
        (0.6, r"\bif you (?:do not|don't|would (?:rather|prefer) not|prefer (?:not|that we "
              r"not)|no longer) (?:want|wish|agree|like|accept|consent)"),
        (0.3, r"\b(?:adjust|disable|turn off|block|settings|decline|refuse)\b"),
        (0.4, r"\b(?:privacy settings|account settings|settings page|(?:communication|marketing|"
              r"e-?mail|advertising|subscription) preferences|preferences page|ad choices|"
              r"adchoices|network advertising initiative|aboutads)\b"),
        (0.6, r"\b(?:choose|elect|decide) not to (?:provide|submit|give|share|register|"
              r"accept|receive|participate)|(?:is|are) (?:entirely )?voluntary|(?:please )?"
              r"do not (?:use|access|visit|submit)\b"),
        (0.5, HEAD + r"(?:your |user )?(?:choices?|options|controls?|opt)"),
    ],
    ACCESS: [
        (1.0, r"\b(?:you (?:may|can|will|have|are|also|should)|users? (?:may|can)|if you (?:wish|"
              r"would|want|prefer|need)|wish to|would like to|requests?|ask (?:us )?to|"
              r"please (?:contact|e-?mail|write|send|click)|log (?:in|on|into)|sign (?:in|into)|"
              r"parents? (?:may|can)|upon request|want us to|like us to)\b[^.;]{0,40}?\b"
              + ACCESS_VERB + r"\b"
              r"[^.;]{0,25}?(?:" + ACCESS_OBJECT + r"|\b(?:it|them)\b)"),
        (0.5, r"\b" + ACCESS_VERB + r"\b[^.;]{0,25}?" + ACCESS_OBJECT),
        (0.9, r"\b(?:delete|deactivate|close|cancel|terminate) (?:your|their|my|his or her|"
              r"the) (?:\w+ )?(?:account|profile|membership)\b"),
        (0.6, r"\bright to (?:access|request|correct|rectif|delete|erasure|inspect|amend|"
              r"a copy)|request (?:for )?(?:access|correction|deletion|a copy)|copy of "
              r"(?:your|the) (?:personal )?(?:information|data|records?)|access to (?:your|"
              r"the) (?:personal )?(?:information|data|records?)"),
        (0.4, r"\b(?:my account|account settings|profile page|edit profile|your account|"
              r"profile settings|accuracy|accurate|inaccura|up[- ]to[- ]date|out of date|"
              r"logging in|log in|sign(?:ing)? in)\b"),
        (0.6, HEAD + r"(?:how (?:can|do) (?:i|you) )?(?:accessing|access|updating|update|"
              r"correcting|correct|reviewing|review|changing|change|editing|edit|deleting|"
              r"delete|managing|manage)\b"),
        (-0.6, r"\b(?:third[- ]part(?:y|ies)|advertisers?|service providers|employees|agents|"
               r"unauthori[sz]ed|we (?:may )?(?:use|share|disclose|collect)) (?:\w+ ){0,4}"
               r"(?:access|have access)|\b(?:update|change|modify|revise|amend)s? (?:to )?"
               r"(?:this|our|the) (?:privacy )?(?:policy|statement|notice)"),
    ],
    RETENTION: [
        (1.0, r"\b(?:retain|retains|retained|retaining|retention)\b(?! (?:the services|"
              r"outside))"),
        (0.8, r"\b(?:keep|keeps|kept|store|stores|stored|maintain|maintains|maintained|"
              r"preserve|hold|save|saved)\b[^.]{0,60}\b(?:for (?:as long as|a period|up to|"
              r"\d+|the duration|the life|the length|no longer|longer|(?:a )?(?:limited|"
              r"reasonable|short) (?:period|time)|[a-z]+ (?:days|months|years))|as long as|"
              r"until|period of time|indefinitely|permanently)\b"),
        (0.6, r"\bas long as (?:is |it is )?(?:necessary|needed|required|reasonably|"
              r"your account|you (?:are|remain|have)|we (?:need|have))"),
        (0.5, r"\b(?:archived?|archives|backup (?:copies|systems|media|tapes)|residual "
              r"(?:copies|information|data))"),
        (0.5, r"\b(?:after (?:you )?(?:close|delete|terminate|cancel)|(?:remain|persist|stay)s? "
              r"(?:\w+ ){0,2}?(?:in|on) (?:our|the) (?:\w+ )?(?:backups?|systems|servers|"
              r"records|databases?|archives))"),
        (0.4, r"\b(?:store|stores|stored|save|saved|keep a copy|discard|discarded|purge[ds]?)\b"),
        (0.7, r"\b(?:delete|deleted|deletes|destroy|destroyed|discard|erase|erased|purge|"
              r"purged|remove|removed|expire|expires|anonymi[sz]e[ds]?)\b[^.]{0,60}\b(?:after|"
              r"once|within|no longer|as soon as|periodically|when (?:it is )?no longer|"
              r"at the end|upon)\b"),
        (0.6, r"\b(?:(?:do|does|will) not|don't|never) (?:\w+ )?(?:store|keep|save|retain|"
              r"maintain)\b"),
        (0.5, r"\b(?:after|within|for) (?:a period of )?(?:\d+|one|two|three|six|twelve|"
              r"eighteen|thirty|ninety) (?:\(\d+\) )?(?:business )?(?:days|months|years)\b"),
        (0.8, HEAD + r"(?:data |information )?(?:retention|storage)|" + HEAD +
              r"(?:how long|where) (?:do )?we (?:keep|store|retain)"),
        (-1.0, r"\b(?:we (?:have )?retained|retained (?:by us )?to (?:perform|provide|help|"
               r"assist))\b"),
        (-0.8, r"\bcollection, (?:use,? )?(?:and |or )?(?:retention|storage)|use,? and "
               r"retention|retention,? (?:and )?(?:use|disclosure)|(?:collect|use|process)"
               r"(?:ion|ing|e)?,? (?:and |or )?(?:store|retain)s? "),
    ],
    SECURITY: [
        (1.0, r"\b(?:encrypt(?:ion|ed|s)?|ssl|tls|https(?!:)|firewalls?|secure sockets? layer|"
              r"pci(?:-dss)?)\b"),
        (0.7, r"(?<!social )(?<!social-)\b(?:secur(?:e|ity|ed|ely)|safeguards?|safeguarded|"
              r"safeguarding)\b(?! (?:number|code|settings))"),
        (1.0, r"\b(?:reasonable|appropriate|industry[- ]standard|commercially reasonable|"
              r"administrative|technical|physical|electronic|managerial|organi[sz]ational)"
              r" (?:\w+ )?(?:security|measures|safeguards|steps|precautions|procedures|"
              r"controls)\b"),
        (0.6, r"\b(?:unauthori[sz]ed (?:access|use|disclosure|alteration|acquisition)|protect "
              r"(?:the |your |this |such |all )?(?:personal |personally identifiable )?"
              r"(?:information|data|privacy)|confidential(?:ity)?)\b"),
        (0.4, r"\bpasswords?\b"),
        (1.0, r"\b(?:no (?:method|data transmission|security|system|transmission)|100% "
              r"(?:secure|guaranteed|safe)|guarantee (?:the )?(?:security|absolute)|breach(?:es)?|"
              r"compromised|intercept(?:ed|ion)?|impenetrable|phishing|hack(?:ers|ed|ing)?)\b"),
        (0.8, r"\b(?:access (?:to (?:your |such |this |personal )?(?:personal )?(?:information|"
              r"data) )?(?:is )?(?:limited|restricted)|(?:limit|restrict)s? access|employees "
              r"(?:\w+ ){0,4}(?:access|need to know)|need to know|bound by (?:\w+ ){0,3}"
              r"(?:confidentiality|obligations)|(?:contractually|contract) (?:\w+ ){0,4}"
              r"(?:protect|confidential|secur|not to use|prohibited)|only (?:the )?information "
              r"(?:they|needed|necessary|that is necessary|required))"),
        (1.0, r"\b(?:(?:restrict|limit)s? (?:their |its )?access|comparable level of protection|"
              r"(?:manage|handle) (?:your |customers' )?personal information (?:properly|"
              r"appropriately|securely)|require (?:\w+ ){0,4}(?:to|that they) (?:protect|keep|"
              r"maintain|manage))"),
        (0.6, HEAD + r"(?:data |information |internet |site |our commitment to )?(?:security|"
              r"safeguard|protecti(?:ng|on) (?:of )?(?:your )?(?:personal )?(?:information|"
              r"data)|how (?:do )?we (?:protect|secure|safeguard)|is my (?:personal )?"
              r"information (?:protected|secure|safe))"),
    ],
    POLICY_CHANGE: [
        (1.0, r"\b(?:chang|modif|amend|revis|updat|alter)(?:e|es|ed|ing|ies|ication|ications|"
              r"ment|ments|ions?)?\b[^.]{0,40}\b(?:this|our|the|these|its|any) (?:online |"
              r"website |web site )?(?:privacy )?(?:policy|policies|statement|notice|terms|"
              r"guidelines|practices)"),
        (1.0, r"\b(?:this|our|the) (?:online )?(?:privacy )?(?:policy|statement|notice)\b"
              r"[^.]{0,40}\b(?:chang|modif|amend|revis|updat)"),
        (0.6, r"\b(?:material(?:ly)? chang|check (?:this page|back|this policy) (?:\w+ )?"
              r"(?:periodically|often|regularly|frequently)|periodically (?:review|check|"
              r"visit)|from time to time|continued use|continue to use|effective (?:upon|when|"
              r"immediately)|(?:in|for) a (?:way|manner) (?:not|different|materially)|"
              r"(?:post|posting|posted) (?:the |any )?(?:changes|modifications|revisions|"
              r"updated|revised|new))"),
        (0.5, r"\bnotify (?:you|users|parents)\b[^.]{0,50}\bchange|\bchanges?\b[^.]{0,40}"
              r"\b(?:posted|notify|notice|effective)"),
        (-1.0, r"\b(?:(?:was|were|is) (?:last )?(?:updated|modified|revised|amended) "
               r"(?:on|as of|effective)|last (?:updated|modified|revised))\b"),
        (-0.8, r"\b(?:changes?|updates?|modify|update) (?:to )?your (?:preferences|settings|"
               r"information|account|profile|choices|personal)"),
    ],
    DNT: [
        (1.2, r"\bdo[- ]not[- ]track\b|\bdnt\b|\btracking requests?\b"),
    ],
    AUDIENCES: [
        (1.0, r"\b(?:children|child|childs|child's|kids|minors?|under (?:the age of |age )?"
              r"1[368]|coppa|teens?|teenagers|younger than 1[368]|1[368] years)\b"),
        (0.6, r"\b(?:students?|california)\b"),
        (0.6, r"\b(?:parents?|guardians?)\b(?! (?:compan|corporation|organi[sz]ation|entit|"
              r"firm))"),
        (1.0, r"\b(?:california (?:residents?|law|privacy|civil|customers|users|consumers)|"
              r"your california|shine the light|1798\.83|european (?:union|economic)|eea|"
              r"privacy shield|switzerland|swiss|canadian|outside (?:of )?the (?:united "
              r"states|u\.s\.|us|european)|international (?:users|visitors|transfers?|"
              r"customers)|other countries|residents? of|nevada|gdpr|\beu\b)\b"),
        (0.5, r"\b(?:safe harbou?r|united states|u\.s\.|country|countries|jurisdictions?|"
              r"canada|transferred to|cross-border)\b"),
    ],
    OTHER: [
        # how to reach the company: an e-mail address, a phone number, a postal address
        (0.8, r"[\w.+-]+@[\w-]+\.\w|\b\d{3}[-. )]\s?\d{3}[-. ]\d{4}\b|\b(?:suite \d|p\.?o\.? "
              r"box|attn\b|attention:)|\b\d+ [A-Z][a-z]+ (?:street|st\.|avenue|ave\.|road|"
              r"blvd|drive|way|parkway)\b"),
        (0.5, r"\b(?:contact us|questions?|comments?|concerns?|complaints?|inquiries|write to "
              r"us|reach us)\b"),
        (0.8, r"\b(?:last (?:updated|modified|revised)|effective (?:date|as of)|revision date)"
              r"\b"),
        (0.6, r"\b(?:this (?:privacy )?(?:policy|statement|notice) (?:applies|describes|"
              r"explains|covers|sets (?:out|forth)|is intended|discloses|governs|tells|"
              r"informs|outlines)|(?:takes?|take) (?:your )?privacy seriously|(?:we )?respects?"
              r" (?:your|the) privacy|committed to (?:protecting|respecting|safeguarding)|"
              r"privacy is important|welcome to|terms of (?:use|service)|not responsible "
              r"for|no (?:control|responsibility)|links? to (?:other|third[- ]party|external)|"
              r"linked (?:sites|websites)|(?:when we use the term|the term [\"“]|we use the term|"
              r"refers to|as used in this)|governing law|disputes?|arbitration)\b"),
        (0.4, r"\b(?:introduction|overview|definitions?|scope|links? to other|summary|"
              r"privacy officer|privacy coordinator|customer service)\b"),
        (1.0, HEAD + r"(?:contact(?:ing)? us|how to contact|questions|links? to|"
              r"third[- ]party (?:links|sites|websites)|other (?:web)?sites|introduction|"
              r"overview|definitions|scope|governing law|terms of use)"),
    ],
}

# Segments about the policy itself (its scope, the company's commitment, other sites it does not
# cover) are `Other`; practices they name in passing ("how we collect and share") don't count.
ABOUT_THE_POLICY = (
    r"\b(?:this|our|the) (?:online )?(?:privacy )?(?:policy|statement|notice|privacy policy)\b"
    r"[^.]{0,30}\b(?:tells|describes|covers|sets (?:out|forth)|details|explains|applies|"
    r"discloses|outlines|informs|governs|is intended|is designed|does not apply|only applies)"
    r"|\b(?:committed to (?:protecting|respecting|safeguarding|maintaining)|respects? (?:the|"
    r"your) privacy|takes? (?:\w+ )?(?:very )?seriously|privacy is (?:very )?important|"
    r"we value your)"
    r"|\b(?:(?:is|are) not responsible for|(?:has|have) no (?:control|responsibility))"
)

# Segments written for a specific audience (children and their parents, California residents)
# are labelled with that audience only: the practices they mention are the audience's rules.
AUDIENCE_FOCUS = (
    r"\b(?:children|child|childs|child's|kids|minors?|under (?:the age of |age )?1[368]|coppa|"
    r"shine the light|1798\.83|california (?:residents?|customers|users|privacy rights|"
    r"civil code|law))\b"
)
