; Inno Setup script for DesktopChat on Windows, run by .github/workflows/release.yml after
; PyInstaller has frozen the app into dist\desktopchat: a per-user install (no admin), a
; Start menu entry, and an uninstaller in Windows' Apps list.
; iscc /DAppVersion=0.1.0 packaging\windows\desktopchat.iss  (from the checkout's root)
#ifndef AppVersion
  #error Pass /DAppVersion=x.y.z
#endif

[Setup]
AppId={{5B0F3C2E-6C1D-4E52-9A7B-2F5D8E1C4A90}
AppName=DesktopChat
AppVersion={#AppVersion}
AppPublisher=DesktopChat developers
DefaultDirName={localappdata}\Programs\DesktopChat
DefaultGroupName=DesktopChat
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=desktopchat-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\desktopchat.exe

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"

[Files]
Source: "..\..\dist\desktopchat\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\DesktopChat"; Filename: "{app}\desktopchat.exe"
Name: "{group}\{cm:UninstallProgram,DesktopChat}"; Filename: "{uninstallexe}"

[Run]
Filename: "{app}\desktopchat.exe"; Description: "{cm:LaunchProgram,DesktopChat}"; Flags: nowait postinstall skipifsilent
