"""The whole enrolment workflow from the shell, as a new user would run it.

Run: python examples/enrolment_from_the_shell.py [FOLDER]

It works in FOLDER (default: a temporary folder, removed afterwards) and prints every
``libkurs`` command it runs with what the command answered, like a terminal session:

1. take the example catalogue that ships with libkurs and give the Liboppi day three places;
2. enrol four library staff by e-mail address (one of them waits for the organiser's approval,
   which is given), so that the fourth is on the waiting list;
3. one withdraws, and the first in line gets the place;
4. print a sign-in sheet for the morning, sign it as the participants would, and record the
   attendance from it; record the afternoon by participant ids;
5. print who completed the day.

Nothing here needs a checkout of the libkurs repository: only an installed libkurs.
"""

import csv
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import attrs

import libkurs
import libkurs.examples

DAY = "liboppi-dag-2023"
MORNING, AFTERNOON = "liboppi-dag-2023-formiddag", "liboppi-dag-2023-eftermiddag"


def libkurs_command(*arguments: str, folder: Path) -> str:
    """Run ``libkurs ARGUMENTS`` in *folder*, print it and its answer; stop if it fails."""
    print(f"$ libkurs {shlex.join(arguments)}")
    result = subprocess.run(
        [sys.executable, "-m", "libkurs", *arguments],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    print(result.stdout + result.stderr, end="")
    if result.returncode != 0:
        sys.exit(f"libkurs {arguments[0]} failed with status {result.returncode}")
    return result.stdout


def prepare_catalogue(folder: Path) -> None:
    """The example catalogue, with three places on the Liboppi day, as catalogue.json."""
    catalogue = libkurs.examples.catalogue()
    day = catalogue.event(DAY)
    places = libkurs.EnrolmentSettings(capacity=3)
    libkurs.dump(
        catalogue.replace_event(attrs.evolve(day, enrolment=places)), folder / "catalogue.json"
    )


def sign(sheet: Path, signatures: dict[str, str]) -> None:
    """Fill in the signature column of a sign-in sheet, as people do on paper or in Excel."""
    with sheet.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file, delimiter=";"))
    for row in rows[1:]:
        row[-1] = signatures.get(row[0], "")
    with sheet.open("w", encoding="utf-8-sig", newline="") as file:
        csv.writer(file, delimiter=";", lineterminator="\r\n").writerows(rows)


def workflow(folder: Path) -> str:
    """Run the workflow in *folder*; return the completion report."""
    prepare_catalogue(folder)

    def run(*arguments: str) -> str:
        return libkurs_command(*arguments, folder=folder)

    common = ["--catalogue", "catalogue.json"]
    people = [
        ("Anna Andersson", "anna@bibliotek.example.fi"),
        ("Bo Berg", "bo@bibliotek.example.fi"),
        ("Cecilia Carlsson", "cecilia@bibliotek.example.fi"),
        ("Dan Dahl", "dan@bibliotek.example.fi"),
    ]
    for minute, (name, email) in enumerate(people):
        # Cecilia's request waits for the organiser's approval, who gives it half a minute later.
        approval = ["--approval"] if name.startswith("Cecilia") else []
        run(
            "enrol", "register.json", *common, "--target", DAY, "--email", email,
            "--name", name, "--now", f"2023-01-05T10:0{minute}", *approval,
        )  # fmt: skip
        if approval:
            run(
                "approve", "register.json", *common, "--participant", "p3", "--target", DAY,
                "--now", f"2023-01-05T10:0{minute}:30",
            )  # fmt: skip
    run("waiting-list", "register.json", *common, "--target", DAY)
    run(
        "withdraw", "register.json", *common, "--participant", "p2", "--target", DAY,
        "--now", "2023-01-09T08:15",
    )  # fmt: skip
    run("waiting-list", "register.json", *common, "--target", DAY, "--json")

    run("participants", "register.json", *common, "--session", MORNING, "--output", "sheet.csv")
    sign(folder / "sheet.csv", {"Anna Andersson": "A. Andersson", "Dan Dahl": "D. Dahl"})
    run("attend", "register.json", *common, "--session", MORNING, "--sign-in", "sheet.csv")
    run(
        "attend",
        "register.json",
        *common,
        "--session",
        AFTERNOON,
        "--participant",
        "p1",
        "p3",
        "p4",
    )
    return run("completion", "register.json", *common, "--target", DAY)


def main() -> None:
    if len(sys.argv) > 1:
        folder = Path(sys.argv[1])
        folder.mkdir(parents=True, exist_ok=True)
        report = workflow(folder)
    else:
        with tempfile.TemporaryDirectory() as temporary:
            report = workflow(Path(temporary))
    completed = int(report.splitlines()[-1].split()[0])
    if completed == 0:
        sys.exit("nobody completed: attendance was not recorded")


if __name__ == "__main__":
    main()
