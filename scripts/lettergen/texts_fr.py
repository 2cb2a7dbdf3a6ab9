"""French text tables: names, addresses, labels, phrases and letter bodies per document type."""

from __future__ import annotations

from typing import Any

from .common import bar

FR: dict[str, Any] = {
    "months": bar("janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|"
                   "novembre|décembre"),
    "cities": bar("69003 Lyon|75011 Paris|13006 Marseille|31000 Toulouse|44000 Nantes|"
                   "67000 Strasbourg|33000 Bordeaux|59000 Lille|35000 Rennes|21000 Dijon|"
                   "38000 Grenoble|37000 Tours|63000 Clermont-Ferrand|34000 Montpellier"),
    "streets": bar("{n} rue des Lilas|{n} avenue Jean Jaurès|{n} boulevard Voltaire|"
                    "{n} rue de la République|{n} quai Saint-Vincent|{n} allée des Tilleuls|"
                    "{n} rue du Moulin|{n} place Bellecour|{n} chemin des Vignes|"
                    "ZI des Perches, {n} rue Ampère"),
    "senders": {
        "supplier": bar("Transports Marchal SARL|Imprimerie Vasseur SAS|Électricité Bonnefoy SA|"
                         "Fournitures Lemaire & Fils|Informatique Garnier SARL|"
                         "Nettoyage Perrin Services|Menuiserie Chabert EURL|"
                         "Boulangerie Industrielle Roux SAS|Ascenseurs Delmas SA|"
                         "Papeterie Moreau Bureau"),
        "insurer": bar("Mutuelle Atlantique Assurances|Assurances Berthier & Cie|"
                        "Prévoyance Rhône-Alpes|La Sauvegarde Mutuelle"),
        "bank": bar("Banque Vernier & Cie|Société Lyonnaise de Crédit|Crédit Foncier du Jura|"
                     "Banque Delaunay Frères"),
        "public": bar("Centre des Finances Publiques de Bron|Mairie de Vaulx-le-Vieux|"
                       "Office Départemental de l'Habitat|Caisse Régionale de Retraite du Centre"),
        "law": bar("Cabinet Delorme & Associés|Étude Morel-Fabre, Commissaires de justice|"
                    "SCP Arnaud Lefèvre Avocats|Cabinet Juridique Perret"),
    },
    "orgs": bar("Clinique du Parc SA|Groupe Allard Distribution|Mairie de Champvert|"
                 "Coopérative Agricole du Val|Hôtel des Voyageurs SARL"),
    "depts": bar("Service comptabilité|Direction des ressources humaines|Service achats|"
                  "Direction générale|Service juridique|Services techniques|Service courrier"),
    "first_f": bar("Claire|Sophie|Nathalie|Isabelle|Camille|Émilie|Hélène|Julie|Sandrine|Anne"),
    "first_m": bar("Jean|Pierre|Nicolas|Laurent|Olivier|François|Thomas|Julien|Éric|Philippe"),
    "last": bar("Dubois|Martin|Bernard|Laurent|Girard|Fontaine|Rousseau|Mercier|Blanchard|"
                 "Lambert|Faure|Chevalier|Perrin|Gauthier|Masson|Leclerc"),
    "civ": {"f": "Madame", "m": "Monsieur", "fs": "Mme", "ms": "M."},
    "titles": {
        "supplier": bar("Responsable administratif|Directeur commercial|Comptable|Gérant"),
        "insurer": bar("Gestionnaire sinistres|Conseillère clientèle|Responsable indemnisation"),
        "bank": bar("Conseiller clientèle|Directrice d'agence|Chargé d'affaires"),
        "public": bar("Inspecteur des finances publiques|Chef de service|Le Maire adjoint"),
        "law": bar("Avocat associé|Commissaire de justice|Juriste"),
    },
    "ref_labels": bar("N/Réf. :|Notre référence :|Réf. :"),
    "ref_labels_x": bar("Nos réf. :|Dossier n° :|N/Réf :|Réf. dossier :"),
    "inv_labels": bar("Facture n° :|Facture N°"),
    "their_labels": bar("V/Réf. :|Votre référence :"),
    "their_labels_x": bar("Vos réf. :|V/Réf :"),
    "cust_labels": bar("N° client :|Contrat n° :|N° adhérent :"),
    "prefix": {"invoice": bar("FAC|FA|F"), "other": bar("DOS|REF|CT|D")},
    "subject_labels": bar("Objet :|Objet :|Objet :|OBJET :"),
    "date_lines": bar("{city}, le {long}|{city}, le {long}|{city}, le {num}|Le {long}|"
                       "{long}|{iso}"),
    "salut": {"x": "Madame, Monsieur,", "f": "Madame,", "m": "Monsieur,"},
    "close": bar("Nous vous prions d'agréer, {s}, l'expression de nos salutations distinguées.|"
                  "Veuillez agréer, {s}, l'expression de nos sentiments les meilleurs.|"
                  "Nous vous prions de croire, {s}, à l'assurance de notre considération."),
    "open": bar("Nous faisons suite à notre courrier du {prev} ainsi qu'à notre entretien "
                 "téléphonique.|Nous accusons réception de votre courrier du {prev} et vous en "
                 "remercions.|Par la présente, nous revenons vers vous au sujet du dossier cité "
                 "en référence."),
    "extra": bar("Votre numéro client est le {cust} ; nous vous remercions de le rappeler lors "
                  "de vos règlements.|Une copie du présent courrier est adressée à {other}, qui "
                  "suit également ce dossier.|Ce dossier concerne {person}, né(e) le {birth}, "
                  "dont la situation a été réexaminée.|Pour mémoire, l'accord-cadre conclu le "
                  "{start2} demeure en vigueur jusqu'à son terme."),
    "end": bar("Nous restons à votre disposition pour tout renseignement complémentaire.|"
                "Notre service clientèle se tient à votre disposition au {phone}, du lundi au "
                "vendredi."),
    "types": {
        "invoice": (bar("Facture n° {ref}|Envoi de notre facture|Facture de fournitures"),
                    "Veuillez trouver ci-joint notre facture d'un montant de {amount} TTC, "
                    "correspondant à la livraison des articles suivants : {words}.",
                    "Conformément à nos conditions générales de vente, le règlement est attendu "
                    "au plus tard le {due}, par virement bancaire. Tout retard de paiement "
                    "entraînera l'application de pénalités de retard.",
                    bar("rayonnages|transpalette|photocopieur|plastifieuse|compresseur|"
                         "disjoncteurs|étiqueteuse|cartouches|climatiseur|thermostat|chariots")),
        "reminder": (bar("Relance : facture impayée|Rappel de paiement|Deuxième relance"),
                     "Sauf erreur ou omission de notre part, notre facture du {prev} d'un montant "
                     "de {amount} n'a toujours pas été réglée. Elle portait sur les travaux "
                     "suivants : {words}.",
                     "Nous vous demandons de bien vouloir procéder au règlement avant le {due}. "
                     "À défaut, nous serons contraints de confier le recouvrement de cette "
                     "créance à notre service contentieux.",
                     bar("échafaudage|débroussaillage|serrurerie|carrelage|menuiserie|vitrerie|"
                          "plomberie|ramonage|désherbage|signalétique")),
        "contract": (bar("Renouvellement de votre contrat|Avenant au contrat de prestations|"
                          "Résiliation de votre contrat"),
                     "Nous avons le plaisir de vous confirmer que le contrat prendra effet le "
                     "{start} pour une durée de douze mois. Il couvre les prestations suivantes "
                     ": {words}.",
                     "Le contrat initial, signé le {prev}, reste applicable pour toutes les "
                     "clauses non modifiées. Le montant annuel s'élève à {amount} hors taxes.",
                     bar("télésurveillance|dératisation|maintenance|gardiennage|climatisation|"
                          "ascenseurs|désinfection|archivage|infogérance|standard")),
        "notice": (bar("Avis de situation|Notification de décision|"
                        "Information relative à votre dossier"),
                   "Après examen de votre dossier, nous vous informons que les éléments suivants "
                   "ont été retenus : {words}. Le montant total s'établit à {amount}.",
                   "Vous disposez d'un délai expirant le {due} pour présenter vos observations. "
                   "Passé cette date, la présente décision deviendra définitive.",
                   bar("cotisation|dégrèvement|exonération|majoration|abattement|versement|"
                        "régularisation|acompte|indemnité|redevance")),
        "insurance": (bar("Déclaration de sinistre|Avis d'échéance de votre contrat|"
                           "Suite de votre sinistre"),
                      "Nous avons bien enregistré votre déclaration du {prev} concernant le "
                      "sinistre survenu dans vos locaux. Les dommages déclarés portent sur : "
                      "{words}.",
                      "Un expert du cabinet {other} prendra contact avec vous prochainement. "
                      "Sous réserve de ses conclusions, une indemnité de {amount} pourra vous "
                      "être versée avant le {due}.",
                      bar("infiltration|vitrage|toiture|canalisation|véhicule|incendie|"
                           "cambriolage|inondation|grêle|clôture")),
        "letter": (bar("Changement de coordonnées bancaires|Réponse à votre réclamation|"
                        "Modification de nos conditions"),
                   "Nous vous informons qu'à compter du {start}, notre société confiera à "
                   "{other} la gestion des services suivants : {words}.",
                   "Cette modification n'a aucune incidence sur les tarifs en vigueur. Merci de "
                   "rappeler la référence de ce courrier dans toute correspondance.",
                   bar("facturation|livraisons|permanence|expédition|dépannage|tarification|"
                        "réclamations|commandes|stockage|étiquetage")),
    },
    "urgent_subject": {"reminder": "Mise en demeure de payer"},
    "cues": {"urgent": bar("MISE EN DEMEURE|URGENT"),
             "high": bar("Lettre recommandée avec accusé de réception|Recommandé avec AR"),
             "conf": bar("PERSONNEL ET CONFIDENTIEL|Personnel et confidentiel|Confidentiel")},
    "stamp": ("REÇU LE {d}", "COURRIER ARRIVÉE"),
    "page": "Page {n}/{t}",
    "and": "et",
    "phone": ("Tél. : {p}", "0# ## ## ## ##"),
    "legal": bar("SIRET ### ### ### ##### – RCS {city} B ### ### ### – TVA FR## #########|"
                  "SAS au capital de ## ### € – SIRET ### ### ### #####|"
                  "SARL au capital de # ### € – RCS {city} ### ### ### – APE ####Z"),
    "bank": "IBAN FR76 #### #### #### #### #### ### – BIC BVRCFRPP",
    "encl": bar("P.J. : copie de la facture|Pièce jointe : échéancier|P.J. : 1 annexe"),
}
