"""`python -m desktopchat` starts the app; `python -m desktopchat import|export|backup …`
runs a command line tool instead (cli.py), without Qt."""

import sys

if len(sys.argv) > 1 and sys.argv[1] in ("import", "export", "backup"):
    from desktopchat.cli import main as cli_main

    raise SystemExit(cli_main(sys.argv[1:]))

from desktopchat.app import main

raise SystemExit(main())
