"""What the demo loads: facts from the real blog, and short texts written for the demo.

Facts (from the Welzijn Nederland blog, 2009–2011): the trend list 2010 (titles and
descriptions, verbatim), the December 2010 series "11 gastbloggers blikken terug op 2010"
(dates, titles, authors, the trend each post looks back on), the guests' organisations and
roles, the editor's name and the titles of her posts. Everything else is written for the demo:
the guest texts, comments, outcomes, and the coming December's trends and series. The project
never reads the seed files at run time; this module is the only source.
"""

from dataclasses import dataclass, field
from datetime import timedelta

EDITOR_PASSWORD = "redactie-demo-2010"
GUEST_PASSWORD = "gastblog-demo-2010"

# The 2010 series went out at 07:00 Amsterdam time, as the blog had it.
SERIES_2010_HOUR = 7


@dataclass(frozen=True)
class Person:
    username: str
    first_name: str
    last_name: str
    display_name: str
    bio: str
    organisation: str = ""
    role: str = ""
    can_log_in: bool = True
    palette: int = 0

    @property
    def email(self) -> str:
        return f"{self.username}@example.org"

    @property
    def initials(self) -> str:
        words = self.display_name.split()
        return (words[0][0] + words[-1][0]).upper()


@dataclass(frozen=True)
class TrendSpec:
    number: int
    title: str
    description: str
    outcome: str = "open"
    outcome_note: str = ""


@dataclass(frozen=True)
class Banner:
    """A featured image drawn with Pillow: a label on a soft background, and its alt text."""

    label: str
    alt: str
    palette: int
    seed: int


@dataclass(frozen=True)
class CommentSpec:
    name: str
    email: str
    body: str
    # An approved comment came this long after the post went live; a pending one is recent
    # (this long before the demo ran), so it waits in today's moderation queue.
    after: timedelta = timedelta(hours=3)
    pending: bool = False
    by_author: bool = False
    replies: tuple["CommentSpec", ...] = ()


@dataclass(frozen=True)
class GuestPost2010:
    day: int  # of December 2010
    slug: str
    title: str
    author: str  # username
    trend: int | None
    lead: str  # the editor's introduction; the trend is quoted after it
    text: str  # the guest's Markdown
    bio: str
    question: str  # the editor's question before the blog's closing calls
    tags: tuple[str, ...]
    banner: Banner | None = None
    comments: tuple[CommentSpec, ...] = ()


@dataclass(frozen=True)
class EditorPost:
    slug: str
    title: str
    published: tuple[int, int, int, int, int]  # year, month, day, hour, minute (Amsterdam)
    text: str
    tags: tuple[str, ...]
    trend: int | None = None
    banner: Banner | None = None


@dataclass(frozen=True)
class PageSpec:
    slug: str
    title: str
    text: str


@dataclass(frozen=True)
class Step:
    """One workflow move of a coming post, backdated `ago` so queues show waiting time."""

    action: str  # submit | edit_intro | request_changes | approve
    ago: timedelta
    note: str = ""


@dataclass(frozen=True)
class ComingPost:
    position: int
    title: str
    slug_base: str  # the year is appended: one series per coming December
    author: str
    trend: int
    text: str
    steps: tuple[Step, ...] = ()
    intro: str = ""  # written by the editor in an edit_intro step
    created_ago: timedelta = field(default=timedelta(days=14))


# --- people ------------------------------------------------------------------------------

EDITOR = Person(
    username="redactie",
    first_name="Anneke",
    last_name="Krakers",
    display_name="Anneke Krakers",
    bio=(
        "Anneke Krakers schrijft over welzijnswerk, marketing en social media. Elk jaar maakt "
        "ze een lijst met trends voor het welzijnswerk en in december kijken gastbloggers terug."
    ),
    organisation="Welzijn Nederland",
    role="redactie",
    palette=0,
)

# The five guests whose posts are in the blog's archive: they get accounts that can log in.
GUESTS = (
    Person(
        username="hans.versteegh",
        first_name="Hans",
        last_name="Versteegh",
        display_name="Hans Versteegh",
        organisation="Stichting Welzijn Amersfoort",
        role="opbouwwerker",
        bio=(
            "Pleitbezorger van Welzijn 2.0 en secretaris van CODE 2.0. Geeft inspiratiesessies "
            "en blogt over welzijn en ICT."
        ),
        palette=1,
    ),
    Person(
        username="carel.demari",
        first_name="Carel",
        last_name="de Mari",
        display_name="Carel de Mari",
        organisation="Stichting Welzijn Ouderen Schoonhoven",
        role="schrijver en bestuurslid",
        bio="Schrijver van verhalen, en betrokken bij het wel en wee van de ouderen in Schoonhoven.",
        palette=2,
    ),
    Person(
        username="jos.reinders",
        first_name="Jos",
        last_name="Reinders",
        display_name="Jos Reinders",
        organisation="Welzijnsgroep Parkstad Limburg",
        role="online hulpverlening",
        bio="Ziet kansen voor welzijn online en weet anderen te enthousiasmeren om mee te doen.",
        palette=3,
    ),
    Person(
        username="teun.hofmeijer",
        first_name="Teun",
        last_name="Hofmeijer",
        display_name="Teun Hofmeijer",
        organisation="Impuls Oldenzaal",
        role="opbouwwerker",
        bio=(
            "Werkt aan gezonde buurten, wijken en steden: de gemeenschap is het gebouw waaraan hij "
            "bouwt. Bestuurslid van Community Development 2.0."
        ),
        palette=4,
    ),
    Person(
        username="daphne.vanknippenberg",
        first_name="Daphne",
        last_name="van Knippenberg",
        display_name="Daphne van Knippenberg",
        organisation="Dock Projecten",
        role="sociaal ondernemer",
        bio=(
            "Ontwikkelt en leidt sociale projecten in stedelijke vernieuwing, met een brede "
            "ervaring in samenlevingsopbouw en jongerenwerk."
        ),
        palette=5,
    ),
)

