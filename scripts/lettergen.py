"""Synthetic scanned business letters (fr/en/de) with their ground truth, for tests and benchmarks.

`make_letter(seed, Options(...))` composes a letter (letterhead, address window, place+date line,
references, subject, body with distractor dates and names, signature, optional reception stamp,
confidentiality and urgency cues), lays it out in PDF points, renders the pages as grayscale
"scans" (noise, blur, skew, optional 90/180° turn) and returns them with a truth dict.
Everything is drawn from `random.Random(seed)`: the same seed and options give the same pages.
Save helpers write image-only PDF, multi-page TIFF, PNG, JPEG, and a born-digital PDF with a
real text layer (standard Type1 fonts, WinAnsiEncoding) from the same layout.
"""

from __future__ import annotations

import io
import math
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import img2pdf
import numpy as np
import pikepdf
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

PAGE_W, PAGE_H = 595.28, 841.89  # A4 in points
LANGUAGES = ("fr", "en", "de")
DOC_TYPES = ("invoice", "reminder", "contract", "notice", "insurance", "letter")
TRUTH_KEYS = (
    "sender", "date", "received_on", "reference", "their_reference", "recipient", "subject",
    "language", "doc_type", "urgency", "confidential", "words",
)
# Which kind of organisation sends which kind of letter.
DOC_KINDS = {
    "invoice": ("supplier",), "reminder": ("supplier", "law"), "contract": ("supplier", "insurer"),
    "notice": ("public", "bank"), "insurance": ("insurer",), "letter": ("supplier", "bank", "law"),
}
# Reference shapes: L letter, # digit, YYYY/YY year, P a language prefix (FAC, INV, RE...).
# Even positions belong to the "tune" pool, odd ones to "report" (see `pool_slice`).
REF_PATTERNS = (
    "LL-YYYY-####", "YYYY #### ##", "P/YYYY/#####", "L-##/###", "P-YY####", "P-######",
    "LYY-####-L", "LL/LL ####", "YYYY.###.###", "######/YY", "P YYYY/####", "LL#######",
)
FONT_DIRS = ("/usr/share/fonts/truetype/liberation", "/usr/share/fonts/opentype/urw-base35",
             "/usr/share/fonts/truetype/dejavu")
# family: (regular file, bold file, PDF base font regular, bold); the first four are metric
# clones of the standard 14 fonts, so born-digital PDFs keep the scanned layout.
FONTS = {
    "liberation-sans": ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "Helvetica"),
    "liberation-serif": ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "Times"),
    "nimbus-sans": ("NimbusSans-Regular.otf", "NimbusSans-Bold.otf", "Helvetica"),
    "nimbus-roman": ("NimbusRoman-Regular.otf", "NimbusRoman-Bold.otf", "Times"),
    "nimbus-mono": ("NimbusMonoPS-Regular.otf", "NimbusMonoPS-Bold.otf", "Courier"),
    "dejavu-sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "Helvetica"),
    "dejavu-serif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "Times"),
}
PDF_BOLD = {"Helvetica": "Helvetica-Bold", "Times": "Times-Bold", "Courier": "Courier-Bold"}
PDF_REGULAR = {"Helvetica": "Helvetica", "Times": "Times-Roman", "Courier": "Courier"}


def _bar(text: str) -> list[str]:
    return [part.strip() for part in text.split("|") if part.strip()]


FR: dict[str, Any] = {
    "months": _bar("janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|"
                   "novembre|décembre"),
    "cities": _bar("69003 Lyon|75011 Paris|13006 Marseille|31000 Toulouse|44000 Nantes|"
                   "67000 Strasbourg|33000 Bordeaux|59000 Lille|35000 Rennes|21000 Dijon|"
                   "38000 Grenoble|37000 Tours|63000 Clermont-Ferrand|34000 Montpellier"),
    "streets": _bar("{n} rue des Lilas|{n} avenue Jean Jaurès|{n} boulevard Voltaire|"
                    "{n} rue de la République|{n} quai Saint-Vincent|{n} allée des Tilleuls|"
                    "{n} rue du Moulin|{n} place Bellecour|{n} chemin des Vignes|"
                    "ZI des Perches, {n} rue Ampère"),
    "senders": {
        "supplier": _bar("Transports Marchal SARL|Imprimerie Vasseur SAS|Électricité Bonnefoy SA|"
                         "Fournitures Lemaire & Fils|Informatique Garnier SARL|"
                         "Nettoyage Perrin Services|Menuiserie Chabert EURL|"
                         "Boulangerie Industrielle Roux SAS|Ascenseurs Delmas SA|"
                         "Papeterie Moreau Bureau"),
        "insurer": _bar("Mutuelle Atlantique Assurances|Assurances Berthier & Cie|"
                        "Prévoyance Rhône-Alpes|La Sauvegarde Mutuelle"),
        "bank": _bar("Banque Vernier & Cie|Société Lyonnaise de Crédit|Crédit Foncier du Jura|"
                     "Banque Delaunay Frères"),
        "public": _bar("Centre des Finances Publiques de Bron|Mairie de Vaulx-le-Vieux|"
                       "Office Départemental de l'Habitat|Caisse Régionale de Retraite du Centre"),
        "law": _bar("Cabinet Delorme & Associés|Étude Morel-Fabre, Commissaires de justice|"
                    "SCP Arnaud Lefèvre Avocats|Cabinet Juridique Perret"),
    },
    "orgs": _bar("Clinique du Parc SA|Groupe Allard Distribution|Mairie de Champvert|"
                 "Coopérative Agricole du Val|Hôtel des Voyageurs SARL"),
    "depts": _bar("Service comptabilité|Direction des ressources humaines|Service achats|"
                  "Direction générale|Service juridique|Services techniques|Service courrier"),
    "first_f": _bar("Claire|Sophie|Nathalie|Isabelle|Camille|Émilie|Hélène|Julie|Sandrine|Anne"),
    "first_m": _bar("Jean|Pierre|Nicolas|Laurent|Olivier|François|Thomas|Julien|Éric|Philippe"),
    "last": _bar("Dubois|Martin|Bernard|Laurent|Girard|Fontaine|Rousseau|Mercier|Blanchard|"
                 "Lambert|Faure|Chevalier|Perrin|Gauthier|Masson|Leclerc"),
    "civ": {"f": "Madame", "m": "Monsieur", "fs": "Mme", "ms": "M."},
    "titles": {
        "supplier": _bar("Responsable administratif|Directeur commercial|Comptable|Gérant"),
        "insurer": _bar("Gestionnaire sinistres|Conseillère clientèle|Responsable indemnisation"),
        "bank": _bar("Conseiller clientèle|Directrice d'agence|Chargé d'affaires"),
        "public": _bar("Inspecteur des finances publiques|Chef de service|Le Maire adjoint"),
        "law": _bar("Avocat associé|Commissaire de justice|Juriste"),
    },
    "ref_labels": _bar("N/Réf. :|Notre référence :|Réf. :"),
    "ref_labels_x": _bar("Nos réf. :|Dossier n° :|N/Réf :|Réf. dossier :"),
    "inv_labels": _bar("Facture n° :|Facture N°"),
    "their_labels": _bar("V/Réf. :|Votre référence :"),
    "their_labels_x": _bar("Vos réf. :|V/Réf :"),
    "cust_labels": _bar("N° client :|Contrat n° :|N° adhérent :"),
    "prefix": {"invoice": _bar("FAC|FA|F"), "other": _bar("DOS|REF|CT|D")},
    "subject_labels": _bar("Objet :|Objet :|Objet :|OBJET :"),
    "date_lines": _bar("{city}, le {long}|{city}, le {long}|{city}, le {num}|Le {long}|"
                       "{long}|{iso}"),
    "salut": {"x": "Madame, Monsieur,", "f": "Madame,", "m": "Monsieur,"},
    "close": _bar("Nous vous prions d'agréer, {s}, l'expression de nos salutations distinguées.|"
                  "Veuillez agréer, {s}, l'expression de nos sentiments les meilleurs.|"
                  "Nous vous prions de croire, {s}, à l'assurance de notre considération."),
    "open": _bar("Nous faisons suite à notre courrier du {prev} ainsi qu'à notre entretien "
                 "téléphonique.|Nous accusons réception de votre courrier du {prev} et vous en "
                 "remercions.|Par la présente, nous revenons vers vous au sujet du dossier cité "
                 "en référence."),
    "extra": _bar("Votre numéro client est le {cust} ; nous vous remercions de le rappeler lors "
                  "de vos règlements.|Une copie du présent courrier est adressée à {other}, qui "
                  "suit également ce dossier.|Ce dossier concerne {person}, né(e) le {birth}, "
                  "dont la situation a été réexaminée.|Pour mémoire, l'accord-cadre conclu le "
                  "{start2} demeure en vigueur jusqu'à son terme."),
    "end": _bar("Nous restons à votre disposition pour tout renseignement complémentaire.|"
                "Notre service clientèle se tient à votre disposition au {phone}, du lundi au "
                "vendredi."),
    "types": {
        "invoice": (_bar("Facture n° {ref}|Envoi de notre facture|Facture de fournitures"),
                    "Veuillez trouver ci-joint notre facture d'un montant de {amount} TTC, "
                    "correspondant à la livraison des articles suivants : {words}.",
                    "Conformément à nos conditions générales de vente, le règlement est attendu "
                    "au plus tard le {due}, par virement bancaire. Tout retard de paiement "
                    "entraînera l'application de pénalités de retard.",
                    _bar("rayonnages|transpalette|photocopieur|plastifieuse|compresseur|"
                         "disjoncteurs|étiqueteuse|cartouches|climatiseur|thermostat|chariots")),
        "reminder": (_bar("Relance : facture impayée|Rappel de paiement|Deuxième relance"),
                     "Sauf erreur ou omission de notre part, notre facture du {prev} d'un montant "
                     "de {amount} n'a toujours pas été réglée. Elle portait sur les travaux "
                     "suivants : {words}.",
                     "Nous vous demandons de bien vouloir procéder au règlement avant le {due}. "
                     "À défaut, nous serons contraints de confier le recouvrement de cette "
                     "créance à notre service contentieux.",
                     _bar("échafaudage|débroussaillage|serrurerie|carrelage|menuiserie|vitrerie|"
                          "plomberie|ramonage|désherbage|signalétique")),
        "contract": (_bar("Renouvellement de votre contrat|Avenant au contrat de prestations|"
                          "Résiliation de votre contrat"),
                     "Nous avons le plaisir de vous confirmer que le contrat prendra effet le "
                     "{start} pour une durée de douze mois. Il couvre les prestations suivantes "
                     ": {words}.",
                     "Le contrat initial, signé le {prev}, reste applicable pour toutes les "
                     "clauses non modifiées. Le montant annuel s'élève à {amount} hors taxes.",
                     _bar("télésurveillance|dératisation|maintenance|gardiennage|climatisation|"
                          "ascenseurs|désinfection|archivage|infogérance|standard")),
        "notice": (_bar("Avis de situation|Notification de décision|"
                        "Information relative à votre dossier"),
                   "Après examen de votre dossier, nous vous informons que les éléments suivants "
                   "ont été retenus : {words}. Le montant total s'établit à {amount}.",
                   "Vous disposez d'un délai expirant le {due} pour présenter vos observations. "
                   "Passé cette date, la présente décision deviendra définitive.",
                   _bar("cotisation|dégrèvement|exonération|majoration|abattement|versement|"
                        "régularisation|acompte|indemnité|redevance")),
        "insurance": (_bar("Déclaration de sinistre|Avis d'échéance de votre contrat|"
                           "Suite de votre sinistre"),
                      "Nous avons bien enregistré votre déclaration du {prev} concernant le "
                      "sinistre survenu dans vos locaux. Les dommages déclarés portent sur : "
                      "{words}.",
                      "Un expert du cabinet {other} prendra contact avec vous prochainement. "
                      "Sous réserve de ses conclusions, une indemnité de {amount} pourra vous "
                      "être versée avant le {due}.",
                      _bar("infiltration|vitrage|toiture|canalisation|véhicule|incendie|"
                           "cambriolage|inondation|grêle|clôture")),
        "letter": (_bar("Changement de coordonnées bancaires|Réponse à votre réclamation|"
                        "Modification de nos conditions"),
                   "Nous vous informons qu'à compter du {start}, notre société confiera à "
                   "{other} la gestion des services suivants : {words}.",
                   "Cette modification n'a aucune incidence sur les tarifs en vigueur. Merci de "
                   "rappeler la référence de ce courrier dans toute correspondance.",
                   _bar("facturation|livraisons|permanence|expédition|dépannage|tarification|"
                        "réclamations|commandes|stockage|étiquetage")),
    },
    "urgent_subject": {"reminder": "Mise en demeure de payer"},
    "cues": {"urgent": _bar("MISE EN DEMEURE|URGENT"),
             "high": _bar("Lettre recommandée avec accusé de réception|Recommandé avec AR"),
             "conf": _bar("PERSONNEL ET CONFIDENTIEL|Personnel et confidentiel|Confidentiel")},
    "stamp": ("REÇU LE {d}", "COURRIER ARRIVÉE"),
    "page": "Page {n}/{t}",
    "and": "et",
    "phone": ("Tél. : {p}", "0# ## ## ## ##"),
    "legal": _bar("SIRET ### ### ### ##### – RCS {city} B ### ### ### – TVA FR## #########|"
                  "SAS au capital de ## ### € – SIRET ### ### ### #####|"
                  "SARL au capital de # ### € – RCS {city} ### ### ### – APE ####Z"),
    "bank": "IBAN FR76 #### #### #### #### #### ### – BIC BVRCFRPP",
    "encl": _bar("P.J. : copie de la facture|Pièce jointe : échéancier|P.J. : 1 annexe"),
}

