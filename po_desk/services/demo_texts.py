"""Made-up but realistic systembrister for the demo store, per aktör: the kategorier each
describes, the description and the consequence for the person. No person is in them
(each passes the anonymisation guard; a test checks it). `{veckor}`, `{manader}` and
`{antal}` are filled in per avvikelse so the same kind of brist reads differently."""

from __future__ import annotations

import random

Brist = tuple[tuple[str, ...], str, str]

BRISTER: dict[str, tuple[Brist, ...]] = {
    "forsakringskassan": (
        (
            ("vantetider",),
            "Ansökan om sjukersättning har legat utan beslut i {manader} månader. Handläggaren "
            "kan inte säga när utredningen blir klar.",
            "Klienten har levt på försörjningsstöd under väntan och oron har förvärrat måendet.",
        ),
        (
            ("information", "digitalisering"),
            "Begäran om komplettering skickades bara till den digitala brevlådan, som klienten "
            "inte kan öppna. Ärendet avslutades när svaret uteblev.",
            "Ersättningen upphörde och klienten fick börja om med en ny ansökan.",
        ),
        (
            ("kontinuitet",),
            "Klienten har haft {antal} olika handläggare för samma ärende på ett år och har fått "
            "berätta sin historia från början varje gång.",
            "Klienten orkar inte längre ha kontakt med myndigheten utan ombudets stöd.",
        ),
        (
            ("tillganglighet",),
            "Det går inte att boka ett fysiskt möte; all kontakt ska ske per telefon, och "
            "väntetiden i kundtjänst var över en timme vid flera tillfällen.",
            "Klienten, som har svårt med telefonsamtal, avstod från att höra av sig.",
        ),
        (
            ("regelverk",),
            "Aktivitetsersättningen drogs in när klienten började arbetsträna några timmar i "
            "veckan, trots att träningen var en del av rehabiliteringen.",
            "Klienten avbröt arbetsträningen för att inte förlora sin inkomst.",
        ),
        (
            ("bemotande", "kompetens"),
            "Vid avstämningsmötet ifrågasatte handläggaren klientens psykiatriska diagnos och "
            "talade över huvudet på klienten.",
            "Klienten kände sig kränkt och vill inte delta i fler möten.",
        ),
        (
            ("vantetider", "samordning"),
            "Läkarintyget skickades tillbaka för komplettering två gånger, och vården och "
            "Försäkringskassan gav olika besked om vad som saknades. Det tog {veckor} veckor.",
            "Klienten stod utan sjukpenning under tiden och fick skulder på hyran.",
        ),
    ),
    "soc_ekonomiskt_bistand": (
        (
            ("vantetider",),
            "Beslut om försörjningsstöd dröjde {veckor} veckor trots att alla underlag lämnats in.",
            "Klienten kunde inte betala hyran i tid och fick en betalningsanmärkning.",
        ),
        (
            ("information",),
            "Avslaget saknade uppgift om hur man överklagar, och klienten fick ingen hjälp att "
            "förstå beslutet.",
            "Överklagandetiden gick ut innan ombudet fick kännedom om beslutet.",
        ),
        (
            ("regelverk", "ledning"),
            "Nämnden krävde att klienten skulle söka arbete på heltid trots sjukskrivning från "
            "psykiatrin, med hänvisning till en lokal riktlinje.",
            "Stödet sattes ned och klienten fick välja mellan mat och medicin.",
        ),
        (
            ("bemotande",),
            "Handläggaren kommenterade klientens hygien inför andra i väntrummet.",
            "Klienten skäms och vill inte längre besöka socialkontoret.",
        ),
        (
            ("digitalisering",),
            "Ansökan kan bara göras med e-legitimation, som klienten saknar. Pappersblankett "
            "lämnades ut först efter {veckor} veckor.",
            "Klienten stod utan pengar till mat under en period.",
        ),
        (
            ("kontinuitet", "samordning"),
            "Ärendet flyttades mellan {antal} handläggare och en beviljad utbetalning föll bort "
            "i överlämningen.",
            "Klienten fick låna pengar av anhöriga för att klara månaden.",
        ),
    ),
    "region_psykiatri": (
        (
            ("vantetider",),
            "Remiss för neuropsykiatrisk utredning har väntat i {manader} månader utan besked om "
            "tid.",
            "Klientens insatser från kommunen kan inte planeras förrän utredningen är klar.",
        ),
        (
            ("kontinuitet",),
            "Klienten har träffat {antal} olika hyrläkare på ett år och medicineringen har "
            "ändrats varje gång.",
            "Klienten har tappat förtroendet för vården och tar inte sin medicin regelbundet.",
        ),
        (
            ("samordning",),
            "Klienten skrevs ut från heldygnsvården utan att kommunen kallades till "
            "samordnad individuell plan.",
            "Klienten kom hem till en bostad utan stöd och återinskrevs efter en vecka.",
        ),
        (
            ("tillganglighet",),
            "Mottagningen har bara telefontid en timme om dagen och det gick inte att komma "
            "fram under {veckor} veckor.",
            "Klienten fick söka akut i stället för att nå sin behandlare.",
        ),
        (
            ("information",),
            "Klienten fick inte veta att behandlingen avslutats förrän ombudet frågade.",
            "Klienten har varit utan behandlingskontakt i flera månader.",
        ),
        (
            ("resursbrist",),
            "Psykologbehandling beviljades men kan inte ges på grund av vakanser. Klienten står "
            "i kö sedan {manader} månader.",
            "Klientens ångest har ökat och arbetsträningen har avbrutits.",
        ),
    ),
    "soc_socialpsykiatri": (
        (
            ("resursbrist",),
            "Beviljat boendestöd har inte kunnat verkställas på {veckor} veckor på grund av "
            "personalbrist.",
            "Klienten klarar inte vardagen och har fått en varning från hyresvärden.",
        ),
        (
            ("kontinuitet",),
            "Boendestödjarna byts ofta och klienten får inte veta vem som kommer.",
            "Klienten öppnar inte dörren för okända och insatsen uteblir.",
        ),
        (
            ("samordning", "ledning"),
            "Ansökan om sysselsättning skickades mellan två enheter som båda ansåg att den andra "
            "hade ansvaret.",
            "Klienten har varit utan sysselsättning i {manader} månader.",
        ),
    ),
    "arbetsformedlingen": (
        (
            ("kompetens",),
            "Handläggaren kände inte till hur psykisk funktionsnedsättning påverkar "
            "arbetsförmågan och erbjöd bara heltidsinsatser.",
            "Klienten tackade nej och skrevs ut som inskriven arbetssökande.",
        ),
        (
            ("samordning",),
            "Arbetsförmedlingen och Försäkringskassan bedömde arbetsförmågan olika och ingen "
            "av dem ville ta fram en gemensam planering.",
            "Klienten har stått utan både ersättning och insats i {manader} månader.",
        ),
        (
            ("digitalisering", "tillganglighet"),
            "Aktivitetsrapporten måste lämnas digitalt varje månad. Klienten fick ingen hjälp "
            "när inloggningen inte fungerade.",
            "Aktivitetsstödet drogs in en månad.",
        ),
    ),
    "soc_annan": (
        (
            ("bemotande",),
            "Vid ett hembesök ifrågasattes klientens förmåga som förälder utan att något "
            "underlag fanns.",
            "Klienten drog sig undan kontakt med både socialtjänst och vård.",
        ),
        (
            ("vantetider",),
            "Ansökan om kontaktperson har väntat på beslut i {manader} månader.",
            "Klientens isolering har ökat under väntan.",
        ),
        (
            ("information",),
            "Klienten fick inte veta att ärendet om bostad med särskild service hade avslutats.",
            "Klienten väntade i onödan och sökte inga andra alternativ.",
        ),
    ),
    "region_primarvard": (
        (
            ("tillganglighet",),
            "Vårdcentralen tar inte emot bokningar per telefon; tider kan bara bokas via en app.",
            "Klienten fick ingen tid för uppföljning av sin diabetes.",
        ),
        (
            ("samordning",),
            "Vårdcentralen hänvisade klienten till psykiatrin, som hänvisade tillbaka till "
            "vårdcentralen.",
            "Klienten har inte fått någon bedömning på {veckor} veckor.",
        ),
        (
            ("kontinuitet",),
            "Klienten saknar fast läkarkontakt och har träffat {antal} olika läkare under året.",
            "Läkarintyg till Försäkringskassan blev ofullständiga.",
        ),
    ),
    "overformyndare": (
        (
            ("vantetider",),
            "Ansökan om god man har inte handlagts på {manader} månader.",
            "Räkningar har förfallit och klienten har fått ärenden hos Kronofogden.",
        ),
        (
            ("kompetens", "ledning"),
            "Den gode mannen har inte haft kontakt med klienten på {manader} månader och "
            "nämnden har inte följt upp uppdraget.",
            "Klientens ekonomi har inte skötts och hyran har inte betalats.",
        ),
    ),
    "kronofogden": (
        (
            ("information",),
            "Beslut om utmätning av lön skickades utan förklaring på lättläst svenska.",
            "Klienten förstod inte beslutet och hade inga pengar kvar till mat.",
        ),
        (
            ("regelverk",),
            "Förbehållsbeloppet tog inte hänsyn till klientens kostnader för medicin och resor "
            "till behandling.",
            "Klienten avbröt behandlingen för att få pengarna att räcka.",
        ),
    ),
    "skatteverket": (
        (
            ("digitalisering",),
            "Klienten kunde inte få en ny id-handling utan e-legitimation eller någon som "
            "kunde intyga identiteten.",
            "Klienten kunde inte hämta ut sin medicin eller öppna ett bankkonto.",
        ),
    ),
    "hyresvard": (
        (
            ("bemotande", "information"),
            "Hyresvärden skickade uppsägning utan att först kontakta socialtjänsten, trots "
            "samtycke från klienten.",
            "Klienten riskerade att förlora bostaden.",
        ),
        (
            ("annan",),
            "Felanmälan om fukt i lägenheten har inte åtgärdats på {manader} månader.",
            "Klienten mår sämre i bostaden och vill flytta men saknar alternativ.",
        ),
    ),
    "region_annan_vard": (
        (
            ("samordning",),
            "Klienten skrevs ut från somatisk vård utan att boendestödet informerades.",
            "Klienten var utan stöd de första dagarna hemma.",
        ),
    ),
    "annan": (
        (
            ("tillganglighet",),
            "Banken kräver besök på kontor för att öppna konto, men närmaste kontor med "
            "kassaservice ligger flera mil bort.",
            "Klienten kan inte ta emot utbetalningar på eget konto.",
        ),
    ),
    "pensionsmyndigheten": (
        (
            ("vantetider", "information"),
            "Ansökan om bostadstillägg har väntat i {manader} månader utan besked.",
            "Klienten har svårt att betala hyran under väntan.",
        ),
    ),
    "kriminalvarden": (
        (
            ("samordning",),
            "Klienten frigavs utan att socialtjänst eller psykiatri hade kallats till planering "
            "inför frigivningen.",
            "Klienten saknade bostad och medicin de första veckorna.",
        ),
    ),
    "statens_servicecenter": (
        (
            ("tillganglighet",),
            "Servicekontoret har kortat sina öppettider och det gick inte att få hjälp med "
            "blanketter utan att boka tid {veckor} veckor fram.",
            "Klientens ansökan blev försenad.",
        ),
    ),
}

