"""Composition root: the QApplication, the qasync loop, the services, and the shutdown order.

start.py opens the window (cli/ calls its `main`), assembly.py wires the services,
lifetime.py runs the app on the loop and shuts it down, logs.py keeps the log. Nothing here
imports a provider SDK (DESIGN.md P1).
"""