EN: dict[str, Any] = {
    "months": _bar("January|February|March|April|May|June|July|August|September|October|"
                   "November|December"),
    "cities": _bar("Leeds LS1 4AB|Manchester M2 5DB|Bristol BS1 6QA|Norwich NR2 1TF|"
                   "York YO1 7HH|Reading RG1 3EU|Leicester LE1 5FQ|Cardiff CF10 2EQ|"
                   "Nottingham NG1 6FH|Sheffield S1 2GU|Exeter EX1 1JG|Oxford OX1 2JD"),
    "streets": _bar("{n} Station Road|{n} High Street|{n} Victoria Street|Unit {n}, Kingsway "
                    "Business Park|{n} Church Lane|{n} Mill Road|{n} Park Row|Suite {n}, Albion "
                    "House|{n} Queen Street|{n} Market Place"),
    "senders": {
        "supplier": _bar("Hartley & Sons Ltd|Northgate Office Supplies Ltd|Brightwater Logistics "
                         "plc|Caldwell Print Works Ltd|Pennington IT Services Ltd|Ashford "
                         "Catering Ltd|Mercer Facilities Management|Kestrel Cleaning Co.|"
                         "Holloway Electrical Ltd|Bramley Timber Merchants"),
        "insurer": _bar("Harbour Mutual Insurance|Sterling Shield Assurance Ltd|Redwood Life & "
                        "Pensions|Castlegate Insurance plc"),
        "bank": _bar("Thamesbridge Bank plc|Northern Counties Building Society|Albion Commercial "
                     "Finance|Pemberton Private Bank"),
        "public": _bar("Westbury Borough Council|Marlow District Council|Valuation Office North|"
                       "Regional Pensions Office"),
        "law": _bar("Fenwick Lowe Solicitors LLP|Draycott & Partners|Ainsley Grant Solicitors|"
                    "Whitmore Debt Recovery Ltd"),
    },
    "orgs": _bar("Oakfield Medical Centre|Greystone Engineering Ltd|Riverside Housing "
                 "Association|St Aidan's School|Linton Hotel Group"),
    "depts": _bar("Accounts Payable|Human Resources|Facilities|Legal Department|Finance Office|"
                  "Procurement|Post Room"),
    "first_f": _bar("Claire|Sarah|Emma|Rachel|Helen|Laura|Joanne|Katherine|Alison|Megan"),
    "first_m": _bar("David|James|Michael|Andrew|Richard|Paul|Stephen|Mark|Daniel|Peter"),
    "last": _bar("Thompson|Walker|Wright|Robinson|Hughes|Edwards|Turner|Harrison|Clarke|"
                 "Patel|Morgan|Bennett|Fletcher|Pearson|Lawson|Gibbs"),
    "civ": {"f": "Ms", "m": "Mr", "fs": "Ms", "ms": "Mr"},
    "titles": {
        "supplier": _bar("Credit Controller|Sales Director|Accounts Manager|Managing Director"),
        "insurer": _bar("Claims Handler|Customer Relations Manager|Underwriting Assistant"),
        "bank": _bar("Relationship Manager|Branch Manager|Lending Officer"),
        "public": _bar("Revenues Officer|Head of Service|Customer Services Manager"),
        "law": _bar("Partner|Solicitor|Collections Manager"),
    },
    "ref_labels": _bar("Our ref:|Our ref:|Reference:"),
    "ref_labels_x": _bar("Ref:|Our reference:|Our Ref.|File ref:"),
    "inv_labels": _bar("Invoice no.:|Invoice number:"),
    "their_labels": _bar("Your ref:|Your reference:"),
    "their_labels_x": _bar("Your Ref.|Your ref.:"),
    "cust_labels": _bar("Account no.:|Customer no.:|Policy no.:"),
    "prefix": {"invoice": _bar("INV|IN|SI"), "other": _bar("ACC|REF|CL|POL")},
    "subject_labels": _bar("Re:|Subject:|Re:|"),
    "date_lines": _bar("{long}|{long}|{us}|{ord}|Date: {long}|{iso}"),
    "salut": {"x": "Dear Sir or Madam,", "f": "Dear {civ} {last},", "m": "Dear {civ} {last},"},
    "close": _bar("Yours faithfully,|Yours sincerely,|Kind regards,"),
    "open": _bar("Further to our letter of {prev} and our recent telephone conversation, we write "
                 "to update you.|Thank you for your letter dated {prev}.|We refer to the above "
                 "matter and write to you as follows."),
    "extra": _bar("Your customer number is {cust}; please quote it with every payment.|A copy of "
                  "this letter has been sent to {other}, who are also dealing with this matter.|"
                  "This concerns {person}, date of birth {birth}, whose file has now been "
                  "reviewed.|For the record, the framework agreement signed on {start2} remains "
                  "in force."),
    "end": _bar("Should you have any questions, please do not hesitate to contact us.|Our customer "
                "service team can be reached on {phone}, Monday to Friday."),
    "types": {
        "invoice": (_bar("Invoice {ref}|Invoice for goods supplied|Your account: invoice enclosed"),
                    "Please find enclosed our invoice for {amount} in respect of the following "
                    "items: {words}.",
                    "In accordance with our terms of business, payment is due no later than "
                    "{due}. Interest may be charged on overdue accounts.",
                    _bar("scaffolding|forklift|photocopier|laminator|compressor|toner|shelving|"
                         "thermostat|trolleys|generator|projector|ladders")),
        "reminder": (_bar("Overdue account|Payment reminder|Second reminder"),
                     "Our records show that our invoice dated {prev} for {amount} remains unpaid. "
                     "It related to the following work: {words}.",
                     "We would ask you to settle this balance by {due}. If payment is not "
                     "received, we will pass the matter to our solicitors without further notice.",
                     _bar("plastering|landscaping|glazing|locksmith|roofing|catering|upholstery|"
                          "signage|paving|guttering")),
        "contract": (_bar("Renewal of your service agreement|Variation to your contract|"
                          "Notice of contract termination"),
                     "We are pleased to confirm that the agreement will commence on {start} for an "
                     "initial term of twelve months. It covers the following services: {words}.",
                     "The original agreement signed on {prev} remains in force for all terms not "
                     "amended by this letter. The annual charge will be {amount} excluding VAT.",
                     _bar("surveillance|fumigation|maintenance|archiving|housekeeping|"
                          "sterilisation|calibration|courier|shredding|gardening")),
        "notice": (_bar("Notice of assessment|Decision on your application|Important information "
                        "about your account"),
                   "Following a review of your account, the following items have been taken into "
                   "consideration: {words}. The total amount due is {amount}.",
                   "If you disagree with this decision, you must write to us before {due}. After "
                   "that date the decision will become final.",
                   _bar("assessment|surcharge|exemption|rebate|arrears|instalment|deduction|"
                        "allowance|penalty|levy")),
        "insurance": (_bar("Your claim|Policy renewal notice|Claim update"),
                      "We have received your claim notification of {prev} regarding the incident "
                      "at your premises. The damage reported concerns: {words}.",
                      "A loss adjuster from {other} will contact you shortly. Subject to their "
                      "findings, a settlement of {amount} may be paid before {due}.",
                      _bar("subsidence|windscreen|flooding|burglary|roofing|plumbing|storm|fire|"
                           "vandalism|collision")),
        "letter": (_bar("Change of bank details|Response to your complaint|Changes to our terms"),
                   "We are writing to let you know that from {start}, {other} will handle the "
                   "following services on our behalf: {words}.",
                   "This change does not affect our current prices. Please quote the reference "
                   "above in all correspondence.",
                   _bar("invoicing|deliveries|helpdesk|dispatch|warehousing|pricing|complaints|"
                        "ordering|packaging|labelling")),
    },
    "urgent_subject": {"reminder": "Final reminder before legal action"},
    "cues": {"urgent": _bar("URGENT|URGENT – ACTION REQUIRED"),
             "high": _bar("Recorded Delivery|By Recorded Delivery"),
             "conf": _bar("PRIVATE AND CONFIDENTIAL|Private and confidential|"
                          "Strictly Confidential")},
    "stamp": ("RECEIVED {d}", "POST ROOM"),
    "page": "Page {n} of {t}",
    "and": "and",
    "phone": ("Tel: {p}", "0### ### ####"),
    "legal": _bar("Registered in England and Wales, Company No ########. VAT Reg. GB ### #### ##|"
                  "Company No ######## – Registered office as above|"
                  "Authorised and regulated by the Financial Conduct Authority. "
                  "Company No ########"),
    "bank": "Sort code ##-##-## – Account ########",
    "encl": _bar("Enc.|Enclosures: statement of account|Enc. copy invoice"),
}

