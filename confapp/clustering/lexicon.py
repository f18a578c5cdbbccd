"""Hand-written domain lexicon for Norwegian school-conference text (bokmål and nynorsk).

Three kinds of entry, all compared on folded keys (see ``normalize.fold``):

* ``STOPWORDS``: function words of both written standards, plus filler verbs.
* ``SYNONYMS``: spellings, abbreviations and nynorsk forms that mean the same thing as a
  canonical key (``HS`` = ``helsesøster`` = ``helsesjukepleiar`` -> ``helsesykepleier``).
* ``CONCEPTS``: broader topics of school development work (absence, bullying, homework,
  transitions, digital tools, ...). A bullet mentioning any member gets the topic as an extra
  feature. The topics are written for Norwegian school development in general (the LOG guide,
  the Education Act's chapters, common conference themes), not for one data set.
"""

from __future__ import annotations

import unicodedata


def _fold(word: str) -> str:
    # Same folding as normalize.fold; duplicated to keep this module import-free.
    key = unicodedata.normalize("NFKC", word).lower()
    key = key.translate(str.maketrans({"æ": "a", "ø": "o", "å": "a", "é": "e", "ä": "a", "ö": "o"}))
    for digraph, single in (("aa", "a"), ("ae", "a"), ("oe", "o")):
        key = key.replace(digraph, single)
    return key


_STOP = """
og i på for som er det til at de en et med har av om vi kan ikke fra skal den var men eller
ved vil så seg noe noen mer mye bare også når hva hvem hvor hvordan hvorfor hvis fordi da dem
deres dere du jeg meg oss vår våre vårt sin sine sitt hans hennes henne han hun man alle alt
andre annen annet enn der her dette disse denne slik selv samme hver hvert mange flere få færre
mest mindre litt helt ofte alltid aldri nå allerede også enda jo nok vel kanskje bør burde
må måtte skulle kunne ville være er var vært blir bli ble blitt har ha hadde hatt gjør gjøre
gjorde får få fikk går gå gikk gang ganger sier si sa ta tar tok ut inn opp ned over under etter
før mellom mot uten innen gjennom rundt langs blant hos ifra fra til med ene eneste egen eget
egne hele heller både enten verken ingen ingenting inga noko nokon kva kven kor korleis kvifor
ikkje eg ho dei deira dykk me vere vore blei vert vart berre òg frå utan mellom sjølv eit ein
ei einaste kvar kvart fleire mykje nokre somme slik sånn
osv f.eks feks bl.a dvs evt ca mm etc pga
ja nei ok sammen saman igjen bort videre vidare meir endå difor sidan elles per annenhver
"""


def _words(text: str) -> list[str]:
    return text.split()


STOPWORDS: frozenset[str] = frozenset(_fold(w) for w in _words(_STOP))

