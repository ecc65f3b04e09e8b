"""Data the demo region of the MO register is made from (all invented except the equipment
makes and models, which are real products, chosen for realism only)."""

from __future__ import annotations

# The 10 territories of «Приозёрская область». The names are invented; the codes follow the
# ОКТМО pattern (8 digits) under the demo region's «99» and are marked synthetic.
TERRITORIES: tuple[tuple[str, str, str, str, int], ...] = (
    # (oktmo, name, kind, center, population)
    ("99701000", "городской округ Приозёрск", "city_okrug", "г. Приозёрск", 286_000),
    ("99610000", "Заречный муниципальный район", "municipal_district", "г. Заречный", 64_000),
    ("99615000", "Лесогорский муниципальный район", "municipal_district", "г. Лесогорск", 41_000),
    ("99620000", "Озёрный муниципальный район", "municipal_district", "пгт Озёрный", 28_500),
    ("99625000", "Береговой муниципальный район", "municipal_district", "с. Береговое", 17_200),
    ("99630000", "Сосновоборский муниципальный округ", "municipal_okrug", "г. Сосновобор", 36_800),
    ("99635000", "Каменноключевской муниципальный район", "municipal_district", "с. Каменный Ключ", 12_400),
    ("99640000", "Верхнеречинский муниципальный район", "municipal_district", "пгт Верхнеречье", 21_900),
    ("99645000", "Светлоярский муниципальный округ", "municipal_okrug", "г. Светлояр", 33_100),
    ("99650000", "Боровлянский муниципальный район", "municipal_district", "с. Боровлянка", 9_800),
)
# Name stems that place a demo MO in a territory; others are spread over the districts.
TERRITORY_STEMS = {"Приозёрск": "99701000", "Заречн": "99610000", "Лесогор": "99615000"}

# Five-year bands as Rosstat publishes them; shares of the population (sum to 1), a pyramid of
# an ageing Russian region.
AGE_SHARES: tuple[tuple[int, int | None, float], ...] = (
    (0, 4, 0.048),
    (5, 9, 0.058),
    (10, 14, 0.057),
    (15, 19, 0.052),
    (20, 24, 0.046),
    (25, 29, 0.050),
    (30, 34, 0.072),
    (35, 39, 0.078),
    (40, 44, 0.074),
    (45, 49, 0.068),
    (50, 54, 0.062),
    (55, 59, 0.064),
    (60, 64, 0.072),
    (65, 69, 0.066),
    (70, 74, 0.058),
    (75, 79, 0.029),
    (80, 84, 0.024),
    (85, None, 0.022),
)

# MO profiles: departments by type (how many), branches (each with general practice), care
# profiles of the license, areas (kind, how many) served by the departments of that type.
PROFILES: dict[str, dict[str, object]] = {
    "polyclinic": {
        "departments": {
            "therapy_outpatient": 2,
            "functional_diagnostics": 1,
            "ultrasound": 1,
            "radiology": 1,
            "endoscopy": 1,
            "laboratory": 1,
            "dentistry": 1,
        },
        "branches": 1,
        "care_profiles": ["01", "05", "06", "09", "10", "13", "17", "18", "20"],
        "areas": [("therapeutic", "therapy_outpatient", 12), ("general_practice", "general_practice", 2)],
    },
    "district_hospital": {
        "departments": {
            "therapy_outpatient": 1,
            "pediatric_outpatient": 1,
            "therapy_inpatient": 1,
            "surgery": 1,
            "icu": 1,
            "obstetrics": 1,
            "radiology": 1,
            "laboratory": 1,
        },
        "branches": 2,
        "care_profiles": ["01", "02", "03", "04", "06", "08", "13", "15", "16", "20"],
        "areas": [
            ("therapeutic", "therapy_outpatient", 6),
            ("pediatric", "pediatric_outpatient", 4),
            ("general_practice", "general_practice", 2),
        ],
    },
    "regional_hospital": {
        "departments": {
            "therapy_inpatient": 2,
            "cardiology": 1,
            "neurology_stroke": 1,
            "surgery": 2,
            "icu": 2,
            "obstetrics": 1,
            "radiology": 1,
            "ultrasound": 1,
            "functional_diagnostics": 1,
            "endoscopy": 1,
            "laboratory": 1,
            "radiotherapy": 1,
        },
        "branches": 0,
        "care_profiles": ["01", "03", "04", "05", "06", "07", "08", "14", "16", "17", "18"],
        "areas": [],
    },
}
DEPARTMENT_NAMES = {
    "therapy_outpatient": "Терапевтическое отделение",
    "pediatric_outpatient": "Педиатрическое отделение",
    "general_practice": "Отделение общей врачебной практики",
    "radiology": "Рентгенологическое отделение",
    "ultrasound": "Отделение ультразвуковой диагностики",
    "functional_diagnostics": "Отделение функциональной диагностики",
    "endoscopy": "Эндоскопическое отделение",
    "laboratory": "Клинико-диагностическая лаборатория",
    "therapy_inpatient": "Терапевтическое отделение стационара",
    "cardiology": "Кардиологическое отделение",
    "neurology_stroke": "Неврологическое отделение для больных с ОНМК",
    "surgery": "Хирургическое отделение",
    "icu": "Отделение анестезиологии-реанимации",
    "obstetrics": "Акушерское отделение",
    "radiotherapy": "Радиотерапевтическое отделение",
    "dentistry": "Стоматологическое отделение",
}
BRANCH_PLACES = ("с. Озёрное", "пос. Сосновка", "с. Каменка", "дер. Берёзовка")

