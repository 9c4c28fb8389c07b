"""Importing conversations from elsewhere: ChatGPT's and Claude's data exports (the `.zip`
as downloaded, or its `conversations.json`) and our own Markdown exports.

Reading (reader.py, pure but for reading the file) gives conversations as trees in memory
and a preview; writing them is the store's (storage/imports.py), one conversation at a time
whole, skipping any whose origin is already in the history.
"""
