"""The catalogs' upkeep, with Babel's own commands (``python -m i18n.catalog``):

1. extract every ``_``/``N_``/``ngettext`` message of the code into ``locale/messages.pot`` (babel.cfg);
2. update each language's ``locale/<lang>/LC_MESSAGES/messages.po`` (new msgids empty, gone ones obsolete);
3. compile each ``.po`` to its ``.mo`` (committed: the server reads them, no build step).

Translate the empty ``msgstr`` entries of the ``.po`` files between 2 and 3.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from i18n import DOMAIN, LANGS, LOCALE_DIR

ROOT = LOCALE_DIR.parent
POT = LOCALE_DIR / f"{DOMAIN}.pot"
KEYWORDS = ["-k", "_", "-k", "N_", "-k", "ngettext:1,2"]


def extract(out: Path) -> None:
    """Babel's ``pybabel extract`` over the code (babel.cfg) into ``out``."""
    cmd = [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg")]
    cmd += [*KEYWORDS, "--no-location", "--sort-output", "--omit-header", "-o", str(out), "."]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)


def compile_all() -> None:
    """Babel's ``pybabel compile``: every ``.po`` to its ``.mo``."""
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "compile", "-d", str(LOCALE_DIR)], check=True)


def main() -> None:
    """Extract, update and compile; ``python -m i18n.catalog compile`` only compiles."""
    if sys.argv[1:] == ["compile"]:
        compile_all()
        return
    extract(POT)
    for lang in LANGS[1:]:
        po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        verb = "update" if po.exists() else "init"
        cmd = [sys.executable, "-m", "babel.messages.frontend", verb, "-i", str(POT), "-d", str(LOCALE_DIR), "-l", lang]
        cmd += ["--no-wrap", "--no-fuzzy-matching", "--ignore-obsolete"] if verb == "update" else []
        subprocess.run(cmd, cwd=ROOT, check=True)
    compile_all()


if __name__ == "__main__":
    main()