# (manufacturer, model) of each kind of equipment.
MODELS: dict[str, tuple[tuple[str, str], ...]] = {
    "RAD.CT": (("Canon Medical Systems", "Aquilion Lightning"), ("Siemens Healthineers", "SOMATOM go.Now")),
    "RAD.MRI": (("Siemens Healthineers", "MAGNETOM Amira"), ("GE HealthCare", "SIGNA Explorer")),
    "RAD.XR": (("Philips", "DigitalDiagnost C90"), ("Siemens Healthineers", "Multix Impact")),
    "RAD.MAMMO": (("Siemens Healthineers", "MAMMOMAT Inspiration"), ("GE HealthCare", "Senographe Pristina")),
    "RAD.FLG": (("Philips", "DigitalDiagnost Chest"), ("Siemens Healthineers", "Multix Fusion Chest")),
    "US.EXPERT": (
        ("GE HealthCare", "LOGIQ E10"),
        ("Philips", "EPIQ 7"),
        ("Canon Medical Systems", "Aplio i800"),
    ),
    "US.GENERAL": (("Mindray", "DC-70"), ("Samsung Medison", "HS60"), ("SonoScape", "S60")),
    "FUNC.ECG": (
        ("Schiller", "CARDIOVIT AT-102 plus"),
        ("Нейрософт", "Поли-Спектр-8/Е"),
        ("Fukuda Denshi", "FX-8322"),
    ),
    "FUNC.HOLTER": (("Инкарт", "Кардиотехника-07"), ("Schiller", "MT-101")),
    "FUNC.EEG": (("Нейрософт", "Нейрон-Спектр-4/П"),),
    "FUNC.SPIRO": (("MIR", "Spirolab"), ("Schiller", "SP-10")),
    "ENDO.GASTRO": (("Olympus", "GIF-H190"), ("Pentax Medical", "EG29-i10")),
    "ENDO.COLON": (("Olympus", "CF-H190L"), ("Pentax Medical", "EC38-i10L")),
    "ENDO.BRONCH": (("Olympus", "BF-H190"),),
    "ICU.VENT": (("Hamilton Medical", "HAMILTON-C3"), ("Dräger", "Evita V500"), ("Mindray", "SV300")),
    "ICU.ANEST": (("Dräger", "Fabius plus"), ("GE HealthCare", "Carestation 620")),
    "ICU.MONITOR": (("Mindray", "BeneVision N12"), ("Philips", "IntelliVue MX450")),
    "ICU.DEFIB": (("ZOLL", "R Series"), ("Philips", "HeartStart XL+")),
    "LAB.HEMA": (("Sysmex", "XN-550"), ("Mindray", "BC-6200")),
    "LAB.BIOCHEM": (("Beckman Coulter", "AU480"), ("Mindray", "BS-800")),
    "LAB.PCR": (("Bio-Rad", "CFX96"), ("ДНК-Технология", "ДТпрайм")),
    "SURG.LAP": (("Karl Storz", "IMAGE1 S"), ("Olympus", "VISERA ELITE II")),
    "SURG.TABLE": (("Maquet", "Alphastar"), ("Merivaara", "Practico")),
    "SURG.LIGHT": (("Dräger", "Polaris 600"), ("Maquet", "PowerLED II")),
    "DENT.UNIT": (("Dentsply Sirona", "INTEGO"), ("A-dec", "300")),
    "RT.LINAC": (("Varian", "TrueBeam"), ("Elekta", "Versa HD")),
}
