<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AttachmentTray</name>
    <message numerus="yes">
        <location filename="../../ui/composer/attachment_tray.py" line="+314"/>
        <source>Files left out: %n. One message holds at most {limit} attachments.</source>
        <translation>
            <numerusform>File left out: %n. One message holds at most {limit} attachments.</numerusform>
            <numerusform>Files left out: %n. One message holds at most {limit} attachments.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Counted</name>
    <message numerus="yes">
        <location filename="../../ui/support/units.py" line="+22"/>
        <source>%Ln conversations</source>
        <translation>
            <numerusform>%Ln conversation</numerusform>
            <numerusform>%Ln conversations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%Ln messages</source>
        <translation>
            <numerusform>%Ln message</numerusform>
            <numerusform>%Ln messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message numerus="yes">
        <location filename="../../ui/library/export_actions.py" line="+31"/>
        <source>Exported %n conversations to %1</source>
        <translation>
            <numerusform>Exported %n conversation to %1</numerusform>
            <numerusform>Exported %n conversations to %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>KeysTab</name>
    <message numerus="yes">
        <location filename="../../ui/settings/keys.py" line="+376"/>
        <source>Key works: %n models available.</source>
        <translation>
            <numerusform>Key works: %n model available.</numerusform>
            <numerusform>Key works: %n models available.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ListActions</name>
    <message numerus="yes">
        <location filename="../../ui/sidebar/list_actions.py" line="+71"/>
        <source>Pin %n conversation(s)</source>
        <translation>
            <numerusform>Pin %n conversation</numerusform>
            <numerusform>Pin %n conversations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Unpin %n conversation(s)</source>
        <translation>
            <numerusform>Unpin %n conversation</numerusform>
            <numerusform>Unpin %n conversations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>Delete %n conversation(s)…</source>
        <translation>
            <numerusform>Delete %n conversation…</numerusform>
            <numerusform>Delete %n conversations…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+49"/>
        <source>Delete %n conversation(s) and all their messages? This cannot be undone.</source>
        <translation>
            <numerusform>Delete %n conversation and all its messages? This cannot be undone.</numerusform>
            <numerusform>Delete %n conversations and all their messages? This cannot be undone.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ModelPicker</name>
    <message numerus="yes">
        <location filename="../../ui/models/picker.py" line="+123"/>
        <source>%n models available</source>
        <translation>
            <numerusform>%n model available</numerusform>
            <numerusform>%n models available</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProjectWords</name>
    <message numerus="yes">
        <location filename="../../ui/library/project_uses.py" line="+18"/>
        <source>%Ln passages</source>
        <translation>
            <numerusform>%Ln passage</numerusform>
            <numerusform>%Ln passages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%Ln more</source>
        <translation>
            <numerusform>%Ln more</numerusform>
            <numerusform>%Ln more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%Ln characters</source>
        <translation>
            <numerusform>%Ln character</numerusform>
            <numerusform>%Ln characters</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PromptFiles</name>
    <message numerus="yes">
        <location filename="../../ui/library/prompt_files.py" line="+107"/>
        <source>%Ln prompt(s) added.</source>
        <translation>
            <numerusform>%Ln prompt added.</numerusform>
            <numerusform>%Ln prompts added.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%Ln had the name of another prompt of yours and came in under a new name:</source>
        <translation>
            <numerusform>%Ln had the name of another prompt of yours and came in under a new name:</numerusform>
            <numerusform>%Ln had the names of other prompts of yours and came in under new names:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>%Ln already in your library, with the same text, left out:</source>
        <translation>
            <numerusform>%Ln already in your library, with the same text, left out:</numerusform>
            <numerusform>%Ln already in your library, with the same texts, left out:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>%Ln entries of the file were not prompts and were left out.</source>
        <translation>
            <numerusform>%Ln entry of the file was not a prompt and was left out.</numerusform>
            <numerusform>%Ln entries of the file were not prompts and were left out.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>and %Ln more</source>
        <translation>
            <numerusform>and %Ln more</numerusform>
            <numerusform>and %Ln more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PromptLibraryDialog</name>
    <message numerus="yes">
        <location filename="../../ui/library/prompts.py" line="+353"/>
        <source>%Ln prompt(s) exported to %1</source>
        <translation>
            <numerusform>%Ln prompt exported to %1</numerusform>
            <numerusform>%Ln prompts exported to %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PromptLink</name>
    <message numerus="yes">
        <location filename="../../ui/library/prompt_link.py" line="+185"/>
        <source>Some saved prompts could not be read and were left out (%Ln).</source>
        <translation>
            <numerusform>A saved prompt could not be read and was left out (%Ln).</numerusform>
            <numerusform>Some saved prompts could not be read and were left out (%Ln).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SearchResults</name>
    <message numerus="yes">
        <location filename="../../ui/sidebar/search_results.py" line="+70"/>
        <source>%n matching message(s)</source>
        <translation>
            <numerusform>%n matching message</numerusform>
            <numerusform>%n matching messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncCounts</name>
    <message numerus="yes">
        <location filename="../../ui/window/sync_words.py" line="+91"/>
        <source>%Ln new conversation(s)</source>
        <translation>
            <numerusform>%Ln new conversation</numerusform>
            <numerusform>%Ln new conversations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%Ln new message(s)</source>
        <translation>
            <numerusform>%Ln new message</numerusform>
            <numerusform>%Ln new messages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%Ln message(s) sent</source>
        <translation>
            <numerusform>%Ln message sent</numerusform>
            <numerusform>%Ln messages sent</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%Ln min ago</source>
        <translation>
            <numerusform>%Ln min ago</numerusform>
            <numerusform>%Ln min ago</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ToolsTab</name>
    <message numerus="yes">
        <location filename="../../ui/settings/tools.py" line="+146"/>
        <source>(%n tool(s))</source>
        <translation>
            <numerusform>(%n tool)</numerusform>
            <numerusform>(%n tools)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UsageDialog</name>
    <message numerus="yes">
        <location filename="../../ui/library/usage_view.py" line="+190"/>
        <source>(tokens of %n replies estimated: their server reported none)</source>
        <translation>
            <numerusform>(tokens of %n reply estimated: its server reported none)</numerusform>
            <numerusform>(tokens of %n replies estimated: their server reported none)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+26"/>
        <source>Estimated for %n replies: their server reported no usage.</source>
        <translation>
            <numerusform>Estimated for %n reply: its server reported no usage.</numerusform>
            <numerusform>Estimated for %n replies: their server reported no usage.</numerusform>
        </translation>
    </message>
</context>
</TS>
