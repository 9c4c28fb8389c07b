"""Two and three homes sharing a folder or a real WebDAV server (WsgiDAV on loopback),
synced in this process: merging adds, never overwrites (DESIGN.md R11)."""

from __future__ import annotations

import pytest

from desktopchat.domain.types import AttachmentKind, AttachmentPayload, Role
from desktopchat.storage.sync_state import STATE_FILE, SyncState
from tests.sync.conftest import files_under
from tests.sync.homes import PASSPHRASE


def _conversation(home, title, *texts):
    """A linear conversation; returns (conversation, [messages])."""
    store = home.store
    conversation = store.create_conversation(title=title).result(5)
    messages, parent = [], None
    for number, text in enumerate(texts):
        role = Role.USER if number % 2 == 0 else Role.ASSISTANT
        message = store.add_message(conversation.id, role, text, parent_id=parent).result(5)
        messages.append(message)
        parent = message.id
    return conversation, messages


def _one_file_each(home, shared, count, title="Conversation"):
    """`count` conversations, each sent in a change file of its own into the folder."""
    from desktopchat.sync.folder import FolderTransport

    for number in range(count):
        _conversation(home, f"{title} {number}", "question", "answer")
        home.sync(FolderTransport(shared))


def _sync_all(transport, *homes, rounds=2):
    for _ in range(rounds):
        for home in homes:
            home.sync(transport())


def test_two_homes_exchange_conversations_and_branches(place, homes):
    transport, _ = place
    a, b = homes("a"), homes("b")
    x, (question, _answer) = _conversation(a, "From A", "Hello?", "First answer")
    a.store.add_message(x.id, Role.ASSISTANT, "Second answer", parent_id=question.id).result(5)
    _conversation(b, "From B", "Bonjour ?", "Réponse")

    sent = a.sync(transport())
    assert (sent.sent_conversations, sent.sent_messages) == (1, 3)
    received = b.sync(transport())
    assert (received.received_conversations, received.received_messages) == (1, 3)
    a.sync(transport())

    assert a.picture() == b.picture()
    assert {title for title, _ in a.picture().values()} == {"From A", "From B"}
    thread = b.store.thread(x.id)
    assert [m.text for m in thread.messages] == ["Hello?", "Second answer"]
    assert len(thread.siblings[thread.messages[1].id]) == 2  # ‹ 2/2 › came over

    quiet = a.sync(transport())
    assert (quiet.sent_messages, quiet.received_messages, quiet.files_written) == (0, 0, 0)


def test_branches_added_on_both_sides_at_once_are_both_kept(place, homes):
    transport, _ = place
    a, b = homes("a"), homes("b")
    x, (question, answer) = _conversation(a, "Shared", "Question", "Answer")
    _sync_all(transport, a, b, rounds=1)
    a.store.add_message(x.id, Role.USER, "A goes on", parent_id=answer.id).result(5)
    b.store.add_message(x.id, Role.USER, "B goes on", parent_id=answer.id).result(5)
    b.store.add_message(x.id, Role.ASSISTANT, "B regenerates", parent_id=question.id).result(5)

    _sync_all(transport, a, b)

    assert a.picture() == b.picture()
    texts = {text for _, _, text in a.picture()[x.id][1].values()}
    assert texts == {"Question", "Answer", "A goes on", "B goes on", "B regenerates"}


def test_renames_and_settings_merge_by_latest_time_field_by_field(place, homes):
    transport, _ = place
    a, b = homes("a"), homes("b")
    x, _ = _conversation(a, "Original", "Hi")
    _sync_all(transport, a, b, rounds=1)

    a.store.rename_conversation(x.id, "Renamed on A").result(5)
    a.sync(transport())
    b.store.rename_conversation(x.id, "Renamed on B, later").result(5)
    b.store.update_conversation(x.id, model="model-from-b").result(5)
    a.store.update_conversation(x.id, system_prompt="Prompt from A").result(5)
    _sync_all(transport, b, a)

    for home in (a, b):
        conversation = home.store.get_conversation(x.id)
        assert conversation.title == "Renamed on B, later"
        assert conversation.model == "model-from-b"
        assert conversation.system_prompt == "Prompt from A"


