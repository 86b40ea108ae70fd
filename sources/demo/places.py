"""Places: cities with real postcodes and dialling codes, street names.

Every city carries its region (Nord, Süd, West, Ost for Germany; AT; CH) and a weight
(bigger or more industrial places get more companies). Postcodes are real codes of the
city (a few per city), so that postcode and city always match in the clean data.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class City:
    country: str
    region: str
    name: str
    postcodes: tuple[str, ...]
    area_code: str
    weight: float
    french: bool = False


# country, region, city, postcodes, area code (without leading 0), weight
_RAW: list[tuple[str, str, str, str, str, float]] = [
    # ------------------------------------------------------------------ Nord
    ("DE", "Nord", "Hamburg", "20095 20457 21073 22041 22113 22525 22761", "40", 5),
    ("DE", "Nord", "Bremen", "28195 28197 28207 28307 28719", "421", 3),
    ("DE", "Nord", "Bremerhaven", "27568 27572", "471", 1),
    ("DE", "Nord", "Hannover", "30159 30165 30179 30419 30519 30559", "511", 4),
    ("DE", "Nord", "Braunschweig", "38100 38112 38126", "531", 2),
    ("DE", "Nord", "Wolfsburg", "38440 38442 38448", "5361", 2),
    ("DE", "Nord", "Salzgitter", "38226 38239", "5341", 1.5),
    ("DE", "Nord", "Osnabrück", "49074 49076 49084 49090", "541", 2),
    ("DE", "Nord", "Oldenburg", "26121 26123 26135", "441", 1.5),
    ("DE", "Nord", "Göttingen", "37073 37075 37079", "551", 1.5),
    ("DE", "Nord", "Hildesheim", "31134 31137", "5121", 1),
    ("DE", "Nord", "Lüneburg", "21335 21337", "4131", 1),
    ("DE", "Nord", "Emden", "26721 26723", "4921", 1),
    ("DE", "Nord", "Lingen (Ems)", "49808 49811", "591", 1),
    ("DE", "Nord", "Celle", "29221 29227", "5141", 1),
    ("DE", "Nord", "Peine", "31224 31226", "5171", 1),
    ("DE", "Nord", "Kiel", "24103 24106 24143 24159", "431", 2),
    ("DE", "Nord", "Lübeck", "23552 23556 23560", "451", 1.5),
    ("DE", "Nord", "Flensburg", "24937 24939", "461", 1),
    ("DE", "Nord", "Neumünster", "24534 24537", "4321", 1),
    ("DE", "Nord", "Itzehoe", "25524", "4821", 0.7),
    ("DE", "Nord", "Norderstedt", "22844 22846", "40", 1),
    ("DE", "Nord", "Wilhelmshaven", "26382 26384", "4421", 0.7),
    ("DE", "Nord", "Cuxhaven", "27472", "4721", 0.6),
    ("DE", "Nord", "Stade", "21680 21682", "4141", 0.8),
    ("DE", "Nord", "Nienburg/Weser", "31582", "5021", 0.6),
    ("DE", "Nord", "Melle", "49324", "5422", 0.8),
    ("DE", "Nord", "Papenburg", "26871", "4961", 0.7),
    ("DE", "Nord", "Goslar", "38640 38644", "5321", 0.7),
    ("DE", "Nord", "Hameln", "31785 31787", "5151", 0.8),
    # ------------------------------------------------------------------ Ost
    ("DE", "Ost", "Berlin", "10115 10178 10245 10317 12099 12277 12489 13355 13407 13509 14167", "30", 5),
    ("DE", "Ost", "Dresden", "01067 01069 01097 01109 01139 01237 01307", "351", 3),
    ("DE", "Ost", "Leipzig", "04103 04109 04129 04157 04179 04229 04318 04357", "341", 3),
    ("DE", "Ost", "Chemnitz", "09111 09112 09116 09126 09131", "371", 2),
    ("DE", "Ost", "Zwickau", "08056 08058 08060", "375", 1.5),
    ("DE", "Ost", "Plauen", "08523 08525", "3741", 0.8),
    ("DE", "Ost", "Görlitz", "02826 02828", "3581", 0.8),
    ("DE", "Ost", "Bautzen", "02625", "3591", 0.7),
    ("DE", "Ost", "Freiberg", "09599", "3731", 0.8),
    ("DE", "Ost", "Riesa", "01587 01589", "3525", 0.6),
    ("DE", "Ost", "Cottbus", "03044 03046 03048", "355", 1),
    ("DE", "Ost", "Halle (Saale)", "06108 06110 06112 06120 06132", "345", 1.5),
    ("DE", "Ost", "Magdeburg", "39104 39106 39112 39126", "391", 1.5),
    ("DE", "Ost", "Dessau-Roßlau", "06842 06844 06846", "340", 0.8),
    ("DE", "Ost", "Bitterfeld-Wolfen", "06749 06766", "3493", 0.8),
    ("DE", "Ost", "Erfurt", "99084 99085 99086 99096", "361", 1.5),
    ("DE", "Ost", "Jena", "07743 07745 07747", "3641", 1.2),
    ("DE", "Ost", "Gera", "07545 07546 07549", "365", 0.8),
    ("DE", "Ost", "Weimar", "99423 99425", "3643", 0.6),
    ("DE", "Ost", "Eisenach", "99817 99819", "3691", 0.8),
    ("DE", "Ost", "Suhl", "98527 98529", "3681", 0.6),
    ("DE", "Ost", "Potsdam", "14467 14469 14473 14482", "331", 1),
    ("DE", "Ost", "Frankfurt (Oder)", "15230 15232 15234", "335", 0.6),
    ("DE", "Ost", "Brandenburg an der Havel", "14770 14772 14776", "3381", 0.6),
    ("DE", "Ost", "Rostock", "18055 18057 18069 18147", "381", 1.2),
    ("DE", "Ost", "Schwerin", "19053 19055 19061", "385", 0.7),
    ("DE", "Ost", "Wismar", "23966 23970", "3841", 0.5),
    ("DE", "Ost", "Neubrandenburg", "17033 17034", "395", 0.5),
    ("DE", "Ost", "Greifswald", "17489 17491", "3834", 0.5),
    ("DE", "Ost", "Ludwigsfelde", "14974", "3378", 0.7),
    ("DE", "Ost", "Eberswalde", "16225 16227", "3334", 0.5),
    ("DE", "Ost", "Sonneberg", "96515", "3675", 0.5),
    ("DE", "Ost", "Meißen", "01662", "3521", 0.6),
    ("DE", "Ost", "Pirna", "01796", "3501", 0.6),
    ("DE", "Ost", "Hoyerswerda", "02977", "3571", 0.5),
    # ------------------------------------------------------------------ West
    ("DE", "West", "Köln", "50667 50670 50733 50823 50996 51063 51105", "221", 4),
    ("DE", "West", "Düsseldorf", "40210 40213 40231 40470 40589", "211", 3),
    ("DE", "West", "Dortmund", "44135 44137 44145 44227 44309", "231", 2.5),
    ("DE", "West", "Essen", "45127 45128 45145 45279 45355", "201", 2.5),
    ("DE", "West", "Duisburg", "47051 47053 47119 47228", "203", 2),
    ("DE", "West", "Bochum", "44787 44789 44793 44866", "234", 1.5),
    ("DE", "West", "Wuppertal", "42103 42105 42275 42369", "202", 1.5),
    ("DE", "West", "Bielefeld", "33602 33604 33609 33689 33719", "521", 2),
    ("DE", "West", "Gütersloh", "33330 33332 33334", "5241", 1.5),
    ("DE", "West", "Paderborn", "33098 33100 33106", "5251", 1.2),
    ("DE", "West", "Münster", "48143 48145 48155 48163", "251", 1.5),
    ("DE", "West", "Bonn", "53111 53113 53119 53227", "228", 1.2),
    ("DE", "West", "Aachen", "52062 52064 52068 52070 52078", "241", 1.5),
    ("DE", "West", "Krefeld", "47798 47799 47805 47829", "2151", 1.2),
    ("DE", "West", "Mönchengladbach", "41061 41063 41066 41238", "2161", 1.2),
    ("DE", "West", "Gelsenkirchen", "45879 45881 45891", "209", 1),
    ("DE", "West", "Hagen", "58089 58093 58095 58097", "2331", 1.2),
    ("DE", "West", "Hamm", "59063 59065 59071", "2381", 0.8),
    ("DE", "West", "Siegen", "57072 57074 57076 57078", "271", 1.5),
    ("DE", "West", "Lüdenscheid", "58507 58511 58513 58515", "2351", 1.2),
    ("DE", "West", "Iserlohn", "58636 58638 58642", "2371", 1),
    ("DE", "West", "Solingen", "42651 42655 42697 42719", "212", 1.2),
    ("DE", "West", "Remscheid", "42853 42855 42857 42897", "2191", 1),
    ("DE", "West", "Lippstadt", "59555 59557", "2941", 0.8),
    ("DE", "West", "Minden", "32423 32425 32427", "571", 0.8),
    ("DE", "West", "Herford", "32049 32051 32052", "5221", 0.8),
    ("DE", "West", "Arnsberg", "59755 59757 59821", "2932", 0.8),
    ("DE", "West", "Olpe", "57462", "2761", 0.6),
    ("DE", "West", "Bocholt", "46395 46397 46399", "2871", 0.8),
    ("DE", "West", "Rheine", "48429 48431", "5971", 0.6),
    ("DE", "West", "Frankfurt am Main", "60311 60313 60326 60386 60437 60528 65929 65933", "69", 3),
    ("DE", "West", "Wiesbaden", "65183 65185 65203 65205", "611", 1.2),
    ("DE", "West", "Darmstadt", "64283 64289 64293 64295", "6151", 1.2),
    ("DE", "West", "Offenbach am Main", "63065 63067 63069", "69", 0.8),
    ("DE", "West", "Kassel", "34117 34119 34123 34127 34134", "561", 1.2),
    ("DE", "West", "Gießen", "35390 35392 35394 35398", "641", 0.8),
    ("DE", "West", "Wetzlar", "35576 35578 35581", "6441", 0.8),
    ("DE", "West", "Fulda", "36037 36039 36041 36043", "661", 0.8),
    ("DE", "West", "Hanau", "63450 63452 63454 63457", "6181", 0.8),
    ("DE", "West", "Marburg", "35037 35039 35041", "6421", 0.6),
    ("DE", "West", "Rüsselsheim am Main", "65428", "6142", 0.6),
    ("DE", "West", "Mainz", "55116 55118 55120 55122 55129", "6131", 1.2),
    ("DE", "West", "Ludwigshafen am Rhein", "67059 67061 67063 67071", "621", 1.2),
    ("DE", "West", "Kaiserslautern", "67655 67657 67659 67661", "631", 0.8),
    ("DE", "West", "Koblenz", "56068 56070 56072 56073", "261", 0.8),
    ("DE", "West", "Trier", "54290 54292 54294 54296", "651", 0.6),
    ("DE", "West", "Pirmasens", "66953 66955", "6331", 0.5),
    ("DE", "West", "Saarbrücken", "66111 66113 66115 66117 66119", "681", 1.2),
    ("DE", "West", "Neunkirchen", "66538 66539", "6821", 0.5),
    ("DE", "West", "Homburg", "66424", "6841", 0.6),
    ("DE", "West", "Worms", "67547 67549 67550", "6241", 0.6),
    ("DE", "West", "Limburg an der Lahn", "65549 65551", "6431", 0.5),
    # ------------------------------------------------------------------ Süd
    ("DE", "Süd", "München", "80331 80335 80339 80469 80636 80807 80939 81241 81379 81549 81829", "89", 5),
    ("DE", "Süd", "Stuttgart", "70173 70174 70176 70180 70191 70327 70435 70469 70565 70599", "711", 4),
    ("DE", "Süd", "Nürnberg", "90402 90403 90411 90429 90441 90451 90471", "911", 3),
    ("DE", "Süd", "Augsburg", "86150 86152 86153 86156 86167 86199", "821", 2),
    ("DE", "Süd", "Regensburg", "93047 93049 93053 93055 93059", "941", 1.5),
    ("DE", "Süd", "Ingolstadt", "85049 85051 85053 85055 85057", "841", 1.5),
    ("DE", "Süd", "Würzburg", "97070 97072 97076 97080 97082", "931", 1.2),
    ("DE", "Süd", "Erlangen", "91052 91054 91056 91058", "9131", 1.2),
    ("DE", "Süd", "Fürth", "90762 90763 90765 90768", "911", 1),
    ("DE", "Süd", "Schweinfurt", "97421 97422 97424", "9721", 1.2),
    ("DE", "Süd", "Bamberg", "96047 96049 96050 96052", "951", 0.8),
    ("DE", "Süd", "Bayreuth", "95444 95445 95447 95448", "921", 0.8),
    ("DE", "Süd", "Landshut", "84028 84030 84032 84034 84036", "871", 0.8),
    ("DE", "Süd", "Passau", "94032 94034 94036", "851", 0.6),
    ("DE", "Süd", "Rosenheim", "83022 83024 83026", "8031", 0.8),
    ("DE", "Süd", "Kempten (Allgäu)", "87435 87437 87439", "831", 0.8),
    ("DE", "Süd", "Memmingen", "87700", "8331", 0.6),
    ("DE", "Süd", "Aschaffenburg", "63739 63741 63743", "6021", 0.8),
    ("DE", "Süd", "Coburg", "96450", "9561", 0.6),
    ("DE", "Süd", "Dingolfing", "84130", "8731", 0.6),
    ("DE", "Süd", "Karlsruhe", "76131 76133 76135 76137 76185 76187 76189", "721", 2),
    ("DE", "Süd", "Mannheim", "68159 68161 68163 68165 68169 68219 68309", "621", 2),
    ("DE", "Süd", "Heidelberg", "69115 69117 69120 69123 69124", "6221", 1),
    ("DE", "Süd", "Freiburg im Breisgau", "79098 79100 79106 79108 79110 79111", "761", 1.2),
    ("DE", "Süd", "Ulm", "89073 89075 89077 89079 89081", "731", 1.2),
    ("DE", "Süd", "Heilbronn", "74072 74074 74076 74078 74080", "7131", 1.2),
    ("DE", "Süd", "Pforzheim", "75172 75173 75175 75177 75179", "7231", 1),
    ("DE", "Süd", "Reutlingen", "72760 72762 72764 72766 72768", "7121", 1),
    ("DE", "Süd", "Esslingen am Neckar", "73728 73730 73732 73734", "711", 1),
    ("DE", "Süd", "Ludwigsburg", "71634 71636 71638 71640", "7141", 1),
    ("DE", "Süd", "Sindelfingen", "71063 71065 71067 71069", "7031", 1),
    ("DE", "Süd", "Böblingen", "71032 71034", "7031", 0.8),
    ("DE", "Süd", "Göppingen", "73033 73035 73037", "7161", 0.8),
    ("DE", "Süd", "Aalen", "73430 73431 73432 73433 73434", "7361", 0.8),
    ("DE", "Süd", "Schwäbisch Hall", "74523", "791", 0.6),
    ("DE", "Süd", "Crailsheim", "74564", "7951", 0.6),
    ("DE", "Süd", "Künzelsau", "74653", "7940", 0.6),
    ("DE", "Süd", "Tuttlingen", "78532", "7461", 0.8),
    ("DE", "Süd", "Villingen-Schwenningen", "78048 78050 78052 78054 78056", "7721", 0.8),
    ("DE", "Süd", "Balingen", "72336", "7433", 0.6),
    ("DE", "Süd", "Friedrichshafen", "88045 88046 88048", "7541", 0.8),
    ("DE", "Süd", "Ravensburg", "88212 88213 88214", "751", 0.8),
    ("DE", "Süd", "Konstanz", "78462 78464 78465 78467", "7531", 0.6),
    ("DE", "Süd", "Offenburg", "77652 77654 77656", "781", 0.8),
    ("DE", "Süd", "Baden-Baden", "76530 76532 76534", "7221", 0.5),
    ("DE", "Süd", "Biberach an der Riß", "88400", "7351", 0.6),
    ("DE", "Süd", "Heidenheim an der Brenz", "89518 89520 89522", "7321", 0.6),
    ("DE", "Süd", "Schorndorf", "73614", "7181", 0.5),
    ("DE", "Süd", "Waiblingen", "71332 71334 71336", "7151", 0.6),
    ("DE", "Süd", "Lörrach", "79539 79540 79541", "7621", 0.5),
    ("DE", "Süd", "Neckarsulm", "74172", "7132", 0.6),
    # ------------------------------------------------------------------ Austria
    ("AT", "AT", "Wien", "1010 1030 1100 1110 1120 1140 1210 1220 1230", "1", 5),
    ("AT", "AT", "Graz", "8010 8020 8041 8051 8055", "316", 2),
    ("AT", "AT", "Linz", "4020 4030 4040", "732", 2),
    ("AT", "AT", "Salzburg", "5020", "662", 1.5),
    ("AT", "AT", "Innsbruck", "6020", "512", 1.2),
    ("AT", "AT", "Klagenfurt am Wörthersee", "9020", "463", 0.8),
    ("AT", "AT", "Villach", "9500", "4242", 0.6),
    ("AT", "AT", "Wels", "4600", "7242", 1),
    ("AT", "AT", "St. Pölten", "3100", "2742", 0.8),
    ("AT", "AT", "Steyr", "4400", "7252", 0.8),
    ("AT", "AT", "Dornbirn", "6850", "5572", 0.8),
    ("AT", "AT", "Wiener Neustadt", "2700", "2622", 0.6),
    ("AT", "AT", "Leoben", "8700", "3842", 0.5),
    ("AT", "AT", "Bregenz", "6900", "5574", 0.5),
    ("AT", "AT", "Kapfenberg", "8605", "3862", 0.5),
    ("AT", "AT", "Amstetten", "3300", "7472", 0.5),
    ("AT", "AT", "Traun", "4050", "7229", 0.5),
    ("AT", "AT", "Braunau am Inn", "5280", "7722", 0.4),
    # ------------------------------------------------------------------ Switzerland
    ("CH", "CH", "Zürich", "8001 8004 8005 8048 8050 8052", "44", 4),
    ("CH", "CH", "Basel", "4051 4052 4053 4057", "61", 2),
    ("CH", "CH", "Bern", "3008 3011 3014 3027", "31", 1.5),
    ("CH", "CH", "Winterthur", "8400 8404 8406", "52", 1.2),
    ("CH", "CH", "St. Gallen", "9000 9008 9014", "71", 1),
    ("CH", "CH", "Luzern", "6003 6005 6006", "41", 1),
    ("CH", "CH", "Schaffhausen", "8200", "52", 0.6),
    ("CH", "CH", "Aarau", "5000 5004", "62", 0.6),
    ("CH", "CH", "Baden", "5400", "56", 0.6),
    ("CH", "CH", "Zug", "6300", "41", 0.8),
    ("CH", "CH", "Olten", "4600", "62", 0.5),
    ("CH", "CH", "Biel/Bienne", "2502 2503 2504", "32", 0.6),
    ("CH", "CH", "Thun", "3600", "33", 0.5),
    ("CH", "CH", "Chur", "7000", "81", 0.4),
    ("CH", "CH", "Solothurn", "4500", "32", 0.4),
    ("CH", "CH", "Frauenfeld", "8500", "52", 0.4),
    ("CH", "CH", "Wil", "9500", "71", 0.3),
    ("CH", "CH", "Uster", "8610", "44", 0.4),
]
_FRENCH = {("CH", "Lausanne"), ("CH", "Genève")}
_RAW += [
    ("CH", "CH", "Lausanne", "1003 1004 1007", "21", 0.8),
    ("CH", "CH", "Genève", "1201 1204 1227", "22", 0.8),
]

CITIES: tuple[City, ...] = tuple(
    City(country, region, name, tuple(codes.split()), area, float(weight), (country, name) in _FRENCH)
    for country, region, name, codes, area, weight in _RAW
)

REGIONS = ("Nord", "Süd", "West", "Ost", "AT", "CH")
REGION_SHARE = {"Nord": 0.85 * 0.22, "Süd": 0.85 * 0.34, "West": 0.85 * 0.29, "Ost": 0.85 * 0.15,
                "AT": 0.08, "CH": 0.07}
# File-name spelling of each region (ASCII, as people name files).
REGION_FILE = {"Nord": "Nord", "Süd": "Sued", "West": "West", "Ost": "Ost", "AT": "Oesterreich",
               "CH": "Schweiz"}
REGION_TITLE = {"Nord": "Nord", "Süd": "Süd", "West": "West", "Ost": "Ost", "AT": "Österreich",
                "CH": "Schweiz"}

# Spellings a city goes by besides its official name.
CITY_ALIASES: dict[str, tuple[str, ...]] = {
    "Frankfurt am Main": ("Frankfurt/Main", "Frankfurt a.M.", "Frankfurt", "Ffm"),
    "Halle (Saale)": ("Halle", "Halle/Saale"),
    "Freiburg im Breisgau": ("Freiburg", "Freiburg i. Br."),
    "Lingen (Ems)": ("Lingen",),
    "Kempten (Allgäu)": ("Kempten",),
    "Offenbach am Main": ("Offenbach",),
    "Ludwigshafen am Rhein": ("Ludwigshafen", "Ludwigshafen a. Rh."),
    "Esslingen am Neckar": ("Esslingen",),
    "Frankfurt (Oder)": ("Frankfurt/Oder", "Frankfurt an der Oder"),
    "Brandenburg an der Havel": ("Brandenburg",),
    "Klagenfurt am Wörthersee": ("Klagenfurt",),
    "Biel/Bienne": ("Biel",),
    "Genève": ("Genf", "Geneva"),
    "Heidenheim an der Brenz": ("Heidenheim",),
    "Biberach an der Riß": ("Biberach", "Biberach/Riss"),
    "Rüsselsheim am Main": ("Rüsselsheim",),
    "Limburg an der Lahn": ("Limburg",),
    "Nienburg/Weser": ("Nienburg",),
    "Dessau-Roßlau": ("Dessau",),
    "St. Pölten": ("Sankt Pölten", "St.Pölten"),
    "St. Gallen": ("Sankt Gallen", "St.Gallen"),
}

STREETS_DE = (
    "Hauptstraße", "Industriestraße", "Gewerbestraße", "Bahnhofstraße", "Robert-Bosch-Straße",
    "Carl-Benz-Straße", "Siemensstraße", "Daimlerstraße", "Rudolf-Diesel-Straße", "Werkstraße",
    "Max-Planck-Straße", "Otto-Hahn-Straße", "Gutenbergstraße", "Dieselstraße", "Zeppelinstraße",
    "Benzstraße", "Ringstraße", "Kanalstraße", "Fabrikstraße", "Gottlieb-Daimler-Straße",
    "Ferdinand-Porsche-Straße", "Einsteinstraße", "Wilhelm-Maybach-Straße", "Raiffeisenstraße",
    "Schulstraße", "Lindenstraße", "Mühlenstraße", "Gartenstraße", "Friedrich-Ebert-Straße",
    "Kruppstraße", "Thyssenstraße", "Mannesmannstraße", "Borsigstraße", "Rheinstraße",
    "Hafenstraße", "Kirchstraße", "Dorfstraße", "Poststraße", "Waldstraße", "Feldstraße",
    "Von-Miller-Straße", "Röntgenstraße", "Heinrich-Hertz-Straße", "Konrad-Zuse-Straße",
    "Carl-Zeiss-Straße", "Justus-von-Liebig-Straße", "Nobelstraße", "Weststraße", "Oststraße",
    "Südring", "Nordring", "Am Gewerbepark", "Im Gewerbegebiet", "Am Hafen", "Im Technologiepark",
    "An der Autobahn", "Auf der Höhe", "Am Mühlbach", "Im Wiesengrund", "Zur Schmiede",
    "Lise-Meitner-Straße", "Emil-Berliner-Straße", "Werner-von-Siemens-Ring", "Am Kraftwerk",
    "Steinbeisstraße", "Maybachstraße", "Boschstraße", "Junkersstraße", "Dornierstraße",
    "Gießereistraße", "Hüttenstraße", "Walzwerkstraße", "Grubenweg", "Lagerstraße",
)
STREETS_AT = (
    "Hauptstraße", "Industriestraße", "Gewerbepark", "Linzer Straße", "Wiener Straße",
    "Grazer Straße", "Salzburger Straße", "Bahnhofstraße", "Industriezeile", "Fabriksgasse",
    "Werkstättenweg", "Betriebsstraße", "Lastenstraße", "Gewerbestraße", "Technologiestraße",
)
STREETS_CH = (
    "Industriestrasse", "Bahnhofstrasse", "Hauptstrasse", "Gewerbestrasse", "Zürcherstrasse",
    "Bernstrasse", "Seestrasse", "Werkstrasse", "Fabrikstrasse", "Riedstrasse", "Dorfstrasse",
    "Grabenstrasse", "Hardstrasse", "Lagerstrasse", "Rütistrasse",
)
STREETS_FR = (
    "Rue de l'Industrie", "Chemin des Artisans", "Route de Genève", "Avenue de la Gare",
    "Rue du Centre", "Chemin du Moulin", "Route de Lausanne", "Rue des Ateliers",
)


def streets_for(city: City) -> tuple[str, ...]:
    if city.french:
        return STREETS_FR
    return {"DE": STREETS_DE, "AT": STREETS_AT, "CH": STREETS_CH}[city.country]
