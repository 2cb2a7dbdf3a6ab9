"""German text tables: names, addresses, labels, phrases and letter bodies per document type."""

from __future__ import annotations

from typing import Any

from .common import bar

DE: dict[str, Any] = {
    "months": bar("Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|"
                   "Dezember"),
    "cities": bar("10115 Berlin|80331 München|50667 Köln|20095 Hamburg|60311 Frankfurt am Main|"
                   "70173 Stuttgart|04109 Leipzig|90402 Nürnberg|28195 Bremen|01067 Dresden|"
                   "30159 Hannover|44135 Dortmund|68159 Mannheim|79098 Freiburg"),
    "streets": bar("Lindenstraße {n}|Hauptstraße {n}|Bahnhofstraße {n}|Am Markt {n}|Gartenweg {n}|"
                    "Industriestraße {n}|Schillerplatz {n}|Mühlenweg {n}|Kaiserallee {n}|"
                    "Goethestraße {n}"),
    "senders": {
        "supplier": bar("Müller Logistik GmbH|Druckerei Schäfer KG|Elektro Wagner GmbH & Co. KG|"
                         "Bürobedarf Krause GmbH|Hoffmann Gebäudereinigung|Becker IT-Systemhaus "
                         "GmbH|Bäckerei Zimmermann|Schreinerei Vogt|Kältetechnik Braun GmbH|"
                         "Metallbau Schulte OHG"),
        "insurer": bar("Hanseatische Versicherung AG|Rheinische Sachversicherung AG|Allgemeine "
                        "Rentenkasse Nord|Alpenländische Versicherung VVaG"),
        "bank": bar("Stadtsparkasse Ebersfeld|Bankhaus Lindner & Co.|Westfälische Handelsbank AG|"
                     "Raiffeisenbank Oberau eG"),
        "public": bar("Finanzamt Ebersfeld|Stadtverwaltung Neuhausen|Landratsamt Oberau|"
                       "Familienkasse Weststadt"),
        "law": bar("Rechtsanwälte Brandt & Kollegen|Kanzlei Seidel Partnerschaft mbB|Inkasso "
                    "Fuchs GmbH|Notariat Dr. Kessler"),
    },
    "orgs": bar("Klinikum Ebersfeld gGmbH|Hoffmann Maschinenbau GmbH|Gemeinde Altenbach|"
                 "Wohnbau Nord eG|Hotel Lindenhof GmbH"),
    "depts": bar("Buchhaltung|Personalabteilung|Einkauf|Geschäftsführung|Rechtsabteilung|"
                  "Haustechnik|Poststelle"),
    "first_f": bar("Anna|Petra|Sabine|Julia|Katrin|Monika|Claudia|Lena|Ursula|Birgit"),
    "first_m": bar("Thomas|Michael|Stefan|Andreas|Jürgen|Markus|Frank|Tobias|Klaus|Uwe"),
    "last": bar("Müller|Schmidt|Schneider|Fischer|Weber|Meyer|Wagner|Becker|Schulz|Hoffmann|"
                 "Koch|Richter|Wolf|Schröder|Neumann|Krüger"),
    "civ": {"f": "Frau", "m": "Herrn", "fs": "Frau", "ms": "Herr"},
    "titles": {
        "supplier": bar("Buchhaltung|Vertriebsleiter|Geschäftsführer|Forderungsmanagement"),
        "insurer": bar("Schadensachbearbeiterin|Kundenbetreuer|Leiter Schadenabteilung"),
        "bank": bar("Firmenkundenbetreuer|Filialleiterin|Kreditsachbearbeiter"),
        "public": bar("Sachbearbeiterin|Sachgebietsleiter|Im Auftrag"),
        "law": bar("Rechtsanwalt|Rechtsanwältin|Inkassosachbearbeiter"),
    },
    "ref_labels": bar("Unser Zeichen:|Unser Zeichen:|Aktenzeichen:"),
    "ref_labels_x": bar("Unser Az.:|Vorgangsnummer:|Unser Zeichen|Geschäftszeichen:"),
    "inv_labels": bar("Rechnungsnummer:|Rechnung Nr.:"),
    "their_labels": bar("Ihr Zeichen:|Ihr Zeichen:"),
    "their_labels_x": bar("Ihr Az.:|Ihr Zeichen"),
    "cust_labels": bar("Kundennummer:|Vertragsnummer:|Steuernummer:"),
    "prefix": {"invoice": bar("RE|R|RG"), "other": bar("AZ|VN|KD|V")},
    "subject_labels": bar("Betreff:|Betreff:||"),
    "date_lines": bar("{city}, {long}|{city}, den {num}|{city}, {num}|Datum: {num}|{num}|{iso}"),
    "salut": {"x": "Sehr geehrte Damen und Herren,", "f": "Sehr geehrte Frau {last},",
              "m": "Sehr geehrter Herr {last},"},
    "close": bar("Mit freundlichen Grüßen|Mit freundlichen Grüßen|Freundliche Grüße"),
    "open": bar("wir beziehen uns auf unser Schreiben vom {prev} und unser Telefonat.|vielen Dank "
                 "für Ihr Schreiben vom {prev}.|in der oben genannten Angelegenheit kommen wir "
                 "heute auf Sie zurück."),
    "extra": bar("Ihre Kundennummer lautet {cust}; bitte geben Sie diese bei allen Zahlungen an.|"
                  "Eine Kopie dieses Schreibens erhält die Firma {other} zur Kenntnis.|Der "
                  "Vorgang betrifft {person} (geb. am {birth}).|Der am {start2} geschlossene "
                  "Rahmenvertrag bleibt davon unberührt."),
    "end": bar("Für Rückfragen stehen wir Ihnen gerne zur Verfügung.|Sie erreichen unseren "
                "Kundenservice unter {phone} montags bis freitags."),
    "types": {
        "invoice": (bar("Rechnung Nr. {ref}|Ihre Bestellung: Rechnung|Rechnung für gelieferte "
                         "Waren"),
                    "für die Lieferung der folgenden Positionen berechnen wir Ihnen {amount} "
                    "inkl. MwSt.: {words}.",
                    "Bitte überweisen Sie den Rechnungsbetrag bis spätestens {due} auf das unten "
                    "genannte Konto. Bei Zahlungsverzug berechnen wir Verzugszinsen.",
                    bar("Hubwagen|Kopiergerät|Laminiergerät|Kompressor|Regalsystem|Tonerkartusche|"
                         "Thermostat|Rollcontainer|Stromaggregat|Leitern|Schutzhelme")),
        "reminder": (bar("Zahlungserinnerung|Mahnung|2. Mahnung"),
                     "sicherlich haben Sie übersehen, dass unsere Rechnung vom {prev} über "
                     "{amount} noch offen ist. Sie betraf folgende Leistungen: {words}.",
                     "Bitte begleichen Sie den offenen Betrag bis zum {due}. Andernfalls sehen wir "
                     "uns gezwungen, ein gerichtliches Mahnverfahren einzuleiten.",
                     bar("Gerüstbau|Fliesenarbeiten|Dachdeckerarbeiten|Malerarbeiten|Gartenpflege|"
                          "Schlüsseldienst|Verglasung|Elektroinstallation|Pflasterarbeiten")),
        "contract": (bar("Verlängerung Ihres Vertrages|Nachtrag zum Dienstleistungsvertrag|"
                          "Kündigung Ihres Vertrages"),
                     "wir freuen uns, Ihnen mitzuteilen, dass der Vertrag am {start} für zunächst "
                     "zwölf Monate beginnt. Er umfasst folgende Leistungen: {words}.",
                     "Der ursprüngliche Vertrag vom {prev} gilt für alle nicht geänderten "
                     "Bestimmungen weiter. Die Jahresvergütung beträgt {amount} zuzüglich "
                     "Umsatzsteuer.",
                     bar("Wachdienst|Schädlingsbekämpfung|Aufzugswartung|Aktenvernichtung|"
                          "Gebäudereinigung|Winterdienst|Heizungswartung|Archivierung|Kurierdienst")),
        "notice": (bar("Bescheid über Vorauszahlungen|Mitteilung über die Festsetzung|Anhörung"),
                   "nach Prüfung Ihrer Unterlagen wurden folgende Posten berücksichtigt: {words}. "
                   "Der festgesetzte Betrag beläuft sich auf {amount}.",
                   "Gegen diesen Bescheid können Sie bis zum {due} Einspruch einlegen. Nach Ablauf "
                   "dieser Frist wird der Bescheid bestandskräftig.",
                   bar("Vorauszahlung|Säumniszuschlag|Gewerbesteuer|Grundsteuer|Erstattung|"
                        "Nachzahlung|Freibetrag|Stundung|Verspätungszuschlag")),
        "insurance": (bar("Ihre Schadenmeldung|Beitragsrechnung zur Verlängerung|"
                           "Schadenregulierung"),
                      "wir bestätigen den Eingang Ihrer Schadenmeldung vom {prev} zu dem Schaden "
                      "in Ihren Geschäftsräumen. Gemeldet wurden: {words}.",
                      "Ein Gutachter der Firma {other} wird sich in Kürze mit Ihnen in Verbindung "
                      "setzen. Vorbehaltlich seines Gutachtens kann eine Entschädigung von "
                      "{amount} bis zum {due} ausgezahlt werden.",
                      bar("Leitungswasserschaden|Glasbruch|Sturmschaden|Einbruchdiebstahl|"
                           "Hagelschaden|Brandschaden|Überspannung|Vandalismus|Rohrbruch")),
        "letter": (bar("Änderung unserer Bankverbindung|Ihre Reklamation|Änderung unserer "
                        "Geschäftsbedingungen"),
                   "hiermit teilen wir Ihnen mit, dass ab dem {start} die Firma {other} folgende "
                   "Aufgaben für uns übernimmt: {words}.",
                   "An unseren Preisen ändert sich dadurch nichts. Bitte geben Sie bei jeder "
                   "Korrespondenz unser Zeichen an.",
                   bar("Rechnungsstellung|Lieferungen|Kundendienst|Versand|Lagerhaltung|"
                        "Preisanpassung|Reklamationen|Bestellwesen|Verpackung|Etikettierung")),
    },
    "urgent_subject": {"reminder": "Letzte Mahnung"},
    "cues": {"urgent": bar("EILT!|DRINGEND"),
             "high": bar("Einschreiben mit Rückschein|Einschreiben"),
             "conf": bar("Persönlich/Vertraulich|VERTRAULICH|Persönlich – vertraulich")},
    "stamp": ("Eingegangen {d}", "POSTEINGANG"),
    "page": "Seite {n} von {t}",
    "and": "und",
    "phone": ("Telefon: {p}", "0## ######-#"),
    "legal": bar("Amtsgericht {city} HRB ##### – USt-IdNr. DE######### – Geschäftsführer: "
                  "{name}|Sitz der Gesellschaft: {city} – HRA #### – Steuer-Nr. ##/###/#####|"
                  "Registergericht {city} HRB #### – USt-IdNr. DE#########"),
    "bank": "IBAN DE## #### #### #### #### ## – BIC COBADEFFXXX",
    "encl": bar("Anlage: Rechnungskopie|Anlagen|Anlage: Kontoauszug"),
}
