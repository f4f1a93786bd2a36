"""Write the golden form exports of this folder, byte for byte as the programs write them.

Run once (``python tests/data/forms/make_golden.py``); the files are kept in the repository and
the tests read them, not this script. Each preset is written in four encodings: UTF-8 with
commas (what Google Forms downloads), UTF-8 with a byte-order mark and semicolons (Excel's
"CSV UTF-8" on Finnish Windows), UTF-16 with a byte-order mark and tabs (Excel's "Unicode
text") and Windows-1252 with semicolons (Excel's plain "CSV").
"""

import csv
import io
from pathlib import Path

HERE = Path(__file__).parent

# Five respondents; the fifth answered before the fourth.
PEOPLE = [
    # first, last, email, organisation, municipality, language, phone, mode, run
    ("Anna", "Andersson", "anna.andersson@esbo.fi", "Esbo stadsbibliotek", "Esbo", "sv",
     "+358 40 111 2222", "on_site", "Augusti"),
    ("Matti", "Mäkinen", "matti.makinen@vantaa.fi", "Vantaan kaupunginkirjasto", "Vantaa", "fi",
     "", "remote", "Augusti"),
    ("Åsa", "Öberg", "asa.oberg@borga.fi", "Borgå stadsbibliotek", "Borgå", "sv", "",
     "remote", "September"),
    ("Zoë", "Lindqvist", "zoe.lindqvist@kyrkslatt.fi", "Kyrkslätts bibliotek", "Kyrkslätt", "en",
     "09 123 456", "on_site", "September"),
    ("Pirjo", "Särkkä", "pirjo.sarkka@lohja.fi", "Lohjan kaupunginkirjasto", "Lohja", "fi", "",
     "on_site", "Augusti"),
]  # fmt: skip
# (day, hour, minute, second) of each answer in January 2023, Helsinki time.
TIMES = [(12, 10, 15, 2), (12, 11, 2, 40), (13, 8, 59, 59), (14, 16, 30, 0), (14, 9, 5, 12)]

LANGUAGE_WORDS = {
    "sv": {"sv": "svenska", "fi": "finska", "en": "engelska"},
    "fi": {"sv": "ruotsi", "fi": "suomi", "en": "englanti"},
    "en": {"sv": "Swedish", "fi": "Finnish", "en": "English"},
}
MODE_WORDS = {
    "sv": {"on_site": "På plats", "remote": "På distans via Zoom"},
    "fi": {"on_site": "Paikan päällä", "remote": "Etänä (Zoom)"},
    "en": {"on_site": "On site", "remote": "Remote (Zoom)"},
}


def webropol(language):
    headers = {
        "fi": ["Vastaaja", "Vastausaika", "Etunimi", "Sukunimi", "Sähköposti",
               "Organisaatio/kirjasto", "Kunta", "Asiointikieli", "Puhelin", "Osallistun"],
        "sv": ["Respondent", "Svarstid", "Förnamn", "Efternamn", "E-post",
               "Organisation/bibliotek", "Kommun", "Betjäningsspråk", "Telefon", "Jag deltar"],
        "en": ["Respondent", "Response time", "First name", "Last name", "Email",
               "Organisation/library", "Municipality", "Language of service", "Phone",
               "I will take part"],
    }[language]  # fmt: skip
    rows = [headers]
    for number, (person, (d, h, m, _s)) in enumerate(zip(PEOPLE, TIMES, strict=True), start=1):
        first, last, email, org, town, lang, phone, mode, _run = person
        words = LANGUAGE_WORDS[language][lang], MODE_WORDS[language][mode]
        rows.append([str(number), f"{d}.1.2023 {h:02d}.{m:02d}", first, last, email, org, town,
                     words[0], phone, words[1]])  # fmt: skip
    return rows