def test_a_pin_merges_by_latest_time(place, homes):
    transport, _ = place
    a, b = homes("a"), homes("b")
    x, _ = _conversation(a, "Pinned on A", "Hi")
    a.store.update_conversation(x.id, pinned=True).result(5)
    _sync_all(transport, a, b, rounds=1)
    assert b.store.get_conversation(x.id).pinned

    a.store.rename_conversation(x.id, "Renamed on A").result(5)
    b.store.update_conversation(x.id, pinned=False).result(5)  # the later change of the pin
    _sync_all(transport, a, b)

    for home in (a, b):
        conversation = home.store.get_conversation(x.id)
        assert (conversation.title, conversation.pinned) == ("Renamed on A", False)


def test_a_conversation_deleted_here_and_continued_there_keeps_the_continued_part(place, homes):
    transport, _ = place
    a, b = homes("a"), homes("b")
    x, (_, answer, follow_up) = _conversation(a, "Doomed", "Q", "A", "Old follow-up")
    _sync_all(transport, a, b, rounds=1)

    a.store.delete_conversation(x.id).result(5)
    b.store.add_message(x.id, Role.USER, "Continued on B", parent_id=answer.id).result(5)
    a.sync(transport())
    kept = b.sync(transport())
    back = a.sync(transport())

    assert any("continued here: kept" in note for note in kept.notes), kept.notes
    assert any("deleted here, was continued" in note for note in back.notes), back.notes
    assert a.picture() == b.picture()
    texts = [text for _, _, text in a.picture()[x.id][1].values()]
    assert texts == ["Q", "A", "Continued on B"]  # what A knew and deleted alone is gone
    assert follow_up.id not in a.picture()[x.id][1]
    _sync_all(transport, a, b)
    assert a.picture() == b.picture() and x.id in a.picture()


def test_deletions_travel_as_tombstones(place, homes):
    transport, _ = place
    a, b = homes("a"), homes("b")
    x, (question, answer) = _conversation(a, "Keep", "Q", "A1")
    y, _ = _conversation(a, "Bin", "Q")
    regenerated = a.store.add_message(x.id, Role.ASSISTANT, "A2", parent_id=question.id)
    regenerated.result(5)
    _sync_all(transport, a, b, rounds=1)

    b.store.delete_from(x.id, regenerated.value.id, answer.id).result(5)
    b.store.delete_conversation(y.id).result(5)
    _sync_all(transport, b, a)

    assert a.picture() == b.picture()
    assert y.id not in a.picture()
    assert [t for _, _, t in a.picture()[x.id][1].values()] == ["Q", "A1"]
    c = homes("c")  # a new computer never sees what was deleted before it came
    c.sync(transport())
    assert c.picture() == a.picture()


def test_attachments_travel_once_by_hash(place, homes):
    transport, root = place
    a, b = homes("a"), homes("b")
    picture = bytes(range(256)) * 40
    payload = AttachmentPayload(AttachmentKind.IMAGE, "cat.png", "image/png", data=picture)
    x = a.store.create_conversation(title="Pictures").result(5)
    first = a.store.add_message(x.id, Role.USER, "Look", attachments=[payload]).result(5)
    a.store.add_message(x.id, Role.USER, "Again", parent_id=first.id, attachments=[payload]).result(
        5
    )

    report = a.sync(transport())
    assert report.blobs_sent == 1
    received = b.sync(transport())
    assert received.blobs_received == 1
    sha = b.store.get_message(first.id).attachments[0].sha256
    assert b.store.blob(sha) == picture
    blobs = [p for p in (root / "DesktopChat-sync" / "blobs").iterdir()]
    assert len(blobs) == 1

    b.store.add_message(x.id, Role.USER, "Third time", attachments=[payload]).result(5)
    assert b.sync(transport()).blobs_sent == 0  # already there
    a.sync(transport())
    assert a.picture() == b.picture()


def test_three_homes_with_concurrent_edits_converge(place, homes):
    transport, _ = place
    a, b, c = homes("a"), homes("b"), homes("c")
    x, (_, answer) = _conversation(a, "Three", "Q", "A")
    _sync_all(transport, a, b, c, rounds=1)
    a.store.add_message(x.id, Role.USER, "from A", parent_id=answer.id).result(5)
    b.store.add_message(x.id, Role.USER, "from B", parent_id=answer.id).result(5)
    c.store.rename_conversation(x.id, "Named by C").result(5)
    _conversation(c, "C's own", "hello")
    b.store.delete_conversation(x.id).result(5)  # b deletes what a and c still change

    _sync_all(transport, c, b, a, rounds=3)

    assert a.picture() == b.picture() == c.picture()
    kept = a.picture()[x.id]
    assert kept[0] == "Named by C"
    assert {"from A"} <= {text for _, _, text in kept[1].values()}