# The other authors of the 2010 series: public author pages, but no login.
SERIES_ONLY_AUTHORS = (
    Person(
        username="hatice.turkmen",
        first_name="Hatice",
        last_name="Turkmen",
        display_name="Hatice Turkmen",
        bio="Gastblogger in december 2010, over diversiteit in het welzijnswerk.",
        can_log_in=False,
        palette=6,
    ),
    Person(
        username="john.beckers",
        first_name="John",
        last_name="Beckers",
        display_name="John Beckers",
        bio="Gastblogger in december 2010, over de plaats van vrijwilligers.",
        can_log_in=False,
        palette=7,
    ),
    Person(
        username="folkert.kooistra",
        first_name="Folkert",
        last_name="Kooistra",
        display_name="Folkert Kooistra",
        bio="Gastblogger in december 2010, op zoek naar de grootste trend van het jaar.",
        can_log_in=False,
        palette=1,
    ),
    Person(
        username="bart.demmers",
        first_name="Bart",
        last_name="Demmers",
        display_name="Bart Demmers",
        bio="Gastblogger in december 2010, over vertrouwen tussen opdrachtgever en welzijnswerk.",
        can_log_in=False,
        palette=2,
    ),
    Person(
        username="hannie.vanbaren",
        first_name="Hannie",
        last_name="van Baren",
        display_name="Hannie van Baren",
        bio="Gastblogger in december 2010, over samenwerken zonder te fuseren.",
        can_log_in=False,
        palette=3,
    ),
    Person(
        username="zip-cafe",
        first_name="ZIP",
        last_name="café",
        display_name="ZIP café-bezoekers",
        bio="Professionals uit zorg en welzijn die elkaar in het ZIP café ontmoeten om ideeën te delen.",
        can_log_in=False,
        palette=4,
    ),
)


# --- the trend list 2010 (facts: titles and descriptions as the blog published them) --------

TRENDS_2010_TITLE = "Trends welzijnswerk 2010"
TRENDS_2010_INTRO = (
    "In de tijd van lijstjes en overzichten: elf trends voor het welzijnswerk in 2010. "
    "In december 2010 keken elf gastbloggers terug: is de trend uitgekomen?"
)
TRENDS_2010 = (
    TrendSpec(
        1, "Vertrouwen wordt belangrijker dan meten",
        "er komt in 2010 een einde aan alle overmatige aandacht voor het meten van prestaties en "
        "resultaten. Vertrouwen wordt weer belangrijk. Goede persoonlijke relaties worden weer op "
        "prijs gesteld.",
        outcome="partly",
        outcome_note="Het gesprek over vertrouwen kwam op gang; de registratielast bleef.",
    ),
    TrendSpec(
        2, "Fuseren raakt uit de mode",
        "er komt een einde aan het fusiegeweld. Welzijnsorganisaties gaan op zoek naar slimme "
        "samenwerkingsvormen. De eerste franchiseformule voor welzijnsorganisaties wordt gelanceerd.",
        outcome="did_not",
        outcome_note="Er werd volop gefuseerd en een franchiseformule kwam er nog niet.",
    ),
    TrendSpec(
        3, "Positie van vrijwilligers verandert",
        "van lastig te positioneren doelgroep worden vrijwilligers het goud van de organisatie. "
        "Vrijwilligers eisen fatsoenlijk HRM beleid.",
        outcome="partly",
        outcome_note="Meer organisaties kregen vrijwilligersbeleid; bezuinigingen trokken een wissel.",
    ),
    TrendSpec(
        4, "Diversiteit wordt belangrijker dan doelgroep",
        "ouderenwerk, jongerenwerk en andere categorale werksoorten maken plaats voor diversiteit "
        "in buurten, wijken en vitale netwerken.",
    ),
    TrendSpec(
        5, "Meer ‘au’ dan ‘wauw’",
        "het welzijnswerk focust op de pijn van haar klanten. De welzijnswerker weet waar de pijn "
        "zit en wat de behoefte van de klant is. Wij realiseren ons dat we er speciaal zijn voor die "
        "mensen die ons nodig hebben (en niet meer voor iedereen!).",
        outcome="did_not",
        outcome_note="Het welzijnswerk bleef ‘wauw’ nodig hebben om ‘au’ te verzachten.",
    ),
    TrendSpec(
        6, "Revival opbouwwerk",
        "het opbouwwerk komt in een stroomversnelling van positieve energie en aandacht. We "
        "(her)ontdekken methodieken die naadloos aansluiten bij Welzijn Nieuwe Stijl.",
        outcome="partly",
        outcome_note="Scheuren in de glazen bol: een kopgroep van vrijdenkers staat op.",
    ),
    TrendSpec(
        7, "Welzijnsorganisaties lanceren landelijk merk",
        "Het eerste landelijke merk® wordt een feit. De merkwaarde is zo uitgebalanceerd dat "
        "welzijnsorganisaties massaal het merk invoeren in hun portfolio. Uiteraard is het merk "
        "beschermd en voorbehouden aan welzijnsorganisaties.",
        outcome="partly",
        outcome_note="Klikvoorhulp.nl groeide hard, al werd het nog geen merk voor heel welzijn.",
    ),
    TrendSpec(
        8, "Social media is booming",
        "Welzijnswerkers twitteren, bloggen, hyven en zijn te vinden op Linkedin. Via sterke "
        "sociale netwerken hervinden zij beroepstrots en laten ze zien dat ze experts zijn in "
        "sociale beweging.",
        outcome="came_true",
        outcome_note="Een niet te stoppen ontwikkeling, al is het nog geen vast deel van het werk.",
    ),
    TrendSpec(
        9, "Menselijke maat is de nieuwe moraal",
        "en wordt belangrijker dan professionele (lees: afstandelijke) houding. De welzijnswerker "
        "Nieuwe Stijl biedt service, aandacht en een arm om de schouder.",
    ),
    TrendSpec(
        10, "Ziektepreventie wordt de derde peiler",
        "naast participatie en zelfredzaamheid wordt ziektepreventie/gezondheidsbevordering de "
        "derde peiler van het welzijnswerk. Van meet af aan laat het welzijnswerk zien wat haar "
        "toegevoegde waarde is op dit terrein en zorgt zij voor een krachtige positionering. "
        "Vooral ‘bewegen in de wijk’ en ‘samen gezond eten’ worden speerpunten.",
    ),
    TrendSpec(
        11, "WIP",
        "het WIP wordt opgericht, Welzijn Innovatie Platform en gaat samenwerken met ZIP, Zorg "
        "Innovatie Platform. VWS en EZ juichen dit toe en belonen het initiatief met ongekend hoge "
        "subsidies.",
        outcome="did_not",
        outcome_note="Geen WIP en geen subsidies; wel een levendig ZIP café.",
    ),
)

