"""`python -m desktopchat` starts the app."""

from desktopchat.app import main

raise SystemExit(main())