# canonical key: the spellings, abbreviations and nynorsk forms that mean it ("-" joins multiword terms)
_SYNONYM_GROUPS: dict[str, str] = {
    "helsesykepleier": (
        "hs helsesøster helsesyster helsesykepleier helsesykepleiar helsesjukepleiar "
        "helsesjukepleier skolesykepleier skulesjukepleiar helsesøstera"
    ),
    "barnevern": (
        "bv bvt barnevern barnevernet barnevernstjeneste barnevernstjenesten "
        "barnevernsteneste barnevernstenesta"
    ),
    "ressursteam": "rt ressursteam ressursteamet ressursteama ressursgruppe",
    "ppt": (
        "ppt pp-tjeneste pp-tjenesten pp-teneste pp-tenesta pp-kontor pp-kontoret pedagogisk-psykologisk"
    ),
    "bup": "bup barne-og-ungdomspsykiatri bupa",
    "fau": "fau foreldrearbeidsutvalg foreldrearbeidsutval foreldreutvalg",
    "9a": "9a 9-a kap9a kapittel9a",
    "ungdomsskole": (
        "ungdomsskole ungdomsskule u-skole u-skule uskole ungdomstrinn ungdomssteg "
        "ungdomssteget ungdomstrinnet"
    ),
    "barneskole": "barneskole barneskule barnetrinn barnesteg barnesteget b-skole",
    "skole": "skule skole",
    "hjem": "heim hjem heime hjemme heimen",
    "uke": "veke uke veka uka vekene ukene",
    "måned": "mnd månad måned",
    "elev": "elev elevar elevane elever eleven elevene",
    "lærer": "lærar lærer lærarane lærarar læraren",
    "kontaktlærer": "kontaktlærar kontaktlærer kontaktlærarane",
    "sosiallærer": "sosiallærar sosiallærer sosialpedagog",
    "foreldre": "foreldre forelder foresatte føresette foreldra foreldrene",
    "fravær": "fråvær fravær fråværet fraværet",
    "følelse": "kjensle kjensler følelse følelser",
    "selvfølelse": "sjølvkjensle selvfølelse sjølvbilete selvbilde",
    "selvskading": "sjølvskading selvskading sjølvskade selvskade",
    "trenge": "treng trenge trenger trengs",
    "komme": "kjem kome komme kom",
    "fortelle": "fortelje fortelle",
    "følge": "følgje følge følgjer følger",
    "holde": "halde holde held holder",
    "sette": "setje sette setter",
    "vanskelig": "vanskeleg vanskelig vanskelege vanskelige vansklig",
    "mobbing": "mobbing mobbinga mobbingen",
    "spill": "spel spill",
    "digital": "digital digitale digitalt",
    "ikt": "ikt ikt-ansvarlig it",
    "ipad": "ipad ipadar ipader ipaden nettbrett brett",
    "pc": "pc chromebook chromebooks chromebooken laptop datamaskin bærbar",
    "leksehjelp": "leksehjelp leksehjelpa leksehjelpen leksehjelpar leksehjelper",
    "leksekafe": "leksekafe leksekafé leksecafe leksekaféen",
    "iop": "iop individuell opplæringsplan",
    "sakkyndig": "sakkyndig sakkunnig sakkunnige sakkyndige",
    "friminutt": "friminutt storefri friminutta friminuttene friminuttet",
    "tolk": "tolk tolkar tolker tolking",
    "nyankommen": "nyankommen nyankomne nykomne nyankomen",
    "flerspråklig": (
        "fleirspråkleg flerspråklig tospråklig tospråkleg minoritetsspråkleg "
        "minoritetsspråklig minoritetsspråklege minoritetsspråklige"
    ),
}

SYNONYMS: dict[str, str] = {}
DISPLAY: dict[str, str] = {}  # folded canonical key -> how to write it in a label
_UPPER = {"ppt", "bup", "fau", "9a", "iop", "ikt"}
for _canon, _forms in _SYNONYM_GROUPS.items():
    DISPLAY[_fold(_canon)] = _canon.upper() if _canon in _UPPER else _canon
    for _form in (_canon, *_words(_forms)):
        SYNONYMS[_fold(_form)] = _fold(_canon)