# --- the December 2010 series (facts: days, titles, authors, trends) ---------------------

SERIES_2010_SLUG = "gastbloggers-blikken-terug-op-2010"
SERIES_2010_TITLE = "11 gastbloggers blikken terug op 2010"
SERIES_2010_INTRO = (
    "Eind 2009 beschreef de redactie elf trends in het welzijnswerk. In december 2010 keken elf "
    "gastbloggers terug, elk op één trend: elke werkdag om zeven uur 's ochtends een gastblog."
)

CLOSING = "Je bent welkom om hieronder te reageren."
CLOSING_MORE = "Meer gastblogs lezen de komende dagen? Meld je dan even aan voor de mailinglijst."
CLOSING_LAST = (
    "Dit was het laatste gastblog van de reeks. Wil je de volgende trendlijst niet missen? "
    "Meld je dan even aan voor de mailinglijst."
)

SERIES_2010 = (
    GuestPost2010(
        day=6, slug="social-media-is-booming", title="Social Media is Booming",
        author="hans.versteegh", trend=8,
        lead=(
            "Dit is het eerste gastblog van de elf die gaan komen. Uiteraard vroeg ik mijn "
            "Welzijn 2.0-maatje Hans Versteegh om terug te kijken op trend 8."
        ),
        text="""\
Een jaar geleden klonk het nog als wensdenken: welzijnswerkers die massaal twitteren en bloggen.
Inmiddels kom ik collega's tegen op Twitter, LinkedIn en Hyves, van jongerenwerker tot directeur.

# Is de trend uitgekomen?

Voor een groot deel wel. Wat mij opviel in 2010:

- de vroege vogels kregen gezelschap van collega's die anderen nieuwsgierig maken;
- nieuwe netwerken brengen mensen samen die elkaar anders nooit hadden gevonden;
- een beroepsvereniging ontdekte dat ze haar achterban online veel beter bereikt.

# Zijn we er?

Nog lang niet. Social media zijn nog geen vast onderdeel van het werk met bewoners en
vrijwilligers, en veel organisaties houden internet op de werkplek nog op slot. Mijn wens voor
volgend jaar: maak er het jaar van de digitale welzijnswerker van.""",
        bio=(
            "Hans Versteegh is opbouwwerker bij Stichting Welzijn Amersfoort en pleitbezorger van "
            "Welzijn 2.0."
        ),
        question="Ben je het met Hans eens? Of niet?",
        tags=("social media", "trends 2010", "welzijn 2.0"),
        banner=Banner(
            label="#8",
            alt="Illustratie: het teken #8 in wit op een blauwgroene achtergrond met lichte cirkels",
            palette=1, seed=8,
        ),
        comments=(
            CommentSpec(
                name="Marieke Jansen", email="marieke.jansen@example.com",
                body=(
                    "Herkenbaar! Bij ons twitteren de jongerenwerkers volop, maar de directie "
                    "kijkt nog de kat uit de boom. Hoe krijg je die mee?"
                ),
                after=timedelta(hours=2),
                replies=(
                    CommentSpec(
                        name="Hans Versteegh", email="hans.versteegh@example.org", by_author=True,
                        body=(
                            "Dank je, Marieke. Nodig je directeur eens uit voor een kop koffie "
                            "en laat zien wat jullie jongeren online al doen. Eén goed voorbeeld "
                            "overtuigt meer dan tien nota's."
                        ),
                        after=timedelta(hours=5),
                    ),
                    CommentSpec(
                        name="Peter de Wit", email="peter.dewit@example.com", pending=True,
                        body="Bij ons werkte precies dat. Wij zijn begonnen met een interne blog.",
                        after=timedelta(hours=6),
                    ),
                ),
            ),
            CommentSpec(
                name="Ruud Bakker", email="ruud.bakker@example.com",
                body=(
                    "Mediawijsheid hoort in de opleiding thuis. Zolang stagiaires niet leren hoe "
                    "je online met bewoners werkt, blijft het afhankelijk van enthousiastelingen."
                ),
                after=timedelta(days=1, hours=4),
            ),
        ),
    ),
    GuestPost2010(
        day=10, slug="mens-sana-in-corpore-sano", title="Mens sana in corpore sano",
        author="carel.demari", trend=10,
        lead=(
            "Dit is het tweede gastblog van deze serie. Carel de Mari is schrijver en laat in een "
            "kort verhaal zien hoe meedoen, zelfredzaamheid en gezondheid met elkaar samenhangen. "
            "Hij blogt over trend 10."
        ),
        text="""\
Mevrouw Dekker is achtenzeventig. Sinds haar man overleed komt ze de deur nauwelijks uit; ze eet
onregelmatig en de wandeling naar de markt slaat ze steeds vaker over. Twee straten verder woont
meneer Bos, die na een lichte beroerte zijn bridgeclub niet meer durft te bezoeken.

# Eerst vinden, dan verbinden

Mensen als zij melden zich zelden uit zichzelf. Ze moeten gevonden worden: via de huisarts, de
fysiotherapeut, de kerk of een huisbezoek. Daarna helpt het als er in de buurt iets is om naartoe
te gaan: samen eten in het buurthuis, bewegen voor ouderen, een leesclub.

Een jaar later schuift mevrouw Dekker drie keer per week aan voor de warme maaltijd en geeft
meneer Bos weer bridgeles. Gezonder, en vooral minder alleen. Zo wordt preventie gewoon
welzijnswerk.""",
        bio=(
            "Carel de Mari is schrijver en bestuurslid van de Stichting Welzijn Ouderen Schoonhoven."
        ),
        question="Herken je het verhaal van Carel? Of niet?",
        tags=("ouderen", "preventie", "trends 2010"),
        comments=(
            CommentSpec(
                name="Ellen Smit", email="ellen.smit@example.com",
                body=(
                    "Mooi geschreven. De maaltijden in ons buurthuis zijn precies zo begonnen: "
                    "met één tafel en een pan soep."
                ),
                after=timedelta(hours=9),
            ),
        ),
    ),
    GuestPost2010(
        day=13, slug="klik-voor-hulp", title="Klikvoorhulp.nl",
        author="jos.reinders", trend=7,
        lead=(
            "Er komt goed werk uit het zuiden van ons land, zo goed dat er hard wordt gewerkt aan "
            "een landelijk merk. Daarom vroeg ik Jos Reinders om er in dit derde gastblog over te "
            "vertellen. Jos blogt over trend 7."
        ),
        text="""\
Een landelijk merk voor welzijn: in 2010 kwam het dichterbij dan ooit. Klikvoorhulp.nl begon als
regionale online hulpdienst en groeide uit tot een plek waar steeds meer instellingen voor
algemeen maatschappelijk werk samen hulp bieden via chat en mail.

# Waarom een merk werkt

- Wie hulp zoekt, zoekt op een naam en niet op een organisatie.
- Instellingen delen de kosten van techniek en scholing.
- Kwaliteit wordt zichtbaar, omdat iedereen dezelfde afspraken volgt.

De volgende stap is een werkplaats waar welzijnsorganisaties, hogescholen en ontwikkelaars samen
nieuwe online diensten bouwen. Delen maakt ons sterker.""",
        bio="Jos Reinders werkt bij de Welzijnsgroep Parkstad Limburg aan online hulpverlening.",
        question="Ken je zelf ook voorbeelden van sterke merken in welzijn? Laat het ons weten.",
        tags=("merk", "online hulpverlening", "trends 2010"),
        comments=(
            CommentSpec(
                name="Sandra Kok", email="sandra.kok@example.com", pending=True,
                body="Hoe sluit je als kleine instelling aan? Wij hebben geen eigen ICT-afdeling.",
                after=timedelta(hours=3),
            ),
        ),
    ),
    GuestPost2010(
        day=14, slug="de-glazen-bol-rond-het-opbouwwerk",
        title="De glazen bol rond het opbouwwerk", author="teun.hofmeijer", trend=6,
        lead=(
            "Deze vierde gastblog is van Teun Hofmeijer, opbouwwerker in hart en nieren. Benieuwd "
            "wat jullie vinden van het opbouwwerk in 2010, want daarover blogt Teun: trend 6."
        ),
        text="""\
Burgers die de regie pakken en een overheid die loslaat: het klinkt als een opdracht op maat voor
het opbouwwerk. Wie aan de keukentafel én aan de bestuurstafel een begrijpelijk verhaal kan
houden, is de aangewezen begeleider van die beweging.

# Scheuren in het glas

Lang stond het opbouwwerk achter glas: zichtbaar, maar niet aan tafel. In 2010 kwamen er barsten
in. Ik zie een groep opbouwwerkers die kennis deelt, elkaar uitdaagt en plezier uitstraalt, en een
beroepsvereniging die het roer radicaal omgooide.

Is de revival er al? Nog niet helemaal. Maar de geest is uit de fles, en ik verwacht dat 2011 het
jaar wordt waarin opbouwwerkers elkaar op sleeptouw nemen.""",
        bio=(
            "Teun Hofmeijer is opbouwwerker bij Impuls in Oldenzaal en bestuurslid van Community "
            "Development 2.0, de beroepsvereniging voor opbouwwerkers."
        ),
        question="Wat vind jij van het opbouwwerk in 2010?",
        tags=("opbouwwerk", "trends 2010", "welzijn nieuwe stijl"),
        comments=(
            CommentSpec(
                name="Wim Peters", email="wim.peters@example.com",
                body=(
                    "Die kopgroep herken ik. Op de laatste landelijke bijeenkomst was de energie "
                    "voelbaar. Nu de rest nog!"
                ),
                after=timedelta(hours=4),
            ),
        ),
    ),
    GuestPost2010(
        day=15, slug="diversiteit-toverwoord-van-2010", title="Diversiteit, toverwoord van 2010",
        author="hatice.turkmen", trend=4,
        lead=(
            "In het vijfde gastblog kijkt Hatice Turkmen kritisch naar een woord dat in 2010 "
            "overal opdook. Zij blogt over trend 4."
        ),
        text="""\
Diversiteit was het toverwoord van 2010. Het stond in beleidsplannen, subsidieaanvragen en
vacatureteksten. Maar een toverwoord is nog geen toverstok.

# Van doelgroep naar netwerk

Wie vanuit diversiteit werkt, kijkt niet naar hokjes als ‘ouderen’ of ‘jongeren’, maar naar wat
mensen in een buurt met elkaar verbindt. Dat vraagt:

1. nieuwsgierigheid naar verschillen in plaats van angst ervoor;
2. teams die lijken op de buurt waarin ze werken;
3. activiteiten die mensen mengen in plaats van scheiden.

Ik zag er in 2010 mooie voorbeelden van, maar de meeste budgetten zijn nog per doelgroep
georganiseerd. Zolang dat zo blijft, blijft diversiteit vooral een woord.""",
        bio=(
            "Hatice Turkmen is een van de elf gastbloggers die in december 2010 terugkeken op de "
            "trends van dat jaar."
        ),
        question="Is diversiteit bij jou meer dan een woord?",
        tags=("diversiteit", "trends 2010"),
    ),
    GuestPost2010(
        day=16, slug="au-en-wauw", title="Au en wauw",
        author="daphne.vanknippenberg", trend=5,
        lead=(
            "Met dit zesde gastblog zijn we over de helft! Daphne van Knippenberg koos bewust voor "
            "trend 5. Moet het welzijnswerk kiezen tussen de pijn en het plezier? Daphne denkt van "
            "niet."
        ),
        text="""\
Een paar jaar geleden leerde ik buurten te bekijken door de bril van burgerschapsstijlen: hoe
binden verschillende mensen zich aan hun omgeving? Die bril heeft mijn kijk op welzijnswerk
blijvend veranderd.

# Waarom ‘wauw’ nodig is

De sterkste bron van hulp in een buurt zijn de bewoners zelf. Wie wil dat buurtgenoten elkaar
verder helpen, moet ook de bewoners bereiken die het goed hebben en afwachten. Die kom je niet
tegen aan het loket, wel bij een festival, een ruilbeurs of een creatieve werkplaats.

Daarom gaat ‘meer au dan wauw’ het wat mij betreft niet worden. Het welzijnswerk heeft ‘wauw’
hard nodig om ‘au’ te verzachten.""",
        bio=(
            "Daphne van Knippenberg is sociaal ondernemer met het bureau Dock Projecten en "
            "ontwikkelt sociale projecten in stedelijke vernieuwingswijken."
        ),
        question="Ben je het eens met Daphne? Hoe verkoop jij het ‘wauw’ aan je opdrachtgever?",
        tags=("burgerschapsstijlen", "civil society", "trends 2010"),
        banner=Banner(
            label="au · wauw",
            alt="Illustratie: de woorden ‘au’ en ‘wauw’ in wit op een warme oranje achtergrond",
            palette=5, seed=5,
        ),
        comments=(
            CommentSpec(
                name="Joke van Dam", email="joke.vandam@example.com",
                body=(
                    "Eindelijk iemand die het zegt. Onze zomerfeesten worden als ‘franje’ "
                    "wegbezuinigd, terwijl we er juist de buren leren kennen die later helpen."
                ),
                after=timedelta(hours=3),
                replies=(
                    CommentSpec(
                        name="Mehmet Yilmaz", email="mehmet.yilmaz@example.com",
                        body="Bij ons precies zo. Het feest is de ingang, niet de franje.",
                        after=timedelta(hours=7),
                    ),
                ),
            ),
        ),
    ),
    GuestPost2010(
        day=17, slug="goud", title="Goud", author="john.beckers", trend=3,
        lead="Het zevende gastblog gaat over goud. John Beckers kijkt terug op trend 3.",
        text="""\
Vrijwilligers zijn het goud van de organisatie. Die zin hoorde ik in 2010 op bijna elke
bijeenkomst. Maar goud bewaar je niet in een schoenendoos.

# Wat vrijwilligers vragen

- goede begeleiding en een vast aanspreekpunt;
- scholing die ook buiten de organisatie van pas komt;
- inspraak in het werk dat ze doen;
- een bedankje dat gemeend is.

Steeds meer organisaties hebben vrijwilligersbeleid dat die naam verdient. Tegelijk zie ik
vrijwilligers afhaken omdat ze gaten moeten vullen die door bezuinigingen vallen. Wie vrijwilligers
als goud behandelt, zet ze niet in als goedkope kracht.""",
        bio=(
            "John Beckers is een van de elf gastbloggers die in december 2010 terugkeken op de "
            "trends van dat jaar."
        ),
        question="Hoe gaat jouw organisatie om met haar goud?",
        tags=("vrijwilligers", "trends 2010"),
    ),
    GuestPost2010(
        day=20, slug="grootste-trend-in-welzijnswerk", title="Grootste trend in welzijnswerk",
        author="folkert.kooistra", trend=9,
        lead=(
            "In het achtste gastblog zoomt Folkert Kooistra uit: wat was nu de grootste trend van "
            "2010? Hij komt uit bij trend 9."
        ),
        text="""\
Elf trends, en één die onder alle andere ligt: de menselijke maat. Of het nu gaat om vertrouwen,
vrijwilligers of opbouwwerk, steeds komt het neer op de vraag of de welzijnswerker naast mensen
durft te staan in plaats van erboven.

# Dichtbij zonder afstand

Professionele afstand gold lang als deugd. In 2010 zag ik collega's die het anders doen: ze zijn
bereikbaar, nemen de tijd en staan er als het nodig is. Dat is geen gebrek aan
professionaliteit, het ís professionaliteit.

De grootste trend is daarmee geen methode en geen merk, maar een houding. En die laat zich niet in
een protocol vangen.""",
        bio=(
            "Folkert Kooistra is een van de elf gastbloggers die in december 2010 terugkeken op de "
            "trends van dat jaar."
        ),
        question="Wat was voor jou de grootste trend van 2010?",
        tags=("menselijke maat", "trends 2010"),
    ),
    GuestPost2010(
        day=21, slug="vertrouwen", title="Vertrouwen", author="bart.demmers", trend=1,
        lead=(
            "Bart Demmers schrijft het negende gastblog, over de trend die bovenaan de lijst "
            "stond: trend 1."
        ),
        text="""\
Meten is weten, werd ons jarenlang voorgehouden. Maar wat weet je eigenlijk als je het aantal
huisbezoeken telt?

# Tellen en vertellen

In 2010 hoorde ik opdrachtgevers vaker vragen naar het verhaal achter de cijfers. Dat is winst.
Toch werd de registratielast nergens echt lichter. Vertrouwen groeit pas als:

- opdrachtgever en uitvoerder elkaar geregeld spreken, niet alleen bij de jaarrekening;
- de cijfers kloppen, zodat ze niet steeds gecontroleerd hoeven te worden;
- verhalen net zo serieus worden genomen als tabellen.

De trend is dus half uitgekomen: het gesprek over vertrouwen is begonnen, de praktijk moet nog
volgen.""",
        bio=(
            "Bart Demmers is een van de elf gastbloggers die in december 2010 terugkeken op de "
            "trends van dat jaar."
        ),
        question="Merk jij al iets van meer vertrouwen?",
        tags=("verantwoording", "trends 2010"),
    ),
    GuestPost2010(
        day=22, slug="mini-franchisen-in-welzijn", title="Mini franchisen in Welzijn",
        author="hannie.vanbaren", trend=2,
        lead=(
            "In het tiende gastblog laat Hannie van Baren zien dat samenwerken ook kan zonder "
            "fusie. Zij blogt over trend 2."
        ),
        text="""\
Fuseren leek jarenlang het antwoord op elke vraag. Groter werd beter, tot bleek dat groter vooral
verder weg betekende.

# Klein beginnen, groot delen

Bij mini franchisen neemt een organisatie een beproefde aanpak over van een andere: de methode,
het materiaal en de training, maar niet het bestuur. Zo blijft een organisatie lokaal geworteld en
hoeft niet iedereen het wiel opnieuw uit te vinden.

De eerste franchiseformule voor welzijn kwam er in 2010 nog niet. Maar de belangstelling voor
slimme samenwerking zonder fusie groeit, en daarmee komt die formule dichterbij.""",
        bio=(
            "Hannie van Baren is een van de elf gastbloggers die in december 2010 terugkeken op de "
            "trends van dat jaar."
        ),
        question="Zou jij een aanpak van een collega-organisatie overnemen?",
        tags=("samenwerken", "trends 2010"),
    ),
    GuestPost2010(
        day=23, slug="van-zip-naar-wip", title="Van ZIP naar WIP", author="zip-cafe", trend=11,
        lead=(
            "Het elfde en laatste gastblog is van de bezoekers van het ZIP café op 8 december "
            "2010. Zij bespraken trend 11."
        ),
        text="""\
Op 8 december spraken we in het ZIP café over vernieuwing in zorg en welzijn. De vraag van de
avond: komt er een Welzijn Innovatie Platform naast het Zorg Innovatie Platform?

# Wat we concludeerden

- Een WIP kwam er in 2010 niet, en de hoge subsidies ook niet.
- Vernieuwing in welzijn gebeurt vooral klein en lokaal, vaak zonder dat iemand het zo noemt.
- Zorg en welzijn hebben elkaar nodig: de beste ideeën ontstonden waar beide aan één tafel zaten.

Ons voorstel: begin niet met een platform, maar met een ontmoeting. Het ZIP café laat zien dat dat
werkt.""",
        bio=(
            "Het ZIP café is een ontmoetingsplek voor professionals uit zorg en welzijn die ideeën "
            "willen delen."
        ),
        question="Was jij er ook bij?",
        tags=("innovatie", "trends 2010"),
    ),
)


