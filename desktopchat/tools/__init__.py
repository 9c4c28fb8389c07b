"""MCP servers: the only package that imports the `mcp` SDK (DESIGN.md section 2).

Servers run in a tool host process of their own (child.py, host.py, server.py), which the
app drives over a pipe (remote.py, wire.py): the SDK never loads in the app, and a server
that floods, hangs or sends a huge answer never stalls the window's loop. stdio servers are
the host's children, started with the login shell's PATH and an environment holding none of
our secrets (launch.py), read through a bounded transport (stdio.py) and stopped with their
process group. services/tools.py owns the host and is what the rest of the app talks to;
remote.py, wire.py and launch.py import no `mcp`.
"""
