"""English text tables: names, addresses, labels, phrases and letter bodies per document type."""

from __future__ import annotations

from typing import Any

from .common import bar

EN: dict[str, Any] = {
    "months": bar("January|February|March|April|May|June|July|August|September|October|"
                   "November|December"),
    "cities": bar("Leeds LS1 4AB|Manchester M2 5DB|Bristol BS1 6QA|Norwich NR2 1TF|"
                   "York YO1 7HH|Reading RG1 3EU|Leicester LE1 5FQ|Cardiff CF10 2EQ|"
                   "Nottingham NG1 6FH|Sheffield S1 2GU|Exeter EX1 1JG|Oxford OX1 2JD"),
    "streets": bar("{n} Station Road|{n} High Street|{n} Victoria Street|Unit {n}, Kingsway "
                    "Business Park|{n} Church Lane|{n} Mill Road|{n} Park Row|Suite {n}, Albion "
                    "House|{n} Queen Street|{n} Market Place"),
    "senders": {
        "supplier": bar("Hartley & Sons Ltd|Northgate Office Supplies Ltd|Brightwater Logistics "
                         "plc|Caldwell Print Works Ltd|Pennington IT Services Ltd|Ashford "
                         "Catering Ltd|Mercer Facilities Management|Kestrel Cleaning Co.|"
                         "Holloway Electrical Ltd|Bramley Timber Merchants"),
        "insurer": bar("Harbour Mutual Insurance|Sterling Shield Assurance Ltd|Redwood Life & "
                        "Pensions|Castlegate Insurance plc"),
        "bank": bar("Thamesbridge Bank plc|Northern Counties Building Society|Albion Commercial "
                     "Finance|Pemberton Private Bank"),
        "public": bar("Westbury Borough Council|Marlow District Council|Valuation Office North|"
                       "Regional Pensions Office"),
        "law": bar("Fenwick Lowe Solicitors LLP|Draycott & Partners|Ainsley Grant Solicitors|"
                    "Whitmore Debt Recovery Ltd"),
    },
    "orgs": bar("Oakfield Medical Centre|Greystone Engineering Ltd|Riverside Housing "
                 "Association|St Aidan's School|Linton Hotel Group"),
    "depts": bar("Accounts Payable|Human Resources|Facilities|Legal Department|Finance Office|"
                  "Procurement|Post Room"),
    "first_f": bar("Claire|Sarah|Emma|Rachel|Helen|Laura|Joanne|Katherine|Alison|Megan"),
    "first_m": bar("David|James|Michael|Andrew|Richard|Paul|Stephen|Mark|Daniel|Peter"),
    "last": bar("Thompson|Walker|Wright|Robinson|Hughes|Edwards|Turner|Harrison|Clarke|"
                 "Patel|Morgan|Bennett|Fletcher|Pearson|Lawson|Gibbs"),
    "civ": {"f": "Ms", "m": "Mr", "fs": "Ms", "ms": "Mr"},
    "titles": {
        "supplier": bar("Credit Controller|Sales Director|Accounts Manager|Managing Director"),
        "insurer": bar("Claims Handler|Customer Relations Manager|Underwriting Assistant"),
        "bank": bar("Relationship Manager|Branch Manager|Lending Officer"),
        "public": bar("Revenues Officer|Head of Service|Customer Services Manager"),
        "law": bar("Partner|Solicitor|Collections Manager"),
    },
    "ref_labels": bar("Our ref:|Our ref:|Reference:"),
    "ref_labels_x": bar("Ref:|Our reference:|Our Ref.|File ref:"),
    "inv_labels": bar("Invoice no.:|Invoice number:"),
    "their_labels": bar("Your ref:|Your reference:"),
    "their_labels_x": bar("Your Ref.|Your ref.:"),
    "cust_labels": bar("Account no.:|Customer no.:|Policy no.:"),
    "prefix": {"invoice": bar("INV|IN|SI"), "other": bar("ACC|REF|CL|POL")},
    "subject_labels": bar("Re:|Subject:|Re:|"),
    "date_lines": bar("{long}|{long}|{us}|{ord}|Date: {long}|{iso}"),
    "salut": {"x": "Dear Sir or Madam,", "f": "Dear {civ} {last},", "m": "Dear {civ} {last},"},
    "close": bar("Yours faithfully,|Yours sincerely,|Kind regards,"),
    "open": bar("Further to our letter of {prev} and our recent telephone conversation, we write "
                 "to update you.|Thank you for your letter dated {prev}.|We refer to the above "
                 "matter and write to you as follows."),
    "extra": bar("Your customer number is {cust}; please quote it with every payment.|A copy of "
                  "this letter has been sent to {other}, who are also dealing with this matter.|"
                  "This concerns {person}, date of birth {birth}, whose file has now been "
                  "reviewed.|For the record, the framework agreement signed on {start2} remains "
                  "in force."),
    "end": bar("Should you have any questions, please do not hesitate to contact us.|Our customer "
                "service team can be reached on {phone}, Monday to Friday."),
    "types": {
        "invoice": (bar("Invoice {ref}|Invoice for goods supplied|Your account: invoice enclosed"),
                    "Please find enclosed our invoice for {amount} in respect of the following "
                    "items: {words}.",
                    "In accordance with our terms of business, payment is due no later than "
                    "{due}. Interest may be charged on overdue accounts.",
                    bar("scaffolding|forklift|photocopier|laminator|compressor|toner|shelving|"
                         "thermostat|trolleys|generator|projector|ladders")),
        "reminder": (bar("Overdue account|Payment reminder|Second reminder"),
                     "Our records show that our invoice dated {prev} for {amount} remains unpaid. "
                     "It related to the following work: {words}.",
                     "We would ask you to settle this balance by {due}. If payment is not "
                     "received, we will pass the matter to our solicitors without further notice.",
                     bar("plastering|landscaping|glazing|locksmith|roofing|catering|upholstery|"
                          "signage|paving|guttering")),
        "contract": (bar("Renewal of your service agreement|Variation to your contract|"
                          "Notice of contract termination"),
                     "We are pleased to confirm that the agreement will commence on {start} for an "
                     "initial term of twelve months. It covers the following services: {words}.",
                     "The original agreement signed on {prev} remains in force for all terms not "
                     "amended by this letter. The annual charge will be {amount} excluding VAT.",
                     bar("surveillance|fumigation|maintenance|archiving|housekeeping|"
                          "sterilisation|calibration|courier|shredding|gardening")),
        "notice": (bar("Notice of assessment|Decision on your application|Important information "
                        "about your account"),
                   "Following a review of your account, the following items have been taken into "
                   "consideration: {words}. The total amount due is {amount}.",
                   "If you disagree with this decision, you must write to us before {due}. After "
                   "that date the decision will become final.",
                   bar("assessment|surcharge|exemption|rebate|arrears|instalment|deduction|"
                        "allowance|penalty|levy")),
        "insurance": (bar("Your claim|Policy renewal notice|Claim update"),
                      "We have received your claim notification of {prev} regarding the incident "
                      "at your premises. The damage reported concerns: {words}.",
                      "A loss adjuster from {other} will contact you shortly. Subject to their "
                      "findings, a settlement of {amount} may be paid before {due}.",
                      bar("subsidence|windscreen|flooding|burglary|roofing|plumbing|storm|fire|"
                           "vandalism|collision")),
        "letter": (bar("Change of bank details|Response to your complaint|Changes to our terms"),
                   "We are writing to let you know that from {start}, {other} will handle the "
                   "following services on our behalf: {words}.",
                   "This change does not affect our current prices. Please quote the reference "
                   "above in all correspondence.",
                   bar("invoicing|deliveries|helpdesk|dispatch|warehousing|pricing|complaints|"
                        "ordering|packaging|labelling")),
    },
    "urgent_subject": {"reminder": "Final reminder before legal action"},
    "cues": {"urgent": bar("URGENT|URGENT – ACTION REQUIRED"),
             "high": bar("Recorded Delivery|By Recorded Delivery"),
             "conf": bar("PRIVATE AND CONFIDENTIAL|Private and confidential|"
                          "Strictly Confidential")},
    "stamp": ("RECEIVED {d}", "POST ROOM"),
    "page": "Page {n} of {t}",
    "and": "and",
    "phone": ("Tel: {p}", "0### ### ####"),
    "legal": bar("Registered in England and Wales, Company No ########. VAT Reg. GB ### #### ##|"
                  "Company No ######## – Registered office as above|"
                  "Authorised and regulated by the Financial Conduct Authority. "
                  "Company No ########"),
    "bank": "Sort code ##-##-## – Account ########",
    "encl": bar("Enc.|Enclosures: statement of account|Enc. copy invoice"),
}