FEEDBACK: dict[str, tuple[str, ...]] = {
    "default": (
        "Myndigheten har sett över rutinen och redovisat förändringen för ledningsgruppen.",
        "Frågan har tagits vidare till den regionala samverkansgruppen.",
        "Verksamheten har informerat sina handläggare om bristen.",
        "Ingen förändring är möjlig lokalt; frågan gäller nationella regler och har "
        "rapporterats till länsstyrelsen.",
    ),
    "forsakringskassan": (
        "Försäkringskassan har infört en kontaktväg för personliga ombud.",
        "Försäkringskassan har tagit upp frågan i sin lokala samverkan med regionen.",
    ),
    "soc_ekonomiskt_bistand": (
        "Enheten har ändrat rutinen så att beslut fattas inom tio arbetsdagar.",
        "Riktlinjen har setts över och ska beslutas i nämnden.",
    ),
    "region_psykiatri": (
        "Psykiatrin har infört en rutin för att kalla kommunen före utskrivning.",
        "Verksamheten har utökat telefontiden.",
    ),
}

_NUMBER_WORDS = ("tre", "fyra", "fem")


def fill_in(text: str, rng: random.Random) -> str:
    return text.format(
        veckor=rng.randint(3, 9), manader=rng.randint(2, 7), antal=rng.choice(_NUMBER_WORDS)
    )
