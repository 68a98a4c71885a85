"""Derive `src/storyline/data/agent_sectors.tsv` from PETRARCH2's generic agents (MIT licence).

    python scripts/build_agent_sectors.py ../shared/data/petrarch2/Phoenix.agents.txt

Each agent ("RIOT_POLICE [~COP]", "FISHER!PERSON! [~AGR]") becomes a lower-case noun phrase
with storyline's sector for the first three letters of its CAMEO code; macros (!PERSON!,
!MINIST!) are expanded and plurals in braces kept. Codes without a storyline sector (criminals,
agriculture, environment, ...) are left out. The licence notice ships beside the file
(`data/agent_sectors.LICENSE`).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

SECTORS = {
    "GOV": "government",
    "SPY": "government",
    "MIL": "military",
    "UAF": "rebels",
    "REB": "rebels",
    "INS": "rebels",
    "OPP": "opposition",
    "PTY": "party",
    "LEG": "legislature",
    "JUD": "judiciary",
    "COP": "police",
    "MED": "media",
    "CVL": "civilians",
    "REF": "refugees",
    "LAB": "labour",
    "BUS": "business",
    "EDU": "education",
    "HLH": "medical",
    "NGO": "NGO",
    "IGO": "IGO",
    "REL": "religious",
    "CHR": "religious",
    "MUS": "religious",
    "JEW": "religious",
    "HIN": "religious",
    "BUD": "religious",
}
OUTPUT = Path(__file__).resolve().parents[1] / "src" / "storyline" / "data" / "agent_sectors.tsv"


def agents(lines: list[str]) -> dict[str, str]:
    macros: dict[str, list[str]] = {}
    found: dict[str, str] = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        macro = re.match(r"^(![A-Z]+!)\s*=\s*(.+)$", line)
        if macro:
            macros[macro.group(1)] = [word.strip() for word in macro.group(2).split(",")]
            continue
        code = re.search(r"\[~([A-Z]{3})", line)
        if code is None or code.group(1) not in SECTORS:
            continue
        head = line[: line.index("[")]
        forms = [head.split("{")[0]] + re.findall(r"\{([^}]*)\}", head)
        for form in (f.strip() for f in forms):
            if not form:
                continue
            expansions = [form]
            for name, words in macros.items():
                if name in form:
                    expansions = [e.replace(name, word) for e in expansions for word in words]
            for phrase in expansions:
                key = " ".join(phrase.replace("_", " ").lower().split())
                if key and key.isascii() and key not in found:
                    found[key] = SECTORS[code.group(1)]
    return found


def main(source: str) -> None:
    found = agents(Path(source).read_text(encoding="utf-8", errors="replace").splitlines())
    header = [
        "# Generic agents -> storyline sector, derived by scripts/build_agent_sectors.py from PETRARCH2's",
        "# Phoenix.agents.txt (Copyright (c) 2014 Open Event Data Alliance, MIT licence: agent_sectors.LICENSE).",
        "# Read after sectors.tsv, whose entries win.",
        "# noun\tsector",
    ]
    rows = [f"{noun}\t{sector}" for noun, sector in sorted(found.items())]
    OUTPUT.write_text("\n".join(header + rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} agents -> {OUTPUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/petrarch2/Phoenix.agents.txt")