def test_a_wrong_passphrase_is_refused_and_changes_nothing(place, homes):
    transport, root = place
    a, b = homes("a"), homes("b")
    _conversation(a, "Private", "secret words")
    a.sync(transport())
    _conversation(b, "B's", "b words")
    before_files = files_under(root)
    before_history = b.picture()

    from desktopchat.sync.errors import WrongPassphrase

    with pytest.raises(WrongPassphrase, match="does not open the sync folder"):
        b.sync(transport(), passphrase="wrong passphrase")

    assert files_under(root) == before_files
    assert b.picture() == before_history
    state = SyncState(b.database.with_name(STATE_FILE))
    try:
        assert state.messages() == {} and state.applied() == {}
    finally:
        state.close()
    b.sync(transport())  # the right one works afterwards
    assert "Private" in {t for t, _ in b.picture().values()}


def test_tampered_truncated_moved_and_foreign_files_are_refused_with_a_note(place, homes):
    transport, root = place
    a, b = homes("a"), homes("b")
    _conversation(a, "First", "one")
    a.sync(transport())
    _conversation(a, "Second", "two")
    a.sync(transport())
    folder = next((root / "DesktopChat-sync").glob("d-*"))
    first, second = sorted(folder.glob("c-*.dcs"))
    original = first.read_bytes()

    damaged = bytearray(original)
    damaged[len(damaged) // 2] ^= 0x01
    first.write_bytes(bytes(damaged))
    (folder / "notes.txt").write_text("not ours")
    (root / "DesktopChat-sync" / "desktop.ini").write_text("[x]")
    report = b.sync(transport())
    assert any("refused" in n and first.name in n for n in report.notes), report.notes
    assert any("notes.txt" in n for n in report.notes) and any(
        "desktop.ini" in n for n in report.notes
    )
    assert b.picture() == {}  # nothing from that computer past the damaged file

    first.write_bytes(original[: len(original) - 7])  # cut short
    assert any("refused" in n for n in b.sync(transport()).notes)
    first.write_bytes(second.read_bytes())  # another file under this name
    assert any("refused" in n for n in b.sync(transport()).notes)
    assert b.picture() == {}

    first.write_bytes(original)
    b.sync(transport())
    assert {t for t, _ in b.picture().values()} == {"First", "Second"}


def test_nothing_the_person_wrote_reaches_the_folder_in_the_clear(place, homes, monkeypatch):
    transport, root = place
    a = homes("a")
    secret_text = "the launch code is 7-7-7-swordfish"
    x, _ = _conversation(a, "Title nobody may read", secret_text, "reply about swordfish")
    a.store.update_conversation(x.id, system_prompt="hidden system prompt").result(5)
    document = AttachmentPayload(
        AttachmentKind.DOCUMENT,
        "plans.txt",
        "text/plain",
        data=b"blueprint-bytes " * 50,
        text="blueprint text",
    )
    a.store.add_message(x.id, Role.USER, "see file", attachments=[document]).result(5)
    a.sync(transport())
    _conversation(a, "More", "swordfish again")
    a.sync(transport())

    written = files_under(root)
    assert written
    needles = [secret_text, "swordfish", "Title nobody", "hidden system", "blueprint",
               "plans.txt", PASSPHRASE, "battery"]  # fmt: skip
    for name, data in written.items():
        for needle in needles:
            assert needle.encode() not in data, (name, needle)
            assert needle not in name
    header = written["DesktopChat-sync/header.json"].decode()
    assert "salt" in header and "scrypt" in header


def test_compaction_keeps_every_computers_changes(place, homes):
    transport, root = place
    a, b = homes("a"), homes("b")
    x, (_, answer) = _conversation(a, "Busy", "Q", "A")
    a.sync(transport(), compact_after=3)
    b.sync(transport())
    parent = answer.id
    for number in range(5):
        parent = (
            a.store.add_message(x.id, Role.USER, f"turn {number}", parent_id=parent).result(5).id
        )
        if number == 2:
            a.store.rename_conversation(x.id, "Busy, renamed").result(5)
        a.sync(transport(), compact_after=3)

    folder = next(p for p in (root / "DesktopChat-sync").glob("d-*"))
    names = sorted(p.name for p in folder.iterdir())
    assert any(n.startswith("s-") for n in names), names
    assert len([n for n in names if n.startswith("c-")]) < 3

    b.sync(transport())  # had read only the first file
    c = homes("c")
    c.sync(transport())  # reads the snapshot
    assert a.picture() == b.picture() == c.picture()
    assert a.picture()[x.id][0] == "Busy, renamed"


def test_a_sync_killed_while_writing_the_history_replays_its_journal(place, homes, monkeypatch):
    transport, _ = place
    a, b = homes("a"), homes("b")
    _conversation(a, "Journal", "one", "two")
    a.sync(transport())

    store = b.store

    def killed(change):
        raise KeyboardInterrupt("killed before the history was written")

    monkeypatch.setattr(store, "apply_synced", killed)
    with pytest.raises(KeyboardInterrupt):
        b.sync(transport())
    monkeypatch.undo()
    assert b.picture() == {}
    state = SyncState(b.database.with_name(STATE_FILE))
    try:
        assert len(state.journal()) == 1  # decided, remembered, not yet written
    finally:
        state.close()

    report = b.sync(transport())
    assert report.received_messages == 2 and report.files_read == 0
    assert a.picture() == b.picture()
    assert b.sync(transport()).sent_messages == 0  # nothing it applied comes back as its own


def test_a_replayed_journal_leaves_nothing_it_wrote_waiting(place, homes, monkeypatch):
    """Messages that waited before a killed sync and were written by its journal's replay
    wait no more: one left waiting would be sent again by every sync, and come back after
    the person deleted it."""
    transport, _ = place
    a, b = homes("a"), homes("b")
    _conversation(a, "Waited", "one", "two")
    a.sync(transport())

    def killed(change):
        raise KeyboardInterrupt("killed before the history was written")

    monkeypatch.setattr(b.store, "apply_synced", killed)
    with pytest.raises(KeyboardInterrupt):
        b.sync(transport())
    monkeypatch.undo()
    state = SyncState(b.database.with_name(STATE_FILE))
    try:
        [(_entry, payload)] = state.journal()
        earlier = {row[0]: [row, attachments] for row, attachments in payload["m"]}
        with state.transaction() as connection:  # as an earlier sync left them
            state.set_waiting(connection, earlier)
    finally:
        state.close()

    assert b.sync(transport()).received_messages == 2
    state = SyncState(b.database.with_name(STATE_FILE))
    try:
        assert state.waiting() == {}
    finally:
        state.close()
    assert a.picture() == b.picture()


def test_a_history_restored_from_an_older_copy_gets_back_what_it_lacks(place, homes, tmp_path):
    """A restored backup lacks what came after it: sync brings that back, and never sends
    it to the other computers as deleted."""
    from desktopchat.storage import backup

    transport, _ = place
    a, b = homes("a"), homes("b")
    _conversation(a, "Old", "before the backup")
    a.sync(transport())
    a.store.wait_written(10)
    copy = backup.take_backup(a.database, tmp_path / "copies")
    _conversation(a, "Only on A", "after the backup")
    _conversation(b, "From B", "hello")
    _sync_all(transport, a, b)
    expected = a.picture()
    assert expected == b.picture() and len(expected) == 3

    a.close()
    for suffix in ("-wal", "-shm"):
        a.database.with_name(a.database.name + suffix).unlink(missing_ok=True)
    a.database.write_bytes(copy.read_bytes())
    assert {t for t, _ in a.picture().values()} == {"Old"}

    report = a.sync(transport())
    assert any("older copy" in note for note in report.notes), report.notes
    assert report.sent_deletions == 0
    assert a.picture() == expected
    _sync_all(transport, b, a)
    assert a.picture() == b.picture() == expected


def test_a_reply_with_tool_calls_travels_whole(place, homes):
    from desktopchat.domain.tool_calls import ToolCall, ToolCallStatus, ToolStep, ToolSteps
    from desktopchat.domain.tools import ToolOutput, ToolPart

    transport, _ = place
    a, b = homes("a"), homes("b")
    x, (_question, answer) = _conversation(a, "Tools", "Read it", "Done.")
    output = ToolOutput((ToolPart("text", "contents"),))
    call = ToolCall("c1", "f__read", "f", "read", "{}", ToolCallStatus.DONE, output=output)
    steps = ToolSteps((ToolStep(0, (call,)),))
    a.store.update_reply(x.id, answer.id, text="Done.", tool_steps=steps).result(5)
    _sync_all(transport, a, b)
    assert b.store.messages(x.id)[-1].tool_steps == steps
