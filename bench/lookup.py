"""`make bench-lookup`: precision at 3 of look-ups on the sample catalogue, before and after.

"before" searches the whole message (the actions before the look-up parser); "after" parses
it into what / where / when (bot/catalog/lookup_query.py) and searches that, with Finnish
analysed by the fallback (suffix keys and splitting on the vocabulary) and, when installed,
by Voikko. The cases are tests/catalog/lookup_cases/{fi,sv,en}.yml; SQLite in a temporary file.
`--cases` also prints every case's P@3.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.catalog import morphology  # noqa: E402
from bot.catalog.samples import load_samples  # noqa: E402
from bot.db import make_engine, make_sessionmaker  # noqa: E402
from tests.catalog.lookup_eval import SAMPLES, TODAY, evaluate, mean, set_voikko  # noqa: E402

LANGUAGES = ("fi", "sv", "en")


async def main(show_cases: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite+aiosqlite:///{folder}/lookup.db")
        await load_samples(engine, SAMPLES, today=TODAY)
        factory = make_sessionmaker(engine)
        modes = [("before", "before", None), ("after (fallback)", "after", False)]
        set_voikko(True)
        if morphology.voikko_available():
            modes.append(("after (Voikko)", "after", True))
        results = {}
        for label, mode, voikko in modes:
            if voikko is not None:
                set_voikko(voikko)
            for language in LANGUAGES:
                results[(label, language)] = await evaluate(factory, language, mode)
        await engine.dispose()
    print(f"{'precision@3':<18}" + "".join(f"{language:>8}" for language in LANGUAGES) + f"{'cases':>8}")
    for label, _, _ in modes:
        row = "".join(f"{mean(results[(label, language)]):>8.3f}" for language in LANGUAGES)
        print(f"{label:<18}{row}{len(results[(label, 'fi')]):>8}")
    if not morphology.voikko_available():
        print("Voikko is not installed here (make voikko; libvoikko in requirements.txt): Finnish used the fallback.")
    if show_cases:
        last = modes[-1][0]
        for language in LANGUAGES:
            for before, after in zip(results[("before", language)], results[(last, language)]):
                print(f"{language} {before.precision:.2f} -> {after.precision:.2f}  {after.text}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", action="store_true", help="print every case's P@3")
    asyncio.run(main(parser.parse_args().cases))
