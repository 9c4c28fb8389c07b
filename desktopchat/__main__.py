"""`python -m desktopchat` starts the app; `python -m desktopchat import|export|backup …`
runs a command line tool instead (cli.py), without Qt."""

import sys

from desktopchat.cli import COMMANDS

if len(sys.argv) > 1 and sys.argv[1] in COMMANDS:
    from desktopchat.cli import main as cli_main

    raise SystemExit(cli_main(sys.argv[1:]))

from desktopchat.app import main

raise SystemExit(main())