DE: dict[str, Any] = {
    "months": _bar("Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|"
                   "Dezember"),
    "cities": _bar("10115 Berlin|80331 München|50667 Köln|20095 Hamburg|60311 Frankfurt am Main|"
                   "70173 Stuttgart|04109 Leipzig|90402 Nürnberg|28195 Bremen|01067 Dresden|"
                   "30159 Hannover|44135 Dortmund|68159 Mannheim|79098 Freiburg"),
    "streets": _bar("Lindenstraße {n}|Hauptstraße {n}|Bahnhofstraße {n}|Am Markt {n}|Gartenweg {n}|"
                    "Industriestraße {n}|Schillerplatz {n}|Mühlenweg {n}|Kaiserallee {n}|"
                    "Goethestraße {n}"),
    "senders": {
        "supplier": _bar("Müller Logistik GmbH|Druckerei Schäfer KG|Elektro Wagner GmbH & Co. KG|"
                         "Bürobedarf Krause GmbH|Hoffmann Gebäudereinigung|Becker IT-Systemhaus "
                         "GmbH|Bäckerei Zimmermann|Schreinerei Vogt|Kältetechnik Braun GmbH|"
                         "Metallbau Schulte OHG"),
        "insurer": _bar("Hanseatische Versicherung AG|Rheinische Sachversicherung AG|Allgemeine "
                        "Rentenkasse Nord|Alpenländische Versicherung VVaG"),
        "bank": _bar("Stadtsparkasse Ebersfeld|Bankhaus Lindner & Co.|Westfälische Handelsbank AG|"
                     "Raiffeisenbank Oberau eG"),
        "public": _bar("Finanzamt Ebersfeld|Stadtverwaltung Neuhausen|Landratsamt Oberau|"
                       "Familienkasse Weststadt"),
        "law": _bar("Rechtsanwälte Brandt & Kollegen|Kanzlei Seidel Partnerschaft mbB|Inkasso "
                    "Fuchs GmbH|Notariat Dr. Kessler"),
    },
    "orgs": _bar("Klinikum Ebersfeld gGmbH|Hoffmann Maschinenbau GmbH|Gemeinde Altenbach|"
                 "Wohnbau Nord eG|Hotel Lindenhof GmbH"),
    "depts": _bar("Buchhaltung|Personalabteilung|Einkauf|Geschäftsführung|Rechtsabteilung|"
                  "Haustechnik|Poststelle"),
    "first_f": _bar("Anna|Petra|Sabine|Julia|Katrin|Monika|Claudia|Lena|Ursula|Birgit"),
    "first_m": _bar("Thomas|Michael|Stefan|Andreas|Jürgen|Markus|Frank|Tobias|Klaus|Uwe"),
    "last": _bar("Müller|Schmidt|Schneider|Fischer|Weber|Meyer|Wagner|Becker|Schulz|Hoffmann|"
                 "Koch|Richter|Wolf|Schröder|Neumann|Krüger"),
    "civ": {"f": "Frau", "m": "Herrn", "fs": "Frau", "ms": "Herr"},
    "titles": {
        "supplier": _bar("Buchhaltung|Vertriebsleiter|Geschäftsführer|Forderungsmanagement"),
        "insurer": _bar("Schadensachbearbeiterin|Kundenbetreuer|Leiter Schadenabteilung"),
        "bank": _bar("Firmenkundenbetreuer|Filialleiterin|Kreditsachbearbeiter"),
        "public": _bar("Sachbearbeiterin|Sachgebietsleiter|Im Auftrag"),
        "law": _bar("Rechtsanwalt|Rechtsanwältin|Inkassosachbearbeiter"),
    },
    "ref_labels": _bar("Unser Zeichen:|Unser Zeichen:|Aktenzeichen:"),
    "ref_labels_x": _bar("Unser Az.:|Vorgangsnummer:|Unser Zeichen|Geschäftszeichen:"),
    "inv_labels": _bar("Rechnungsnummer:|Rechnung Nr.:"),
    "their_labels": _bar("Ihr Zeichen:|Ihr Zeichen:"),
    "their_labels_x": _bar("Ihr Az.:|Ihr Zeichen"),
    "cust_labels": _bar("Kundennummer:|Vertragsnummer:|Steuernummer:"),
    "prefix": {"invoice": _bar("RE|R|RG"), "other": _bar("AZ|VN|KD|V")},
    "subject_labels": _bar("Betreff:|Betreff:||"),
    "date_lines": _bar("{city}, {long}|{city}, den {num}|{city}, {num}|Datum: {num}|{num}|{iso}"),
    "salut": {"x": "Sehr geehrte Damen und Herren,", "f": "Sehr geehrte Frau {last},",
              "m": "Sehr geehrter Herr {last},"},
    "close": _bar("Mit freundlichen Grüßen|Mit freundlichen Grüßen|Freundliche Grüße"),
    "open": _bar("wir beziehen uns auf unser Schreiben vom {prev} und unser Telefonat.|vielen Dank "
                 "für Ihr Schreiben vom {prev}.|in der oben genannten Angelegenheit kommen wir "
                 "heute auf Sie zurück."),
    "extra": _bar("Ihre Kundennummer lautet {cust}; bitte geben Sie diese bei allen Zahlungen an.|"
                  "Eine Kopie dieses Schreibens erhält die Firma {other} zur Kenntnis.|Der "
                  "Vorgang betrifft {person} (geb. am {birth}).|Der am {start2} geschlossene "
                  "Rahmenvertrag bleibt davon unberührt."),
    "end": _bar("Für Rückfragen stehen wir Ihnen gerne zur Verfügung.|Sie erreichen unseren "
                "Kundenservice unter {phone} montags bis freitags."),
    "types": {
        "invoice": (_bar("Rechnung Nr. {ref}|Ihre Bestellung: Rechnung|Rechnung für gelieferte "
                         "Waren"),
                    "für die Lieferung der folgenden Positionen berechnen wir Ihnen {amount} "
                    "inkl. MwSt.: {words}.",
                    "Bitte überweisen Sie den Rechnungsbetrag bis spätestens {due} auf das unten "
                    "genannte Konto. Bei Zahlungsverzug berechnen wir Verzugszinsen.",
                    _bar("Hubwagen|Kopiergerät|Laminiergerät|Kompressor|Regalsystem|Tonerkartusche|"
                         "Thermostat|Rollcontainer|Stromaggregat|Leitern|Schutzhelme")),
        "reminder": (_bar("Zahlungserinnerung|Mahnung|2. Mahnung"),
                     "sicherlich haben Sie übersehen, dass unsere Rechnung vom {prev} über "
                     "{amount} noch offen ist. Sie betraf folgende Leistungen: {words}.",
                     "Bitte begleichen Sie den offenen Betrag bis zum {due}. Andernfalls sehen wir "
                     "uns gezwungen, ein gerichtliches Mahnverfahren einzuleiten.",
                     _bar("Gerüstbau|Fliesenarbeiten|Dachdeckerarbeiten|Malerarbeiten|Gartenpflege|"
                          "Schlüsseldienst|Verglasung|Elektroinstallation|Pflasterarbeiten")),
        "contract": (_bar("Verlängerung Ihres Vertrages|Nachtrag zum Dienstleistungsvertrag|"
                          "Kündigung Ihres Vertrages"),
                     "wir freuen uns, Ihnen mitzuteilen, dass der Vertrag am {start} für zunächst "
                     "zwölf Monate beginnt. Er umfasst folgende Leistungen: {words}.",
                     "Der ursprüngliche Vertrag vom {prev} gilt für alle nicht geänderten "
                     "Bestimmungen weiter. Die Jahresvergütung beträgt {amount} zuzüglich "
                     "Umsatzsteuer.",
                     _bar("Wachdienst|Schädlingsbekämpfung|Aufzugswartung|Aktenvernichtung|"
                          "Gebäudereinigung|Winterdienst|Heizungswartung|Archivierung|Kurierdienst")),
        "notice": (_bar("Bescheid über Vorauszahlungen|Mitteilung über die Festsetzung|Anhörung"),
                   "nach Prüfung Ihrer Unterlagen wurden folgende Posten berücksichtigt: {words}. "
                   "Der festgesetzte Betrag beläuft sich auf {amount}.",
                   "Gegen diesen Bescheid können Sie bis zum {due} Einspruch einlegen. Nach Ablauf "
                   "dieser Frist wird der Bescheid bestandskräftig.",
                   _bar("Vorauszahlung|Säumniszuschlag|Gewerbesteuer|Grundsteuer|Erstattung|"
                        "Nachzahlung|Freibetrag|Stundung|Verspätungszuschlag")),
        "insurance": (_bar("Ihre Schadenmeldung|Beitragsrechnung zur Verlängerung|"
                           "Schadenregulierung"),
                      "wir bestätigen den Eingang Ihrer Schadenmeldung vom {prev} zu dem Schaden "
                      "in Ihren Geschäftsräumen. Gemeldet wurden: {words}.",
                      "Ein Gutachter der Firma {other} wird sich in Kürze mit Ihnen in Verbindung "
                      "setzen. Vorbehaltlich seines Gutachtens kann eine Entschädigung von "
                      "{amount} bis zum {due} ausgezahlt werden.",
                      _bar("Leitungswasserschaden|Glasbruch|Sturmschaden|Einbruchdiebstahl|"
                           "Hagelschaden|Brandschaden|Überspannung|Vandalismus|Rohrbruch")),
        "letter": (_bar("Änderung unserer Bankverbindung|Ihre Reklamation|Änderung unserer "
                        "Geschäftsbedingungen"),
                   "hiermit teilen wir Ihnen mit, dass ab dem {start} die Firma {other} folgende "
                   "Aufgaben für uns übernimmt: {words}.",
                   "An unseren Preisen ändert sich dadurch nichts. Bitte geben Sie bei jeder "
                   "Korrespondenz unser Zeichen an.",
                   _bar("Rechnungsstellung|Lieferungen|Kundendienst|Versand|Lagerhaltung|"
                        "Preisanpassung|Reklamationen|Bestellwesen|Verpackung|Etikettierung")),
    },
    "urgent_subject": {"reminder": "Letzte Mahnung"},
    "cues": {"urgent": _bar("EILT!|DRINGEND"),
             "high": _bar("Einschreiben mit Rückschein|Einschreiben"),
             "conf": _bar("Persönlich/Vertraulich|VERTRAULICH|Persönlich – vertraulich")},
    "stamp": ("Eingegangen {d}", "POSTEINGANG"),
    "page": "Seite {n} von {t}",
    "and": "und",
    "phone": ("Telefon: {p}", "0## ######-#"),
    "legal": _bar("Amtsgericht {city} HRB ##### – USt-IdNr. DE######### – Geschäftsführer: "
                  "{name}|Sitz der Gesellschaft: {city} – HRA #### – Steuer-Nr. ##/###/#####|"
                  "Registergericht {city} HRB #### – USt-IdNr. DE#########"),
    "bank": "IBAN DE## #### #### #### #### ## – BIC COBADEFFXXX",
    "encl": _bar("Anlage: Rechnungskopie|Anlagen|Anlage: Kontoauszug"),
}
TEXT: dict[str, dict[str, Any]] = {"fr": FR, "en": EN, "de": DE}


