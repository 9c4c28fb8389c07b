"""`python -m desktopchat …` is the `desktopchat` command: the same dispatch (cli.main)."""

from desktopchat.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