# --- the editor's own posts (titles and dates as on the blog; texts written for the demo) --

INDEX_POST_SLUG = "11-gastbloggers-blikken-terug-op-2010"
TRENDS_POST_SLUG = "trends-welzijnswerk-2010"

EDITOR_POSTS = (
    EditorPost(
        slug="twittert-u-al", title="Twittert u al?", published=(2009, 6, 15, 9, 0),
        tags=("twitter", "netwerken", "lifehacking"),
        text="""\
Steeds vaker krijg ik de vraag of Twitter iets is voor welzijnswerkers. Mijn antwoord: probeer
het een maand.

Twitter is een doorlopend gesprek in korte berichten. Je volgt mensen die je interessant vindt en
je deelt wat jou bezighoudt. Zo bouw je een netwerk op van collega's, opdrachtgevers en bewoners.

# Zo begin je

1. Maak een account aan met je eigen naam.
2. Volg tien mensen uit je vakgebied.
3. Lees een week mee voordat je zelf iets schrijft.
4. Reageer op anderen: netwerken is geven en nemen.""",
    ),
    EditorPost(
        slug="een-lesje-personal-branding",
        title="Een lesje Personal Branding voor welzijnswerkers", published=(2009, 10, 5, 9, 0),
        tags=("personal branding", "marketing"),
        text="""\
Klanten kiezen zelden voor een organisatie; ze kiezen voor een mens. Voor de buurtwerker die
altijd terugbelt, voor de ouderenadviseur die hun naam onthoudt.

Sommige managers vinden dat eng: hangt alles dan af van één persoon? Voor een groot deel wel. Juist
daarom is het slim om er bewust mee om te gaan.

- Laat zien waar je goed in bent, ook online.
- Wees te vinden waar je klanten zijn.
- Bouw aan relaties in plaats van producten te verkopen.

Jij bent het sterkste marketingmiddel van je organisatie.""",
    ),
    EditorPost(
        slug=TRENDS_POST_SLUG, title=TRENDS_2010_TITLE, published=(2009, 12, 28, 9, 0),
        tags=("trends 2010",),
        # The numbered trend list is added from TRENDS_2010 by the loader.
        text="In de tijd van lijstjes en overzichten, hier mijn trends voor het welzijnswerk in 2010.",
        banner=Banner(
            label="2010",
            alt="Illustratie: het jaartal 2010 in wit op een paarsblauwe achtergrond met cirkels",
            palette=0, seed=2010,
        ),
    ),
    EditorPost(
        slug="tellen-en-vertellen", title="Tellen en vertellen", published=(2010, 4, 20, 9, 0),
        tags=("verantwoording", "trends 2010"), trend=1,
        text="""\
Elk kwartaal hetzelfde ritueel: tabellen invullen met aantallen bezoekers, contacten en
activiteiten. Niemand wordt er vrolijk van, de opdrachtgever ook niet.

Cijfers zijn niet verkeerd, maar ze vertellen maar de helft. Wat een huisbezoek voor iemand
betekende, staat in geen enkele tabel.

# Tips voor je volgende verantwoording

- Lever je cijfers op tijd en foutloos aan: dat schept ruimte voor het gesprek.
- Neem bij elke rapportage één verhaal van een bewoner op.
- Nodig je opdrachtgever uit om een dag mee te lopen.""",
    ),
    EditorPost(
        slug="ambassadeurs-kletsende-klanten-over-welzijn",
        title="Ambassadeurs: kletsende klanten over welzijn", published=(2010, 9, 20, 9, 0),
        tags=("ambassadeurs", "personal branding", "marketing"),
        text="""\
Ambassadeurs zijn klanten die zo tevreden zijn dat ze het doorvertellen. Mond-tot-mondreclame is
nog altijd de sterkste reclame die er is.

# Hoe krijg je ze?

Door goed werk te doen, met aandacht voor de mens tegenover je. Er is geen trucje.

# Hoe helpen ze je?

Ze nemen de buurvrouw mee naar de inloop en zeggen wat jij zelf niet durft: hoe goed je bent.
Vraag ze om een aanbeveling voor je website, met hun toestemming natuurlijk.""",
    ),
    EditorPost(
        slug=INDEX_POST_SLUG, title="11 Gastbloggers blikken terug op 2010",
        published=(2010, 12, 5, 20, 0), tags=("trends 2010", "gastblog"),
        # The schedule with links to the eleven posts is added by the loader.
        text="""\
Eind vorig jaar beschreef ik elf trends in het welzijnswerk. Nu het jaar bijna om is, is het tijd
om terug te blikken. Dat doe ik dit keer niet zelf: elf gastbloggers met een mening kijken elk
naar één trend. Elke werkdag om zeven uur verschijnt een gastblog.""",
        banner=Banner(
            label="11",
            alt="Illustratie: het getal 11 in wit op een groene achtergrond met lichte cirkels",
            palette=3, seed=11,
        ),
    ),
    EditorPost(
        slug="welzijn-2-0-in-4-stappen", title="Welzijn 2.0: in 4 stappen op weg met Social Media",
        published=(2011, 2, 15, 9, 0), tags=("social media", "workshop", "welzijn 2.0"),
        text="""\
Social media trekken welzijnsorganisaties aan als een magneet. Maar hoe begin je? Vier stappen:

1. **Weet wat je wilt zeggen.** Spreek binnen de organisatie af wat de boodschap is.
2. **Zorg voor een thuisbasis.** Je website is de rustige plek waar je mensen ontvangt.
3. **Kies je doel.** Relaties onderhouden, kennis delen, service bieden, je profileren of
   mensen werven: elk doel past bij een ander netwerk.
4. **Begin rustig.** Eerst meelezen, dan reageren, dan zelf het gesprek beginnen.

Meer weten? Kijk bij de [workshop Welzijn 2.0](/pagina/workshop-welzijn-2-0/).""",
    ),
    EditorPost(
        slug="de-klant-op-reis-in-breed-welzijn", title="De klant op reis in Breed Welzijn",
        published=(2011, 5, 9, 9, 0), tags=("klantreis", "marketing"),
        text="""\
Stel je voor dat je voor het eerst aanklopt bij een welzijnsorganisatie. Je belt, wordt
doorverbonden, vult een formulier in en vertelt je verhaal drie keer. Vanaf onze eilandjes zien we
dat zelden.

# Zo maak je van de reis een goede ervaring

- Loop de route zelf eens, van eerste telefoontje tot afsluitend gesprek.
- Zorg dat de klant één vast gezicht heeft.
- Vraag na afloop wat beter kan, en doe er iets mee.""",
    ),
)