def pool_slice(items: list[Any] | tuple[Any, ...], pool: str) -> list[Any]:
    """The part of `items` a pool may use: all, or the even ("tune") / odd ("report") half."""
    if pool == "tune":
        return list(items[0::2])
    if pool == "report":
        return list(items[1::2])
    return list(items)


@dataclass
class Options:
    """Per-letter choices; None means "let the seed decide"."""

    language: str | None = None
    doc_type: str | None = None
    pool: str = "all"  # all | tune | report: disjoint sender names, ref shapes, rarer labels
    pages: int | None = None  # 1 or 2
    stamp: bool | None = None
    confidential: bool | None = None
    urgency: str | None = None  # normal | high | urgent
    dpi: int | None = None
    rotate: int | None = None  # 0, 90, 180 or 270: one page turned by that much
    skew: float | None = None  # degrees
    clean: bool = False  # no noise, blur, skew or turn (born-digital, OCR smoke tests)
    font: str | None = None  # a key of FONTS


@dataclass
class Content:
    """Everything printed on the letter, before layout."""

    lang: str
    doc_type: str
    sender: str
    sender_lines: list[str]
    legal: str
    date_line: str
    refs: list[tuple[str, str]]
    address: list[str]
    notes: list[str]  # registered-mail / confidential lines above the address
    heading: str  # URGENT-style cue above the subject, or ""
    subject_label: str
    subject: str
    salutation: str
    paragraphs: list[str]
    closing: str
    signer: tuple[str, str]
    enclosure: str
    stamp: list[str]
    truth: dict[str, Any] = field(default_factory=dict)


def _fill(rng: random.Random, pattern: str, year: int = 0, prefix: str | None = None) -> str:
    """Expand # to digits; with a `prefix` (a reference pattern) also L, P, YYYY and YY."""
    if prefix is not None:
        pattern = pattern.replace("YYYY", str(year)).replace("YY", f"{year % 100:02d}")
    chars = []
    for ch in pattern:
        if ch == "#":
            ch = str(rng.randint(0, 9))
        elif prefix is not None and ch == "L":
            ch = rng.choice("ABCDEFGHJKLMNPRSTUVWXZ")
        elif prefix is not None and ch == "P":
            ch = prefix
        chars.append(ch)
    return "".join(chars)


def format_date(d: date, lang: str, style: str) -> str:
    """A date as printed: long ("3 mars 2024"), num, iso, us ("March 3, 2024"), ord ("3rd...")."""
    month = TEXT[lang]["months"][d.month - 1]
    if style == "iso":
        return d.isoformat()
    if style == "num":
        return d.strftime("%d/%m/%Y") if lang in ("fr", "en") else d.strftime("%d.%m.%Y")
    if style == "us":
        return f"{month} {d.day}, {d.year}"
    if style == "ord":
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
        suffix = "th" if 10 <= d.day <= 20 else suffix
        return f"{d.day}{suffix} {month} {d.year}"
    if lang == "fr":
        return f"{'1er' if d.day == 1 else d.day} {month} {d.year}"
    return f"{d.day}. {month} {d.year}" if lang == "de" else f"{d.day} {month} {d.year}"


def _money(value: float, lang: str, currency: str) -> str:
    """1 234,56 € (fr), £1,234.56 (en), 1.234,56 EUR (de)."""
    whole, cents = f"{value:,.2f}".split(".")
    if lang == "en":
        return f"{currency}{whole}.{cents}"
    space = "\u00a0"  # no-break space: amounts never wrap inside
    return f"{whole.replace(',', space if lang == 'fr' else '.')},{cents}{space}{currency}"


def _amount(rng: random.Random, lang: str) -> str:
    currency = {"fr": "€", "en": rng.choice("££€"), "de": rng.choice(["€", "EUR"])}[lang]
    return _money(rng.randint(4_000, 2_500_000) / 100, lang, currency)


def _person(rng: random.Random, t: dict[str, Any]) -> tuple[str, str, str]:
    """(gender f/m, first name, last name)."""
    gender = rng.choice("fm")
    return gender, rng.choice(t[f"first_{gender}"]), rng.choice(t["last"])


