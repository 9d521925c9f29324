"""Every issue code with its rule, severity and the sentence shown to people, Dutch and English.

Placeholders: {value} (the cell as found), {column}, {sheet}, and per-code extras. Each Dutch
text says what was found and what to do, because office staff fix the workbook from it alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Lang = Literal["nl", "en"]


@dataclass(frozen=True)
class Message:
    rule: str
    severity: Literal["error", "warning"]
    nl: str
    en: str

    def text(self, lang: Lang) -> str:
        return self.nl if lang == "nl" else self.en


E: Literal["error"] = "error"
W: Literal["warning"] = "warning"

MESSAGES: dict[str, Message] = {
    # Structure of the workbook
    "missing-sheet": Message(
        "sjabloon",
        E,
        "Het blad '{sheet}' ontbreekt. Voeg het toe zoals in het sjabloon "
        "(kantoor-batch template).",
        "Sheet '{sheet}' is missing. Add it as in the template (kantoor-batch template).",
    ),
    "missing-column": Message(
        "sjabloon",
        E,
        "De verplichte kolom '{column}' ontbreekt op blad '{sheet}'. Voeg deze kolomkop toe in "
        "rij 1.",
        "Required column '{column}' is missing on sheet '{sheet}'. Add this header in row 1.",
    ),
    "duplicate-column": Message(
        "sjabloon",
        E,
        "De kolom '{column}' staat meer dan eens op blad '{sheet}' ({positions}). Houd er één.",
        "Column '{column}' appears more than once on sheet '{sheet}' ({positions}). Keep one.",
    ),
    "unknown-column": Message(
        "sjabloon",
        W,
        "De kolom '{column}' is onbekend en wordt niet geïmporteerd; de waarden blijven bewaard "
        "in het foutenbestand. Controleer de kolomkop als de kolom wel bedoeld is.",
        "Column '{column}' is unknown and is not imported; its values are kept in the error "
        "workbook. Check the header if the column was meant.",
    ),
    "unknown-sheet": Message(
        "sjabloon",
        W,
        "Het blad '{sheet}' is onbekend en wordt overgeslagen.",
        "Sheet '{sheet}' is unknown and is skipped.",
    ),
    "csv-read-as": Message(
        "sjabloon",
        W,
        "{detail}",
        "{detail}",
    ),
    "empty-workbook": Message(
        "sjabloon",
        E,
        "Het blad Relaties bevat geen enkele relatie. Vul minstens één rij in.",
        "Sheet Relaties holds no relation. Fill in at least one row.",
    ),
    # Values of one cell
    "required-value-missing": Message(
        "sjabloon",
        E,
        "'{column}' is verplicht maar leeg. Vul een waarde in.",
        "'{column}' is required but empty. Fill in a value.",
    ),
    "invalid-choice": Message(
        "sjabloon",
        E,
        "'{value}' is geen geldige waarde voor {column}. Kies uit: {choices}.",
        "'{value}' is not a valid {column}. Choose from: {choices}.",
    ),
    "invalid-yes-no": Message(
        "R3",
        E,
        "'{value}' is geen Ja of Nee. Vul Ja of Nee in (of laat de cel leeg).",
        "'{value}' is not yes or no. Fill in Ja or Nee (or leave the cell empty).",
    ),
    "invalid-number": Message(
        "R2",
        E,
        "'{value}' is geen geldig nummer voor {column}: een nummer is een heel getal of tekst, "
        "zonder komma.",
        "'{value}' is not a valid {column}: a number is a whole number or text, without a "
        "decimal part.",
    ),
    "identifier-padded": Message(
        "R3",
        W,
        "Excel had {column} als getal opgeslagen ({value}); de voorloopnullen zijn teruggezet: "
        "{fixed}. Controleer het nummer en zet de kolom op opmaak Tekst.",
        "Excel stored {column} as a number ({value}); the leading zeros were put back: {fixed}. "
        "Check the number and format the column as Text.",
    ),
    "number-zeros-restored": Message(
        "R2",
        W,
        "Excel had {column} als getal opgeslagen ({value}); met de voorloopnullen terug is het "
        "{fixed}, een nummer dat al bekend is, en zo wordt het gelezen. Controleer het en zet "
        "de kolom op opmaak Tekst.",
        "Excel stored {column} as a number ({value}); with its leading zeros back it is {fixed}, "
        "a number already known, and it is read as such. Check it and format the column as Text.",
    ),
    "number-stored-as-number": Message(
        "R2",
        W,
        "Excel had {column} als getal opgeslagen ({value}); eventuele voorloopnullen zijn dan "
        "verloren. Controleer of het nummer klopt (anders wordt het een nieuwe relatie of een "
        "nieuw contact) en zet de kolom op opmaak Tekst.",
        "Excel stored {column} as a number ({value}); any leading zeros are lost. Check that the "
        "number is right (otherwise it becomes a new relation or contact) and format the column "
        "as Text.",
    ),
    "export-conflict": Message(
        "R13",
        W,
        "Deze rij komt uit een export, maar wat zij vermeldt is daarna in de opslag gewijzigd "
        "({fields}). De wijziging uit deze rij is niet toegepast, zodat de nieuwere gegevens "
        "blijven staan; het blad Wijzigingen van het resultaat toont per veld de opgeslagen "
        "waarde, de waarde bij de export en de nieuwe. Maak een nieuwe export en breng de "
        "wijziging daarin aan, of importeer met --overwrite als deze rij moet winnen.",
        "This row comes from an export, but what it states was changed in the store since "
        "({fields}). The change in this row was not applied, so the newer data stays; the "
        "Wijzigingen sheet of the result shows per field the stored value, the value at the "
        "export and the new one. Make a new export and apply the change there, or import with "
        "--overwrite if this row should win.",
    ),
    "export-conflict-overwritten": Message(
        "R13",
        W,
        "Deze rij komt uit een export, maar wat zij vermeldt is daarna in de opslag gewijzigd "
        "({fields}). Met --overwrite is de waarde uit deze rij toch opgeslagen; het blad "
        "Wijzigingen toont wat er stond.",
        "This row comes from an export, but what it states was changed in the store since "
        "({fields}). With --overwrite the value of this row was stored anyway; the Wijzigingen "
        "sheet shows what was there.",
    ),
    "export-stamp-unreadable": Message(
        "R13",
        W,
        "'{value}' in {column} is geen exportstempel van kantoor-batch. De rij is geïmporteerd "
        "zonder te controleren of de opslag sinds de export is gewijzigd. Laat deze verborgen "
        "kolom leeg of ongewijzigd.",
        "'{value}' in {column} is not a kantoor-batch export stamp. The row was imported without "
        "checking whether the store changed since the export. Leave this hidden column empty or "
        "unchanged.",
    ),
    "contact-linked-by-bsn": Message(
        "R4",
        W,
        "Dit contact heeft het BSN van contact {number} dat al bekend is; de rij wordt aan dat "
        "contact gekoppeld en contactnummer '{value}' wordt niet gebruikt. Klopt dat niet, "
        "controleer dan het BSN.",
        "This contact has the BSN of contact {number}, who is already known; the row is linked "
        "to that contact and contact number '{value}' is not used. If that is wrong, check the "
        "BSN.",
    ),
    "household-owner-needed": Message(
        "R6",
        W,
        "Deze relatie heeft meer dan één ondernemer en de kolom 'Hoort bij' is leeg: deze "
        "partner of dit kind wordt aan geen ondernemer gekoppeld. Vul het Contactnummer in van "
        "de ondernemer bij wie het gezin hoort (en geef de ondernemers een Contactnummer).",
        "This relation has more than one Ondernemer and 'Hoort bij' is empty: this partner or "
        "child is linked to no Ondernemer. Fill in the Contactnummer of the Ondernemer whose "
        "household it is (and give the Ondernemers a Contactnummer).",
    ),
    "household-owner-unknown": Message(
        "R6",
        E,
        "'Hoort bij' is '{value}', maar geen ondernemer van deze relatie heeft dat "
        "Contactnummer op dit blad. Vul het Contactnummer van een ondernemer van dezelfde "
        "relatie in, of laat de cel leeg.",
        "'Hoort bij' is '{value}', but no Ondernemer of this relation has that Contactnummer "
        "on this sheet. Fill in the Contactnummer of an Ondernemer of the same relation, or "
        "leave the cell empty.",
    ),
    "owner-bsn-copied": Message(
        "R5",
        W,
        "Deze ondernemer heeft geen eigen BSN; het BSN/RSIN van de eenmanszaak ({where}) wordt "
        "het BSN van zijn of haar persoonsrelatie. Controleer dat het klopt en pas het anders "
        "aan.",
        "This Ondernemer has no BSN of their own; the BSN/RSIN of the eenmanszaak ({where}) "
        "becomes the BSN of their person relation. Check that it is right and correct it if not.",
    ),
    "owner-bsn-differs": Message(
        "R5",
        W,
        "Het BSN van deze ondernemer verschilt van het BSN/RSIN van de eenmanszaak ({where}). "
        "Bij een eenmanszaak is dat hetzelfde nummer: controleer welk nummer klopt.",
        "This Ondernemer's BSN differs from the BSN/RSIN of the eenmanszaak ({where}). For an "
        "eenmanszaak it is the same number: check which one is right.",
    ),
    "contact-number-too-long": Message(
        "R4",
        E,
        "Dit contact zou nummer '{number}' krijgen, langer dan de 40 tekens die de database "
        "bewaart (het relatienummer is te lang voor een achtervoegsel). Vul een Contactnummer "
        "in, of kies de nummering met een reeks in het configuratiebestand.",
        "This contact would get number '{number}', longer than the 40 characters the store "
        "keeps (the relation number is too long for a suffix). Fill in a Contactnummer, or "
        "choose numbering from a range in the configuration file.",
    ),
    "invalid-date": Message(
        "R3",
        E,
        "'{value}' is geen datum. Gebruik een datumcel of schrijf dd-mm-jjjj, bijvoorbeeld "
        "17-03-1978.",
        "'{value}' is not a date. Use a date cell or write dd-mm-yyyy, e.g. 17-03-1978.",
    ),
    "ambiguous-date": Message(
        "R3",
        E,
        "'{value}' is niet eenduidig: het jaar heeft twee cijfers of de volgorde van dag en "
        "maand is onduidelijk. Schrijf dd-mm-jjjj met het jaar voluit.",
        "'{value}' is ambiguous: a two-digit year or an unclear order of day and month. Write "
        "dd-mm-yyyy with a four-digit year.",
    ),
    "impossible-date": Message(
        "R3",
        E,
        "'{value}' bestaat niet als datum. Controleer dag, maand en jaar.",
        "'{value}' is not an existing date. Check day, month and year.",
    ),
    "birth-date-in-future": Message(
        "R3",
        E,
        "Geboortedatum '{value}' ligt na de peildatum {as_of}. Controleer het jaar.",
        "Birth date '{value}' is after the as-of date {as_of}. Check the year.",
    ),
    "invalid-day-month": Message(
        "R3",
        E,
        "'{value}' is geen dag en maand. Schrijf dd-mm, bijvoorbeeld 01-07 voor 1 juli.",
        "'{value}' is not a day and month. Write dd-mm, e.g. 01-07 for 1 July.",
    ),
    "invalid-period": Message(
        "R8",
        E,
        "'{value}' is geen periode. Schrijf 2026 (jaar), 2026-K1 (kwartaal), 2026-03 (maand), "
        "2026-P01 (vier weken) of 2025/2026 (gebroken boekjaar).",
        "'{value}' is not a period. Write 2026 (year), 2026-K1 (quarter), 2026-03 (month), "
        "2026-P01 (four weeks) or 2025/2026 (financial year).",
    ),
    "invalid-kvk-number": Message(
        "R3",
        E,
        "KvK-nummer '{value}' moet uit precies 8 cijfers bestaan.",
        "KvK number '{value}' must be exactly 8 digits.",
    ),
    "invalid-establishment-number": Message(
        "R3",
        E,
        "Vestigingsnummer '{value}' moet uit precies 12 cijfers bestaan.",
        "Establishment number '{value}' must be exactly 12 digits.",
    ),
    "invalid-bsn": Message(
        "R3",
        E,
        "'{value}' is geen geldig BSN: 9 cijfers die de elfproef doorstaan. Controleer het "
        "nummer op een ID-bewijs of aanslag.",
        "'{value}' is not a valid BSN: 9 digits passing the 11-test. Check the number against "
        "an ID or tax assessment.",
    ),
    "invalid-fiscal-number": Message(
        "R3",
        E,
        "'{value}' is geen geldig BSN of RSIN: 9 cijfers die de elfproef doorstaan. Controleer "
        "het nummer (RSIN staat in het KvK-uittreksel).",
        "'{value}' is not a valid BSN or RSIN: 9 digits passing the 11-test. Check the number "
        "(the RSIN is on the KvK extract).",
    ),
    "invalid-vat-number": Message(
        "R3",
        E,
        "OB-nummer '{value}' is ongeldig: 9 cijfers met elfproef, dan B en 2 cijfers, "
        "bijvoorbeeld 123456782B01.",
        "OB number '{value}' is invalid: 9 digits passing the 11-test, then B and 2 digits, "
        "e.g. 123456782B01.",
    ),
    "invalid-vat-id": Message(
        "R3",
        E,
        "Btw-id '{value}' is ongeldig: NL, 9 cijfers, B en 2 cijfers (niet 00), met een geldig "
        "controlegetal, bijvoorbeeld NL123456782B01.",
        "VAT id '{value}' is invalid: NL, 9 digits, B and 2 digits (not 00) with a valid check "
        "digit, e.g. NL123456782B01.",
    ),
    "invalid-payroll-tax-number": Message(
        "R3",
        E,
        "Loonheffingennummer '{value}' is ongeldig: 9 cijfers met elfproef, dan L en 2 cijfers, "
        "bijvoorbeeld 123456782L01.",
        "Payroll tax number '{value}' is invalid: 9 digits passing the 11-test, then L and 2 "
        "digits, e.g. 123456782L01.",
    ),
    "invalid-iban": Message(
        "R3",
        E,
        "IBAN '{value}' is ongeldig (controlegetal of lengte klopt niet). Neem het over van een "
        "bankafschrift.",
        "IBAN '{value}' is invalid (check digits or length). Copy it from a bank statement.",
    ),
    # R3, severity by consequence: a contact detail or address part that is not valid is left
    # out of the store (only that value); the client is imported without it.
    "invalid-postcode": Message(
        "R3",
        W,
        "Postcode '{value}' is ongeldig en wordt niet opgeslagen; de rest van de rij wel. Een "
        "postcode is 4 cijfers (niet beginnend met 0) en 2 letters, niet SA, SD of SS, "
        "bijvoorbeeld 9711 LM.",
        "Postcode '{value}' is invalid and is not stored; the rest of the row is. A postcode is "
        "4 digits (not starting with 0) and 2 letters, not SA, SD or SS, e.g. 9711 LM.",
    ),
    "invalid-email": Message(
        "R3",
        W,
        "'{value}' is geen geldig e-mailadres en wordt niet opgeslagen; de rest van de rij wel. "
        "Schrijf het als naam@domein.nl.",
        "'{value}' is not a valid e-mail address and is not stored; the rest of the row is. "
        "Write it as name@domain.nl.",
    ),
    "invalid-phone": Message(
        "R3",
        W,
        "'{value}' is geen geldig telefoonnummer en wordt niet opgeslagen; de rest van de rij "
        "wel. Schrijf bijvoorbeeld 050-1234567, 06-12345678 of +32 2 123 45 67.",
        "'{value}' is not a valid phone number and is not stored; the rest of the row is. "
        "Write e.g. 050-1234567, 06-12345678 or +32 2 123 45 67.",
    ),
    "invalid-house-number": Message(
        "R3",
        W,
        "Huisnummer '{value}' is geen heel getal en wordt niet opgeslagen; de rest van de rij "
        "wel. Schrijf alleen het nummer; een toevoeging hoort in de kolom Toevoeging.",
        "House number '{value}' is not a whole number and is not stored; the rest of the row "
        "is. Write the number only; a suffix goes in column Toevoeging.",
    ),
    "invalid-country": Message(
        "R3",
        E,
        "'{value}' is geen bekend land. Gebruik een landcode van twee letters, zoals NL, BE of DE.",
        "'{value}' is not a known country. Use a two-letter country code such as NL, BE or DE.",
    ),
    # What the store would refuse, checked with the data (issue 9)
    "value-too-long": Message(
        "sjabloon",
        E,
        "{column} heeft {length} tekens; er passen er hoogstens {limit} in. Kort de waarde in "
        "(staat er misschien meer in de cel dan bedoeld?).",
        "{column} has {length} characters; at most {limit} fit. Shorten the value (does the "
        "cell hold more than was meant?).",
    ),
    "invalid-character": Message(
        "sjabloon",
        E,
        "{column} bevat een onzichtbaar stuurteken ({character} op positie {position}) dat niet "
        "kan worden opgeslagen; het komt vaak mee bij kopiëren uit een ander programma. Typ de "
        "waarde opnieuw.",
        "{column} holds an invisible control character ({character} at position {position}) "
        "that cannot be stored; it often comes along when copying from another program. Type "
        "the value again.",
    ),
    "person-name-too-long": Message(
        "R5",
        E,
        "Voornaam (of voorletters), tussenvoegsel en achternaam zijn samen {length} tekens; de "
        "persoonsrelatie die van dit contact wordt gemaakt, krijgt die naam en die mag "
        "hoogstens {limit} tekens hebben. Kort de namen in.",
        "First name (or initials), infix and last name come to {length} characters together; "
        "the person relation made from this contact gets that name, which may have at most "
        "{limit} characters. Shorten the names.",
    ),
    # Consistency within a row or a sheet
    "legal-form-required": Message(
        "sjabloon",
        E,
        "Een organisatie moet een rechtsvorm hebben. Kies er een in de kolom Rechtsvorm.",
        "An organisation needs a legal form. Choose one in column Rechtsvorm.",
    ),
    "period-type-not-allowed": Message(
        "R8",
        E,
        "Tijdvak '{value}' kan niet bij {product}. Kies uit: {choices}.",
        "Period type '{value}' is not available for {product}. Choose from: {choices}.",
    ),
    "period-does-not-match-type": Message(
        "R8",
        E,
        "Vanaf '{value}' past niet bij tijdvak {period_type}. Schrijf bijvoorbeeld {example}.",
        "Start period '{value}' does not fit period type {period_type}. Write e.g. {example}.",
    ),
    "financial-year-mismatch": Message(
        "R8",
        E,
        "Vanaf '{value}' past niet bij het boekjaar van relatie {relation} (begint {start}). "
        "Schrijf bijvoorbeeld {example}.",
        "Start period '{value}' does not fit the financial year of relation {relation} (starts "
        "{start}). Write e.g. {example}.",
    ),
    "implausible-start-period": Message(
        "R7",
        E,
        "Vanaf '{value}' valt niet in {first_year} t/m {last_year}: bij peildatum {as_of} begint "
        "een kantoor hoogstens {years_back} jaar terug (de navorderingstermijn) en niet na "
        "volgend jaar. Controleer het jaartal, of laat Vanaf leeg voor de lopende periode.",
        "Start period '{value}' is not within {first_year} to {last_year}: at as-of date {as_of} "
        "a firm starts at most {years_back} years back (the term for additional assessments) "
        "and not after next year. Check the year, or leave Vanaf empty for the running period.",
    ),
    # R7: products fit the client
    "product-not-for-client": Message(
        "R7",
        E,
        "Product '{value}' past niet bij relatie {relation} ({client}): dit product is voor "
        "{fits}. Verwijder de rij, of zet het product bij de relatie waar het voor is.",
        "Product '{value}' does not fit relation {relation} ({client}): this product is for "
        "{fits}. Remove the row, or give the product to the relation it is for.",
    ),
    "product-check-client": Message(
        "R7",
        W,
        "Product '{value}' bij relatie {relation} ({client}): dit product past alleen in "
        "bepaalde gevallen bij een {legal_form} (een stichting of vereniging is bijvoorbeeld "
        "alleen vpb-plichtig als ze een onderneming drijft). Controleer het; het product wordt "
        "wel geïmporteerd.",
        "Product '{value}' for relation {relation} ({client}): this product fits a {legal_form} "
        "only in some cases (a foundation or association, for example, is liable to corporate "
        "income tax only when it runs an enterprise). Check it; the product is imported.",
    ),
    "income-tax-moved-to-owners": Message(
        "R7",
        W,
        "Aangifte IB hoort bij de ondernemer(s), niet bij {legal_form} {relation}: de import "
        "zet het product op de persoonsrelatie van elke Ondernemer ({where}), met het Tijdvak, "
        "de Vanaf en SBR van deze rij.",
        "Aangifte IB belongs to the owner(s), not to {legal_form} {relation}: the import puts "
        "the product on the person relation of each Ondernemer ({where}), with the Tijdvak, "
        "Vanaf and SBR of this row.",
    ),
    "income-tax-without-owner": Message(
        "R7",
        E,
        "Aangifte IB hoort bij de ondernemer(s) van {legal_form} {relation}, maar die heeft "
        "geen Ondernemer met een persoonsrelatie op het blad Contacten. Voeg de ondernemer(s) "
        "toe (Relatie aanmaken Ja), of verwijder deze rij.",
        "Aangifte IB belongs to the owner(s) of {legal_form} {relation}, but it has no "
        "Ondernemer with a person relation on sheet Contacten. Add the owner(s) (Relatie "
        "aanmaken Ja), or remove this row.",
    ),
    # R1, R2, R10 and references between sheets
    "duplicate-relation-number": Message(
        "R2",
        E,
        "Relatienummer '{value}' komt meer dan eens voor op dit blad (rijen {rows}). Elk "
        "relatienummer hoort bij één rij; geef de andere relatie een eigen nummer.",
        "Relation number '{value}' appears more than once on this sheet (rows {rows}). Give "
        "each relation its own number.",
    ),
    "duplicate-group": Message(
        "R1",
        E,
        "Relatiegroep '{value}' staat meer dan eens op dit blad (rijen {rows}). Houd er één.",
        "Relation group '{value}' appears more than once (rows {rows}). Keep one.",
    ),
    "duplicate-employee": Message(
        "R10",
        E,
        "Medewerkercode '{value}' staat meer dan eens op dit blad (rijen {rows}). Geef elke "
        "medewerker een eigen code.",
        "Employee code '{value}' appears more than once (rows {rows}). Give each employee "
        "their own code.",
    ),
    "duplicate-contact-number": Message(
        "R4",
        E,
        "Contactnummer '{value}' wordt gebruikt voor verschillende personen (rijen {rows}). "
        "Eén contactnummer hoort bij één persoon; laat het leeg voor een nieuw nummer.",
        "Contact number '{value}' is used for different people (rows {rows}). One contact "
        "number is one person; leave it empty to get a new number.",
    ),
    "duplicate-contact": Message(
        "R4",
        E,
        "Dit contact staat twee keer bij relatie {relation} (rijen {rows}). Houd één rij.",
        "This contact appears twice for relation {relation} (rows {rows}). Keep one row.",
    ),
    "duplicate-product": Message(
        "R8",
        E,
        "Product '{value}' staat meer dan eens bij relatie {relation} (rijen {rows}). Houd één "
        "rij per product.",
        "Product '{value}' appears more than once for relation {relation} (rows {rows}). Keep "
        "one row per product.",
    ),
    "duplicate-role": Message(
        "R10",
        E,
        "Rol '{value}' staat meer dan eens bij relatie {relation} (rijen {rows}). Eén medewerker "
        "per rol; houd één rij.",
        "Role '{value}' appears more than once for relation {relation} (rows {rows}). One "
        "employee per role; keep one row.",
    ),
    "unknown-relation": Message(
        "R12",
        E,
        "Relatienummer '{value}' staat niet op het blad Relaties. Voeg de relatie toe of "
        "corrigeer het nummer.",
        "Relation number '{value}' is not on sheet Relaties. Add the relation or correct the "
        "number.",
    ),
    "unknown-group": Message(
        "R1",
        E,
        "Relatiegroep '{value}' bestaat niet. Voeg de groep toe op het blad Relatiegroepen of "
        "kies een bestaande groep.",
        "Relation group '{value}' does not exist. Add it on sheet Relatiegroepen or choose an "
        "existing group.",
    ),
    "unknown-employee": Message(
        "R10",
        E,
        "Medewerker '{value}' bestaat niet. Voeg de medewerker toe op het blad Medewerkers of "
        "gebruik een bestaande code.",
        "Employee '{value}' does not exist. Add the employee on sheet Medewerkers or use an "
        "existing code.",
    ),
    "bundle-skipped": Message(
        "R12",
        E,
        "Deze rij hoort bij relatie {relation}. Die relatie wordt niet geïmporteerd zolang een "
        "andere rij ervan een fout heeft ({where}). Herstel die fout; deze rij is in orde.",
        "This row belongs to relation {relation}, which is not imported while another of its "
        "rows has an error ({where}). Fix that error; this row is fine.",
    ),
    # Checks against the store, at import
    "number-used-by-other-client": Message(
        "R2",
        E,
        "Nummer '{value}' is al in gebruik bij een andere klant ({other}). Een nummer hoort bij de "
        "mensen van één klant: kies een ander nummer.",
        "Number '{value}' is already used by another client ({other}). A number belongs to one "
        "client's people: choose another number.",
    ),
    "contact-number-taken": Message(
        "R4",
        E,
        "Contactnummer '{value}' van dit contact van klant {client} hoort al bij {other}. Laat "
        "het Contactnummer leeg (de import geeft dan een eigen nummer), vul een nummer in dat "
        "nog vrij is, of het nummer of BSN van dezelfde persoon als het om dezelfde persoon gaat.",
        "Contact number '{value}' of this contact of client {client} already belongs to {other}. "
        "Leave Contactnummer empty (the import then gives it a number of its own), fill in a "
        "number that is still free, or the number or BSN of the same person if it is the same "
        "person.",
    ),
    "refers-to-bad-row": Message(
        "R12",
        E,
        "'{value}' wordt niet aangemaakt omdat die rij een fout heeft ({where}); deze rij wacht "
        "daarop. Herstel eerst die rij.",
        "'{value}' is not created because its row has an error ({where}); this row waits for "
        "it. Fix that row first.",
    ),
    "import-rejected": Message(
        "R12",
        E,
        "Er is niets opgeslagen: {reason}.",
        "Nothing was stored: {reason}.",
    ),
    # Warnings from the client rules that need no store
    "organisation-without-contact": Message(
        "R4",
        W,
        "Organisatie {value} heeft geen contact op het blad Contacten; er wordt geen persoon "
        "bedacht. Voeg de ondernemer of een contactpersoon toe.",
        "Organisation {value} has no contact on sheet Contacten; no person is invented. Add "
        "the owner or a contact person.",
    ),
    "ib-enterprise-without-owner": Message(
        "R5",
        W,
        "{legal_form} {value} is een IB-onderneming maar heeft geen contact van soort "
        "Ondernemer, dus geen aangifte IB voor de eigenaar. Voeg de ondernemer(s) toe.",
        "{legal_form} {value} files income tax through its owners but has no contact of type "
        "Ondernemer. Add the owner(s).",
    ),
    "person-without-bsn": Message(
        "R5",
        W,
        "Voor dit contact wordt een persoonsrelatie gemaakt, maar er is geen BSN: SBR blijft uit "
        "voor deze persoon. Vul het BSN in als het bekend is.",
        "A person relation is made for this contact, but there is no BSN: SBR stays off for "
        "this person. Fill in the BSN when known.",
    ),
    # Cells no value can be read from: never taken for empty cells (docs/decisions.md)
    "error-cell": Message(
        "R3",
        E,
        "De cel toont de Excel-fout {value}: de formule erin werkt niet, dus er is geen "
        "{column}. Typ de waarde zelf in (of laat de cel leeg als er geen is).",
        "The cell shows the Excel error {value}: its formula fails, so there is no {column}. "
        "Type the value in (or leave the cell empty if there is none).",
    ),
    "unsupported-cell-type": Message(
        "R3",
        E,
        "De cel is een tijd of tijdsduur ({value}), geen {column}. Zet de cel op opmaak Tekst "
        "en typ de waarde opnieuw.",
        "The cell holds a time or duration ({value}), not a {column}. Format the cell as Text "
        "and type the value again.",
    ),
}


def issue_codes_markdown() -> str:
    """docs/issue-codes.md, generated so that the list cannot drift from the code."""
    lines = [
        "# Issue codes",
        "",
        "Generated from `src/kantoor_batch/messages.py` (a test keeps this file in step):",
        "",
        "```sh",
        'python -c "from kantoor_batch.messages import issue_codes_markdown as m; '
        "print(m(), end='')\" > docs/issue-codes.md",
        "```",
        "",
        "Codes are stable; the wording may change. `rule` points at domain.md (R1-R13) or at",
        "the template itself (`sjabloon`).",
        "",
        "| code | rule | severity | message (nl) |",
        "| --- | --- | --- | --- |",
    ]
    for code, message in MESSAGES.items():
        text = message.nl.replace("|", "\\|")
        lines.append(f"| `{code}` | {message.rule} | {message.severity} | {text} |")
    # Imported here: the conversion's messages are built on this module's Message.
    from kantoor_batch.convert.messages import CONVERT_MESSAGES, INFO_CODES  # noqa: PLC0415

    lines += [
        "",
        "## Conversion (`convert`)",
        "",
        "The codes of `convert --json`'s issues: about a line (or sheet row) of an export file,",
        "not a cell of the onboarding workbook. `{text}` is a sentence about how the file was",
        "read (encoding, delimiter, header row).",
        "",
        "| code | rule | severity | message (nl) |",
        "| --- | --- | --- | --- |",
    ]
    for code, message in CONVERT_MESSAGES.items():
        text = message.nl.replace("|", "\\|")
        severity = "info" if code in INFO_CODES else message.severity
        lines.append(f"| `{code}` | {message.rule} | {severity} | {text} |")
    return "\n".join(lines) + "\n"
