"""Words and labels of general English the entities stage reads names by: titles, heads of
places, bodies and buildings, nouns of made things, and the names of the type cues."""

# NER labels that name something; dates, times and numbers belong to other stages.
NAME_LABELS = frozenset({"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Labels of bodies and made things, whose names NER sometimes cuts after a capitalised modifier.
BODY_LABELS = frozenset({"ORG", "PRODUCT", "WORK_OF_ART", "FAC"})
ROLE = "ROLE"
HANDLE = "HANDLE"

# Words that open a person's name as a title, not as part of it (general English).
TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "lady", "president", "vice", "prime",
    "minister", "secretary", "senator", "sen", "rep", "representative", "gov", "governor", "mayor", "king",
    "queen", "prince", "princess", "pope", "chancellor", "general", "gen", "col", "lt", "capt", "sgt",
    "judge", "justice", "chief", "spokesman", "spokeswoman", "spokesperson", "ambassador", "premier",
    "speaker", "leader", "officer", "director", "chairman", "chairwoman", "ceo", "st", "saint", "rev", "professor",
    # ranks of the police and the forces ("Const. Tim Fanning", "Det. Sgt. ...", "Adm. Bill Gortney")
    "const", "constable", "det", "detective", "cpl", "corporal", "sergeant", "lieutenant", "captain", "insp",
    "inspector", "supt", "superintendent", "commissioner", "commander", "cmdr", "adm", "admiral", "maj",
})
# Titles only people bear: a name NER labels otherwise but opens with one is a person's ("Professor Varoufakis").
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "gov", "governor",
                        "sen", "senator", "rep", "judge", "mayor", "sgt", "capt", "lt", "rev", "const", "constable",
                        "det", "detective", "cpl", "insp", "supt"})
# Titles that tell a man from a woman: a surname "Mr." and "Ms." both open names two people.
MALE_TITLES = frozenset({"mr"})
FEMALE_TITLES = frozenset({"mrs", "ms", "miss"})
# Heads of a role that make its holder "the <nationality> leader" (general English).
LEADER_TITLES = frozenset({"president", "prime minister", "premier", "chancellor", "leader", "king", "queen",
                           "head of state", "head of government"})
LEADER_WORDS = frozenset({"leader"})
ROLE_DEPS = frozenset({"compound", "amod", "nmod"})
# Parts of an apposition that describe a clause, not the role itself.
CLAUSE_DEPS = frozenset({"relcl", "acl", "appos", "advcl", "conj", "cc", "punct"})

# Evidence of a type in the words around a mention (general English), counted over all of an
# entity's mentions by `type_evidence.entity_type`.
TITLE, SAID, PLACE_NOUN, IN, MODEL, THE, VERSION, BODY, FACILITY, AT = (
    "TITLE", "SAID", "PLACE_NOUN", "IN", "MODEL", "THE", "VERSION", "BODY", "FACILITY", "AT")