def _sender(rng: random.Random, lang: str, kind: str, pool: str) -> tuple[str, list[str], str, str]:
    """Sender name, letterhead lines (street, city, phone...), a legal line or "", city name."""
    t = TEXT[lang]
    name = rng.choice(pool_slice(t["senders"][kind], pool))
    city = rng.choice(t["cities"])
    street = rng.choice(t["streets"]).format(n=rng.randint(1, 180))
    phone = t["phone"][0].format(p=_fill(rng, t["phone"][1]))
    lines = [street, city if lang != "fr" else city.upper(), phone]
    if rng.random() < 0.4:
        word = next(w for w in [*name.split(), "courrier"] if len(w) > 3).lower()
        for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
            word = word.replace(umlaut, plain)
        word = unicodedata.normalize("NFKD", word)
        domain = "".join(ch for ch in word if ch.isascii() and ch.isalpha())
        lines.append(f"www.{domain}.{ {'fr': 'fr', 'en': 'co.uk', 'de': 'de'}[lang]}")
    legal = ""
    city_name = city.split(" ", 1)[1] if lang != "en" else city.rsplit(" ", 2)[0]
    if kind != "public" and rng.random() < 0.75:
        signer = " ".join(_person(rng, t)[1:])
        legal = _fill(rng, rng.choice(t["legal"])).format(name=signer, city=city_name)
    return name, lines, legal, city_name


def _label(rng: random.Random, t: dict[str, Any], key: str, pool: str) -> str:
    """A label from the shared list, or (one time in four) from the pool's own rarer ones."""
    extra = pool_slice(t[key + "_x"], pool)
    return rng.choice(extra if extra and rng.random() < 0.25 else t[key])


def _refs(rng: random.Random, lang: str, doc_type: str, pool: str, year: int) -> dict[str, Any]:
    """The reference block: ordered (label, value) rows plus the true values."""
    t = TEXT[lang]
    patterns = pool_slice(REF_PATTERNS, pool)
    prefixes = t["prefix"]["invoice" if doc_type in ("invoice", "reminder") else "other"]
    ref = _fill(rng, rng.choice(patterns), year, rng.choice(prefixes))
    use_inv = doc_type == "invoice" and rng.random() < 0.5
    rows = [(rng.choice(t["inv_labels"]) if use_inv else _label(rng, t, "ref_labels", pool), ref)]
    theirs = None
    if rng.random() < 0.6:
        theirs = _fill(rng, rng.choice(patterns), year, rng.choice(t["prefix"]["other"]))
        rows.insert(rng.randint(0, 1), (_label(rng, t, "their_labels", pool), theirs))
    if rng.random() < 0.35:  # a customer / contract number: a distractor, not the reference
        rows.append((rng.choice(t["cust_labels"]), _fill(rng, "#" * rng.randint(6, 9))))
    return {"rows": rows, "reference": ref, "their_reference": theirs}


def _recipient(rng: random.Random, lang: str) -> tuple[list[str], str, tuple[str, str], str]:
    """Address lines, the addressee for the truth (person, else department), (gender, last
    name) for the salutation, and the organisation."""
    t = TEXT[lang]
    org = rng.choice(t["orgs"])
    city = rng.choice(t["cities"])
    street = rng.choice(t["streets"]).format(n=rng.randint(1, 90))
    gender, first, last = _person(rng, t)
    has_person, has_dept = rng.random() < 0.7, rng.random() < 0.6
    if not (has_person or has_dept):
        has_dept = True
    person = f"{t['civ'][gender]} {first} {last}"
    dept = rng.choice(t["depts"])
    if lang == "fr":
        top = [org] + ([f"À l'attention de {person}" if rng.random() < 0.4 else person]
                       if has_person else []) + ([dept] if has_dept else [])
        lines = [*top, street, city.upper() if rng.random() < 0.5 else city]
    elif lang == "de":
        who = [person if rng.random() < 0.5 else f"z. Hd. {person}"] if has_person else []
        lines = [org, *([f"Abteilung {dept}"] if has_dept else []), *who, street, city]
    else:
        city_name, postcode = city.rsplit(" ", 2)[0], " ".join(city.rsplit(" ", 2)[1:])
        lines = [*([person] if has_person else []), *([dept] if has_dept else []), org, street,
                 city_name.upper() if rng.random() < 0.3 else city_name, postcode]
    addressee = f"{first} {last}" if has_person else dept
    return lines, addressee, (gender, last) if has_person else ("x", ""), org


def _body(rng: random.Random, lang: str, doc_type: str, d: date, pool: str,
          sender: str) -> dict[str, Any]:
    """Subject, paragraphs (with distractor dates and names) and the searchable words."""
    t = TEXT[lang]
    subjects, p1, p2, word_pool = t["types"][doc_type]
    words = rng.sample(word_pool, rng.randint(3, 4))
    joined = ", ".join(words[:-1]) + f" {t['and']} " + words[-1]
    styles = ["long", "num"] if lang != "en" else ["long", "us", "num"]
    fmt = lambda delta: format_date(d + timedelta(days=delta), lang, rng.choice(styles))  # noqa: E731
    others = [name for kind in ("supplier", "law") for name in pool_slice(t["senders"][kind], pool)
              if name != sender]
    gender, first, last = _person(rng, t)
    values = {
        "prev": fmt(-rng.randint(12, 200)), "due": fmt(rng.randint(10, 45)),
        "start": fmt(rng.randint(15, 120)), "start2": fmt(-rng.randint(400, 1500)),
        "birth": format_date(date(rng.randint(1940, 2004), rng.randint(1, 12),
                                  rng.randint(1, 28)), lang, rng.choice(styles)),
        "amount": _amount(rng, lang), "other": rng.choice(others), "words": joined,
        "person": f"{t['civ'][gender if lang == 'de' else gender + 's']} {first} {last}",
        "cust": _fill(rng, "#" * 8), "phone": _fill(rng, t["phone"][1]),
    }
    paragraphs = [p1, p2]
    if lang == "de" or rng.random() < 0.75:
        paragraphs.insert(0, rng.choice(t["open"]))
    if rng.random() < 0.6:
        paragraphs.insert(len(paragraphs) - rng.randint(0, 1), rng.choice(t["extra"]))
    if rng.random() < 0.6:
        paragraphs.append(rng.choice(t["end"]))
    paragraphs = [p.format(**values) for p in paragraphs]
    paragraphs = [p if (lang == "de" and i == 0) else p[0].upper() + p[1:]
                  for i, p in enumerate(paragraphs)]
    return {"subject": rng.choice(subjects), "paragraphs": paragraphs, "words": words}


def _stamp_text(rng: random.Random, lang: str, d: date, org: str) -> list[str]:
    """The two lines of a reception stamp, in the recipient's (= the letter's) language."""
    t = TEXT[lang]
    month = t["months"][d.month - 1]
    if lang == "fr":
        when = f"{d.day} {month.upper()} {d.year}"
    elif lang == "en":
        when = f"{d.day:02d} {month[:3].upper()} {d.year}"
    else:
        when = f"{d.day}. {month} {d.year}" if rng.random() < 0.6 else d.strftime("%d.%m.%Y")
    head = org.upper() if rng.random() < 0.5 else t["stamp"][1]
    return [head, t["stamp"][0].format(d=when)]


def _letter_date(rng: random.Random) -> date:
    d = date(2022, 1, 3) + timedelta(days=rng.randint(0, 1440))
    return d + timedelta(days=(7 - d.weekday()) % 7 if d.weekday() >= 5 else 0)


def compose(rng: random.Random, opts: Options) -> Content:
    """Choose everything the letter says, and the truth the extractor should recover."""
    lang = opts.language or rng.choice(LANGUAGES)
    doc_type = opts.doc_type or rng.choice(DOC_TYPES)
    t = TEXT[lang]
    d = _letter_date(rng)
    kind = rng.choice(DOC_KINDS[doc_type])
    sender, sender_lines, legal, city = _sender(rng, lang, kind, opts.pool)
    refs = _refs(rng, lang, doc_type, opts.pool, d.year)
    address, addressee, (gender, last), org = _recipient(rng, lang)
    body = _body(rng, lang, doc_type, d, opts.pool, sender)
    urgency = opts.urgency or rng.choices(["normal", "high", "urgent"], [70, 15, 15])[0]
    confidential = opts.confidential if opts.confidential is not None else rng.random() < 0.15
    subject, notes, heading = body["subject"], [], ""
    if urgency == "high":
        notes.append(rng.choice(t["cues"]["high"]))
    elif urgency == "urgent":
        if doc_type in t["urgent_subject"] and rng.random() < 0.7:
            subject = t["urgent_subject"][doc_type]
        else:
            heading = rng.choice(t["cues"]["urgent"])
        if rng.random() < 0.5:
            notes.append(rng.choice(t["cues"]["high"]))
    if confidential:
        notes.insert(0, rng.choice(t["cues"]["conf"]))
    subject = subject.format(ref=refs["reference"])
    date_line = rng.choice(t["date_lines"]).format(
        city=city, long=format_date(d, lang, "long"), num=format_date(d, lang, "num"),
        iso=d.isoformat(), us=format_date(d, lang, "us"), ord=format_date(d, lang, "ord"))
    stamped = opts.stamp if opts.stamp is not None else rng.random() < 0.35
    received = d + timedelta(days=rng.randint(1, 12)) if stamped else None
    salutation = t["salut"][gender].format(civ=t["civ"].get(gender, ""), last=last)
    short = salutation.rstrip(",")
    _, first_s, last_s = _person(rng, t)
    content = Content(
        lang=lang, doc_type=doc_type, sender=sender, sender_lines=sender_lines, legal=legal,
        date_line=date_line, refs=refs["rows"], address=address, notes=notes, heading=heading,
        subject_label=rng.choice(t["subject_labels"]), subject=subject, salutation=salutation,
        paragraphs=body["paragraphs"], closing=rng.choice(t["close"]).format(s=short),
        signer=(f"{first_s} {last_s}", rng.choice(t["titles"][kind])),
        enclosure=rng.choice(t["encl"]) if rng.random() < 0.3 else "",
        stamp=_stamp_text(rng, lang, received, org) if received else [],
    )
    content.truth = {
        "sender": sender, "date": d.isoformat(),
        "received_on": received.isoformat() if received else None,
        "reference": refs["reference"], "their_reference": refs["their_reference"],
        "recipient": addressee, "subject": subject, "language": lang, "doc_type": doc_type,
        "urgency": urgency, "confidential": confidential, "words": body["words"],
    }
    return content


