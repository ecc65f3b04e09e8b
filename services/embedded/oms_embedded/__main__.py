"""``python -m oms_embedded [run|seed]``."""

from __future__ import annotations

import argparse
import sys

from oms_embedded.server import main


def parse(argv: list[str]) -> str:
    parser = argparse.ArgumentParser(
        prog="python -m oms_embedded",
        description="OMS Region одним процессом: встроенный PostgreSQL, все сервисы, демо-данные.",
    )
    parser.add_argument(
        "command",
        nargs="?",
        default="run",
        choices=["run", "seed"],
        help="run — запустить систему на http://127.0.0.1:8000 (по умолчанию); "
        "seed — только загрузить демо-данные",
    )
    command: str = parser.parse_args(argv).command
    return command


if __name__ == "__main__":
    sys.exit(main(parse(sys.argv[1:])))
