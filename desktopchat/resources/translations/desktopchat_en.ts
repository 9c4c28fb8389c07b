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
    <name>KeysTab</name>
    <message numerus="yes">
        <location filename="../../ui/settings/keys.py" line="+492"/>
        <source>Key works: %n models available.</source>
        <translation>
            <numerusform>Key works: %n model available.</numerusform>
            <numerusform>Key works: %n models available.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ModelPicker</name>
    <message numerus="yes">
        <location filename="../../ui/models/picker.py" line="+122"/>
        <source>%n models available</source>
        <translation>
            <numerusform>%n model available</numerusform>
            <numerusform>%n models available</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ToolsTab</name>
    <message numerus="yes">
        <location filename="../../ui/settings/tools.py" line="+131"/>
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
        <location filename="../../ui/window/usage_view.py" line="+190"/>
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