# Topics. Members are lemmas (or canonical keys above); compounds match through their parts.
_CONCEPT_GROUPS: dict[str, str] = {
    "C_fravær": (
        "fravær skulk skulke skolevegring skulevegring sykefravær sjukefråvær "
        "fraværsgrense oppmøte tilstedeværelse forsentkomming borte hjemmesitter permisjon fraværsføring"
    ),
    "C_mobbing": (
        "mobbing mobbe mobber mobbesak krenkelse krenke krenking utestenging utestengning "
        "utestengt erting erte plaging trakassering 9a aktivitetsplan skolemiljø "
        "skolemiljøteam elevundersøkelse elevundersøking"
    ),
    "C_lekser": (
        "lekse leksehjelp leksekafe lekseverksted lekseplan hjemmelekse leksefri leksearbeid lekselesing"
    ),
    "C_foreldre": (
        "foreldre fau foreldremøte foreldresamtale utviklingssamtale foreldrekontakt "
        "foreldreråd hjem-skole heim-skule familie foreldresamarbeid foreldrekveld"
    ),
    "C_minoritet": (
        "flerspråklig nyankommen innføringsklasse innføringsgruppe mottaksklasse tolk "
        "morsmål morsmålslærer morsmålsopplæring innvandrer flyktning andrespråk "
        "norskopplæring oversette oversettelse minoritet"
    ),
    "C_barnevern": (
        "barnevern bekymringsmelding meldeplikt opplysningsplikt omsorgssvikt "
        "barnevernsmelding undersøkelsessak omsorgsovertakelse overgrep"
    ),
    "C_ppt": (
        "ppt sakkyndig henvisning henvise tilvising tilråding utredning utrede "
        "spesialundervisning iop enkeltvedtak spesialpedagog logoped henvisningsskjema"
    ),
    "C_helsesykepleier": "helsesykepleier skolehelsetjeneste helsestasjon skolelege pubertet vaksinasjon",
    "C_ressursteam": "ressursteam ressursteammøte",
    "C_møte": ("møte referat dagsorden agenda saksliste innkalling møteplan møtestruktur møtetid møtested"),
    "C_tid": (
        "tid tidsbruk timeplan fellestid teamtid planleggingstid planleggingsdag "
        "samarbeidstid arbeidstid tidsressurs årshjul ukeplan tidspunkt"
    ),
    "C_assistent": (
        "assistent fagarbeider barne-og-ungdomsarbeider miljøarbeider miljøterapeut lærling elevassistent"
    ),
    "C_digital": (
        "digital ikt ipad pc skjerm skjermtid app plattform teams showbie visma "
        "itslearning passord innlogging logge nett internett wifi mobil mobiltelefon snap "
        "snapchat tiktok chat nettvett data skjermbruk gaming kahoot chatgpt"
    ),
    "C_overgang": (
        "overgang overgangsmøte overføringsmøte overføring ungdomsskole barneskole "
        "barnehage videregående skolebytte skolestart fadder fadderordning"
    ),
    "C_psykisk": (
        "psykisk angst depresjon stress press selvskading livsmestring søvn ensomhet "
        "ensom trist sorg krise dødsfall følelse selvfølelse bup samtalegruppe uhelse "
        "prestasjonspress kroppspress spiseforstyrrelse selvmord"
    ),
    "C_uro": (
        "uro urolig bråk støy klasseledelse klasseregel regel ro atferd utagerende "
        "belønning belønningssystem arbeidsro"
    ),
    "C_fag": (
        "lese lesing lesevanske skrive skriving skrivevanske dysleksi matte matematikk regning lesekurs"
    ),
    "C_friminutt": "friminutt inspeksjon trivselsleder skolegård lek uteområde trivselsprogram ballbinge",
    # Further common themes of school development work, not tied to any one data set.
    "C_sfo": "sfo aks skolefritidsordning aktivitetsskole",
    "C_mat": "skolemat frokost lunsj matpakke kantine mat skolefrukt matservering",
    "C_fysisk": "kroppsøving gym idrett fysisk uteskole bevegelse svømming",
    "C_elevstemme": "elevråd elevmedvirkning elevstemme elevsamtale medvirkning",
    "C_kartlegging": "kartlegging kartleggingsprøve karakter underveisvurdering heldagsprøve",
    "C_kompetanse": (
        "kompetanseheving etterutdanning videreutdanning kollegaveiledning kompetanseutvikling "
        "fagdag hospitering"
    ),
    "C_tidlig_innsats": "intensivopplæring innsats tilpasse differensiering nivådeling",
    "C_rus": "rus alkohol snus vape hasj narkotika politi kriminalitet slt",
    "C_vold": "vold trussel avvik avviksmelding utagering",
    "C_taushetsplikt": "taushetsplikt samtykke personvern informasjonsdeling samtykkeskjema",
    "C_dokumentasjon": "dokumentasjon dokumentere logg loggføring skjema",
}

CONCEPT_OF: dict[str, tuple[str, ...]] = {}
for _concept, _members in _CONCEPT_GROUPS.items():
    for _member in _words(_members):
        _key = SYNONYMS.get(_fold(_member), _fold(_member))
        CONCEPT_OF[_key] = (*CONCEPT_OF.get(_key, ()), _concept)

KNOWN_KEYS: frozenset[str] = frozenset(SYNONYMS.values()) | frozenset(CONCEPT_OF)

# Keys that make spurious compound splits (``rad`` in ``rådgiver``, ``ter`` in ``foreldremøter``).
NOT_PARTS: frozenset[str] = frozenset(
    _fold(w) for w in _words("rad ran ter ere ene tes ing ver lig het les sen set mot ord bar hel")
)
