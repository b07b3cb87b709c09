"""Finland's municipalities, regions and wellbeing services counties with their codes and
their Finnish, Swedish and English names: the table :mod:`polku.io.areas` reads.

Source: Statistics Finland's municipality classification (kunnat 2025, the codes of the JHS
municipality code list on uri.suomi.fi) and its region classification (maakunnat 2025),
and the names the wellbeing services counties (hyvinvointialueet, välfärdsområden) give
themselves. Transcribed by hand for polku, without a network: where a name or a code is
wrong, correct it here against the classification, one line. A unilingual Finnish
municipality has a Swedish name of its own only where the classification gives one
(Turku/Åbo, Oulu/Uleåborg, Mustasaari/Korsholm); otherwise the Swedish name is the Finnish
one. English uses the Finnish name of a municipality, as Statistics Finland's English
classification does.

Each region's municipalities are one block: ``code Finnish name`` or
``code Finnish name | Swedish name``.

>>> REGION_ROWS[13], len(MUNICIPALITY_ROWS["15"].split(chr(10)))
(('15', 'Pohjanmaa', 'Österbotten', 'Ostrobothnia'), 14)
"""

from __future__ import annotations

#: region (maakunta) code, Finnish, Swedish and English name
REGION_ROWS: tuple[tuple[str, str, str, str], ...] = (
    ("01", "Uusimaa", "Nyland", "Uusimaa"),
    ("02", "Varsinais-Suomi", "Egentliga Finland", "Southwest Finland"),
    ("04", "Satakunta", "Satakunta", "Satakunta"),
    ("05", "Kanta-Häme", "Egentliga Tavastland", "Kanta-Häme"),
    ("06", "Pirkanmaa", "Birkaland", "Pirkanmaa"),
    ("07", "Päijät-Häme", "Päijänne-Tavastland", "Päijät-Häme"),
    ("08", "Kymenlaakso", "Kymmenedalen", "Kymenlaakso"),
    ("09", "Etelä-Karjala", "Södra Karelen", "South Karelia"),
    ("10", "Etelä-Savo", "Södra Savolax", "South Savo"),
    ("11", "Pohjois-Savo", "Norra Savolax", "North Savo"),
    ("12", "Pohjois-Karjala", "Norra Karelen", "North Karelia"),
    ("13", "Keski-Suomi", "Mellersta Finland", "Central Finland"),
    ("14", "Etelä-Pohjanmaa", "Södra Österbotten", "South Ostrobothnia"),
    ("15", "Pohjanmaa", "Österbotten", "Ostrobothnia"),
    ("16", "Keski-Pohjanmaa", "Mellersta Österbotten", "Central Ostrobothnia"),
    ("17", "Pohjois-Pohjanmaa", "Norra Österbotten", "North Ostrobothnia"),
    ("18", "Kainuu", "Kajanaland", "Kainuu"),
    ("19", "Lappi", "Lappland", "Lapland"),
    ("21", "Ahvenanmaa", "Åland", "Åland"),
)