PAGES = (
    PageSpec(
        slug="over-dit-blog", title="Over dit blog",
        text="""\
Welzijn Nederland is het blog van Anneke Krakers over welzijnswerk, marketing en social media.

Elk jaar verschijnt hier een lijst met [trends voor het welzijnswerk](/trends/). In december
kijken gastbloggers terug: is de trend uitgekomen? Het scorebord bij elke trendlijst laat zien hoe
het afliep.

Wil je zelf een gastblog schrijven? [Stel je onderwerp voor](/schrijf-mee/).""",
    ),
    PageSpec(
        slug="workshop-welzijn-2-0", title="Workshop Welzijn 2.0",
        text="""\
Van magie naar strategie: in deze workshop leer je social media planmatig in te zetten, zodat ze
een vast onderdeel van je werk worden.

# Wat komt aan bod

- Is dit echt nodig? Strategische en marketingoverwegingen.
- Waar begin je? Van visie naar account.
- Hoe houd je grip? Afspraken, sturen en volgen.
- Duurzaam en veilig: onderhouden en uitbouwen.

Na afloop krijg je een praktisch werkboekje mee. De workshop is ook binnen je eigen organisatie te
boeken: neem contact op met de redactie.""",
    ),
)


# --- the coming December: an invented trend list and a series in the works ---------------