# Common nouns of buildings and sites: after a name they make it the building's ("Pagliarelli prison", "the
# Cliffside rehab centre", "the Estelle prison unit"), unless "a" opens the phrase ("a Malibu rehab facility").
FACILITY_NOUNS = frozenset({
    "prison", "jail", "penitentiary", "facility", "center", "centre", "clinic", "hospital", "resort", "hotel",
    "motel", "stadium", "arena", "ballpark", "museum", "theater", "theatre", "airport", "mall", "courthouse",
})
# Prepositions of arriving and staying at a building, not at a person ("at Morningside", "checked into X").
AT_PREPOSITIONS = frozenset({"at", "into"})
# Nouns only a company or another body has: "Verisign's shares", "shares of Verisign", "the Verisign CEO".
BODY_NOUNS = frozenset({
    "shares", "stock", "shareholders", "stockholders", "subsidiary", "subsidiaries", "unit", "division",
    "ceo", "cfo", "cto", "coo", "executives", "employees", "headquarters", "website", "products", "customers",
    "brand", "stores", "factory", "factories", "plant", "branch", "branches",
})
# Entity labels of a number after a name that is no version ("Friday 13", "up 5 percent").
NOT_VERSIONS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY"})
# Nouns of the versions of a made thing: "versions of IE", "the IE 7 version".
VERSION_NOUNS = frozenset({"version", "versions", "edition", "editions"})
# A title before a name makes it a person's ("Mr. Nichols", "Gov. Noem"); "St" opens places (St Petersburg).
PERSON_TITLES = TITLES - {"st", "saint"}
SPEECH_AFTER = frozenset({"said", "says", "told", "added", "explained", "warned", "insisted", "stated"})
SPEECH_BEFORE = frozenset({"said", "says", "added", "explained", "warned"})  # "said Fauzi"; "told AFP" is a hearer
# Common nouns that make the name before them a place ("Exarchia district"), or the name after "the … of" one
# ("the capital of Ashgabat" reads "the capital of X").
PLACE_NOUNS = frozenset({
    "district", "districts", "province", "provinces", "county", "region", "city", "town", "village", "state",
    "island", "islands", "municipality", "prefecture", "neighborhood", "neighbourhood", "suburb", "borough",
    "capital", "regency", "governorate", "oblast", "territory", "area", "valley", "coast", "peninsula",
})
PLACE_PREPOSITIONS = frozenset({"in", "near", "outside"})
# Prefixes that name a ship ("INS Mysore", "MV Stolt Valor", "HMS Belfast"): a vessel, not a person.
VESSEL_PREFIXES = frozenset({"MV", "USS", "HMS", "INS", "RMS", "HMAS", "HMCS", "USNS"})
# Common nouns of made things: beside one, a name is a thing or its maker, not a person ("a .357 Magnum
# handgun", "the warship INS Mysore", "the Internet Explorer browser").
PRODUCT_NOUNS = frozenset({
    "gun", "handgun", "pistol", "revolver", "rifle", "shotgun", "weapon", "missile", "rocket", "warship", "ship",
    "vessel", "tanker", "freighter", "frigate", "destroyer", "submarine", "boat", "yacht", "ferry", "jet",
    "plane", "aircraft", "airliner", "helicopter", "drone", "car", "truck", "van", "vehicle", "browser",
    "software", "phone", "smartphone", "computer", "laptop", "tablet", "console",
})
# A given name's transliteration key this long or longer ("ilas" of Ilias / Elias) may join two spellings.
MIN_TRANSLITERATION_KEY = 4
# Legal suffixes of company names, as `name_keys.joined_key` writes them.
COMPANY_SUFFIXES = frozenset({"corp", "corporation", "inc", "incorporated", "ltd", "limited", "co", "plc", "llc",
                              "gmbh", "ag", "sa", "nv", "spa"})
# Heads of noun phrases that name no person, so no role (general English; with ORG_HEADS and FAC_HEADS below).
MEDIA_HEADS = frozenset({"magazine", "newspaper", "paper", "website", "site", "channel", "agency", "daily"})
# Last words that make a name an organisation or a facility ("Surrey Police", "Marfin Bank", "Baptist Church").
ORG_HEADS = frozenset({
    "police", "bank", "court", "council", "ministry", "department", "party", "university", "college",
    "commission", "committee", "agency", "association", "federation", "union", "fund", "service", "services",
    "company", "corporation", "corp", "inc", "ltd", "llc", "plc", "group", "institute", "board", "authority",
    "organisation", "organization", "foundation", "army", "navy", "parliament", "assembly", "congress",
    "senate", "league", "club", "network", "bureau", "brigade", "police department", "ministries",
})
FAC_HEADS = frozenset({
    "street", "avenue", "road", "boulevard", "lane", "square", "bridge", "stadium", "arena", "church",
    "cathedral", "mosque", "temple", "synagogue", "courthouse", "airport", "hospital", "mall", "prison",
    "jail", "highway", "motorway", "tower", "palace", "station", "dam", "tunnel", "ave", "blvd", "rd",
    "center", "centre", "clinic", "dome", "hotel", "motel", "resort", "penitentiary", "museum",
})

# Nouns of a group of people: a group is no one person's role ("the crime family, Vito Genovese" parsed
# as an apposition of "family" would make every later "the crime family" a form of him).
GROUP_HEADS = frozenset({"family", "families", "clan", "gang", "crew", "team", "staff", "tribe", "band",
                         "dynasty", "household", "couple", "mob", "syndicate", "cartel"})
# Parts of the body: a sports report's injury note ("Reggie Bush (knee)") parses as an apposition.
# Not "back" (a running back) nor "head" (the head of a body).
BODY_PARTS = frozenset({
    "knee", "knees", "shoulder", "shoulders", "groin", "foot", "feet", "ankle", "ankles", "hamstring",
    "calf", "thigh", "hip", "neck", "elbow", "wrist", "hand", "finger", "thumb", "toe", "heel", "achilles",
    "ribs", "rib", "chest", "abdomen", "quadriceps", "quad", "shin", "forearm", "spine", "concussion",
})

# Nouns of places, buildings and bodies: the word after a name that makes it no person's.
NAMED_THING_HEADS = PLACE_NOUNS | FAC_HEADS | ORG_HEADS | MEDIA_HEADS
# Heads of a noun phrase that name no person, so no role.
NOT_ROLE_HEADS = NAMED_THING_HEADS | GROUP_HEADS | BODY_PARTS
