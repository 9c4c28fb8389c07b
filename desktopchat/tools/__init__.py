"""MCP servers: the only package that imports the `mcp` SDK (DESIGN.md section 2).

Servers run on a private event loop in one thread of their own (host.py), so a server that
floods, hangs or sends a huge answer never stalls the window's loop; stdio servers are
children started with the login shell's PATH and an environment holding none of our secrets
(launch.py), read through a bounded transport (stdio.py) and stopped with their process group.
services/tools.py owns the host and is what the rest of the app talks to.
"""