COMING_TRENDS_INTRO = (
    "Zes trends voor het welzijnswerk in {year}. In december kijken gastbloggers terug."
)
COMING_TRENDS = (
    TrendSpec(1, "Buurtkracht boven loket",
              "bewoners organiseren steeds vaker zelf wat vroeger aan een loket werd aangevraagd; "
              "de welzijnswerker wordt verbinder in plaats van verstrekker."),
    TrendSpec(2, "De digitale huiskamer",
              "online ontmoetingsplekken vullen het buurthuis aan: spreekuur via video, buurtapps "
              "en chatgroepen horen bij het gewone werk."),
    TrendSpec(3, "Mantelzorg krijgt een stem",
              "mantelzorgers praten mee over beleid en krijgen steun die past bij hun dag, niet bij "
              "de openingstijden."),
    TrendSpec(4, "Eenzaamheid is wijkwerk",
              "de aanpak van eenzaamheid verschuift van campagnes naar kleine, vaste ontmoetingen "
              "in de straat."),
    TrendSpec(5, "Welzijn op recept",
              "huisartsen schrijven vaker een activiteit voor in plaats van een pil; welzijn en "
              "huisartsenzorg delen één verwijsroute."),
    TrendSpec(6, "Vertellen naast tellen",
              "opdrachtgevers vragen om verhalen en cijfers samen; verantwoording gaat over wat het "
              "mensen oplevert."),
)