def microsoft_forms(language):
    # Forms adds its own columns first: the responder's e-mail and name are "anonymous" and
    # empty when the form is open to anyone, so the form asks for them again.
    own = {
        "en": ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"],
        "sv": ["ID", "Starttid", "Slutföringstid", "E-post", "Namn", "Senast ändrad"],
        "fi": ["Tunnus", "Aloitusaika", "Valmistumisaika", "Sähköposti", "Nimi",
               "Viimeksi muokattu"],
    }[language]  # fmt: skip
    questions = {
        "en": ["Name", "Email", "Library", "Municipality", "Language", "Phone number",
               "I will take part"],
        "sv": ["Namn", "E-post", "Bibliotek", "Kommun", "Språk", "Telefonnummer", "Jag deltar"],
        "fi": ["Nimi", "Sähköposti", "Kirjasto", "Kunta", "Kieli", "Puhelinnumero", "Osallistun"],
    }[language]  # fmt: skip
    rows = [own + questions]
    for number, (person, (d, h, m, s)) in enumerate(zip(PEOPLE, TIMES, strict=True), start=1):
        first, last, email, org, town, lang, phone, mode, _run = person
        stamp = f"1/{d}/23 {h}:{m:02d}:{s:02d}"
        rows.append([str(number), stamp, stamp, "anonymous", "", "", f"{first} {last}", email,
                     org, town, LANGUAGE_WORDS[language][lang], phone,
                     MODE_WORDS[language][mode]])  # fmt: skip
    return rows


def google_forms(language):
    headers = {
        "sv": ["Tidstämpel", "E-postadress", "Namn", "Bibliotek", "Kommun", "Språk", "Telefon",
               "Deltagande"],
        "fi": ["Aikaleima", "Sähköpostiosoite", "Nimi", "Kirjasto", "Kunta", "Asiointikieli",
               "Puhelin", "Osallistumistapa"],
        "en": ["Timestamp", "Email Address", "Name", "Library", "Municipality", "Language",
               "Phone", "Participation"],
    }[language]  # fmt: skip
    rows = [headers]
    for person, (d, h, m, s) in zip(PEOPLE, TIMES, strict=True):
        first, last, email, org, town, lang, phone, mode, _run = person
        stamp = {
            "sv": f"2023-01-{d:02d} {h:02d}:{m:02d}:{s:02d}",
            "fi": f"{d}.1.2023 {h}.{m:02d}.{s:02d}",
            "en": f"1/{d}/2023 {h}:{m:02d}:{s:02d}",
        }[language]
        rows.append([stamp, email, f"{first} {last}", org, town, LANGUAGE_WORDS[language][lang],
                     phone, MODE_WORDS[language][mode]])  # fmt: skip
    return rows


def template(language):
    headers = ["submitted", "name", "email", "organisation", "municipality", "language", "phone",
               "mode", "target"]  # fmt: skip
    rows = [headers]
    for person, (d, h, m, s) in zip(PEOPLE, TIMES, strict=True):
        first, last, email, org, town, lang, phone, mode, run = person
        rows.append([f"2023-01-{d:02d}T{h:02d}:{m:02d}:{s:02d}+02:00", f"{first} {last}", email,
                     org, town, lang, phone, MODE_WORDS[language][mode], run])  # fmt: skip
    return rows


# preset -> (builder, header language for utf-8, utf-8-sig, utf-16, cp1252)
PRESETS = {
    "webropol": (webropol, ["fi", "sv", "en", "fi"]),
    "microsoft-forms": (microsoft_forms, ["en", "sv", "fi", "sv"]),
    "google-forms": (google_forms, ["en", "fi", "sv", "sv"]),
    "template": (template, ["en", "sv", "fi", "fi"]),
}
ENCODINGS = [("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", "\t"), ("cp1252", ";")]


def write(path, rows, encoding, delimiter):
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))


def main():
    for preset, (build, languages) in PRESETS.items():
        for (encoding, delimiter), language in zip(ENCODINGS, languages, strict=True):
            write(HERE / f"{preset}.{encoding}.csv", build(language), encoding, delimiter)
    # Malformed exports: each has one kind of fault, at a known row and column.
    rows = webropol("sv")
    rows[3][4] = "asa.oberg(at)borga.fi"
    write(HERE / "bad-email.csv", rows, "utf-8", ";")
    rows = google_forms("fi")
    rows[2][7] = "Ehkä"
    rows[4][0] = "32.1.2023 25.00.00"
    write(HERE / "bad-mode-and-time.csv", rows, "cp1252", ";")
    rows = template("en")
    rows[5][8] = "Oktober"
    write(HERE / "unknown-run.csv", rows, "utf-8", ",")
    rows = [row[:4] + row[5:] for row in webropol("fi")]  # no e-mail column
    write(HERE / "no-email-column.csv", rows, "utf-8", ";")
    text = io.StringIO(newline="")
    csv.writer(text, delimiter="\t", lineterminator="\r\n").writerows(google_forms("en"))
    (HERE / "utf-16-without-bom.csv").write_bytes(text.getvalue().encode("utf-16-le"))


if __name__ == "__main__":
    main()
