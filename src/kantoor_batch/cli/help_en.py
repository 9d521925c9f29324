"""The English of the command line's own help texts, shown with `--lang en` or an English locale
(cli.language). Keyed by the Dutch text as the command or option has it (inspect.cleandoc), so
the Dutch stays where it is read and written: beside the code. A test holds every help text of
every command to having its English here."""

from __future__ import annotations

HELP_EN: dict[str, str] = {
    "Relaties van een accountantskantoor in bulk aanmaken vanuit een Excel-werkmap.\n\n"
    "Begin met `kantoor-batch template`, vul de werkmap in, controleer hem met\n"
    "`kantoor-batch validate` en importeer hem met `kantoor-batch import`. `kantoor-batch plan`\n"
    "maakt de workflows van nieuwe periodes; `kantoor-batch runs` toont wat er is gedaan;\n"
    "`kantoor-batch undo` maakt een run ongedaan; `kantoor-batch report` maakt het rapport\n"
    "voor de vennoten, `kantoor-batch workflows done` zet afgerond werk op gereed en\n"
    "`kantoor-batch export` schrijft de database terug als werkmap.": (
        "Create the clients (relaties) of an accounting firm in bulk from an Excel workbook.\n\n"
        "Start with `kantoor-batch template`, fill in the workbook, check it with\n"
        "`kantoor-batch validate` and import it with `kantoor-batch import`. `kantoor-batch "
        "plan`\ncreates the workflows of new periods; `kantoor-batch runs` shows what was done;\n"
        "`kantoor-batch undo` reverts a run; `kantoor-batch report` writes the partners'\n"
        "report, `kantoor-batch workflows done` marks finished work as done and\n"
        "`kantoor-batch export` writes the store back as a workbook."
    ),
    "Toon de versie en stop.": "Show the version and exit.",
    "Schrijf de lege onboarding-werkmap met keuzelijsten en instructies.": (
        "Write the empty onboarding workbook with dropdowns and instructions."
    ),
    "De werkmap (.xlsx) om te schrijven.": "The workbook (.xlsx) to write.",
    "TOML-bestand met eigen lijsten (producten, rollen, integraties, ...).": (
        "TOML file with the office's own lists (products, roles, integrations, ...)."
    ),
    "Controleer een onboarding-werkmap zonder iets op te slaan.\n\n"
    "Exit 0 zonder fouten (waarschuwingen mogen), 1 bij fouten, 2 bij verkeerd gebruik,\n"
    "3 als het bestand niet te lezen is.": (
        "Check an onboarding workbook without storing anything.\n\n"
        "Exit 0 without errors (warnings allowed), 1 with errors, 2 for wrong use,\n"
        "3 when the file cannot be read."
    ),
    "Foutenbestand; standaard <naam>-fouten.xlsx naast de invoer.": (
        "The error workbook; by default <name>-fouten.xlsx beside the input."
    ),
    "Schrijf het resultaat als JSON.": "Write the result as JSON.",
    "Taal van de meldingen en de hulp; standaard Nederlands, of Engels als de taalinstelling "
    "(LANG, LC_ALL) Engels is.": (
        "Language of the messages and the help; Dutch by default, English when the locale "
        "(LANG, LC_ALL) is English."
    ),
    "Peildatum (jjjj-mm-dd of dd-mm-jjjj, 2000-2100); standaard vandaag.": (
        "As-of date (yyyy-mm-dd or dd-mm-yyyy, 2000-2100); today by default."
    ),
    "Importeer een onboarding-werkmap in de database.\n\n"
    "Exit 0 als alles is geïmporteerd, 1 als relaties of rijen zijn overgeslagen, 2 bij\n"
    "verkeerd gebruik, 3 als de run stopte voordat er iets is opgeslagen (bestand onleesbaar,\n"
    "database onbereikbaar), 4 als de import is opgeslagen maar het resultaat- of foutenbestand\n"
    "niet kon worden geschreven.": (
        "Import an onboarding workbook into the store.\n\n"
        "Exit 0 when everything was imported, 1 when clients or rows were skipped, 2 for wrong\n"
        "use, 3 when the run stopped before anything was stored (file unreadable, store\n"
        "unreachable), 4 when the import was stored but its result or error workbook could\n"
        "not be written."
    ),
    "Database-URL of SQLite-bestand; standaard KANTOOR_BATCH_DB of kantoor.db in deze map. "
    "Bijvoorbeeld postgresql://gebruiker@server/kantoor.": (
        "Store URL or SQLite file; by default KANTOOR_BATCH_DB or kantoor.db in this folder. "
        "For example postgresql://user@server/kantoor."
    ),
    "Alles doen en tonen wat er zou gebeuren, maar niets opslaan.": (
        "Do everything and show what would happen, but store nothing."
    ),
    "Niets opslaan als er ook maar één fout is.": "Store nothing if there is a single error.",
    "Zo lang wachten als een andere run de database bezet houdt; daarna stoppen. "
    "Standaard 600.": "How long to wait while another run holds the store; then stop. Default 600.",
    "Map voor het resultaat- en foutenbestand; standaard de map van de invoer. "
    "(-o is bij elke opdracht een bestand; hier gaat het om een map.)": (
        "Folder for the result and error workbooks; by default the input's folder. "
        "(-o is a file in every command; this is a folder.)"
    ),
    "Maak de workflows van nieuwe periodes (plannerregels), met uiterste datum.\n\n"
    "Elke plannerregel in de database maakt de workflow van elke periode die op de peildatum\n"
    "is begonnen en nog geen workflow heeft, met de uiterste datum, en schuift dan door naar\n"
    "de volgende periode. Twee keer draaien op één datum maakt de tweede keer niets.\n\n"
    "Exit 0 als elke plannerregel is gevolgd, 1 als plannerregels zijn overgeslagen, 2 bij\n"
    "verkeerd gebruik, 3 als de run stopte voordat er iets is opgeslagen (database\n"
    "onbereikbaar of langer dan --wait bezet, map niet beschrijfbaar), 4 als de run is\n"
    "opgeslagen maar de werkmap niet kon worden geschreven.": (
        "Create the workflows of new periods (planner rules), with their deadline.\n\n"
        "Every planner rule in the store creates the workflow of every period that has started\n"
        "by the as-of date and has no workflow yet, with its deadline, and then moves on to the\n"
        "next period. Running twice on one date creates nothing the second time.\n\n"
        "Exit 0 when every planner rule was followed, 1 when planner rules were skipped, 2 for\n"
        "wrong use, 3 when the run stopped before anything was stored (store unreachable or\n"
        "busy for longer than --wait, folder not writable), 4 when the run was stored but the\n"
        "workbook could not be written."
    ),
    "Schrijf de aangemaakte workflows ook naar deze werkmap (.xlsx).": (
        "Also write the created workflows to this workbook (.xlsx)."
    ),
    "Toon het logboek van de database: elke import en planner-run.\n\n"
    "Per run: nummer, soort, wanneer, bestand, controlegetal, peildatum, aantallen, uitkomst\n"
    "en wie hem draaide. `kantoor-batch runs show RUN` toont wat één run deed.\n\n"
    "Exit 0, 2 bij verkeerd gebruik, 3 als de database niet te lezen is.": (
        "Show the store's ledger: every import and planner run.\n\n"
        "Per run: number, kind, when, file, checksum, as-of date, counts, outcome and who ran\n"
        "it. `kantoor-batch runs show RUN` shows what one run did.\n\n"
        "Exit 0, 2 for wrong use, 3 when the store cannot be read."
    ),
    "Toon wat één run deed: samenvatting, aangemaakte rijen per tabel en gewijzigde waarden."
    "\n\nExit 0, 2 bij verkeerd gebruik (ook een run die niet bestaat), 3 als de database niet "
    "te\nlezen is of de werkmap niet kon worden geschreven.": (
        "Show what one run did: summary, rows created per table and values changed.\n\n"
        "Exit 0, 2 for wrong use (also a run that does not exist), 3 when the store cannot be\n"
        "read or the workbook could not be written."
    ),
    "Schrijf de run ook naar deze werkmap (.xlsx).": "Also write the run to this workbook (.xlsx).",
    "Maak een run ongedaan: wat hij aanmaakte verdwijnt, wat hij wijzigde krijgt de oude\n"
    "waarde terug.\n\n"
    "Raakte een latere run dezelfde gegevens (rijen aangemaakt onder rijen van deze run, of\n"
    "dezelfde velden gewijzigd), dan weigert undo en toont die; --force maakt de run toch\n"
    "ongedaan. De undo is zelf een run in het logboek (`kantoor-batch runs`).\n\n"
    "Exit 0 als de run ongedaan is gemaakt (of bij --dry-run zou zijn), 1 als undo weigert\n"
    "omdat latere runs dezelfde gegevens raakten, 2 bij verkeerd gebruik (een run die niet\n"
    "bestaat, al ongedaan is gemaakt of zelf een undo is), 3 als de database niet bruikbaar\n"
    "is of langer dan --wait bezet bleef.": (
        "Revert a run: what it created is removed, what it changed gets its old value back.\n\n"
        "When a later run touched the same data (rows created under rows of this run, or the\n"
        "same fields changed), undo refuses and shows them; --force reverts the run anyway.\n"
        "The undo is itself a run in the ledger (`kantoor-batch runs`).\n\n"
        "Exit 0 when the run was reverted (or, with --dry-run, would be), 1 when undo refuses\n"
        "because later runs touched the same data, 2 for wrong use (a run that does not exist,\n"
        "was undone already or is an undo itself), 3 when the store cannot be used or stayed\n"
        "busy for longer than --wait."
    ),
    "Ook ongedaan maken als latere runs dezelfde gegevens raakten (wat zij aanmaakten onder "
    "rijen van deze run verdwijnt mee).": (
        "Revert also when later runs touched the same data (what they created under rows of "
        "this run is removed with it)."
    ),
    "Rapport voor de vennoten: portefeuille, deadlines, gereedheid en IB-voortgang.\n\n"
    "Schrijft met -o een werkmap met de bladen Overzicht, Portefeuille, Deadlines, Gereedheid\n"
    "en IB-voortgang, met grafieken en klaar om af te drukken; met --json dezelfde cijfers als\n"
    "JSON. De database wordt alleen gelezen. BSN's en RSIN's staan nooit in het rapport.\n\n"
    "Exit 0, 2 bij verkeerd gebruik (ook een onbekende medewerker of groep), 3 als de\n"
    "database niet te lezen is of de werkmap niet kon worden geschreven.": (
        "The partners' report: portfolio, deadlines, readiness and income-tax progress.\n\n"
        "With -o it writes a workbook with the sheets Overzicht, Portefeuille, Deadlines,\n"
        "Gereedheid and IB-voortgang, with charts and ready to print; with --json the same\n"
        "figures as JSON. The store is only read. BSNs and RSINs are never in the report.\n\n"
        "Exit 0, 2 for wrong use (also an unknown employee or group), 3 when the store cannot\n"
        "be read or the workbook could not be written."
    ),
    "De werkmap (.xlsx) om te schrijven, bijvoorbeeld rapport.xlsx.": (
        "The workbook (.xlsx) to write, for example rapport.xlsx."
    ),
    "Alleen de relaties van deze medewerker.": "Only the clients of this employee.",
    "Alleen de relaties van deze relatiegroep.": "Only the clients of this relation group.",
    "Belastingjaar van IB-voortgang; standaard het jaar vóór de peildatum.": (
        "Tax year of IB-voortgang; by default the year before the as-of date."
    ),
    "Werk met de workflows in de database.": "Work with the workflows in the store.",
    "Zet workflows op 'gereed': het werk is gedaan (aangifte ingediend).\n\n"
    "Noem elke workflow met relatienummer, product en periode, bijvoorbeeld\n"
    '`kantoor-batch workflows done 0101 "Aangifte IB" 2025`, of geef er veel tegelijk met\n'
    "--file gereed.csv (kolommen Relatienummer, Product, Periode; komma of puntkomma). Het\n"
    "logboek krijgt een run met elke gewijzigde status; `kantoor-batch report` telt ze in\n"
    "IB-voortgang.\n\n"
    "Exit 0 als elke genoemde workflow gereed is, 1 als er workflows niet bestaan, 2 bij\n"
    "verkeerd gebruik, 3 als de database niet te gebruiken is.": (
        "Mark workflows as 'gereed' (done): the work is done (return filed).\n\n"
        "Name each workflow by relation number, product and period, for example\n"
        '`kantoor-batch workflows done 0101 "Aangifte IB" 2025`, or many at once with\n'
        "--file gereed.csv (columns Relatienummer, Product, Periode; comma or semicolon). The\n"
        "ledger gets a run with every changed status; `kantoor-batch report` counts them in\n"
        "IB-voortgang.\n\n"
        "Exit 0 when every named workflow is done, 1 when workflows do not exist, 2 for wrong\n"
        "use, 3 when the store cannot be used."
    ),
    "CSV-bestand met de kolommen Relatienummer, Product en Periode.": (
        "CSV file with the columns Relatienummer, Product and Periode."
    ),
    "Schrijf de database (of een selectie) als onboarding-werkmap.\n\n"
    "De werkmap heeft de bladen, kolommen, keuzelijsten en Instructies van het sjabloon.\n"
    "Ongewijzigd importeren verandert niets; pas cellen aan en importeer hem opnieuw om\n"
    "precies die waarden te wijzigen. De selecties (--groep, --medewerker, --relaties) samen:\n"
    "relaties die aan alle gegeven voorwaarden voldoen.\n\n"
    "Exit 0, 2 bij verkeerd gebruik, 3 als de database niet te lezen is of de werkmap niet\n"
    "kon worden geschreven.": (
        "Write the store (or a selection of it) as an onboarding workbook.\n\n"
        "The workbook has the template's sheets, columns, dropdowns and Instructies. Importing\n"
        "it unchanged changes nothing; change cells and import it again to change exactly\n"
        "those values. The selections (--groep, --medewerker, --relaties) together: clients\n"
        "that meet every condition given.\n\n"
        "Exit 0, 2 for wrong use, 3 when the store cannot be read or the workbook could not\n"
        "be written."
    ),
    "De werkmap (.xlsx), of bij --format csv: een map met dezelfde naam zonder extensie.": (
        "The workbook (.xlsx), or with --format csv: a folder of that name without extension."
    ),
    "Alleen relaties in deze relatiegroep.": "Only clients in this relation group.",
    "Alleen relaties waarbij deze medewerker (code) een rol heeft.": (
        "Only clients for which this employee (code) has a role."
    ),
    "Alleen deze relatienummers, gescheiden door komma's: --relaties 1001,1002.": (
        "Only these relation numbers, separated by commas: --relaties 1001,1002."
    ),
    "xlsx: één werkmap; csv: één bestand per blad (UTF-8 met BOM, ';').": (
        "xlsx: one workbook; csv: one file per sheet (UTF-8 with BOM, ';')."
    ),
    "Rijen uit een export ook opslaan als de opslag sinds die export is gewijzigd "
    "(standaard: als conflict gemeld en niet toegepast).": (
        "Store rows of an export even when the store changed since that export (by default "
        "they are reported as a conflict and not applied)."
    ),
    "Profiel (TOML) dat zegt welke kolom van de export waar heen gaat.": (
        "Profile (TOML) that says which column of the export goes where."
    ),
    "De werkmap die ontstaat (standaard <export>-onboarding.xlsx); een naam zonder .xlsx is "
    "een map met de bladen als CSV (sneller bij grote bestanden). Met --suggest: het profiel "
    "(standaard <export>-profiel.toml).": (
        "The workbook to write (by default <export>-onboarding.xlsx); a name without .xlsx is a "
        "folder with the sheets as CSV (faster for large files). With --suggest: the profile "
        "(by default <export>-profiel.toml)."
    ),
    "Stel een profiel voor uit de kolomkoppen en waarden van de export(s), om na te kijken en "
    "aan te passen; meer exports worden één profiel, gekoppeld op hun sleutelkolom.": (
        "Propose a profile from the export's column headers and values, to check and edit; "
        "several exports become one profile, joined on their key column."
    ),
    "Tekenset van CSV-bestanden (utf-8, cp1252, ...); standaard herkend.": (
        "Character set of CSV files (utf-8, cp1252, ...); detected by default."
    ),
    "Scheidingsteken van CSV-bestanden; standaard herkend.": (
        "Delimiter of CSV files; detected by default."
    ),
    "Regel met de kolomkoppen; standaard herkend (de eerste regel met alleen koppen).": (
        "Line with the column headers; detected by default (the first line of headers only)."
    ),
    "Blad van een werkmap-export; standaard het eerste.": (
        "Sheet of a workbook export; the first one by default."
    ),
    "Schrijf het conversierapport als JSON.": "Write the conversion report as JSON.",
    "Zet een export van een ander pakket om in een onboarding-werkmap.\n\n"
    "kantoor-batch convert EXPORT [EXPORT...] --profile PROFIEL.toml -o onboarding.xlsx\n"
    "schrijft de werkmap (daarna validate en import zoals altijd), met op het blad Conversie\n"
    "welke kolom waar heen ging en welke regels niet konden worden omgezet.\n"
    "kantoor-batch convert --suggest EXPORT [EXPORT...] -o PROFIEL.toml stelt een profiel voor.\n\n"
    "Exit 0 alles omgezet, 1 regels niet omgezet (de rest staat in de werkmap), 2 verkeerd\n"
    "gebruik, 3 een bestand of het profiel is niet te lezen.": (
        "Convert an export of another package into an onboarding workbook.\n\n"
        "kantoor-batch convert EXPORT [EXPORT...] --profile PROFILE.toml -o onboarding.xlsx\n"
        "writes the workbook (then validate and import as always), with on the sheet Conversie\n"
        "which column went where and which lines could not be converted.\n"
        "kantoor-batch convert --suggest EXPORT [EXPORT...] -o PROFILE.toml proposes a profile.\n\n"
        "Exit 0 everything converted, 1 lines not converted (the rest is in the workbook), 2\n"
        "wrong use, 3 a file or the profile cannot be read."
    ),
}

# Placeholders of option values and arguments.
METAVARS_EN: dict[str, str] = {
    "BESTAND": "FILE",
    "WERKMAP": "WORKBOOK",
    "MAP": "FOLDER",
    "SECONDEN": "SECONDS",
    "[JJJJ-MM-DD]": "[YYYY-MM-DD]",
    "JAAR": "YEAR",
    "GROEP": "GROUP",
    "NUMMERS": "NUMBERS",
    "[RELATIENUMMER PRODUCT PERIODE]...": "[RELATION-NUMBER PRODUCT PERIOD]...",
}