COMING_SERIES_INTRO = (
    "Elk jaar in december kijken gastbloggers terug op de trends van het jaar. Dit is het "
    "programma voor {year}: de gastblogs verschijnen op werkdagen om zeven uur."
)

COMING_POSTS = (
    ComingPost(
        position=1, title="Het buurthuis heeft nu ook wifi", slug_base="het-buurthuis-heeft-wifi",
        author="hans.versteegh", trend=2, created_ago=timedelta(days=16),
        intro=(
            "Hans Versteegh opent de reeks. Wie anders dan onze pleitbezorger van Welzijn 2.0 kon "
            "terugkijken op de digitale huiskamer?"
        ),
        text="""\
Een jaar geleden voorspelde de trendlijst dat online ontmoeten gewoon werk zou worden. In mijn
wijk klopt dat: het spreekuur loopt ook via video, en de buurtapp is de plek waar vragen en
aanbod elkaar vinden.

# Wat nog schuurt

- Niet iedereen is online, en dat moet ook niet hoeven.
- Collega's missen tijd en scholing om het goed te doen.

De digitale huiskamer vervangt het buurthuis niet. Ze zet de deur verder open.""",
        steps=(
            Step("submit", timedelta(days=12)),
            Step("edit_intro", timedelta(days=10)),
            Step("approve", timedelta(days=10), note="Mooi stuk. Ingepland als opener van de reeks."),
        ),
    ),
    ComingPost(
        position=2, title="Wauw op recept", slug_base="wauw-op-recept",
        author="daphne.vanknippenberg", trend=5, created_ago=timedelta(days=11),
        intro=(
            "Daphne van Knippenberg schreef eerder over ‘au’ en ‘wauw’. Nu kijkt ze naar welzijn "
            "op recept."
        ),
        text="""\
Een huisarts die een koor voorschrijft in plaats van een slaappil: het gebeurt steeds vaker. En
het werkt, als er in de buurt iets is om naartoe te gaan.

# Het recept is de makkelijke stap

Het moeilijke deel is het aanbod. Wie op recept komt, moet welkom zijn bij iets waar ook de buren
graag komen. Daar is het ‘wauw’ weer: zonder aantrekkelijke activiteiten is een recept een
doodlopende verwijzing.""",
        steps=(
            Step("submit", timedelta(days=8)),
            Step("edit_intro", timedelta(days=6)),
            Step("approve", timedelta(days=6)),
        ),
    ),
    ComingPost(
        position=3, title="Aan tafel bij mevrouw Dekker", slug_base="aan-tafel-bij-mevrouw-dekker",
        author="carel.demari", trend=4, created_ago=timedelta(days=9),
        text="""\
Mevrouw Dekker kent u misschien nog. Ze eet nog steeds drie keer per week in het buurthuis, maar
sinds kort schuift er op dinsdag ook een buurman aan die niemand kende.

Zo gaat eenzaamheid tegen: niet met een campagne, maar met een stoel die vrij wordt gehouden.""",
        steps=(Step("submit", timedelta(days=6)),),
    ),
    ComingPost(
        position=4, title="Hulp die je kunt vinden", slug_base="hulp-die-je-kunt-vinden",
        author="jos.reinders", trend=3, created_ago=timedelta(days=3),
        text="""\
Mantelzorgers zoeken 's avonds, als de zorg erop zit. Dan is het loket dicht, maar de chat kan
open zijn.

- Houd de drempel laag: geen formulier vooraf.
- Verwijs warm door: een naam, geen telefoonnummer.
- Vraag mantelzorgers wat zij nodig hebben, en bouw dat.""",
        steps=(Step("submit", timedelta(hours=5)),),
    ),
    ComingPost(
        position=5, title="Buurtkracht zonder loket", slug_base="buurtkracht-zonder-loket",
        author="teun.hofmeijer", trend=1, created_ago=timedelta(days=7),
        text="""\
Het loket verdwijnt, de buurt neemt het over. Dat klinkt als bezuinigen, maar het is meer dan dat.

# Wat de opbouwwerker doet

De opbouwwerker verbindt, geeft de bewoners het vertrouwen dat het mag, en stapt op tijd opzij.
Dat is het ambacht, en het is nodiger dan ooit.""",
        steps=(
            Step("submit", timedelta(days=4)),
            Step(
                "request_changes", timedelta(days=2),
                note=(
                    "Sterk begin, maar de tweede helft blijft algemeen. Kun je één concreet "
                    "voorbeeld uit Oldenzaal toevoegen en de tussenkop iets korter maken?"
                ),
            ),
        ),
    ),
    ComingPost(
        position=6, title="Een stoel in de huisartsenpraktijk", slug_base="stoel-in-de-praktijk",
        author="daphne.vanknippenberg", trend=5, created_ago=timedelta(days=5),
        text="""\
Op maandagochtend zit er een welzijnswerker in de wachtkamer van de huisarts. Geen folder, maar
een gesprek: wat zou u weer willen doen?

# Wat we leerden

- Een vast gezicht werkt beter dan een verwijsbrief.
- Huisartsen verwijzen pas als ze weten waarheen.""",
        steps=(Step("submit", timedelta(days=3)),),
    ),
    ComingPost(
        position=7, title="De buurtapp als voordeur", slug_base="de-buurtapp-als-voordeur",
        author="carel.demari", trend=2, created_ago=timedelta(days=4),
        text="""\
Meneer Van Wingerden stuurt tegenwoordig een bericht in de buurtapp als hij iets zoekt. Vorige
week was dat een ladder; deze week een maatje om mee te wandelen.

De app is geen vervanging van het buurthuis. Het is de voordeur die altijd open staat.""",
        steps=(Step("submit", timedelta(days=2)),),
    ),
    ComingPost(
        position=8, title="Vrijwilligers aan het stuur", slug_base="vrijwilligers-aan-het-stuur",
        author="jos.reinders", trend=1, created_ago=timedelta(days=3),
        text="""\
In onze wijk draaien vrijwilligers de inloop, de klusdienst en het spreekuur. De beroepskracht
coacht, regelt de randvoorwaarden en houdt overzicht.

Dat vraagt iets anders van ons vak: loslaten zonder weg te lopen.""",
        steps=(Step("submit", timedelta(days=1)),),
    ),
    ComingPost(
        position=9, title="Tellen, vertellen en delen", slug_base="tellen-vertellen-en-delen",
        author="hans.versteegh", trend=6, created_ago=timedelta(days=1),
        text="""\
Eerste opzet. Verantwoorden met verhalen: hoe doe je dat zonder dat het anekdotes worden?

- voorbeelden uit Amersfoort
- wat opdrachtgevers ervan vinden""",
    ),
)


def all_authors() -> tuple[Person, ...]:
    return (EDITOR, *GUESTS, *SERIES_ONLY_AUTHORS)