@dataclass(frozen=True)
class Op:
    """One drawing operation in points from the page's top-left (text y is the baseline)."""

    kind: str  # text | rect | line | path | stamp
    x: float
    y: float
    text: str = ""
    size: float = 10.0
    bold: bool = False
    gray: int = 0
    w: float = 0.0  # text: measured width; rect: width; stamp: angle in degrees
    h: float = 0.0  # rect: height; line: y1; path/line: stroke width in `size`
    fill: bool = True
    points: tuple[float, ...] = ()
    lines: tuple[str, ...] = ()


class Fonts:
    """A regular/bold TrueType/OpenType pair, with the matching standard PDF font names."""

    def __init__(self, family: str) -> None:
        regular, bold, base = FONTS[family]
        self.family = family
        self.paths = (_find_font(regular), _find_font(bold))
        self.pdf = (PDF_REGULAR[base], PDF_BOLD[base])
        self._cache: dict[tuple[int, bool], ImageFont.FreeTypeFont] = {}

    def font(self, px: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        key = (max(px, 4), bold)
        if key not in self._cache:
            self._cache[key] = ImageFont.truetype(self.paths[int(bold)], key[0])
        return self._cache[key]

    def width(self, text: str, size: float, bold: bool = False) -> float:
        return float(self.font(200, bold).getlength(text)) * size / 200


def _find_font(name: str) -> str:
    for folder in FONT_DIRS:
        if (Path(folder) / name).exists():
            return str(Path(folder) / name)
    raise FileNotFoundError(f"font {name} not found in {FONT_DIRS}")


class Sheet:
    """Collects ops page by page and measures/wraps text with the letter's fonts."""

    def __init__(self, fonts: Fonts, size: float, left: float, right: float) -> None:
        self.fonts, self.size, self.left, self.right = fonts, size, left, right
        self.pages: list[list[Op]] = [[]]

    def text(self, x: float, y: float, s: str, size: float | None = None, bold: bool = False,
             align: str = "l", gray: int = 0) -> float:
        size = size or self.size
        w = self.fonts.width(s, size, bold)
        x = x - w if align == "r" else x - w / 2 if align == "c" else x
        self.pages[-1].append(Op("text", x, y, s, size, bold, gray, w))
        return w

    def rect(self, x: float, y: float, w: float, h: float, gray: int = 0,
             fill: bool = True) -> None:
        self.pages[-1].append(Op("rect", x, y, w=w, h=h, gray=gray, fill=fill))

    def wrap(self, s: str, width: float, size: float | None = None,
             bold: bool = False) -> list[str]:
        size = size or self.size
        lines, cur = [], ""
        for word in s.split(" "):
            trial = f"{cur} {word}".strip()
            if cur and self.fonts.width(trial, size, bold) > width:
                lines.append(cur)
                cur = word
            else:
                cur = trial
        return [*lines, cur] if cur else lines


def _letterhead(sh: Sheet, c: Content, rng: random.Random, align: str) -> float:
    """Sender name (with a logo-ish box sometimes) and contact lines; returns the bottom y."""
    x = {"l": sh.left, "r": sh.right, "c": PAGE_W / 2}[align]
    name_size = rng.choice([14, 15, 16, 17, 18])
    if align != "c" and rng.random() < 0.5:
        initials = "".join(w[0] for w in c.sender.split()[:2] if w[0].isalpha()).upper()
        box_x = sh.left if align == "l" else sh.right - 42
        dark = rng.random() < 0.6
        sh.rect(box_x, 36, 42, 42, gray=rng.randint(30, 90), fill=dark)
        sh.text(box_x + 21, 64, initials, 16, True, "c", gray=255 if dark else 0)
        x = x + 52 if align == "l" else x - 52
    sh.text(x, 56, c.sender, name_size, True, align)
    small = rng.choice([8.5, 9.0, 9.5])
    y = 56 + small * 1.8
    if align == "c" or rng.random() < 0.3:
        sh.text(x, y, " · ".join(c.sender_lines), small, align=align)
        y += small * 1.4
    else:
        for line in c.sender_lines:
            sh.text(x, y, line, small, align=align)
            y += small * 1.3
    if align == "c" or rng.random() < 0.3:
        sh.rect(sh.left, y - small * 0.5, sh.right - sh.left, 0.8)
    return y


def _address(sh: Sheet, c: Content, x: float, y: float, rng: random.Random) -> float:
    """The window block: (DE) back-address line, registered/confidential notes, address."""
    if c.lang == "de" or rng.random() < 0.25:
        back = " · ".join([c.sender, *c.sender_lines[:2]])
        w = sh.text(x, y - 14, back, 7.0)
        sh.rect(x, y - 12.5, w, 0.5)
        y += 6
    for note in c.notes:
        sh.text(x, y, note, sh.size, bold=True)
        y += sh.size * 1.5
    for line in c.address:
        sh.text(x, y, line, sh.size)
        y += sh.size * 1.3
    return y


def _rows(sh: Sheet, rows: list[tuple[str, str]], x: float, y: float, tab: float = 0.0) -> float:
    """Label/value rows, values in a column when `tab` is set; returns the bottom y."""
    for label, value in rows:
        w = sh.text(x, y, label, sh.size, bold=False)
        sh.text(x + (tab or w + sh.size * 0.4), y, value, sh.size)
        y += sh.size * 1.35
    return y


def _date_value(c: Content, rng: random.Random) -> str:
    """The bare date for DE blocks that print the label "Datum" apart; it becomes the date line."""
    d = date.fromisoformat(c.truth["date"])
    c.date_line = format_date(d, "de", rng.choice(["num", "num", "long", "iso"]))
    return c.date_line


def _de_reference_row(sh: Sheet, c: Content, rng: random.Random, y: float) -> float:
    """DIN 5008 "Bezugszeichenzeile": small captions with the values beneath."""
    cols = [(label.rstrip(":. "), value) for label, value in c.refs]
    phone = c.sender_lines[2].split(":", 1)[-1].strip()
    cols += [("Telefon", phone), ("Datum", _date_value(c, rng))]
    step = (sh.right - sh.left) / len(cols)
    for i, (caption, value) in enumerate(cols):
        sh.text(sh.left + i * step, y, caption, 7.5)
        sh.text(sh.left + i * step, y + sh.size * 1.3, value, sh.size)
    return y + sh.size * 2.5


def _blocks(sh: Sheet, c: Content, rng: random.Random) -> float:
    """Letterhead, address window, date and reference blocks; returns where the body starts."""
    top = _letterhead(sh, c, rng, rng.choice("llrc"))
    date_gap = sh.size * rng.uniform(1.6, 2.6)
    if c.lang == "fr":
        ay = max(top + 45, 165.0)
        bottom = _address(sh, c, 315, ay, rng)
        if rng.random() < 0.5:  # references in the left column, beside the address
            _rows(sh, c.refs, sh.left, ay)
            sh.text(sh.right, bottom + date_gap, c.date_line, align="r")
            return bottom + date_gap * 2
        sh.text(315, bottom + date_gap, c.date_line)
        return _rows(sh, c.refs, sh.left, bottom + date_gap * 2) + sh.size
    if c.lang == "de":
        ay = max(top + 45, 150.0)
        bottom = _address(sh, c, sh.left, ay, rng)
        variant = rng.choice(["info", "row", "plain"])
        if variant == "info":
            rows = [*c.refs, ("Datum:", _date_value(c, rng))]
            return max(bottom, _rows(sh, rows, 345, ay - 10, tab=92)) + sh.size * 1.5
        if variant == "row":
            return _de_reference_row(sh, c, rng, bottom + sh.size * 2) + sh.size
        sh.text(sh.right, bottom + date_gap, c.date_line, align="r")
        return _rows(sh, c.refs, sh.left, bottom + date_gap * 2) + sh.size
    if rng.random() < 0.5:  # refs above the address, date under it
        y = _rows(sh, c.refs, sh.left, top + 30)
        bottom = _address(sh, c, sh.left, max(y + 30, 150.0), rng)
        sh.text(sh.left, bottom + date_gap, c.date_line)
        return bottom + date_gap * 2
    bottom = _address(sh, c, sh.left, max(top + 45, 150.0), rng)
    sh.text(sh.right, bottom + date_gap, c.date_line, align="r")
    return _rows(sh, c.refs, sh.left, bottom + date_gap * 2) + sh.size


def _signature(sh: Sheet, c: Content, rng: random.Random, x: float, y: float) -> float:
    """A scribble, the signer's name and title (and sometimes the company)."""
    pts: list[float] = []
    px, base, amp, phase = x + rng.uniform(0, 20), y + 26, rng.uniform(5, 9), rng.uniform(0, 6)
    for i in range(rng.randint(28, 44)):
        amp = min(11.0, max(3.0, amp + rng.uniform(-1.5, 1.5)))
        phase += rng.uniform(0.7, 1.3)
        pts += [px, base + amp * math.sin(phase) - i * 0.12]
        px += rng.uniform(1.5, 3.4)
    sh.pages[-1].append(Op("path", 0, 0, gray=rng.randint(20, 70), h=1.2, points=tuple(pts)))
    y += 48
    lines = [c.signer[0], c.signer[1]] + ([c.sender] if rng.random() < 0.4 else [])
    for i, line in enumerate(lines):
        sh.text(x, y, line, bold=i == 0 and rng.random() < 0.5)
        y += sh.size * 1.3
    return y


def _flow(sh: Sheet, c: Content, rng: random.Random, y: float, split: bool) -> None:
    """Heading, subject, salutation, paragraphs, closing and signature, breaking pages
    when full or (`split`) before a paragraph once page 1 is well filled."""
    lead, gap = sh.size * rng.uniform(1.22, 1.38), sh.size * rng.uniform(0.7, 1.2)
    width, bottom = sh.right - sh.left, PAGE_H - 82

    def emit(lines: list[str], bold: bool = False, after: float = gap, x: float = sh.left,
             room: float = 0.0) -> None:
        nonlocal y
        if y + len(lines) * lead + room > bottom:
            sh.pages.append([])
            y = 100
        for line in lines:
            sh.text(x, y, line, bold=bold)
            y += lead
        y += after

    subject = f"{c.subject_label} {c.subject}".strip()
    late_subject = c.lang == "en" and not c.subject_label
    if c.heading:
        emit([c.heading], bold=True)
    if not late_subject:
        emit(sh.wrap(subject, width, bold=True), bold=True, after=gap * 1.5)
    emit([c.salutation])
    if late_subject:
        emit(sh.wrap(subject, width, bold=True), bold=True)
    for i, paragraph in enumerate(c.paragraphs):
        if split and i and len(sh.pages) == 1 and y > PAGE_H * 0.55:
            sh.pages.append([])
            y = 100
        emit(sh.wrap(paragraph, width))
    emit(sh.wrap(c.closing, width), room=90)
    x = sh.left if c.lang != "fr" or rng.random() < 0.4 else 330
    y = _signature(sh, c, rng, x, y - gap)
    if c.enclosure:
        y += gap * 2
        sh.text(sh.left, y, c.enclosure, sh.size * 0.9)

ANNEX = {
    "fr": ("Relevé des opérations", ("Date", "Référence", "Désignation", "Montant"), "Total"),
    "en": ("Statement of account", ("Date", "Reference", "Description", "Amount"), "Total due"),
    "de": ("Aufstellung der offenen Posten", ("Datum", "Beleg", "Bezeichnung", "Betrag"), "Summe"),
}


def _annex(sh: Sheet, c: Content, rng: random.Random) -> None:
    """A second page with a statement table: many distractor dates, numbers and amounts."""
    title, heads, total = ANNEX[c.lang]
    sh.pages.append([])
    y = 110.0
    sh.text(sh.left, y, title, sh.size * 1.3, bold=True)
    y += sh.size * 3
    tabs = [sh.left, sh.left + 80, sh.left + 190, sh.right]
    for x, head in zip(tabs, heads, strict=True):
        sh.text(x, y, head, bold=True, align="r" if x == sh.right else "l")
    sh.rect(sh.left, y + 4, sh.right - sh.left, 0.7)
    y += sh.size * 1.8
    d = date.fromisoformat(c.truth["date"])
    pool = [w for entry in TEXT[c.lang]["types"].values() for w in entry[3]]
    currency, total_value = {"fr": "€", "en": "£", "de": "EUR"}[c.lang], 0.0
    for _ in range(rng.randint(5, 11)):
        d_row = d - timedelta(days=rng.randint(5, 300))
        number = _fill(rng, rng.choice(REF_PATTERNS), d_row.year, rng.choice(["BL", "LS", "AV"]))
        value = rng.randint(2_000, 400_000) / 100
        total_value += value
        cells = [format_date(d_row, c.lang, "num"), number, rng.choice(pool),
                 _money(value, c.lang, currency)]
        for x, cell in zip(tabs, cells, strict=True):
            sh.text(x, y, cell, align="r" if x == sh.right else "l")
        y += sh.size * 1.5
    sh.rect(sh.left, y - sh.size * 0.8, sh.right - sh.left, 0.7)
    sh.text(tabs[2], y + sh.size * 0.6, total, bold=True)
    sh.text(sh.right, y + sh.size * 0.6, _money(total_value, c.lang, currency), bold=True,
            align="r")


def _decorate(sh: Sheet, c: Content, rng: random.Random) -> None:
    """Footers (legal line, bank, page n/t) and the continuation header of later pages."""
    total = len(sh.pages)
    bank = _fill(rng, TEXT[c.lang]["bank"]) if c.legal and rng.random() < 0.6 else ""
    for n, ops in enumerate(sh.pages, start=1):
        sh.pages, current = [ops], sh.pages
        label = TEXT[c.lang]["page"].format(n=n, t=total)
        if c.legal:
            sh.text(PAGE_W / 2, PAGE_H - 38, c.legal, 7.5, align="c")
        if bank:
            sh.text(PAGE_W / 2, PAGE_H - 28, bank, 7.5, align="c")
        if total > 1:
            sh.text(sh.right, PAGE_H - 54, label, 8.5, align="r")
        if n > 1:
            sh.text(sh.left, 52, f"{c.sender} – {c.date_line} – {label}", 8.5)
            sh.rect(sh.left, 57, sh.right - sh.left, 0.5)
        sh.pages = current


def _overlap(op: Op, box: tuple[float, float, float, float]) -> float:
    if op.kind == "text":
        x0, y0, x1, y1 = op.x, op.y - op.size * 0.8, op.x + op.w, op.y + op.size * 0.25
    elif op.kind == "rect":
        x0, y0, x1, y1 = op.x, op.y, op.x + op.w, op.y + op.h
    else:
        return 0.0
    return max(0.0, min(x1, box[2]) - max(x0, box[0])) * max(0.0, min(y1, box[3]) - max(y0, box[1]))


def _place_stamp(sh: Sheet, c: Content, rng: random.Random) -> None:
    """Put the reception stamp on page 1 where it covers the least printed matter."""
    size = rng.choice([10.0, 11.0, 12.0])
    w = max(sh.fonts.width(line, size, True) for line in c.stamp) + 18
    h = len(c.stamp) * size * 1.4 + 10
    # Tesseract reads a stamp tilted up to ~4° and loses it beyond ~6°: mostly mild, some hard.
    angle = rng.uniform(0.5, 4) if rng.random() < 0.75 else rng.uniform(5, 10)
    angle *= rng.choice([-1, 1])
    rad = math.radians(abs(angle))  # half extents of the turned box, plus a margin
    half_w = (w * math.cos(rad) + h * math.sin(rad)) / 2 + 6
    half_h = (w * math.sin(rad) + h * math.cos(rad)) / 2 + 6
    spots = [(x, y) for x in range(150, 500, 20) for y in range(70, 460, 15)]
    rng.shuffle(spots)

    def cost(spot: tuple[int, int]) -> float:
        box = (spot[0] - half_w, spot[1] - half_h, spot[0] + half_w, spot[1] + half_h)
        return sum(_overlap(op, box) for op in sh.pages[0])

    cx, cy = min(spots, key=cost)
    sh.pages[0].append(Op("stamp", cx, cy, size=size, gray=rng.randint(45, 95), w=angle,
                          lines=tuple(c.stamp)))


def layout(c: Content, rng: random.Random, opts: Options) -> tuple[list[list[Op]], Fonts]:
    """Place everything on A4 pages; returns the ops of each page and the fonts used."""
    families = ["liberation-sans", "liberation-serif", "nimbus-sans", "nimbus-roman",
                "dejavu-sans", "dejavu-serif", "nimbus-mono"]
    fonts = Fonts(opts.font or rng.choices(families, [4, 3, 3, 2, 2, 1, 1])[0])
    size = 10.0 if fonts.family == "nimbus-mono" else rng.choice([10.0, 10.5, 11.0, 11.5])
    sh = Sheet(fonts, size, rng.uniform(60, 74), PAGE_W - rng.uniform(50, 62))
    y = _blocks(sh, c, rng)
    pages = opts.pages or (2 if rng.random() < 0.25 else 1)
    annex = pages == 2 and rng.random() < 0.4
    _flow(sh, c, rng, y + sh.size, pages == 2 and not annex)
    if pages == 2 and len(sh.pages) == 1:  # too short to continue over: add a statement
        _annex(sh, c, rng)
    _decorate(sh, c, rng)
    if c.stamp:
        _place_stamp(sh, c, rng)
    return sh.pages, fonts


def _draw_stamp(img: Image.Image, op: Op, fonts: Fonts, scale: float) -> None:
    """A boxed two-line stamp drawn on its own layer, turned, and darkened onto the page."""
    font = fonts.font(round(op.size * scale), True)
    pad, lead = round(6 * scale), round(op.size * 1.4 * scale)
    w = max(int(font.getlength(line)) for line in op.lines) + 2 * pad
    layer = Image.new("L", (w, lead * len(op.lines) + 2 * pad), 255)
    draw = ImageDraw.Draw(layer)
    draw.rectangle([0, 0, layer.width - 1, layer.height - 1], outline=op.gray,
                   width=max(2, round(1.6 * scale)))
    for i, line in enumerate(op.lines):
        draw.text((layer.width / 2, pad + lead * (i + 0.8)), line, font=font, fill=op.gray,
                  anchor="ms")
    layer = layer.rotate(op.w, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    x, y = round(op.x * scale - layer.width / 2), round(op.y * scale - layer.height / 2)
    box = (x, y, x + layer.width, y + layer.height)
    img.paste(ImageChops.darker(img.crop(box), layer), box)


def render(pages: list[list[Op]], fonts: Fonts, dpi: int) -> list[Image.Image]:
    """Clean grayscale page images at `dpi` (white paper, black ink)."""
    scale = dpi / 72
    out = []
    for ops in pages:
        img = Image.new("L", (round(PAGE_W * scale), round(PAGE_H * scale)), 255)
        draw = ImageDraw.Draw(img)
        for op in ops:
            if op.kind == "text":
                draw.text((op.x * scale, op.y * scale), op.text, fill=op.gray, anchor="ls",
                          font=fonts.font(round(op.size * scale), op.bold))
            elif op.kind == "rect":
                box = [op.x * scale, op.y * scale, (op.x + op.w) * scale, (op.y + op.h) * scale]
                draw.rectangle(box, fill=op.gray if op.fill else None, outline=op.gray,
                               width=max(1, round(scale)))
            elif op.kind == "path":
                draw.line([v * scale for v in op.points], fill=op.gray,
                          width=max(1, round(op.h * scale)), joint="curve")
            elif op.kind == "stamp":
                _draw_stamp(img, op, fonts, scale)
        out.append(img)
    return out


def scan(img: Image.Image, rng: random.Random, dpi: int, skew: float) -> Image.Image:
    """Make a clean page look scanned: toner/paper levels, blur, skew, noise, specks, shadow."""
    nrng = np.random.default_rng(rng.getrandbits(63))
    ink, paper = rng.uniform(8, 45), rng.uniform(236, 252)
    arr = ink + (paper - ink) * (np.asarray(img, dtype=np.float32) / 255.0)
    img = Image.fromarray(arr.astype(np.uint8))
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.35, 0.85) * dpi / 300))
    if skew:
        img = img.rotate(skew, resample=Image.Resampling.BILINEAR, fillcolor=round(paper))
    noise = nrng.standard_normal(img.size[::-1], dtype=np.float32) * rng.uniform(1.5, 4.0)
    arr = np.asarray(img, dtype=np.float32) + noise
    count = rng.randint(80, 900)
    ys, xs = nrng.integers(0, arr.shape[0] - 2, count), nrng.integers(0, arr.shape[1] - 2, count)
    dark = nrng.uniform(20, 140, count)
    arr[ys, xs] = dark
    arr[ys[: count // 3] + 1, xs[: count // 3]] = dark[: count // 3]
    if rng.random() < 0.3:  # scanner-lid shadow along one edge
        band = max(4, round(rng.uniform(0.02, 0.08) * dpi))
        ramp = np.linspace(0.55, 1.0, band, dtype=np.float32)
        if rng.random() < 0.5:
            arr[:, :band] *= ramp[None, :]
        else:
            arr[:band, :] *= ramp[:, None]
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


@dataclass
class Letter:
    """A generated letter: page images, truth, and the layout they were drawn from."""

    seed: int
    truth: dict[str, Any]
    content: Content
    pages: list[list[Op]]
    fonts: Fonts
    dpi: int
    images: list[Image.Image]


def make_letter(seed: int, opts: Options | None = None, images: bool = True) -> Letter:
    """Compose, lay out and (unless `images` is False) render and "scan" one letter."""
    opts = opts or Options()
    rng = random.Random(seed)
    content = compose(rng, opts)
    pages, fonts = layout(content, rng, opts)
    dpi = opts.dpi or rng.choice([200, 200, 240, 300])
    skew = opts.skew if opts.skew is not None else (
        rng.uniform(-2.0, 2.0) if rng.random() < 0.85 else 0.0)
    turn = opts.rotate if opts.rotate is not None else (
        rng.choice([90, 180, 270]) if rng.random() < 0.05 else 0)
    turned_page = rng.randrange(len(pages))
    out: list[Image.Image] = []
    if images:
        for i, img in enumerate(render(pages, fonts, dpi)):
            if not opts.clean:
                img = scan(img, rng, dpi, skew + rng.uniform(-0.3, 0.3))
                if turn and i == turned_page:
                    img = img.rotate(turn, expand=True)
            out.append(img)
    return Letter(seed, content.truth, content, pages, fonts, dpi, out)


def _jpeg(img: Image.Image, dpi: int, quality: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, dpi=(dpi, dpi), optimize=True)
    return buf.getvalue()


def save_pdf(images: list[Image.Image], path: Path, dpi: int, quality: int = 65) -> None:
    """Image-only PDF: one JPEG per page, page size from the DPI (img2pdf, no dates).

    img2pdf's internal writer is used because its pikepdf path compares version strings
    ("10.x" < "6.2") and then writes a random /ID, so outputs would differ run to run.
    """
    jpegs = [_jpeg(img, dpi, quality) for img in images]
    data = img2pdf.convert(jpegs, nodate=True, engine=img2pdf.Engine.internal)
    Path(path).write_bytes(data)


def save_tiff(images: list[Image.Image], path: Path, dpi: int, bilevel: bool = True) -> None:
    """Multi-page TIFF: 1-bit CCITT G4 like a B/W office scanner, or grayscale LZW."""
    if bilevel:
        pages = [img.point(lambda v: 255 if v > 150 else 0, mode="1") for img in images]
        compression = "group4"
    else:
        pages, compression = list(images), "tiff_lzw"
    pages[0].save(path, "TIFF", save_all=True, append_images=pages[1:], dpi=(dpi, dpi),
                  compression=compression)


def save_png(img: Image.Image, path: Path, dpi: int, levels: int = 16) -> None:
    """PNG; grays reduced to `levels` (a 4-bit palette when 16) to keep it small."""
    if levels < 256:
        step = 255 / (levels - 1)
        palette = [round(i * step) for i in range(levels) for _ in range(3)]
        pal = Image.new("P", (1, 1))
        pal.putpalette(palette)
        img = img.convert("RGB").quantize(palette=pal, dither=Image.Dither.NONE)
    img.save(path, "PNG", dpi=(dpi, dpi), optimize=True)


def save_jpeg(img: Image.Image, path: Path, dpi: int, quality: int = 70) -> None:
    Path(path).write_bytes(_jpeg(img, dpi, quality))


def _pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsiEncoding (cp1252), non-ASCII bytes as octal escapes."""
    out = bytearray(b"(")
    for byte in text.encode("cp1252", errors="replace"):
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif byte < 32 or byte > 126:
            out += f"\\{byte:03o}".encode()
        else:
            out.append(byte)
    return bytes(out + b")")


def _content_stream(ops: list[Op]) -> bytes:
    """PDF drawing operators for one page (stamps are paper-only and are skipped)."""
    parts: list[bytes] = []
    for op in ops:
        gray = f"{op.gray / 255:.3f}"
        if op.kind == "text":
            font = "/F2" if op.bold else "/F1"
            parts.append(f"BT {gray} g {font} {op.size:.2f} Tf {op.x:.2f} {PAGE_H - op.y:.2f} Td "
                         .encode() + _pdf_string(op.text) + b" Tj ET")
        elif op.kind == "rect":
            paint = "f" if op.fill else "S"
            parts.append(f"{gray} g {gray} G {op.x:.2f} {PAGE_H - op.y - op.h:.2f} {op.w:.2f} "
                         f"{op.h:.2f} re {paint}".encode())
        elif op.kind == "path" and op.points:
            pts = [f"{op.points[i]:.2f} {PAGE_H - op.points[i + 1]:.2f}"
                   for i in range(0, len(op.points), 2)]
            path = f"{pts[0]} m " + " ".join(f"{p} l" for p in pts[1:])
            parts.append(f"{gray} G {op.h:.2f} w 1 J 1 j {path} S".encode())
    return b"\n".join(parts)


def save_text_pdf(letter: Letter, path: Path, title: str = "") -> None:
    """A born-digital PDF of the same layout: real text in standard Type1 fonts."""
    pdf = pikepdf.new()
    fonts = pikepdf.Dictionary({
        f"/F{i + 1}": pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name("/" + base), Encoding=pikepdf.Name.WinAnsiEncoding))
        for i, base in enumerate(letter.fonts.pdf)
    })
    for ops in letter.pages:
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page, MediaBox=[0, 0, PAGE_W, PAGE_H],
            Resources=pikepdf.Dictionary(Font=fonts),
            Contents=pdf.make_stream(_content_stream(ops)))
        pdf.pages.append(pikepdf.Page(page))
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:title"] = title or letter.truth["subject"]
    pdf.docinfo["/Title"] = title or letter.truth["subject"]
    pdf.save(path, deterministic_id=True)