#: region code -> its municipalities, one a line: ``code Finnish`` or ``code Finnish | Swedish``
MUNICIPALITY_ROWS: dict[str, str] = {
    "01": """018 Askola
049 Espoo | Esbo
078 Hanko | Hangö
091 Helsinki | Helsingfors
106 Hyvinkää | Hyvinge
149 Inkoo | Ingå
186 Järvenpää | Träskända
224 Karkkila | Högfors
235 Kauniainen | Grankulla
245 Kerava | Kervo
257 Kirkkonummi | Kyrkslätt
407 Lapinjärvi | Lappträsk
434 Loviisa | Lovisa
444 Lohja | Lojo
504 Myrskylä | Mörskom
505 Mäntsälä
543 Nurmijärvi
611 Pornainen | Borgnäs
616 Pukkila
638 Porvoo | Borgå
710 Raasepori | Raseborg
753 Sipoo | Sibbo
755 Siuntio | Sjundeå
858 Tuusula | Tusby
092 Vantaa | Vanda
927 Vihti | Vichtis""",
    "02": """019 Aura
202 Kaarina | S:t Karins
284 Koski Tl | Koskis
304 Kustavi | Gustavs
322 Kemiönsaari | Kimitoön
400 Laitila | Letala
423 Lieto | Lundo
430 Loimaa
445 Parainen | Pargas
480 Marttila | S:t Mårtens
481 Masku
503 Mynämäki | Virmo
529 Naantali | Nådendal
538 Nousiainen | Nousis
561 Oripää
577 Paimio | Pemar
631 Pyhäranta
636 Pöytyä
680 Raisio | Reso
704 Rusko
734 Salo
738 Sauvo | Sagu
761 Somero
833 Taivassalo | Tövsala
853 Turku | Åbo
895 Uusikaupunki | Nystad
918 Vehmaa""",
    "04": """050 Eura
051 Eurajoki | Euraåminne
079 Harjavalta
102 Huittinen | Vittis
181 Jämijärvi
214 Kankaanpää
230 Karvia
271 Kokemäki | Kumo
484 Merikarvia | Sastmola
531 Nakkila
608 Pomarkku | Påmark
609 Pori | Björneborg
684 Rauma | Raumo
747 Siikainen
783 Säkylä
886 Ulvila | Ulvsby""",
    "05": """061 Forssa
082 Hattula
086 Hausjärvi
103 Humppila
109 Hämeenlinna | Tavastehus
165 Janakkala
169 Jokioinen | Jockis
433 Loppi
694 Riihimäki
834 Tammela
981 Ypäjä""",
    "06": """020 Akaa
108 Hämeenkyrö | Tavastkyro
143 Ikaalinen | Ikalis
177 Juupajoki
211 Kangasala
250 Kihniö
291 Kuhmoinen
418 Lempäälä
508 Mänttä-Vilppula
536 Nokia
562 Orivesi
581 Parkano
604 Pirkkala | Birkala
619 Punkalaidun
635 Pälkäne
702 Ruovesi
790 Sastamala
837 Tampere | Tammerfors
887 Urjala
908 Valkeakoski
922 Vesilahti
936 Virrat | Virdois
980 Ylöjärvi""",
    "07": """016 Asikkala
081 Hartola | Gustav Adolfs
098 Hollola
111 Heinola
142 Iitti
316 Kärkölä
398 Lahti | Lahtis
560 Orimattila
576 Padasjoki
781 Sysmä""",
    "08": """075 Hamina | Fredrikshamn
285 Kotka
286 Kouvola
489 Miehikkälä
624 Pyhtää | Pyttis
935 Virolahti | Vederlax""",
    "09": """153 Imatra
405 Lappeenranta | Villmanstrand
416 Lemi
441 Luumäki
580 Parikkala
689 Rautjärvi
700 Ruokolahti
739 Savitaipale
831 Taipalsaari""",
    "10": """046 Enonkoski
097 Hirvensalmi
178 Juva
213 Kangasniemi
491 Mikkeli | S:t Michel
507 Mäntyharju
588 Pertunmaa
593 Pieksämäki
623 Puumala
681 Rantasalmi
740 Savonlinna | Nyslott
768 Sulkava""",
    "11": """140 Iisalmi | Idensalmi
171 Joroinen | Jorois
204 Kaavi
239 Keitele
263 Kiuruvesi
297 Kuopio
402 Lapinlahti
420 Leppävirta
595 Pielavesi
686 Rautalampi
687 Rautavaara
749 Siilinjärvi
762 Sonkajärvi
778 Suonenjoki
844 Tervo
857 Tuusniemi
915 Varkaus
921 Vesanto
925 Vieremä""",
    "12": """090 Heinävesi
146 Ilomantsi | Ilomants
167 Joensuu
176 Juuka
260 Kitee | Kides
276 Kontiolahti
309 Outokumpu
422 Lieksa
426 Liperi | Libelits
541 Nurmes
607 Polvijärvi
707 Rääkkylä
848 Tohmajärvi""",
    "13": """077 Hankasalmi
172 Joutsa
179 Jyväskylä
182 Jämsä
216 Kannonkoski
226 Karstula
249 Keuruu | Keuru
256 Kinnula
265 Kivijärvi
275 Konnevesi
312 Kyyjärvi
410 Laukaa | Laukas
435 Luhanka
495 Multia
500 Muurame
592 Petäjävesi
601 Pihtipudas
729 Saarijärvi
850 Toivakka
892 Uurainen
931 Viitasaari
992 Äänekoski""",
    "14": """005 Alajärvi
010 Alavus | Alavo
052 Evijärvi
145 Ilmajoki | Ilmola
151 Isojoki | Storå
152 Isokyrö | Storkyro
218 Karijoki | Bötom
232 Kauhajoki
233 Kauhava
300 Kuortane
301 Kurikka
403 Lappajärvi
408 Lapua | Lappo
743 Seinäjoki
759 Soini
846 Teuva | Östermark
934 Vimpeli | Vindala
989 Ähtäri | Etseri""",
    "15": """231 Kaskinen | Kaskö
280 Korsnäs
287 Kristiinankaupunki | Kristinestad
288 Kruunupyy | Kronoby
399 Laihia | Laihela
440 Luoto | Larsmo
475 Maalahti | Malax
499 Mustasaari | Korsholm
545 Närpiö | Närpes
598 Pietarsaari | Jakobstad
599 Pedersören kunta | Pedersöre
893 Uusikaarlepyy | Nykarleby
905 Vaasa | Vasa
946 Vöyri | Vörå""",
    "16": """074 Halsua
217 Kannus
236 Kaustinen | Kaustby
272 Kokkola | Karleby
421 Lestijärvi
584 Perho
849 Toholampi
924 Veteli | Vetil""",
    "17": """009 Alavieska
069 Haapajärvi
071 Haapavesi
072 Hailuoto | Karlö
139 Ii | Ijo
208 Kalajoki
244 Kempele
305 Kuusamo
317 Kärsämäki
425 Liminka | Limingo
436 Lumijoki
483 Merijärvi
494 Muhos
535 Nivala
563 Oulainen
564 Oulu | Uleåborg
615 Pudasjärvi
625 Pyhäjoki
626 Pyhäjärvi
630 Pyhäntä
678 Raahe | Brahestad
691 Reisjärvi
746 Sievi
748 Siikajoki
791 Siikalatva
832 Taivalkoski
859 Tyrnävä
889 Utajärvi
785 Vaala
977 Ylivieska""",
    "18": """105 Hyrynsalmi
205 Kajaani | Kajana
290 Kuhmo
578 Paltamo
620 Puolanka
697 Ristijärvi
765 Sotkamo
777 Suomussalmi""",
    "19": """047 Enontekiö | Enontekis
148 Inari | Enare
240 Kemi
241 Keminmaa
261 Kittilä
273 Kolari
320 Kemijärvi
498 Muonio
583 Pelkosenniemi
614 Posio
683 Ranua
698 Rovaniemi
732 Salla
742 Savukoski
751 Simo
758 Sodankylä
845 Tervola
851 Tornio | Torneå
854 Pello
890 Utsjoki
976 Ylitornio | Övertorneå""",
    # Åland is unilingually Swedish: the Finnish names are the Swedish ones but Mariehamn's
    "21": """035 Brändö
043 Eckerö
060 Finström
062 Föglö
065 Geta
076 Hammarland
170 Jomala
295 Kumlinge
318 Kökar
417 Lemland
438 Lumparland
478 Maarianhamina | Mariehamn
736 Saltvik
766 Sottunga
771 Sund
941 Vårdö""",
}

#: the wellbeing services counties (and Helsinki, which arranges its own services): Finnish,
#: Swedish and English name, and their area: a region's code, or the Finnish names of
#: their municipalities (Uusimaa's four counties share its region)
COUNTY_ROWS: tuple[tuple[str, str, str, str | tuple[str, ...]], ...] = (
    ("Itä-Uudenmaan hyvinvointialue", "Östra Nylands välfärdsområde",
     "Wellbeing services county of Eastern Uusimaa",
     ("Askola", "Lapinjärvi", "Loviisa", "Myrskylä", "Porvoo", "Pukkila", "Sipoo")),
    ("Keski-Uudenmaan hyvinvointialue", "Mellersta Nylands välfärdsområde",
     "Wellbeing services county of Central Uusimaa",
     ("Hyvinkää", "Järvenpää", "Mäntsälä", "Nurmijärvi", "Pornainen", "Tuusula")),
    ("Länsi-Uudenmaan hyvinvointialue", "Västra Nylands välfärdsområde",
     "Wellbeing services county of Western Uusimaa",
     ("Espoo", "Hanko", "Inkoo", "Karkkila", "Kauniainen", "Kirkkonummi", "Lohja",
      "Raasepori", "Siuntio", "Vihti")),
    ("Vantaan ja Keravan hyvinvointialue", "Vanda och Kervo välfärdsområde",
     "Wellbeing services county of Vantaa and Kerava", ("Vantaa", "Kerava")),
    ("Varsinais-Suomen hyvinvointialue", "Egentliga Finlands välfärdsområde",
     "Wellbeing services county of Southwest Finland", "02"),
    ("Satakunnan hyvinvointialue", "Satakunta välfärdsområde",
     "Wellbeing services county of Satakunta", "04"),
    ("Kanta-Hämeen hyvinvointialue", "Egentliga Tavastlands välfärdsområde",
     "Wellbeing services county of Kanta-Häme", "05"),
    ("Pirkanmaan hyvinvointialue", "Birkalands välfärdsområde",
     "Wellbeing services county of Pirkanmaa", "06"),
    ("Päijät-Hämeen hyvinvointialue", "Päijänne-Tavastlands välfärdsområde",
     "Wellbeing services county of Päijät-Häme", "07"),
    ("Kymenlaakson hyvinvointialue", "Kymmenedalens välfärdsområde",
     "Wellbeing services county of Kymenlaakso", "08"),
    ("Etelä-Karjalan hyvinvointialue", "Södra Karelens välfärdsområde",
     "Wellbeing services county of South Karelia", "09"),
    ("Etelä-Savon hyvinvointialue", "Södra Savolax välfärdsområde",
     "Wellbeing services county of South Savo", "10"),
    ("Pohjois-Savon hyvinvointialue", "Norra Savolax välfärdsområde",
     "Wellbeing services county of North Savo", "11"),
    ("Pohjois-Karjalan hyvinvointialue", "Norra Karelens välfärdsområde",
     "Wellbeing services county of North Karelia", "12"),
    ("Keski-Suomen hyvinvointialue", "Mellersta Finlands välfärdsområde",
     "Wellbeing services county of Central Finland", "13"),
    ("Etelä-Pohjanmaan hyvinvointialue", "Södra Österbottens välfärdsområde",
     "Wellbeing services county of South Ostrobothnia", "14"),
    ("Pohjanmaan hyvinvointialue", "Österbottens välfärdsområde",
     "Wellbeing services county of Ostrobothnia", "15"),
    ("Keski-Pohjanmaan hyvinvointialue", "Mellersta Österbottens välfärdsområde",
     "Wellbeing services county of Central Ostrobothnia", "16"),
    ("Pohjois-Pohjanmaan hyvinvointialue", "Norra Österbottens välfärdsområde",
     "Wellbeing services county of North Ostrobothnia", "17"),
    ("Kainuun hyvinvointialue", "Kajanalands välfärdsområde",
     "Wellbeing services county of Kainuu", "18"),
    ("Lapin hyvinvointialue", "Lapplands välfärdsområde",
     "Wellbeing services county of Lapland", "19"),
)

#: the counties of Uusimaa by their short names (``Keski-Uusimaa``, as the example region
#: says it): Finnish, Swedish, English, and the county's Finnish name
COUNTY_SHORT_ROWS: tuple[tuple[str, str, str, str], ...] = (
    ("Itä-Uusimaa", "Östra Nyland", "Eastern Uusimaa", "Itä-Uudenmaan hyvinvointialue"),
    ("Keski-Uusimaa", "Mellersta Nyland", "Central Uusimaa",
     "Keski-Uudenmaan hyvinvointialue"),
    ("Länsi-Uusimaa", "Västra Nyland", "Western Uusimaa", "Länsi-Uudenmaan hyvinvointialue"),
)
